// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ACPI tables. Fields are read back at their ACPI 6.5
 * byte offsets rather than through the builder's structs, so a layout
 * mistake in tables.h cannot hide behind itself.
 *
 * With acpica-tools installed, test_acpica also disassembles every table
 * with iasl, recompiles the DSDT, and loads the tables into ACPICA's
 * acpiexec, which evaluates \_S5_ and converts each _CRS the way Linux's
 * ACPICA does. Without the tools that test fails.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/pci.h>

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/layout.h"

#define HDR_LEN		36
#define RSDP_LEN	36
#define FADT_LEN	276
#define MADT_FIXED_LEN	44
#define MCFG_LEN	60

static uint8_t buf[ACPI_SIZE];

#define BUS_END 3

static const struct acpi_config default_cfg = {
	.ncpus = 2,
	.mmio64_base = MMIO64_MIN_BASE,
	.mmio64_size = MMIO64_SIZE,
	.pci_bus_end = BUS_END,
};

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* The tables as built, with gpa to resolve their pointers. */
struct image {
	const uint8_t *base;
	size_t len;
	uint64_t gpa;
};

static struct image build(const struct acpi_config *cfg, uint64_t gpa)
{
	struct image img = { .base = buf, .gpa = gpa };
	ssize_t n;

	memset(buf, 0xcc, sizeof(buf));
	n = acpi_build(cfg, buf, sizeof(buf), gpa);
	assert_true(n > 0);
	img.len = n;
	return img;
}

/* The table at guest address addr: inside the image, checksum right. */
static const uint8_t *table_at(const struct image *img, uint64_t addr, const char *sig)
{
	const uint8_t *t;
	uint32_t len;

	assert_true(addr >= img->gpa);
	assert_true(addr - img->gpa + HDR_LEN <= img->len);
	assert_int_equal(addr % 16, 0);
	t = img->base + (addr - img->gpa);
	len = le32(t + 4);
	assert_true(len >= HDR_LEN);
	assert_true(addr - img->gpa + len <= img->len);
	assert_memory_equal(t, sig, 4);
	assert_int_equal(sum8(t, len), 0);
	assert_memory_equal(t + 10, "SRIOVM", 6);
	return t;
}

static const uint8_t *rsdp_of(const struct image *img)
{
	return img->base;
}

static const uint8_t *xsdt_of(const struct image *img)
{
	return table_at(img, le64(rsdp_of(img) + 24), "XSDT");
}

/* XSDT entry i, checked to carry signature sig. */
static const uint8_t *xsdt_entry(const struct image *img, unsigned int i, const char *sig)
{
	const uint8_t *x = xsdt_of(img);

	assert_true(HDR_LEN + 8 * (i + 1) <= le32(x + 4));
	return table_at(img, le64(x + HDR_LEN + 8 * i), sig);
}

static const uint8_t *fadt_of(const struct image *img)
{
	return xsdt_entry(img, 0, "FACP");
}

static const uint8_t *madt_of(const struct image *img)
{
	return xsdt_entry(img, 1, "APIC");
}

static const uint8_t *mcfg_of(const struct image *img)
{
	return xsdt_entry(img, 2, "MCFG");
}

static const uint8_t *dsdt_of(const struct image *img)
{
	return table_at(img, le64(fadt_of(img) + 140), "DSDT");
}

static void test_rsdp(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *r = rsdp_of(&img);

	assert_memory_equal(r, "RSD PTR ", 8);
	assert_int_equal(sum8(r, 20), 0);
	assert_int_equal(sum8(r, RSDP_LEN), 0);
	assert_memory_equal(r + 9, "SRIOVM", 6);
	assert_int_equal(r[15], 2);			/* revision */
	assert_int_equal(le32(r + 16), 0);		/* no RSDT */
	assert_int_equal(le32(r + 20), RSDP_LEN);
	assert_int_equal(r[33] | r[34] | r[35], 0);	/* reserved */
	xsdt_of(&img);
}

static void test_xsdt(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *x = xsdt_of(&img);

	assert_int_equal(le32(x + 4), HDR_LEN + 3 * 8);
	assert_int_equal(x[8], 1);
	/* Each entry points at its table, in the image, checksum right. */
	fadt_of(&img);
	madt_of(&img);
	mcfg_of(&img);
}

