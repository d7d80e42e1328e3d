/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI tables for the sriovm x86 machine: RSDP, XSDT, FADT (hardware
 * reduced, with reset and sleep registers), MADT, MCFG, a DSDT with the
 * PCI host bridge, and a VIOT when there is a virtio-iommu. Pure: it fills a caller's buffer that the caller
 * copies to guest-physical address gpa (ACPI_START in layout.h, where
 * Linux's RSDP scan of 0xe0000-0xfffff finds it).
 */
#ifndef SRIOVM_ARCH_X86_ACPI_ACPI_H
#define SRIOVM_ARCH_X86_ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * xAPIC IDs are 8 bits and 0xff is the broadcast ID; the I/O APIC takes
 * the ID after the last CPU, so at most 254 CPUs (IDs 0..253, IOAPIC 254).
 * More would need x2APIC MADT entries.
 */
#define ACPI_MAX_CPUS		254

struct acpi_config {
	unsigned int ncpus;			/* LAPIC IDs 0..ncpus-1 */
	uint64_t mmio64_base, mmio64_size;	/* 64-bit PCI window; size 0: none */
	/*
	 * Last bus number the machine uses (MCFG and the host bridge _CRS).
	 * Kept as small as the topology allows: Linux probes every bus up to
	 * the MCFG end for peer root buses (pcibios_fixup_peer_bridges), 32
	 * config reads a bus, each a VM exit.
	 */
	uint8_t pci_bus_end;
	/*
	 * A virtio-iommu-pci at this BDF of segment 0 (bus 0): a VIOT table
	 * puts every other function of buses 0..pci_bus_end behind it.
	 */
	bool viommu;
	uint16_t viommu_bdf;
};

/*
 * Writes the RSDP at offset 0 of buf (i.e. at gpa) and all tables after
 * it. Returns the number of bytes used, -ENOSPC if buf is too small, or
 * -EINVAL for a bad configuration (ncpus 0 or above ACPI_MAX_CPUS, a
 * 64-bit window that wraps, or a gpa that is not 16-byte aligned).
 */
ssize_t acpi_build(const struct acpi_config *cfg, void *buf, size_t size, uint64_t gpa);

#endif
