/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SRIOVM_ARCH_X86_BIOS_H
#define SRIOVM_ARCH_X86_BIOS_H

#include "arch/x86/layout.h"
#include "lib/guest_mem.h"

/*
 * Writes the only firmware code the machine has: a reset vector that
 * resets through the ACPI reset register. Linux on a hardware-reduced
 * ACPI machine without EFI reboots by jumping there in real mode
 * (reboot_type EFI, then BIOS) before it ever tries RESET_REG itself.
 */
int bios_write_reset_vector(const struct guest_mem *mem);

#endif