/* VIOT: the virtio-iommu node, then the ranges around its own function. */
static void check_viot(const uint8_t *v, uint16_t iommu_bdf, uint16_t last_bdf)
{
	const uint8_t *n = v + 48, *r;
	unsigned int nodes = iommu_bdf < last_bdf ? 3 : 2, i;

	assert_int_equal(le32(v + 4), 48 + 16 + 24 * (nodes - 1));
	assert_int_equal(le16(v + 36), nodes);
	assert_int_equal(le16(v + 38), 48);
	assert_int_equal(n[0], 3);		/* virtio-pci IOMMU */
	assert_int_equal(le16(n + 2), 16);
	assert_int_equal(le16(n + 4), 0);	/* segment */
	assert_int_equal(le16(n + 6), iommu_bdf);
	for (i = 0; i < nodes - 1; i++) {
		uint16_t start = i ? iommu_bdf + 1 : 0, end = i ? last_bdf : iommu_bdf - 1;

		r = v + 64 + 24 * i;
		assert_int_equal(r[0], 1);	/* PCI range */
		assert_int_equal(le16(r + 2), 24);
		assert_int_equal(le32(r + 4), start);	/* endpoint ID = BDF */
		assert_int_equal(le16(r + 8), 0);
		assert_int_equal(le16(r + 10), 0);
		assert_int_equal(le16(r + 12), start);
		assert_int_equal(le16(r + 14), end);
		assert_int_equal(le16(r + 16), 48);	/* the IOMMU node */
	}
}

static void test_viot(void **state)
{
	struct acpi_config cfg = default_cfg;
	struct image img;
	const uint8_t *x;

	/* Without a virtio-iommu no VIOT. */
	img = build(&cfg, ACPI_START);
	assert_int_equal(le32(xsdt_of(&img) + 4), HDR_LEN + 3 * 8);
	cfg.viommu = true;
	cfg.viommu_bdf = PCI_DEVFN(4, 0);
	img = build(&cfg, ACPI_START);
	x = xsdt_of(&img);
	assert_int_equal(le32(x + 4), HDR_LEN + 4 * 8);
	check_viot(xsdt_entry(&img, 3, "VIOT"), PCI_DEVFN(4, 0), BUS_END << 8 | 0xff);
	/* The IOMMU at the last BDF has nothing above it. */
	cfg.pci_bus_end = 0;
	cfg.viommu_bdf = 0xff;
	img = build(&cfg, ACPI_START);
	check_viot(xsdt_entry(&img, 3, "VIOT"), 0xff, 0xff);
	/* Not at 00:00.0 (the host bridge's), nor past the buses. */
	cfg.viommu_bdf = 0;
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), ACPI_START), -EINVAL);
	cfg.viommu_bdf = 0x1ff;
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), ACPI_START), -EINVAL);
}

/* Every table's length and checksum, and the tables lie in the image. */
static void test_all_tables_checksum(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *t[] = { xsdt_of(&img), fadt_of(&img), madt_of(&img),
			       mcfg_of(&img), dsdt_of(&img) };
	size_t i, j, end = RSDP_LEN;

	/* Sorted by address here; none may overlap the next. */
	for (i = 0; i < 5; i++)
		for (j = i + 1; j < 5; j++)
			if (t[j] < t[i]) {
				const uint8_t *tmp = t[i];

				t[i] = t[j];
				t[j] = tmp;
			}
	for (i = 0; i < 5; i++) {
		assert_true((size_t)(t[i] - img.base) >= end);
		end = t[i] - img.base + le32(t[i] + 4);
		assert_memory_equal(t[i] + 16, "SRVM", 4);	/* OEM table ID */
	}
	assert_true(end <= img.len);
}

static void check_io_gas8(const uint8_t *g, uint16_t port)
{
	assert_int_equal(g[0], 1);		/* System I/O */
	assert_int_equal(g[1], 8);		/* bit width */
	assert_int_equal(g[2], 0);		/* bit offset */
	assert_int_equal(g[3], 1);		/* byte access */
	assert_int_equal(le64(g + 4), port);
}

