// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed ACPI Description Table, revision 6, hardware-reduced: no PM1/GPE
 * blocks, no SMI command port, no FACS. What remains is what Linux needs
 * to leave the machine cleanly:
 *  - reboot: acpi_reboot() writes RESET_VALUE to RESET_REG only with FADT
 *    revision >= 2 and RESET_REG_SUP; otherwise it falls back to the
 *    keyboard controller and a BIOS reset vector that do not exist here;
 *  - power-off: hardware-reduced S5 writes SLP_TYP << 2 | SLP_EN to
 *    SLEEP_CONTROL_REG, SLP_TYP from the DSDT's \_S5_; Linux offers S5
 *    (and so power-off) only if SLEEP_CONTROL_REG and SLEEP_STATUS_REG
 *    are both present.
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/tables.h"
#include "arch/x86/layout.h"

#define FADT_HYPERVISOR_ID	"SRIOVM  "

static struct acpi_gas fadt_io_reg8(uint16_t port)
{
	struct acpi_gas g = {
		.space_id = ACPI_GAS_SYSTEM_IO,
		.bit_width = 8,
		.bit_offset = 0,
		.access_size = ACPI_GAS_ACCESS_BYTE,
		.address = port,
	};

	return g;
}

ssize_t fadt_build(uint64_t dsdt_gpa, void *buf, size_t size)
{
	struct acpi_fadt *f = buf;

	if (size < sizeof(*f))
		return -ENOSPC;
	memset(f, 0, sizeof(*f));
	acpi_header_init(&f->header, ACPI_SIG_FADT, sizeof(*f), ACPI_FADT_REVISION);
	f->minor_version = ACPI_FADT_MINOR;

	/* The 32-bit field too where it fits; Linux prefers X_DSDT. */
	f->dsdt = dsdt_gpa >> 32 ? 0 : (uint32_t)dsdt_gpa;
	f->x_dsdt = dsdt_gpa;
	f->sci_int = SCI_IRQ;

	f->flags = ACPI_FADT_HW_REDUCED_ACPI | ACPI_FADT_RESET_REG_SUP |
		   ACPI_FADT_PWR_BUTTON | ACPI_FADT_SLP_BUTTON;
	/*
	 * No VGA, no CMOS RTC. 8042 and LEGACY_DEVICES stay clear so that
	 * Linux does not probe a keyboard controller; NO_MSI (bit 3) must
	 * never be set (pci_no_msi() would make VFs unusable), nor NO_ASPM.
	 */
	f->iapc_boot_arch = ACPI_FADT_NO_VGA | ACPI_FADT_NO_CMOS_RTC;

	f->reset_reg = fadt_io_reg8(PIO_ACPI_RESET);
	f->reset_value = ACPI_RESET_VALUE;
	f->sleep_control_reg = fadt_io_reg8(PIO_ACPI_SLEEP_CTL);
	f->sleep_status_reg = fadt_io_reg8(PIO_ACPI_SLEEP_STS);
	memcpy(f->hypervisor_vendor_id, FADT_HYPERVISOR_ID, sizeof(f->hypervisor_vendor_id));

	acpi_header_finish(&f->header);
	return sizeof(*f);
}
