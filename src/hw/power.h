/* SPDX-License-Identifier: GPL-2.0 */
/* How devices ask the machine to stop: power-off, reset, or a set exit status. */
#ifndef SRIOVM_HW_POWER_H
#define SRIOVM_HW_POWER_H

enum power_event {
	POWER_OFF,		/* ACPI S5: the VMM exits 0 */
	POWER_RESET,		/* reboot, or exit with -no-reboot */
	POWER_EXIT,		/* isa-debug-exit: exit with the given status */
};

struct power_sink {
	void (*request)(void *opaque, enum power_event ev, int status);
	void *opaque;
};

#endif