static void test_fadt(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *f = fadt_of(&img);
	const uint8_t *d = dsdt_of(&img);
	uint32_t flags;
	uint16_t boot;
	size_t i;

	assert_int_equal(le32(f + 4), FADT_LEN);
	assert_int_equal(f[8], 6);			/* revision */
	assert_int_equal(f[131], 5);			/* minor */
	assert_int_equal(le32(f + 36), 0);		/* no FACS */
	assert_int_equal(le32(f + 40), img.gpa + (d - img.base));
	assert_int_equal(le64(f + 140), img.gpa + (d - img.base));
	assert_int_equal(le64(f + 132), 0);		/* X_FIRMWARE_CTRL */
	assert_int_equal(le16(f + 46), SCI_IRQ);

	flags = le32(f + 112);
	assert_true(flags & (1u << 20));		/* HW_REDUCED_ACPI */
	assert_true(flags & (1u << 10));		/* RESET_REG_SUP */
	assert_true(flags & (1u << 4));			/* no fixed power button */
	assert_true(flags & (1u << 5));			/* no fixed sleep button */

	boot = le16(f + 109);
	assert_int_equal(boot, (1u << 2) | (1u << 5));	/* no VGA, no CMOS RTC */
	assert_false(boot & (1u << 3));			/* MSI supported */
	assert_false(boot & (1u << 1));			/* no 8042 */

	check_io_gas8(f + 116, PIO_ACPI_RESET);
	assert_int_equal(f[128], ACPI_RESET_VALUE);
	check_io_gas8(f + 244, PIO_ACPI_SLEEP_CTL);
	check_io_gas8(f + 256, PIO_ACPI_SLEEP_STS);

	/* Hardware-reduced: no SMI port and no fixed-hardware blocks at all. */
	assert_int_equal(le32(f + 48), 0);
	for (i = 56; i < 96; i++)
		assert_int_equal(f[i], 0);
	for (i = 148; i < 244; i++)
		assert_int_equal(f[i], 0);
}

/* Walks the MADT; counts entries of each type and checks them. */
static void check_madt(unsigned int ncpus)
{
	struct acpi_config cfg = default_cfg;
	struct image img;
	const uint8_t *m, *e;
	unsigned int n[8] = { 0 };
	uint32_t len, off;

	cfg.ncpus = ncpus;
	img = build(&cfg, ACPI_START);
	m = madt_of(&img);
	len = le32(m + 4);
	assert_int_equal(len, MADT_FIXED_LEN + 8 * ncpus + 12 + 10 + 6);
	assert_int_equal(le32(m + 36), LAPIC_ADDR);
	assert_int_equal(le32(m + 40), 1);		/* PCAT_COMPAT */

	for (off = MADT_FIXED_LEN; off < len; off += e[1]) {
		e = m + off;
		assert_true(e[1] >= 2 && off + e[1] <= len);
		assert_true(e[0] < 8);
		switch (e[0]) {
		case 0:		/* Processor Local APIC */
			assert_int_equal(e[1], 8);
			assert_int_equal(e[2], n[0]);	/* UID */
			assert_int_equal(e[3], n[0]);	/* APIC ID */
			assert_int_equal(le32(e + 4), 1);	/* enabled */
			break;
		case 1:		/* I/O APIC */
			assert_int_equal(e[1], 12);
			assert_int_equal(e[2], ncpus);
			assert_int_equal(le32(e + 4), IOAPIC_ADDR);
			assert_int_equal(le32(e + 8), 0);
			break;
		case 2:		/* Interrupt Source Override: the SCI only */
			assert_int_equal(e[1], 10);
			assert_int_equal(e[2], 0);
			assert_int_equal(e[3], SCI_IRQ);
			assert_int_equal(le32(e + 4), SCI_IRQ);
			assert_int_equal(le16(e + 8), 0x000d);	/* level, active high */
			break;
		case 4:		/* Local APIC NMI */
			assert_int_equal(e[1], 6);
			assert_int_equal(e[2], 0xff);
			assert_int_equal(e[5], 1);	/* LINT1 */
			break;
		default:
			fail_msg("unexpected MADT entry type %u", e[0]);
		}
		n[e[0]]++;
	}
	assert_int_equal(off, len);
	assert_int_equal(n[0], ncpus);
	assert_int_equal(n[1], 1);
	assert_int_equal(n[2], 1);
	assert_int_equal(n[4], 1);
}

static void test_madt_1_cpu(void **state)
{
	check_madt(1);
}

static void test_madt_2_cpus(void **state)
{
	check_madt(2);
}

