/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hardware-reduced ACPI sleep control/status and reset registers (FADT
 * SLEEP_CONTROL_REG, SLEEP_STATUS_REG, RESET_REG), one byte each at
 * PIO_ACPI_SLEEP_CTL.. PIO_ACPI_RESET. Without them Linux falls back to the
 * keyboard controller and a BIOS reset vector that is not there.
 */
#ifndef SRIOVM_HW_ACPI_PM_H
#define SRIOVM_HW_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/power.h"

#define ACPI_PM_NR_PORTS	3

struct acpi_pm {
	struct power_sink sink;
};

void acpi_pm_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write);

#endif
