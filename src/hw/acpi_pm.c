// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "arch/x86/layout.h"
#include "hw/acpi_pm.h"

/* Sleep control register fields (ACPI 6.x, 4.8.3.7). */
#define SLP_EN			0x20
#define SLP_TYP_SHIFT		2
#define SLP_TYP_MASK		0x7

void acpi_pm_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint64_t port = PIO_ACPI_SLEEP_CTL + offset;
	uint8_t v = *(uint8_t *)data;

	if (!is_write) {
		/* Nothing ever wakes the machine, so the status reads 0 (no WAK_STS). */
		memset(data, 0, len);
		return;
	}
	if (port == PIO_ACPI_SLEEP_CTL && (v & SLP_EN) &&
	    ((v >> SLP_TYP_SHIFT) & SLP_TYP_MASK) == ACPI_S5_SLP_TYP)
		pm->sink.request(pm->sink.opaque, POWER_OFF, 0);
	else if (port == PIO_ACPI_RESET && v == ACPI_RESET_VALUE)
		pm->sink.request(pm->sink.opaque, POWER_RESET, 0);
}