static void test_madt_64_cpus(void **state)
{
	check_madt(64);
}

static void test_madt_max_cpus(void **state)
{
	check_madt(ACPI_MAX_CPUS);
}

static void test_mcfg(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *m = mcfg_of(&img);

	assert_int_equal(le32(m + 4), MCFG_LEN);
	assert_int_equal(m[8], 1);
	assert_int_equal(le64(m + 36), 0);		/* reserved */
	assert_int_equal(le64(m + 44), ECAM_BASE);
	assert_int_equal(le16(m + 52), 0);		/* segment */
	assert_int_equal(m[54], ECAM_BUS_START);
	assert_int_equal(m[55], default_cfg.pci_bus_end);
	assert_int_equal(le32(m + 56), 0);
	assert_true(ECAM_BASE + ECAM_SIZE <= 0x100000000ULL);
}

static const uint8_t *find_bytes(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
	return memmem(hay, n, needle, m);
}

/* The descriptor a hand-encoded byte string says, present once in the DSDT. */
static void expect_once(const uint8_t *d, const void *desc, size_t n)
{
	uint32_t len = le32(d + 4);
	const uint8_t *p = find_bytes(d, len, desc, n);

	assert_non_null(p);
	assert_null(find_bytes(p + 1, len - (p + 1 - d), desc, n));
}

static void test_dsdt_content(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *d = dsdt_of(&img);
	uint64_t qmax = MMIO64_MIN_BASE + MMIO64_SIZE - 1;
	uint32_t dmax = MMIO32_BASE + MMIO32_SIZE - 1;
	const uint8_t bus[] = {
		0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0, 0,
		ECAM_BUS_START, 0, BUS_END, 0, 0, 0,
		(BUS_END - ECAM_BUS_START + 1) & 0xff,
		(BUS_END - ECAM_BUS_START + 1) >> 8,
	};
	const uint8_t cf8[] = { 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08 };
	const uint8_t io_lo[] = {
		0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0, 0, 0x00, 0x00, 0xf7, 0x0c,
		0, 0, 0xf8, 0x0c,
	};
	const uint8_t io_hi[] = {
		0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0, 0, 0x00, 0x0d, 0xff, 0xff,
		0, 0, 0x00, 0xf3,
	};
	uint8_t dmem[26] = { 0x87, 0x17, 0x00, 0x00, 0x0c, 0x01 };
	uint8_t qmem[46] = { 0x8a, 0x2b, 0x00, 0x00, 0x0c, 0x03 };
	uint8_t ecam[12] = { 0x86, 0x09, 0x00, 0x01 };
	const uint8_t com1_io[] = {
		0x47, 0x01, PIO_COM1 & 0xff, PIO_COM1 >> 8, PIO_COM1 & 0xff, PIO_COM1 >> 8,
		0x01, 0x08, 0x22, (1 << IRQ_COM1) & 0xff, (1 << IRQ_COM1) >> 8, 0x79, 0x00,
	};
	const uint8_t s5[] = {
		0x08, '\\', '_', 'S', '5', '_', 0x12, 0x07, 0x04,
		0x0a, ACPI_S5_SLP_TYP, 0x00, 0x00, 0x00,
	};
	const uint8_t hid_pci0[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x08 };
	const uint8_t cid_pci0[] = { 0x08, '_', 'C', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03 };
	const uint8_t hid_mbrd[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0c, 0x02 };
	const uint8_t hid_com1[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01 };
	const uint8_t sb[] = { '\\', '_', 'S', 'B', '_' };

	assert_int_equal(d[8], 2);	/* 64-bit integers */
	/* The body starts with Scope (\_SB), a one-byte opcode and a 2-byte PkgLength. */
	assert_int_equal(d[HDR_LEN], 0x10);
	assert_memory_equal(d + HDR_LEN + 3, sb, sizeof(sb));
	expect_once(d, "PCI0", 4);
	expect_once(d, "MBRD", 4);
	expect_once(d, "COM1", 4);
	expect_once(d, hid_pci0, sizeof(hid_pci0));
	expect_once(d, cid_pci0, sizeof(cid_pci0));
	expect_once(d, hid_mbrd, sizeof(hid_mbrd));
	expect_once(d, hid_com1, sizeof(hid_com1));
	expect_once(d, s5, sizeof(s5));

	expect_once(d, bus, sizeof(bus));
	expect_once(d, cf8, sizeof(cf8));
	expect_once(d, io_lo, sizeof(io_lo));
	expect_once(d, io_hi, sizeof(io_hi));
	/* DWordMemory: granularity 0, min, max, translation 0, length. */
	memcpy(dmem + 10, &(uint32_t){ MMIO32_BASE }, 4);
	memcpy(dmem + 14, &dmax, 4);
	memcpy(dmem + 22, &(uint32_t){ MMIO32_SIZE }, 4);
	expect_once(d, dmem, sizeof(dmem));
	memcpy(qmem + 14, &(uint64_t){ MMIO64_MIN_BASE }, 8);
	memcpy(qmem + 22, &qmax, 8);
	memcpy(qmem + 38, &(uint64_t){ MMIO64_SIZE }, 8);
	expect_once(d, qmem, sizeof(qmem));
	memcpy(ecam + 4, &(uint32_t){ ECAM_BASE }, 4);
	memcpy(ecam + 8, &(uint32_t){ ECAM_SIZE }, 4);
	expect_once(d, ecam, sizeof(ecam));
	expect_once(d, com1_io, sizeof(com1_io));
}

