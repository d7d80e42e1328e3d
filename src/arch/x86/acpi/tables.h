/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI table layouts (ACPI 6.5) and the per-table builders behind
 * acpi_build(). ACPI has no UAPI header, so the constants live here, once.
 *
 * Tables are little-endian and unaligned; the structs are packed with
 * fixed-width fields and sriovm only runs on (little-endian) x86 hosts,
 * which tables.c asserts. Every builder takes the space left in the
 * caller's buffer and returns the table's length, or -ENOSPC.
 */
#ifndef SRIOVM_ARCH_X86_ACPI_TABLES_H
#define SRIOVM_ARCH_X86_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arch/x86/acpi/acpi.h"

#define ACPI_OEM_ID		"SRIOVM"	/* 6 characters */
#define ACPI_OEM_TABLE_PREFIX	"SRVM"		/* + the signature: "SRVMFACP" */
#define ACPI_OEM_REVISION	1
#define ACPI_CREATOR_ID		"SRVM"
#define ACPI_CREATOR_REVISION	1

#define ACPI_SIG_RSDP		"RSD PTR "
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_MCFG		"MCFG"
#define ACPI_SIG_DSDT		"DSDT"

#define ACPI_RSDP_REVISION	2	/* ACPI 2.0+: has the XSDT address */
#define ACPI_RSDP_V1_LEN	20	/* what the first checksum covers */
#define ACPI_XSDT_REVISION	1
#define ACPI_FADT_REVISION	6
#define ACPI_FADT_MINOR		5	/* ACPI 6.5 */
#define ACPI_MADT_REVISION	5
#define ACPI_MCFG_REVISION	1	/* Linux ignores high entries below 1 */
/* Revision 2 makes AML integers 64 bits wide (the QWordMemory window). */
#define ACPI_DSDT_REVISION	2

/* Tables start 16-byte aligned (the RSDP must be, for Linux's scan). */
#define ACPI_TABLE_ALIGN	16

struct acpi_table_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;		/* 36 */
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* over all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_xsdt {
	struct acpi_table_header header;
	uint64_t entry[];
} __attribute__((packed));

/* Generic Address Structure */
#define ACPI_GAS_SYSTEM_MEMORY	0
#define ACPI_GAS_SYSTEM_IO	1
#define ACPI_GAS_ACCESS_BYTE	1

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));

/* FADT flags */
#define ACPI_FADT_PWR_BUTTON		(1u << 4)	/* set: no fixed power button */
#define ACPI_FADT_SLP_BUTTON		(1u << 5)	/* set: no fixed sleep button */
#define ACPI_FADT_RESET_REG_SUP		(1u << 10)
#define ACPI_FADT_HW_REDUCED_ACPI	(1u << 20)

/* FADT IA-PC boot architecture flags */
#define ACPI_FADT_LEGACY_DEVICES	(1u << 0)
#define ACPI_FADT_8042			(1u << 1)
#define ACPI_FADT_NO_VGA		(1u << 2)
#define ACPI_FADT_NO_MSI		(1u << 3)	/* never: Linux would call pci_no_msi() */
#define ACPI_FADT_NO_ASPM		(1u << 4)
#define ACPI_FADT_NO_CMOS_RTC		(1u << 5)

struct acpi_fadt {
	struct acpi_table_header header;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	char hypervisor_vendor_id[8];
} __attribute__((packed));

#define ACPI_FADT_LEN		276

