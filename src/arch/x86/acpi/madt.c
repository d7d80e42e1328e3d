// SPDX-License-Identifier: GPL-2.0
/*
 * Multiple APIC Description Table: one enabled local APIC per vCPU (APIC
 * ID = index, as the vCPU code programs them), KVM's in-kernel I/O APIC
 * with GSIs from 0, and the SCI override.
 *
 * No override for IRQ 0: the VMM keeps KVM's identity routing (GSI n ->
 * IOAPIC pin n), and an override would have to agree with that routing.
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/tables.h"
#include "arch/x86/layout.h"

#define MADT_LINT1		1	/* LINT1 carries NMI on PC-compatible wiring */

static size_t madt_len(unsigned int ncpus)
{
	return sizeof(struct acpi_madt) + ncpus * sizeof(struct acpi_madt_lapic) +
	       sizeof(struct acpi_madt_ioapic) + sizeof(struct acpi_madt_int_override) +
	       sizeof(struct acpi_madt_lapic_nmi);
}

ssize_t madt_build(unsigned int ncpus, void *buf, size_t size)
{
	struct acpi_madt *m = buf;
	size_t len, off = sizeof(*m);
	struct acpi_madt_lapic *lapic;
	struct acpi_madt_ioapic *ioapic;
	struct acpi_madt_int_override *iso;
	struct acpi_madt_lapic_nmi *nmi;
	unsigned int i;

	if (!ncpus || ncpus > ACPI_MAX_CPUS)
		return -EINVAL;
	len = madt_len(ncpus);
	if (size < len)
		return -ENOSPC;
	memset(m, 0, len);
	acpi_header_init(&m->header, ACPI_SIG_MADT, len, ACPI_MADT_REVISION);
	m->lapic_address = LAPIC_ADDR;
	m->flags = ACPI_MADT_PCAT_COMPAT;

	for (i = 0; i < ncpus; i++) {
		lapic = (void *)((uint8_t *)buf + off);
		lapic->type = ACPI_MADT_TYPE_LAPIC;
		lapic->length = sizeof(*lapic);
		lapic->processor_uid = i;
		lapic->apic_id = i;
		lapic->flags = ACPI_MADT_LAPIC_ENABLED;
		off += sizeof(*lapic);
	}

	ioapic = (void *)((uint8_t *)buf + off);
	ioapic->type = ACPI_MADT_TYPE_IOAPIC;
	ioapic->length = sizeof(*ioapic);
	ioapic->ioapic_id = ncpus;	/* the first ID no CPU uses */
	ioapic->address = IOAPIC_ADDR;
	ioapic->gsi_base = 0;
	off += sizeof(*ioapic);

	/* The SCI is level-triggered, active high, as ACPI's default for it. */
	iso = (void *)((uint8_t *)buf + off);
	iso->type = ACPI_MADT_TYPE_INT_OVERRIDE;
	iso->length = sizeof(*iso);
	iso->bus = ACPI_MADT_ISA_BUS;
	iso->source = SCI_IRQ;
	iso->gsi = SCI_IRQ;
	iso->flags = ACPI_MADT_POLARITY_HIGH | ACPI_MADT_TRIGGER_LEVEL;
	off += sizeof(*iso);

	nmi = (void *)((uint8_t *)buf + off);
	nmi->type = ACPI_MADT_TYPE_LAPIC_NMI;
	nmi->length = sizeof(*nmi);
	nmi->processor_uid = ACPI_MADT_ALL_PROCESSORS;
	nmi->flags = 0;		/* conforms to the bus: edge, active high */
	nmi->lint = MADT_LINT1;

	acpi_header_finish(&m->header);
	return len;
}