/* The host bridge's bus range must equal MCFG's, or Linux distrusts ECAM. */
static void test_dsdt_bus_range_matches_mcfg(void **state)
{
	struct image img = build(&default_cfg, ACPI_START);
	const uint8_t *d = dsdt_of(&img), *m = mcfg_of(&img);
	const uint8_t head[] = { 0x88, 0x0d, 0x00, 0x02 };	/* WordBusNumber */
	const uint8_t *p = find_bytes(d, le32(d + 4), head, sizeof(head));

	assert_non_null(p);
	assert_int_equal(le16(p + 8), m[54]);
	assert_int_equal(le16(p + 10), m[55]);
}

static void test_no_mmio64_window(void **state)
{
	struct acpi_config cfg = default_cfg;
	const uint8_t qhead[] = { 0x8a, 0x2b, 0x00 };
	struct image img;
	const uint8_t *d;
	uint32_t with;

	img = build(&cfg, ACPI_START);
	with = le32(dsdt_of(&img) + 4);
	cfg.mmio64_size = 0;
	img = build(&cfg, ACPI_START);
	d = dsdt_of(&img);
	assert_null(find_bytes(d, le32(d + 4), qhead, sizeof(qhead)));
	assert_int_equal(le32(d + 4), with - 46);
}

/* Pointers are guest addresses: gpa + offset, whatever gpa is. */
static void test_gpa_relative(void **state)
{
	struct image a = build(&default_cfg, ACPI_START);
	uint64_t xsdt_a = le64(rsdp_of(&a) + 24), fadt_a = le64(xsdt_of(&a) + HDR_LEN);
	struct image b = build(&default_cfg, 0x100000000ULL);
	const uint8_t *f = fadt_of(&b);

	assert_int_equal(le64(rsdp_of(&b) + 24) - b.gpa, xsdt_a - a.gpa);
	assert_int_equal(le64(xsdt_of(&b) + HDR_LEN) - b.gpa, fadt_a - a.gpa);
	/* Above 4 GiB only X_DSDT can point at the DSDT. */
	assert_int_equal(le32(f + 40), 0);
	assert_true(le64(f + 140) >= b.gpa);
	dsdt_of(&b);
}

/* Every buffer size short of the need fails cleanly, within bounds. */
static void test_enospc(void **state)
{
	struct acpi_config cfg = default_cfg;
	static uint8_t big[ACPI_SIZE];
	ssize_t need, n;
	size_t size, i;

	cfg.ncpus = 64;
	need = acpi_build(&cfg, buf, sizeof(buf), ACPI_START);
	assert_true(need > 0 && (size_t)need < sizeof(big));
	for (size = 0; size < (size_t)need; size++) {
		memset(big, 0xa5, need + 64);
		n = acpi_build(&cfg, big, size, ACPI_START);
		assert_int_equal(n, -ENOSPC);
		for (i = size; i < (size_t)need + 64; i++)
			assert_int_equal(big[i], 0xa5);
	}
	/* Exactly enough is enough, and gives the same tables. */
	memset(big, 0xa5, sizeof(big));
	assert_int_equal(acpi_build(&cfg, big, need, ACPI_START), need);
	assert_memory_equal(big, buf, need);
}

