/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's isa-debug-exit: a write of value v ends the VMM with exit status
 * (v << 1) | 1, so a test inside the guest can report through the VMM's
 * own status.
 */
#ifndef SRIOVM_HW_DEBUG_EXIT_H
#define SRIOVM_HW_DEBUG_EXIT_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/power.h"

struct debug_exit {
	struct power_sink sink;
};

void debug_exit_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write);
/* The exit status QEMU derives from the value written. */
int debug_exit_status(uint32_t value);

#endif
