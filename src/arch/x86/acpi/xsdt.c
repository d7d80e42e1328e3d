// SPDX-License-Identifier: GPL-2.0
/* Extended System Description Table: 64-bit pointers to the other tables. */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/tables.h"

ssize_t xsdt_build(const uint64_t *tables, unsigned int n, void *buf, size_t size)
{
	struct acpi_xsdt *x = buf;
	size_t len = sizeof(*x) + n * sizeof(x->entry[0]);
	unsigned int i;

	if (size < len)
		return -ENOSPC;
	acpi_header_init(&x->header, ACPI_SIG_XSDT, len, ACPI_XSDT_REVISION);
	for (i = 0; i < n; i++)
		x->entry[i] = tables[i];
	acpi_header_finish(&x->header);
	return len;
}
