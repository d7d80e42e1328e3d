/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SRIOVM_ARCH_X86_E820_H
#define SRIOVM_ARCH_X86_E820_H

#include <asm/bootparam.h>

#include "lib/guest_mem.h"

/* Fills tbl with the machine's memory map; returns the entry count. */
unsigned int e820_build(const struct guest_mem *mem, struct boot_e820_entry *tbl,
			unsigned int max);

#endif
