// SPDX-License-Identifier: GPL-2.0
/*
 * Differentiated System Description Table: the devices Linux cannot
 * discover by itself.
 *
 *   \_SB.PCI0  PCI Express host bridge (segment 0) and its windows
 *   \_SB.MBRD  motherboard resources: the ECAM region, so that Linux
 *              accepts MCFG ("reserved as ACPI motherboard resource")
 *   \_SB.COM1  the 16550 UART
 *   \_S5_      soft-off, for hardware-reduced power-off
 *
 * Each device is one writer in dsdt_sb_devices[]; add a device there.
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/aml.h"
#include "arch/x86/acpi/tables.h"
#include "arch/x86/layout.h"

_Static_assert(MMIO32_BASE + MMIO32_SIZE <= 0x100000000ULL, "32-bit window below 4 GiB");
_Static_assert(MMIO32_SIZE > 0 && ECAM_SIZE > 0, "empty window");
_Static_assert(ACPI_S5_SLP_TYP <= 7, "SLP_TYP is 3 bits in SLEEP_CONTROL_REG");

/* I/O windows around the config ports 0xcf8-0xcff, which PCI0 consumes. */
#define PCI_IO_CONFIG_LEN	8
#define PCI_IO_WINDOW0_END	(PIO_PCI_CONFIG - 1)
#define PCI_IO_WINDOW1_START	0x0d00
#define PCI_IO_END		0xffff

typedef void dsdt_writer(struct aml *a, const struct acpi_config *cfg);

static void dsdt_name_integer(struct aml *a, const char *name, uint64_t v)
{
	aml_name(a, name);
	aml_integer(a, v);
}

static void dsdt_name_eisaid(struct aml *a, const char *name, const char *id)
{
	aml_name(a, name);
	aml_eisaid(a, id);
}

static void dsdt_pci0_crs(struct aml *a, const struct acpi_config *cfg)
{
	aml_name(a, "_CRS");
	aml_rt_begin(a);
	/* Must equal MCFG's range, else Linux distrusts one of the two. */
	aml_rt_word_bus_number(a, ECAM_BUS_START, cfg->pci_bus_end);
	aml_rt_io(a, PIO_PCI_CONFIG, PIO_PCI_CONFIG, 1, PCI_IO_CONFIG_LEN);
	aml_rt_word_io(a, 0, PCI_IO_WINDOW0_END);
	aml_rt_word_io(a, PCI_IO_WINDOW1_START, PCI_IO_END);
	aml_rt_dword_memory(a, MMIO32_BASE, MMIO32_BASE + MMIO32_SIZE - 1,
			    AML_MEM_NON_CACHEABLE);
	/*
	 * Cacheable rather than prefetchable: Linux marks a prefetchable
	 * root window IORESOURCE_PREFETCH and then places no
	 * non-prefetchable BAR in it, which would confine 64-bit
	 * non-prefetchable BARs on the root bus to the 32-bit window. A
	 * cacheable window takes both kinds (QEMU's DSDT does the same).
	 */
	if (cfg->mmio64_size)
		aml_rt_qword_memory(a, cfg->mmio64_base,
				    cfg->mmio64_base + cfg->mmio64_size - 1,
				    AML_MEM_CACHEABLE);
	aml_rt_end(a, false);
}

static void dsdt_write_pci0(struct aml *a, const struct acpi_config *cfg)
{
	aml_device_begin(a, "PCI0");
	dsdt_name_eisaid(a, "_HID", "PNP0A08");	/* PCI Express root bridge */
	dsdt_name_eisaid(a, "_CID", "PNP0A03");	/* ... compatible with PCI */
	dsdt_name_integer(a, "_SEG", 0);
	dsdt_name_integer(a, "_UID", 0);
	dsdt_name_integer(a, "_BBN", ECAM_BUS_START);
	dsdt_pci0_crs(a, cfg);
	aml_end(a);
}

static void dsdt_write_mbrd(struct aml *a, const struct acpi_config *cfg)
{
	aml_device_begin(a, "MBRD");
	dsdt_name_eisaid(a, "_HID", "PNP0C02");
	dsdt_name_integer(a, "_UID", 0);
	aml_name(a, "_CRS");
	aml_rt_begin(a);
	aml_rt_memory32_fixed(a, ECAM_BASE, ECAM_SIZE, true);
	aml_rt_end(a, false);
	aml_end(a);
}

static void dsdt_write_com1(struct aml *a, const struct acpi_config *cfg)
{
	aml_device_begin(a, "COM1");
	dsdt_name_eisaid(a, "_HID", "PNP0501");	/* 16550A-compatible UART */
	dsdt_name_integer(a, "_UID", 1);
	aml_name(a, "_CRS");
	aml_rt_begin(a);
	aml_rt_io(a, PIO_COM1, PIO_COM1, 1, 8);
	aml_rt_irq_noflags(a, IRQ_COM1);
	aml_rt_end(a, false);
	aml_end(a);
}

static dsdt_writer *const dsdt_sb_devices[] = {
	dsdt_write_pci0,
	dsdt_write_mbrd,
	dsdt_write_com1,
};

/*
 * ACPICA reads SLP_TYPa from element 0 and SLP_TYPb from element 1 of a
 * package of two or more integers (both must be integers; a package of
 * one integer would be split into bytes instead). Hardware-reduced sleep
 * uses SLP_TYPa only. The trailing zeros are the customary padding.
 */
static void dsdt_write_s5(struct aml *a)
{
	aml_name(a, "\\_S5_");
	aml_package_begin(a);
	aml_integer(a, ACPI_S5_SLP_TYP);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_end(a);
}

ssize_t dsdt_build(const struct acpi_config *cfg, void *buf, size_t size)
{
	struct acpi_table_header *h = buf;
	size_t hdr = sizeof(*h), i;
	struct aml a;
	ssize_t n;

	if (size < hdr)
		return -ENOSPC;
	aml_init(&a, (uint8_t *)buf + hdr, size - hdr);
	aml_scope_begin(&a, "\\_SB");
	for (i = 0; i < sizeof(dsdt_sb_devices) / sizeof(dsdt_sb_devices[0]); i++)
		dsdt_sb_devices[i](&a, cfg);
	aml_end(&a);
	dsdt_write_s5(&a);
	n = aml_finish(&a);
	if (n < 0)
		return n;

	acpi_header_init(h, ACPI_SIG_DSDT, hdr + n, ACPI_DSDT_REVISION);
	acpi_header_finish(h);
	return hdr + n;
}
