/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical and I/O port layout of the sriovm x86 machine.
 *
 *   0x00000000  RAM (real-mode trampoline for -smp lives below 640K)
 *   0x00000500  GDT, 0x00000520 IDT (empty)
 *   0x00007000  boot_params (zero page)
 *   0x00009000  boot page tables: PML4, PDPT, 4 PDs (identity map of 4 GiB)
 *   0x00020000  kernel command line
 *   0x0009fc00  reserved (EBDA) ... 0x000fffff; ACPI tables at 0xe0000,
 *               the reset vector at 0xffff0
 *   0x00100000  protected-mode kernel, then free RAM; initrd placed high
 *   0xb0000000  ECAM (256 buses x 1 MiB), E820 reserved
 *   0xc0000000  32-bit PCI MMIO window (not in E820)
 *   0xfec00000  IOAPIC, 0xfee00000 LAPIC
 *   4 GiB       RAM above the hole when -m exceeds the low part
 *   >= 64 GiB   64-bit PCI MMIO window, above the last RAM byte
 */
#ifndef SRIOVM_ARCH_X86_LAYOUT_H
#define SRIOVM_ARCH_X86_LAYOUT_H

#include "lib/guest_mem.h"

#define GDT_ADDR		0x500ULL
#define IDT_ADDR		0x520ULL
#define BOOT_STACK		0x8ff0ULL
#define ZERO_PAGE_ADDR		0x7000ULL
#define PML4_ADDR		0x9000ULL
#define PDPT_ADDR		0xa000ULL
#define PD_ADDR			0xb000ULL	/* 4 pages: 0xb000..0xefff */
#define CMDLINE_ADDR		0x20000ULL
#define CMDLINE_MAX		0x10000ULL

#define EBDA_START		0x9fc00ULL
#define ACPI_START		0xe0000ULL	/* RSDP first, tables after it */
#define BIOS_RESET_VECTOR	0xffff0ULL	/* F000:FFF0 in real mode */
#define ACPI_SIZE		(BIOS_RESET_VECTOR - ACPI_START)
#define HIMEM_START		0x100000ULL	/* where the kernel is loaded */

#define LOW_RAM_MAX		0xb0000000ULL	/* RAM below 4 GiB ends here at most */
#define ECAM_BASE		0xb0000000ULL
#define ECAM_SIZE		0x10000000ULL	/* buses 0..255 */
#define ECAM_BUS_START		0
#define ECAM_BUS_END		255
#define MMIO32_BASE		0xc0000000ULL
#define MMIO32_SIZE		0x3ec00000ULL	/* up to 0xfebfffff */
#define IOAPIC_ADDR		0xfec00000ULL
#define LAPIC_ADDR		0xfee00000ULL
#define HIGH_RAM_START		0x100000000ULL
#define MMIO64_MIN_BASE		0x1000000000ULL	/* 64 GiB */
#define MMIO64_SIZE		0x1000000000ULL	/* 64 GiB */

/* I/O ports */
#define PIO_PCI_BASE		0x1000		/* PCI I/O window 0x1000..0xffff */
#define PIO_COM1		0x3f8
#define IRQ_COM1		4
#define PIO_PCI_CONFIG		0xcf8		/* CF8 address, CFC..CFF data */
/*
 * ACPI hardware-reduced sleep and reset registers (FADT SLEEP_CONTROL,
 * SLEEP_STATUS, RESET_REG): one byte each, in a range no legacy device
 * claims.
 */
#define PIO_ACPI_SLEEP_CTL	0x600
#define PIO_ACPI_SLEEP_STS	0x601
#define PIO_ACPI_RESET		0x602
#define ACPI_RESET_VALUE	0x01
#define ACPI_S5_SLP_TYP		5		/* value in the DSDT _S5_ package */
#define SCI_IRQ			9

/* This machine's RAM: up to LOW_RAM_MAX below the hole, the rest from 4 GiB. */
static inline void x86_guest_mem_layout(struct guest_mem *mem, uint64_t ram_size)
{
	guest_mem_layout(mem, ram_size, LOW_RAM_MAX, HIGH_RAM_START);
}

#endif
