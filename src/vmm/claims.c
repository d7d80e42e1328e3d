// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>

#include "arch/x86/layout.h"
#include "hw/acpi_pm.h"
#include "hw/debug_exit.h"
#include "hw/serial.h"
#include "lib/log.h"
#include "pci/host.h"
#include "vmm/claims.h"
#include "vmm/vm.h"

/*
 * The devices KVM emulates in the kernel (KVM_CREATE_IRQCHIP, _PIT2):
 * their ports and pages never reach sriovm, so a device placed on them
 * would never see an access.
 */
#define KERNEL_PORTS(name, b, n)	{ .what = name, .io = true, .base = b, .size = n }
#define KERNEL_MMIO(name, b, n)		{ .what = name, .base = b, .size = n }
static const struct vm_claim vm_kernel_claims[] = {
	KERNEL_PORTS("the interrupt controller (PIC)", 0x20, 2),
	KERNEL_PORTS("the timer (PIT)", 0x40, 4),
	KERNEL_PORTS("the PC speaker port of the PIT", 0x61, 1),
	KERNEL_PORTS("the interrupt controller (PIC)", 0xa0, 2),
	KERNEL_PORTS("the interrupt controller's ELCR", 0x4d0, 2),
	KERNEL_MMIO("the IOAPIC", IOAPIC_ADDR, 0x100),
	KERNEL_MMIO("the local APIC", LAPIC_ADDR, 0x1000),
};

unsigned int vm_claims(const struct vm_config *cfg, struct vm *vm, struct vm_claim *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < sizeof(vm_kernel_claims) / sizeof(vm_kernel_claims[0]); i++)
		out[n++] = vm_kernel_claims[i];
	out[n++] = (struct vm_claim){ "the serial port COM1", false, true, PIO_COM1,
				      SERIAL_NR_PORTS, serial_io, vm ? &vm->serial : NULL };
	out[n++] = (struct vm_claim){ "the ACPI sleep and reset registers", false, true,
				      PIO_ACPI_SLEEP_CTL, ACPI_PM_NR_PORTS, acpi_pm_io,
				      vm ? &vm->acpi_pm : NULL };
	out[n++] = (struct vm_claim){ "the PCI configuration ports", false, true,
				      PIO_PCI_CONFIG, PCI_HOST_NR_PORTS, pci_host_cf8_io,
				      vm ? &vm->pci : NULL };
	out[n++] = (struct vm_claim){ "the PCI ECAM window", false, false, ECAM_BASE,
				      ECAM_SIZE, pci_host_ecam_io, vm ? &vm->pci : NULL };
	if (cfg->debug_exit.present)
		out[n++] = (struct vm_claim){ "-device isa-debug-exit", true, true,
					      cfg->debug_exit.iobase, cfg->debug_exit.iosize,
					      debug_exit_io, vm ? &vm->debug_exit : NULL };
	return n;
}

static bool claims_overlap(const struct vm_claim *a, const struct vm_claim *b)
{
	return a->io == b->io && a->base <= b->base + (b->size - 1) &&
	       b->base <= a->base + (a->size - 1);
}

static void claim_range(const struct vm_claim *c, char *buf, size_t len)
{
	unsigned long long first = c->base, last = c->base + c->size - 1;

	if (c->io)
		snprintf(buf, len, first == last ? "port 0x%llx" : "ports 0x%llx-0x%llx",
			 first, last);
	else
		snprintf(buf, len, "memory 0x%llx-0x%llx", first, last);
}

int vm_claims_check(const struct vm_config *cfg)
{
	struct vm_claim c[VM_MAX_CLAIMS];
	char mine[64], theirs[64];
	unsigned int i, j, n;

	n = vm_claims(cfg, NULL, c);
	/* The later claim is the one at fault: the platform's come first. */
	for (j = 1; j < n; j++) {
		for (i = 0; i < j; i++) {
			if (!claims_overlap(&c[i], &c[j]))
				continue;
			claim_range(&c[j], mine, sizeof(mine));
			claim_range(&c[i], theirs, sizeof(theirs));
			log_error(NULL, "%s: %s %s taken by %s (%s)", c[j].what, mine,
				c[j].size > 1 ? "are" : "is", c[i].what, theirs);
			return -EBUSY;
		}
	}
	return 0;
}

int vm_claims_register(struct vm *vm)
{
	struct vm_claim c[VM_MAX_CLAIMS];
	unsigned int i, n;
	int ret;

	n = vm_claims(vm->cfg, vm, c);
	for (i = 0; i < n; i++) {
		if (!c[i].fn)
			continue;
		ret = bus_register(c[i].io ? &vm->pio : &vm->mmio, c[i].base, c[i].size,
				   c[i].fn, c[i].opaque);
		if (ret)
			return ret;
	}
	return 0;
}
