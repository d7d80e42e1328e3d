// SPDX-License-Identifier: GPL-2.0
/*
 * PCI Express memory-mapped configuration (MCFG): one ECAM region for
 * segment 0. Linux reaches config offsets >= 0x100 (and so the SR-IOV
 * capability) only through it, and accepts it only if it lies below
 * 4 GiB (without SMBIOS), is reserved (E820 and the DSDT's MBRD) and its
 * bus range equals the host bridge's _CRS bus range (dsdt.c uses the
 * same ECAM_BUS_START .. cfg->pci_bus_end).
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/tables.h"
#include "arch/x86/layout.h"

_Static_assert(ECAM_BASE + ECAM_SIZE <= 0x100000000ULL, "ECAM must lie below 4 GiB");
_Static_assert(ECAM_BUS_START <= ECAM_BUS_END && ECAM_BUS_END <= 255, "ECAM bus range");
_Static_assert(((ECAM_BUS_END + 1ULL) << 20) <= ECAM_SIZE, "ECAM too small for its buses");

ssize_t mcfg_build(const struct acpi_config *cfg, void *buf, size_t size)
{
	struct acpi_mcfg *m = buf;
	size_t len = sizeof(*m) + sizeof(m->entry[0]);

	if (size < len)
		return -ENOSPC;
	memset(m, 0, len);
	acpi_header_init(&m->header, ACPI_SIG_MCFG, len, ACPI_MCFG_REVISION);
	m->entry[0].base = ECAM_BASE;	/* bus 0's address, whatever the start bus */
	m->entry[0].segment = 0;
	m->entry[0].start_bus = ECAM_BUS_START;
	m->entry[0].end_bus = cfg->pci_bus_end;
	acpi_header_finish(&m->header);
	return len;
}
