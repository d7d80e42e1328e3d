/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux x86 64-bit boot protocol: loads a bzImage, its initrd and command
 * line into guest RAM and builds the zero page, GDT and identity page
 * tables the 64-bit entry point expects.
 */
#ifndef SRIOVM_ARCH_X86_BOOT_H
#define SRIOVM_ARCH_X86_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/guest_mem.h"

struct kvm_regs;
struct kvm_sregs;

#define BOOT_MIN_PROTOCOL	0x020c	/* xloadflags and the 64-bit entry */

struct boot_files {
	const uint8_t *kernel;
	size_t kernel_size;
	const uint8_t *initrd;		/* may be NULL */
	size_t initrd_size;
	const char *cmdline;		/* may be NULL */
	uint64_t rsdp;			/* guest-physical address of the ACPI RSDP */
};

struct boot_info {
	uint64_t kernel_addr;		/* where the protected-mode kernel went */
	uint64_t entry;			/* 64-bit entry point */
	uint64_t initrd_addr;
	uint16_t protocol;
};

/* Why a boot cannot happen: the option at fault and a sentence for the user. */
struct boot_error {
	const char *opt;	/* "-kernel", "-initrd", "-append" or "-m" */
	const char *why;
};

/* Checks image, RAM size and command line against a layout; writes nothing. */
int boot_check(const struct guest_mem *layout, const struct boot_files *f,
	       struct boot_error *err);
/* Checks as boot_check(), then loads everything into mem. Returns -errno. */
int boot_load(const struct guest_mem *mem, const struct boot_files *f,
	      struct boot_info *info, struct boot_error *err);

/* Register state for the boot CPU at the 64-bit entry point. */
void boot_regs(const struct boot_info *info, struct kvm_regs *regs, struct kvm_sregs *sregs);

#endif