/* MADT */
#define ACPI_MADT_PCAT_COMPAT		(1u << 0)	/* dual 8259s present (KVM's PIC) */
#define ACPI_MADT_TYPE_LAPIC		0
#define ACPI_MADT_TYPE_IOAPIC		1
#define ACPI_MADT_TYPE_INT_OVERRIDE	2
#define ACPI_MADT_TYPE_LAPIC_NMI	4
#define ACPI_MADT_LAPIC_ENABLED		(1u << 0)
/* MPS INTI flags: polarity in bits 1:0, trigger mode in bits 3:2 */
#define ACPI_MADT_POLARITY_HIGH		0x1
#define ACPI_MADT_POLARITY_LOW		0x3
#define ACPI_MADT_TRIGGER_EDGE		(0x1 << 2)
#define ACPI_MADT_TRIGGER_LEVEL		(0x3 << 2)
#define ACPI_MADT_ALL_PROCESSORS	0xff		/* Local APIC NMI: every CPU */
#define ACPI_MADT_ISA_BUS		0

struct acpi_madt {
	struct acpi_table_header header;
	uint32_t lapic_address;
	uint32_t flags;
} __attribute__((packed));

struct acpi_madt_lapic {
	uint8_t type;
	uint8_t length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));

struct acpi_madt_ioapic {
	uint8_t type;
	uint8_t length;
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));

struct acpi_madt_int_override {
	uint8_t type;
	uint8_t length;
	uint8_t bus;
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));

struct acpi_madt_lapic_nmi {
	uint8_t type;
	uint8_t length;
	uint8_t processor_uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));

/* MCFG */
struct acpi_mcfg_entry {
	uint64_t base;		/* ECAM address of bus 0, even if start_bus > 0 */
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
	uint32_t reserved;
} __attribute__((packed));

struct acpi_mcfg {
	struct acpi_table_header header;
	uint64_t reserved;
	struct acpi_mcfg_entry entry[];
} __attribute__((packed));

/* VIOT: the virtual IOMMU and the endpoints behind it (ACPICA actbl3.h) */
#define ACPI_SIG_VIOT		"VIOT"
#define ACPI_VIOT_REVISION	0
#define ACPI_VIOT_NODE_PCI_RANGE	1
#define ACPI_VIOT_NODE_VIRTIO_IOMMU_PCI	3

struct acpi_viot {
	struct acpi_table_header header;
	uint16_t node_count;
	uint16_t node_offset;		/* of the first node, from the table's start */
	uint8_t reserved[8];
} __attribute__((packed));

struct acpi_viot_node {
	uint8_t type;
	uint8_t reserved;
	uint16_t length;
} __attribute__((packed));

/* Endpoint ID = endpoint_start + (BDF - bdf_start), within segments and BDFs. */
struct acpi_viot_pci_range {
	struct acpi_viot_node node;
	uint32_t endpoint_start;
	uint16_t segment_start, segment_end;
	uint16_t bdf_start, bdf_end;
	uint16_t output_node;		/* the IOMMU node's offset */
	uint8_t reserved[6];
} __attribute__((packed));

struct acpi_viot_virtio_pci {
	struct acpi_viot_node node;
	uint16_t segment;
	uint16_t bdf;
	uint8_t reserved[8];
} __attribute__((packed));

/* Value for a checksum byte so that the len bytes at p sum to zero. */
uint8_t acpi_checksum(const void *p, size_t len);
/* Fills signature, length, revision, OEM and creator fields; checksum 0. */
void acpi_header_init(struct acpi_table_header *h, const char *sig, uint32_t len,
		      uint8_t rev);
/* Sets the checksum over h->length bytes: call last. */
void acpi_header_finish(struct acpi_table_header *h);

ssize_t rsdp_build(uint64_t xsdt_gpa, void *buf, size_t size);
ssize_t xsdt_build(const uint64_t *tables, unsigned int n, void *buf, size_t size);
ssize_t fadt_build(uint64_t dsdt_gpa, void *buf, size_t size);
ssize_t madt_build(unsigned int ncpus, void *buf, size_t size);
ssize_t mcfg_build(const struct acpi_config *cfg, void *buf, size_t size);
ssize_t dsdt_build(const struct acpi_config *cfg, void *buf, size_t size);
ssize_t viot_build(const struct acpi_config *cfg, void *buf, size_t size);

#endif
