// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>

#include "arch/x86/bios.h"
#include "arch/x86/layout.h"

int bios_write_reset_vector(const struct guest_mem *mem)
{
	/* 16-bit code: mov dx, PIO_ACPI_RESET; mov al, value; out dx, al; 1: hlt; jmp 1b */
	const uint8_t code[] = {
		0xba, PIO_ACPI_RESET & 0xff, PIO_ACPI_RESET >> 8,
		0xb0, ACPI_RESET_VALUE,
		0xee,
		0xf4,
		0xeb, 0xfd,
	};

	return guest_mem_write(mem, BIOS_RESET_VECTOR, code, sizeof(code));
}