static void test_einval(void **state)
{
	struct acpi_config cfg = default_cfg;

	cfg.ncpus = 0;
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), ACPI_START), -EINVAL);
	cfg.ncpus = ACPI_MAX_CPUS + 1;
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), ACPI_START), -EINVAL);
	cfg = default_cfg;
	cfg.mmio64_base = UINT64_MAX - 0xfff;
	cfg.mmio64_size = 0x2000;
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), ACPI_START), -EINVAL);
	/* A window that ends at the very top is fine. */
	cfg.mmio64_size = 0x1000;
	assert_true(acpi_build(&cfg, buf, sizeof(buf), ACPI_START) > 0);
	cfg = default_cfg;
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), ACPI_START + 8), -EINVAL);
}

/* ---- ACPICA: iasl and acpiexec ---- */

static bool have_tool(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

static void write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *dir, const char *name)
{
	char path[512], *s;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("missing %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	s = malloc(n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* Runs cmd in dir; its output goes to dir/log; returns the log. */
static char *run_in(const char *dir, const char *cmd, int *status)
{
	char line[2048];

	snprintf(line, sizeof(line), "cd '%s' && %s >log 2>&1 </dev/null", dir, cmd);
	*status = system(line);
	return read_file(dir, "log");
}

static void expect_text(const char *text, const char *what, const char *file)
{
	if (!strstr(text, what))
		fail_msg("%s lacks \"%s\"", file, what);
}

static void reject_text(const char *text, const char *what, const char *file)
{
	const char *p = strstr(text, what);

	if (p)
		fail_msg("%s has \"%s\": %.200s", file, what, p);
}

static void write_table(const char *dir, const char *name, const uint8_t *t)
{
	write_file(dir, name, t, le32(t + 4));
}

static void check_iasl_disassembly(const char *dir)
{
	static const char *const dsl[] = { "dsdt.dsl", "facp.dsl", "apic.dsl", "mcfg.dsl",
					   "xsdt.dsl" };
	char want[128], *s, *log;
	int status, i;

	log = run_in(dir, "iasl -d dsdt.dat facp.dat apic.dat mcfg.dat xsdt.dat", &status);
	if (status)
		fail_msg("iasl -d failed (%d):\n%s", status, log);
	reject_text(log, "rror", "iasl -d output");
	reject_text(log, "arning", "iasl -d output");
	free(log);

	for (i = 0; i < 5; i++) {
		s = read_file(dir, dsl[i]);
		reject_text(s, "ncorrect checksum", dsl[i]);
		reject_text(s, "nvalid", dsl[i]);
		free(s);
	}

	s = read_file(dir, "dsdt.dsl");
	expect_text(s, "Scope (\\_SB)", "dsdt.dsl");
	expect_text(s, "Device (PCI0)", "dsdt.dsl");
	expect_text(s, "Device (MBRD)", "dsdt.dsl");
	expect_text(s, "Device (COM1)", "dsdt.dsl");
	expect_text(s, "Name (_HID, EisaId (\"PNP0A08\")", "dsdt.dsl");
	expect_text(s, "Name (_CID, EisaId (\"PNP0A03\")", "dsdt.dsl");
	expect_text(s, "Name (_HID, EisaId (\"PNP0C02\")", "dsdt.dsl");
	expect_text(s, "Name (_HID, EisaId (\"PNP0501\")", "dsdt.dsl");
	expect_text(s, "Name (_SEG, Zero)", "dsdt.dsl");
	expect_text(s, "Name (_BBN, Zero)", "dsdt.dsl");
	expect_text(s, "Name (\\_S5, Package (0x04)", "dsdt.dsl");
	expect_text(s, "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode", "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%04X,             // Range Maximum", BUS_END);
	expect_text(s, want, "dsdt.dsl");
	expect_text(s, "0x0CF8,             // Range Minimum", "dsdt.dsl");
	expect_text(s, "0x0CF7,             // Range Maximum", "dsdt.dsl");
	expect_text(s, "0x0D00,             // Range Minimum", "dsdt.dsl");
	expect_text(s, "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite", "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%08llX,         // Range Minimum", MMIO32_BASE);
	expect_text(s, want, "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%08llX,         // Range Maximum",
		 MMIO32_BASE + MMIO32_SIZE - 1);
	expect_text(s, want, "dsdt.dsl");
	expect_text(s, "QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite", "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%016llX, // Range Minimum", MMIO64_MIN_BASE);
	expect_text(s, want, "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%016llX, // Range Maximum",
		 MMIO64_MIN_BASE + MMIO64_SIZE - 1);
	expect_text(s, want, "dsdt.dsl");
	expect_text(s, "Memory32Fixed (ReadWrite", "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%08llX,         // Address Base", ECAM_BASE);
	expect_text(s, want, "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%08llX,         // Address Length", ECAM_SIZE);
	expect_text(s, want, "dsdt.dsl");
	snprintf(want, sizeof(want), "0x%04X,             // Range Minimum", PIO_COM1);
	expect_text(s, want, "dsdt.dsl");
	snprintf(want, sizeof(want), "{%d}", IRQ_COM1);
	expect_text(s, want, "dsdt.dsl");
	free(s);

	s = read_file(dir, "facp.dsl");
	expect_text(s, "Revision : 06", "facp.dsl");
	expect_text(s, "Hardware Reduced (V5) : 1", "facp.dsl");
	expect_text(s, "Reset Register Supported (V2) : 1", "facp.dsl");
	expect_text(s, "MSI Not Supported (V4) : 0", "facp.dsl");
	expect_text(s, "VGA Not Present (V4) : 1", "facp.dsl");
	expect_text(s, "CMOS RTC Not Present (V5) : 1", "facp.dsl");
	expect_text(s, "8042 Present on ports 60/64 (V2) : 0", "facp.dsl");
	snprintf(want, sizeof(want), "Address : %016X", PIO_ACPI_SLEEP_CTL);
	expect_text(s, want, "facp.dsl");
	snprintf(want, sizeof(want), "Address : %016X", PIO_ACPI_SLEEP_STS);
	expect_text(s, want, "facp.dsl");
	snprintf(want, sizeof(want), "Address : %016X", PIO_ACPI_RESET);
	expect_text(s, want, "facp.dsl");
	free(s);

	s = read_file(dir, "apic.dsl");
	expect_text(s, "[I/O APIC]", "apic.dsl");
	expect_text(s, "[Interrupt Source Override]", "apic.dsl");
	expect_text(s, "[Local APIC NMI]", "apic.dsl");
	expect_text(s, "Local Apic ID : 03", "apic.dsl");
	free(s);

	s = read_file(dir, "mcfg.dsl");
	snprintf(want, sizeof(want), "Base Address : %016llX", ECAM_BASE);
	expect_text(s, want, "mcfg.dsl");
	snprintf(want, sizeof(want), "End Bus Number : %02X", BUS_END);
	expect_text(s, want, "mcfg.dsl");
	free(s);

	/* The disassembled DSDT compiles back without a complaint. */
	log = run_in(dir, "iasl -p recompiled dsdt.dsl", &status);
	if (status)
		fail_msg("iasl recompile failed (%d):\n%s", status, log);
	expect_text(log, "0 Errors, 0 Warnings", "iasl recompile output");
	free(log);
}

/* ACPICA's own interpreter: what Linux will see. */
static void check_acpiexec(const char *dir)
{
	char *log;
	int status;

	log = run_in(dir, "acpiexec -b 'evaluate \\_S5_; resources \\_SB.PCI0; "
			  "resources \\_SB.MBRD; resources \\_SB.COM1' "
			  "facp.dat dsdt.dat apic.dat mcfg.dat", &status);
	if (status)
		fail_msg("acpiexec failed (%d):\n%s", status, log);
	reject_text(log, "ACPI Error", "acpiexec output");
	reject_text(log, "ACPI Warning", "acpiexec output");
	reject_text(log, "ACPI Exception", "acpiexec output");
	reject_text(log, "AcpiGetCurrentResources failed", "acpiexec output");
	expect_text(log, "[Package] Contains 4 Elements:", "acpiexec output");
	expect_text(log, "[Integer] = 0000000000000005", "acpiexec output");
	expect_text(log, "Device: \\_SB.PCI0", "acpiexec output");
	expect_text(log, "64-Bit QWORD Address Space Resource", "acpiexec output");
	expect_text(log, "32-Bit Fixed Memory Range Resource", "acpiexec output");
	expect_text(log, "Interrupt List : 4", "acpiexec output");
	expect_text(log, "No outstanding allocations", "acpiexec output");
	free(log);
}

static void test_acpica(void **state)
{
	struct acpi_config cfg = default_cfg;
	char dir[] = "/tmp/sriovm-acpi-XXXXXX", cmd[64];
	struct image img;

	/* tests/kit/deps.sh installs acpica-tools: its absence is a failure. */
	if (!have_tool("iasl") || !have_tool("acpiexec"))
		fail_msg("acpica-tools (iasl, acpiexec) not installed: run tests/kit/deps.sh");
	cfg.ncpus = 4;
	img = build(&cfg, ACPI_START);
	assert_non_null(mkdtemp(dir));
	write_table(dir, "dsdt.dat", dsdt_of(&img));
	write_table(dir, "facp.dat", fadt_of(&img));
	write_table(dir, "apic.dat", madt_of(&img));
	write_table(dir, "mcfg.dat", mcfg_of(&img));
	write_table(dir, "xsdt.dat", xsdt_of(&img));

	check_iasl_disassembly(dir);
	check_acpiexec(dir);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * The VIOT as ACPICA decodes it: bookworm's iasl does not know the
 * table, trixie's does (tests/kit/build-iasl.sh builds it into
 * build/iasl/; SRIOVM_IASL names another).
 */
static void test_viot_iasl(void **state)
{
	const char *iasl = getenv("SRIOVM_IASL") ? getenv("SRIOVM_IASL") : "build/iasl/iasl";
	struct acpi_config cfg = default_cfg;
	char dir[] = "/tmp/sriovm-viot-XXXXXX", cmd[600], *log, *dsl;
	int status;
	struct image img;

	if (access(iasl, X_OK))
		fail_msg("%s: not there (run tests/kit/build-iasl.sh)", iasl);
	cfg.viommu = true;
	cfg.viommu_bdf = PCI_DEVFN(1, 0);
	img = build(&cfg, ACPI_START);
	assert_non_null(mkdtemp(dir));
	write_table(dir, "viot.dat", xsdt_entry(&img, 3, "VIOT"));
	/* run_in works in dir: a relative iasl path is from here (the checkout). */
	if (iasl[0] == '/') {
		snprintf(cmd, sizeof(cmd), "'%s' -d viot.dat", iasl);
	} else {
		char cwd[400];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		snprintf(cmd, sizeof(cmd), "'%s/%s' -d viot.dat", cwd, iasl);
	}
	log = run_in(dir, cmd, &status);
	if (status)
		fail_msg("iasl -d viot.dat failed (%d):\n%s", status, log);
	reject_text(log, "rror", "iasl -d output");
	free(log);
	dsl = read_file(dir, "viot.dsl");
	reject_text(dsl, "Unknown", "viot.dsl");
	expect_text(dsl, "Node count : 0003", "viot.dsl");
	expect_text(dsl, "Type : 03 [VirtIO-PCI IOMMU]", "viot.dsl");
	expect_text(dsl, "PCI BDF number : 0008", "viot.dsl");
	expect_text(dsl, "Type : 01 [PCI Range]", "viot.dsl");
	expect_text(dsl, "PCI BDF end : 0007", "viot.dsl");
	expect_text(dsl, "PCI BDF start : 0009", "viot.dsl");
	expect_text(dsl, "PCI BDF end : 03FF", "viot.dsl");
	expect_text(dsl, "Endpoint start : 00000009", "viot.dsl");
	expect_text(dsl, "Output node : 0030", "viot.dsl");
	free(dsl);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp),
		cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_all_tables_checksum),
		cmocka_unit_test(test_fadt),
		cmocka_unit_test(test_madt_1_cpu),
		cmocka_unit_test(test_madt_2_cpus),
		cmocka_unit_test(test_madt_64_cpus),
		cmocka_unit_test(test_madt_max_cpus),
		cmocka_unit_test(test_mcfg),
		cmocka_unit_test(test_dsdt_content),
		cmocka_unit_test(test_dsdt_bus_range_matches_mcfg),
		cmocka_unit_test(test_no_mmio64_window),
		cmocka_unit_test(test_gpa_relative),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_einval),
		cmocka_unit_test(test_viot),
		cmocka_unit_test(test_viot_iasl),
		cmocka_unit_test(test_acpica),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
