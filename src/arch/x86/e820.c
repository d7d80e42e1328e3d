// SPDX-License-Identifier: GPL-2.0
/*
 * The E820 map handed to Linux. The ECAM window is listed as reserved so
 * that Linux accepts MCFG early ("reserved as E820 entry"); the PCI MMIO
 * windows are deliberately absent: marking them reserved would keep Linux
 * from placing BARs there.
 */
#include <asm/e820.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"

static unsigned int e820_add(struct boot_e820_entry *tbl, unsigned int n, unsigned int max,
			     uint64_t addr, uint64_t size, uint32_t type)
{
	if (n >= max || !size)
		return n;
	tbl[n].addr = addr;
	tbl[n].size = size;
	tbl[n].type = type;
	return n + 1;
}

unsigned int e820_build(const struct guest_mem *mem, struct boot_e820_entry *tbl,
			unsigned int max)
{
	uint64_t low_end = guest_mem_low_end(mem);
	unsigned int n = 0;

	/* Below 640K: the SMP real-mode trampoline needs RAM here. */
	n = e820_add(tbl, n, max, 0, EBDA_START, E820_RAM);
	/* EBDA, VGA hole and BIOS area; the ACPI tables live at ACPI_START. */
	n = e820_add(tbl, n, max, EBDA_START, HIMEM_START - EBDA_START, E820_RESERVED);
	if (low_end > HIMEM_START)
		n = e820_add(tbl, n, max, HIMEM_START, low_end - HIMEM_START, E820_RAM);
	n = e820_add(tbl, n, max, ECAM_BASE, ECAM_SIZE, E820_RESERVED);
	if (mem->nr_regions > 1)
		n = e820_add(tbl, n, max, mem->regions[1].gpa, mem->regions[1].size, E820_RAM);
	return n;
}
