// SPDX-License-Identifier: GPL-2.0
/*
 * Root System Description Pointer, revision 2. Only the XSDT is given:
 * ACPI 2.0+ readers (Linux among them) prefer it, and an RSDT address of 0
 * is allowed when the XSDT is there.
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/tables.h"

ssize_t rsdp_build(uint64_t xsdt_gpa, void *buf, size_t size)
{
	struct acpi_rsdp *r = buf;

	if (size < sizeof(*r))
		return -ENOSPC;
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, ACPI_SIG_RSDP, sizeof(r->signature));
	memcpy(r->oem_id, ACPI_OEM_ID, sizeof(r->oem_id));
	r->revision = ACPI_RSDP_REVISION;
	r->length = sizeof(*r);
	r->xsdt_address = xsdt_gpa;
	/* The 1.0 checksum first: the extended one covers it too. */
	r->checksum = acpi_checksum(r, ACPI_RSDP_V1_LEN);
	r->extended_checksum = acpi_checksum(r, sizeof(*r));
	return sizeof(*r);
}
