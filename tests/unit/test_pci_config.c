// SPDX-License-Identifier: GPL-2.0
/*
 * Config space semantics (RO, RW, RW1C, reserved), BAR sizing, the
 * capability builder and chains, the PM and PCIe capabilities, function
 * reset.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci/bar.h"
#include "pci/cap.h"
#include "pci/msix.h"
#include "pci/pci.h"
#include "pci/pcie.h"
#include "pci/pm.h"
#include "pci_fixture.h"

static struct pci_device ep;

static const struct pci_device_info ep_info = {
	.name = "ep",
	.vendor = 0x1af4,
	.device = 0x1041,
	.subsys_vendor = 0x1af4,
	.subsys = 0x0001,
	.class = 0x020000,
	.revision = 1,
	.header_type = PCI_HEADER_TYPE_NORMAL,
	.irq_pin = 1,
	.express = true,
};

static int setup(void **state)
{
	pci_fixture_setup(false);
	pci_device_init(&ep, &ep_info);
	return 0;
}

static int teardown(void **state)
{
	pci_fixture_teardown();
	return 0;
}

static void attach(void)
{
	assert_int_equal(pci_bus_attach(&root.bus0, &ep, PCI_DEVFN(3, 0)), 0);
}

static uint32_t rd(unsigned int off, unsigned int len)
{
	return pci_root_config_read(&root, 0, PCI_DEVFN(3, 0), off, len);
}

static void wr(unsigned int off, uint32_t v, unsigned int len)
{
	pci_root_config_write(&root, 0, PCI_DEVFN(3, 0), off, v, len);
}

static void test_engine_masks(void **state)
{
	struct pci_config c;

	pci_config_init(&c, PCI_CFG_SPACE_EXP_SIZE);
	pci_config_set32(&c, 0x40, 0x12345678);
	pci_config_set_wmask(&c, 0x40, 0x0000ffff, 4);
	pci_config_set_w1cmask(&c, 0x40, 0x00ff0000, 4);
	pci_config_write(&c, 0x40, 0xffffaaaa, 4);
	/* RW low half takes the value, RW1C byte clears, RO byte stays. */
	assert_int_equal(pci_config_read(&c, 0x40, 4), 0x1200aaaa);
	pci_config_set8(&c, 0x42, 0xf0);
	pci_config_write(&c, 0x42, 0x30, 1);	/* clears only where 1 is written */
	assert_int_equal(pci_config_read(&c, 0x42, 1), 0xc0);
	pci_config_write(&c, 0x42, 0x00, 1);	/* writing 0 keeps RW1C bits */
	assert_int_equal(pci_config_read(&c, 0x42, 1), 0xc0);
	/* A bit in both masks behaves as RW1C: writing 0 does not clear it. */
	pci_config_set_wmask(&c, 0x44, 0x01, 1);
	pci_config_set_w1cmask(&c, 0x44, 0x01, 1);
	pci_config_set8(&c, 0x44, 0x01);
	pci_config_write(&c, 0x44, 0x00, 1);
	assert_int_equal(pci_config_read(&c, 0x44, 1), 0x01);
	pci_config_write(&c, 0x44, 0x01, 1);
	assert_int_equal(pci_config_read(&c, 0x44, 1), 0x00);
	/* Bytes with no masks are read-only: reserved bits stay 0. */
	pci_config_write(&c, 0x80, 0xffffffff, 4);
	assert_int_equal(pci_config_read(&c, 0x80, 4), 0);
	/* A 256-byte space: beyond reads all-ones, writes go nowhere. */
	pci_config_init(&c, PCI_CFG_SPACE_SIZE);
	assert_int_equal(pci_config_read(&c, 0x100, 4), 0xffffffff);
	pci_config_write(&c, 0x100, 0, 4);
	assert_int_equal(pci_config_read(&c, 0x100, 4), 0xffffffff);
}

static void test_header(void **state)
{
	attach();
	assert_int_equal(rd(PCI_VENDOR_ID, 4), 0x10411af4);
	assert_int_equal(rd(PCI_CLASS_REVISION, 4), 0x02000001);
	assert_int_equal(rd(PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_NORMAL);
	assert_int_equal(rd(PCI_SUBSYSTEM_VENDOR_ID, 4), 0x00011af4);
	assert_int_equal(rd(PCI_INTERRUPT_PIN, 1), 1);
	/* Identity is read-only. */
	wr(PCI_VENDOR_ID, 0, 4);
	wr(PCI_CLASS_REVISION, 0, 4);
	wr(PCI_HEADER_TYPE, 0xff, 1);
	assert_int_equal(rd(PCI_VENDOR_ID, 4), 0x10411af4);
	assert_int_equal(rd(PCI_CLASS_REVISION, 4), 0x02000001);
	assert_int_equal(rd(PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_NORMAL);
	/* Command: the implemented bits stick, reserved and unsupported ones read 0. */
	wr(PCI_COMMAND, 0xffff, 2);
	assert_int_equal(rd(PCI_COMMAND, 2), PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			 PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
			 PCI_COMMAND_INTX_DISABLE);
	/* Status: error bits are RW1C, the rest read-only. */
	pci_config_set16(&ep.cfg, PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT |
			 PCI_STATUS_DETECTED_PARITY);
	wr(PCI_STATUS, 0, 2);
	assert_int_equal(rd(PCI_STATUS, 2), PCI_STATUS_REC_MASTER_ABORT |
			 PCI_STATUS_DETECTED_PARITY);
	wr(PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_CAP_LIST | 0x7, 2);
	assert_int_equal(rd(PCI_STATUS, 2), PCI_STATUS_DETECTED_PARITY);
	/* Interrupt Line is RW, Pin is not; no expansion ROM. */
	wr(PCI_INTERRUPT_LINE, 0x0b0b, 2);
	assert_int_equal(rd(PCI_INTERRUPT_LINE, 2), 0x010b);
	wr(PCI_ROM_ADDRESS, 0xffffffff, 4);
	assert_int_equal(rd(PCI_ROM_ADDRESS, 4), 0);
	/* No extended capabilities: 0x100 reads 0 (not all-ones: space exists). */
	assert_int_equal(rd(PCI_CFG_SPACE_SIZE, 4), 0);
}

static void test_access_shapes(void **state)
{
	attach();
	/* Misaligned, odd-sized or out-of-space accesses: all-ones, dropped. */
	assert_int_equal(rd(1, 2), 0xffff);
	assert_int_equal(rd(2, 4), 0xffffffff);
	assert_int_equal(rd(0, 3), 0xffffff);
	assert_int_equal(rd(0xffe, 4), 0xffffffff);
	assert_int_equal(rd(0x1000, 1), 0xff);
	wr(PCI_COMMAND + 1, 0xffff, 2);
	wr(PCI_COMMAND, 0xffffffff, 3);
	assert_int_equal(rd(PCI_COMMAND, 2), 0);
	/* Byte and word accesses reach the right lanes. */
	assert_int_equal(rd(PCI_DEVICE_ID + 1, 1), 0x10);
	assert_int_equal(rd(PCI_DEVICE_ID, 2), 0x1041);
}

static void test_bar_sizing(void **state)
{
	const struct pci_bar_desc m32 = { .size = 0x1000 };
	const struct pci_bar_desc io = { .size = 32, .flags = PCI_BASE_ADDRESS_SPACE_IO };
	const struct pci_bar_desc m64 = {
		.size = 0x4000,
		.flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
	};
	const struct pci_bar_desc big = { .size = 8ULL << 30, .flags = PCI_BASE_ADDRESS_MEM_TYPE_64 };

	assert_int_equal(pci_bar_add(&ep, 0, &io), 0);
	assert_int_equal(pci_bar_add(&ep, 1, &m32), 0);
	assert_int_equal(pci_bar_add(&ep, 2, &m64), 0);
	assert_int_equal(pci_bar_add(&ep, 4, &big), 0);
	attach();

	/* Type bits from the start, address 0 (unassigned). */
	assert_int_equal(rd(PCI_BASE_ADDRESS_0, 4), PCI_BASE_ADDRESS_SPACE_IO);
	assert_int_equal(rd(PCI_BASE_ADDRESS_1, 4), 0);
	assert_int_equal(rd(PCI_BASE_ADDRESS_2, 4), 0xc);
	assert_int_equal(rd(PCI_BASE_ADDRESS_4, 4), 0x4);

	for (unsigned int i = 0; i < 6; i++)
		wr(PCI_BASE_ADDRESS_0 + 4 * i, 0xffffffff, 4);
	assert_int_equal(rd(PCI_BASE_ADDRESS_0, 4), 0xffffffe1);
	assert_int_equal(rd(PCI_BASE_ADDRESS_1, 4), 0xfffff000);
	assert_int_equal(rd(PCI_BASE_ADDRESS_2, 4), 0xffffc00c);
	assert_int_equal(rd(PCI_BASE_ADDRESS_3, 4), 0xffffffff);
	assert_int_equal(rd(PCI_BASE_ADDRESS_4, 4), 0x00000004);
	assert_int_equal(rd(PCI_BASE_ADDRESS_5, 4), 0xfffffffe);

	/* Write back an address: the low size bits stay zero. */
	wr(PCI_BASE_ADDRESS_1, 0x12345678, 4);
	assert_int_equal(rd(PCI_BASE_ADDRESS_1, 4), 0x12345000);
	wr(PCI_BASE_ADDRESS_0, 0xc05f, 4);
	assert_int_equal(rd(PCI_BASE_ADDRESS_0, 4), 0xc041);
	/* Byte-wise writes work as well as dwords. */
	wr(PCI_BASE_ADDRESS_1 + 3, 0xab, 1);
	assert_int_equal(rd(PCI_BASE_ADDRESS_1, 4), 0xab345000);
	assert_int_equal(pci_bar_address(&ep, 1), 0xab345000);
	wr(PCI_BASE_ADDRESS_2, 0x0, 4);
	wr(PCI_BASE_ADDRESS_3, 0x8, 4);
	assert_int_equal(pci_bar_address(&ep, 2), 0x800000000ULL);
}

static void test_bar_add_errors(void **state)
{
	struct pci_bar_desc d = { .size = 0x1000 };

	d.size = 0x1800;
	assert_int_equal(pci_bar_add(&ep, 0, &d), -EINVAL);	/* not a power of two */
	d.size = 8;
	assert_int_equal(pci_bar_add(&ep, 0, &d), -EINVAL);	/* memory below 16 bytes */
	d.size = 512;
	d.flags = PCI_BASE_ADDRESS_SPACE_IO;
	assert_int_equal(pci_bar_add(&ep, 0, &d), -EINVAL);	/* I/O above 256 bytes */
	d.size = 0x1000;
	d.flags = PCI_BASE_ADDRESS_SPACE_IO | PCI_BASE_ADDRESS_MEM_PREFETCH;
	assert_int_equal(pci_bar_add(&ep, 0, &d), -EINVAL);
	d.flags = PCI_BASE_ADDRESS_MEM_TYPE_1M;
	assert_int_equal(pci_bar_add(&ep, 0, &d), -EINVAL);
	d.flags = 0;
	d.size = 1ULL << 32;
	assert_int_equal(pci_bar_add(&ep, 0, &d), -EINVAL);	/* 32-bit BAR above 2 GiB */
	d.size = 0x1000;
	assert_int_equal(pci_bar_add(&ep, 6, &d), -EINVAL);
	d.flags = PCI_BASE_ADDRESS_MEM_TYPE_64;
	assert_int_equal(pci_bar_add(&ep, 5, &d), -EINVAL);	/* no room for the upper half */
	assert_int_equal(pci_bar_add(&ep, 2, &d), 0);
	assert_int_equal(pci_bar_add(&ep, 3, &d), -EBUSY);	/* the upper half */
	assert_int_equal(pci_bar_add(&ep, 2, &d), -EBUSY);
	assert_int_equal(pci_bar_add(&ep, 1, &d), -EBUSY);	/* its upper half is BAR 2 */
	d.flags = 0;
	assert_int_equal(pci_bar_add(&ep, 1, &d), 0);
}

/* Sizes by ID of the capabilities this file builds. */
static unsigned int cap_size(uint8_t id)
{
	switch (id) {
	case PCI_CAP_ID_PM:
		return PCI_PM_SIZEOF;
	case PCI_CAP_ID_EXP:
		return PCIE_CAP_SIZEOF;
	case PCI_CAP_ID_MSIX:
		return PCI_CAP_MSIX_SIZEOF;
	case PCI_CAP_ID_VNDR:
		return 0x14;
	}
	fail_msg("unexpected capability 0x%x", id);
	return 0;
}

static void check_chains(unsigned int nr_std, unsigned int nr_ext)
{
	uint8_t used[PCI_CFG_SPACE_EXP_SIZE] = { 0 };
	unsigned int off, n = 0, i;
	uint32_t h;

	assert_true(rd(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	for (off = rd(PCI_CAPABILITY_LIST, 1); off; off = rd(off + PCI_CAP_LIST_NEXT, 1)) {
		unsigned int size = cap_size(rd(off, 1));

		assert_true(off >= PCI_STD_HEADER_SIZEOF && !(off & 3));
		assert_true(off + size <= PCI_CFG_SPACE_SIZE);
		for (i = 0; i < size; i++)
			assert_int_equal(used[off + i]++, 0);	/* no overlaps */
		/* The next pointer is read-only. */
		wr(off + PCI_CAP_LIST_NEXT, 0x40, 1);
		assert_true(++n <= nr_std);
	}
	assert_int_equal(n, nr_std);

	n = 0;
	for (off = PCI_CFG_SPACE_SIZE; off; off = PCI_EXT_CAP_NEXT(h)) {
		h = rd(off, 4);
		if (!h && off == PCI_CFG_SPACE_SIZE)
			break;
		assert_int_equal(PCI_EXT_CAP_VER(h), 1);
		assert_true(off >= PCI_CFG_SPACE_SIZE && !(off & 3));
		assert_true(off + PCI_EXT_CAP_ARI_SIZEOF <= PCI_CFG_SPACE_EXP_SIZE);
		for (i = 0; i < PCI_EXT_CAP_ARI_SIZEOF; i++)
			assert_int_equal(used[off + i]++, 0);
		wr(off, 0, 4);
		assert_int_equal(rd(off, 4), h);	/* headers are read-only */
		assert_true(++n <= nr_ext);
	}
	assert_int_equal(n, nr_ext);
}

static void test_cap_chains(void **state)
{
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_ENDPOINT };
	const struct pci_bar_desc bar = { .size = 0x1000 };
	int pm, exp, msix, vndr, ari1, ari2;

	assert_int_equal(pci_cap_find(&ep, PCI_CAP_ID_PM), 0);
	assert_false(pci_config_get16(&ep.cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST);
	assert_int_equal(pci_bar_add(&ep, 1, &bar), 0);
	exp = pcie_cap_add(&ep, &pcie);
	pm = pci_pm_add(&ep);
	msix = msix_add(&ep, 4, 1, 0, 1, 0x800);
	vndr = pci_cap_add(&ep, PCI_CAP_ID_VNDR, 0x13, NULL, NULL);	/* rounded up */
	ari1 = pci_ari_add(&ep);
	ari2 = pci_ari_add(&ep);
	assert_int_equal(exp, 0x40);
	assert_int_equal(pm, 0x40 + PCIE_CAP_SIZEOF);
	assert_int_equal(msix, pm + PCI_PM_SIZEOF);
	assert_int_equal(vndr, msix + PCI_CAP_MSIX_SIZEOF);
	assert_int_equal(ari1, 0x100);
	assert_int_equal(ari2, 0x108);
	assert_int_equal(pcie_cap_add(&ep, &pcie), -EINVAL);	/* only one */
	attach();

	assert_int_equal(rd(PCI_CAPABILITY_LIST, 1), exp);
	assert_int_equal(pci_cap_find(&ep, PCI_CAP_ID_MSIX), msix);
	assert_int_equal(pci_cap_find(&ep, PCI_CAP_ID_VNDR), vndr);
	assert_int_equal(pci_ext_cap_find(&ep, PCI_EXT_CAP_ID_ARI), 0x100);
	assert_int_equal(rd(0x100, 4), 0x1081000e);	/* next 0x108, version 1 */
	assert_int_equal(rd(0x108, 4), 0x0001000e);
	check_chains(4, 2);
}

static void test_cap_space_limits(void **state)
{
	struct pci_device conv;
	const struct pci_device_info info = { .header_type = PCI_HEADER_TYPE_NORMAL };
	int off, n = 0;

	/* The standard space ends at 0x100. */
	while ((off = pci_cap_add(&ep, PCI_CAP_ID_VNDR, 0x14, NULL, NULL)) > 0) {
		assert_true(off + 0x14 <= PCI_CFG_SPACE_SIZE);
		n++;
	}
	assert_int_equal(off, -ENOSPC);
	assert_int_equal(n, (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / 0x14);
	assert_int_equal(pci_cap_add(&ep, PCI_CAP_ID_VNDR, 0x100, NULL, NULL), -ENOSPC);
	/* The extended one at 0x1000. */
	assert_int_equal(pci_ext_cap_add(&ep, 0x0b, 1, 0xf00, NULL, NULL), 0x100);
	assert_int_equal(pci_ext_cap_add(&ep, 0x0b, 1, 4, NULL, NULL), -ENOSPC);
	/* Conventional functions have none. */
	pci_device_init(&conv, &info);
	assert_int_equal(pci_ext_cap_add(&conv, 0x0b, 1, 8, NULL, NULL), -EINVAL);
	assert_int_equal(pci_ari_add(&conv), -EINVAL);
	assert_true(pci_pm_add(&conv) > 0);
}

struct hook_log {
	unsigned int reads, writes, last_off, last_len, cap;
	uint32_t last_old;
};

static void log_pre_read(struct pci_device *d, unsigned int cap, unsigned int off,
			 unsigned int len, void *opaque)
{
	struct hook_log *l = opaque;

	l->reads++;
	l->cap = cap;
	l->last_off = off;
	pci_config_set8(&d->cfg, cap + 2, l->reads);	/* a dynamic byte */
}

static void log_written(struct pci_device *d, unsigned int cap, unsigned int off,
			unsigned int len, uint32_t old, void *opaque)
{
	struct hook_log *l = opaque;

	l->writes++;
	l->cap = cap;
	l->last_off = off;
	l->last_len = len;
	l->last_old = old;
}

static const struct pci_cap_hook log_hook = {
	.pre_read = log_pre_read,
	.written = log_written,
};

static void test_cap_hooks(void **state)
{
	struct hook_log a = { 0 }, b = { 0 }, x = { 0 };
	int ca, cb, cx;

	ca = pci_cap_add(&ep, PCI_CAP_ID_VNDR, 8, &log_hook, &a);
	cb = pci_cap_add(&ep, PCI_CAP_ID_VNDR, 12, &log_hook, &b);
	cx = pci_ext_cap_add(&ep, 0x0b, 1, 16, &log_hook, &x);
	assert_true(ca > 0 && cb > 0 && cx > 0);
	pci_config_set_wmask(&ep.cfg, cb + 4, 0xffffffff, 4);
	attach();

	assert_int_equal(rd(cb + 2, 1), 1);	/* refreshed before the read */
	assert_int_equal(b.reads, 1);
	assert_int_equal(a.reads + x.reads, 0);
	pci_config_set32(&ep.cfg, cb + 4, 0x11223344);
	wr(cb + 6, 0xbeef, 2);
	assert_int_equal(b.writes, 1);
	assert_int_equal(b.cap, cb);
	assert_int_equal(b.last_off, cb + 6);
	assert_int_equal(b.last_len, 2);
	assert_int_equal(b.last_old, 0x1122);
	assert_int_equal(rd(cb + 4, 4), 0xbeef3344);
	wr(cx + 12, 0, 4);
	assert_int_equal(x.writes, 1);
	assert_int_equal(x.cap, cx);
	/* The header and gaps reach no capability hook. */
	wr(PCI_COMMAND, 0, 2);
	rd(0x200, 4);
	assert_int_equal(a.writes + a.reads, 0);
	assert_int_equal(b.writes, 1);
	assert_int_equal(x.writes, 1);
	assert_int_equal(x.reads, 0);
}

static void test_pm(void **state)
{
	const struct pci_bar_desc bar = { .size = 0x1000 };
	int pm;

	assert_int_equal(pci_bar_add(&ep, 0, &bar), 0);
	pm = pci_pm_add(&ep);
	assert_true(pm > 0);
	attach();
	assert_int_equal(rd(pm, 1), PCI_CAP_ID_PM);
	assert_int_equal(rd(pm + PCI_PM_PMC, 2) & PCI_PM_CAP_VER_MASK, 3);
	assert_int_equal(rd(pm + PCI_PM_CTRL, 2), PCI_PM_CTRL_NO_SOFT_RESET);

	wr(PCI_BASE_ADDRESS_0, 0xe0000000, 4);
	wr(PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 1);
	/* D3hot: the BAR stops decoding; the state reads back. */
	wr(pm + PCI_PM_CTRL, 3, 2);
	assert_int_equal(rd(pm + PCI_PM_CTRL, 2) & PCI_PM_CTRL_STATE_MASK, 3);
	assert_int_equal(fp.nr, 0);
	assert_false(pci_pm_d0(&ep));
	/* D1/D2 are unsupported: the write is dropped. */
	wr(pm + PCI_PM_CTRL, 1, 2);
	assert_int_equal(rd(pm + PCI_PM_CTRL, 2) & PCI_PM_CTRL_STATE_MASK, 3);
	/* Back to D0 without a soft reset: the BAR and Command survive. */
	wr(pm + PCI_PM_CTRL, 0xffff, 2);
	assert_int_equal(rd(pm + PCI_PM_CTRL, 2), PCI_PM_CTRL_NO_SOFT_RESET | 3);
	wr(pm + PCI_PM_CTRL, 0, 2);
	assert_int_equal(rd(pm + PCI_PM_CTRL, 2), PCI_PM_CTRL_NO_SOFT_RESET);
	assert_int_equal(rd(PCI_BASE_ADDRESS_0, 4), 0xe0000000);
	assert_int_equal(fp.nr, 1);
	assert_int_equal(fp.ranges[0].base, 0xe0000000);
}

static unsigned int flr_calls;

static void ep_flr(struct pci_device *d)
{
	flr_calls++;
	pci_function_reset(d);
}

static const struct pci_device_ops ep_ops = { .reset = ep_flr };

static void test_pcie_endpoint(void **state)
{
	const struct pcie_cap_info pcie = {
		.type = PCI_EXP_TYPE_ENDPOINT,
		.flr = true,
	};
	int exp = pcie_cap_add(&ep, &pcie);

	assert_int_equal(exp, 0x40);
	attach();
	assert_int_equal(pcie_type(&ep), PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(rd(exp + PCI_EXP_FLAGS, 2), 0x0002);
	assert_true(rd(exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	assert_int_equal(rd(exp + PCI_EXP_LNKSTA, 2) & (PCI_EXP_LNKSTA_CLS | PCI_EXP_LNKSTA_NLW),
			 PCI_EXP_LNKSTA_CLS_2_5GB | PCI_EXP_LNKSTA_NLW_X1);
	assert_int_equal(rd(exp + PCI_EXP_LNKCAP, 4) & (PCI_EXP_LNKCAP_SLS | PCI_EXP_LNKCAP_MLW),
			 0x11);
	assert_int_equal(rd(exp + PCI_EXP_LNKCAP2, 4), PCI_EXP_LNKCAP2_SLS_2_5GB);
	/* Endpoints have no ARI forwarding. */
	wr(exp + PCI_EXP_DEVCTL2, 0xffff, 2);
	assert_int_equal(rd(exp + PCI_EXP_DEVCTL2, 2), 0);

	/* Device Status errors are RW1C. */
	pci_config_set16(&ep.cfg, exp + PCI_EXP_DEVSTA, PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_URD);
	wr(exp + PCI_EXP_DEVSTA, PCI_EXP_DEVSTA_URD | PCI_EXP_DEVSTA_TRPND, 2);
	assert_int_equal(rd(exp + PCI_EXP_DEVSTA, 2), PCI_EXP_DEVSTA_CED);

	/* Initiate FLR runs the model's reset, reads 0, and the reset undoes Command. */
	ep.ops = &ep_ops;
	wr(PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	wr(exp + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_PAYLOAD_256B, 2);
	assert_int_equal(rd(exp + PCI_EXP_DEVCTL, 2), PCI_EXP_DEVCTL_PAYLOAD_256B);
	assert_int_equal(flr_calls, 0);
	wr(exp + PCI_EXP_DEVCTL + 1, PCI_EXP_DEVCTL_BCR_FLR >> 8, 1);
	assert_int_equal(flr_calls, 1);
	assert_int_equal(rd(exp + PCI_EXP_DEVCTL, 2) & PCI_EXP_DEVCTL_BCR_FLR, 0);
	assert_int_equal(rd(PCI_COMMAND, 2), 0);
	assert_int_equal(rd(exp + PCI_EXP_DEVCTL, 2), PCI_EXP_DEVCTL_RELAX_EN |
			 PCI_EXP_DEVCTL_NOSNOOP_EN | PCI_EXP_DEVCTL_READRQ_512B);
}

static void test_pcie_no_flr(void **state)
{
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_RC_END };
	const struct pci_device_info conv = { .header_type = PCI_HEADER_TYPE_NORMAL };
	struct pci_device c;
	int exp = pcie_cap_add(&ep, &pcie);

	attach();
	assert_false(rd(exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	wr(PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	wr(exp + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	assert_int_equal(rd(PCI_COMMAND, 2), PCI_COMMAND_MASTER);	/* not reset */
	/* An integrated endpoint has no link registers. */
	assert_int_equal(rd(exp + PCI_EXP_LNKCAP, 4), 0);
	assert_int_equal(rd(exp + PCI_EXP_LNKSTA, 2), 0);
	/* A PCIe capability needs the 4 KiB space; bad types are refused. */
	pci_device_init(&c, &conv);
	assert_int_equal(pcie_cap_add(&c, &pcie), -EINVAL);
	pci_device_init(&c, &ep_info);
	assert_int_equal(pcie_cap_add(&c, &(struct pcie_cap_info){ .type = 0xf }), -EINVAL);
}

static void test_function_reset(void **state)
{
	const struct pci_bar_desc bar = { .size = 0x1000, .flags = PCI_BASE_ADDRESS_MEM_TYPE_64 };
	uint8_t before[PCI_CFG_SPACE_EXP_SIZE];
	int msix;

	assert_int_equal(pci_bar_add(&ep, 0, &bar), 0);
	msix = msix_add(&ep, 2, 0, 0, 0, 0x800);
	assert_true(msix > 0);
	attach();
	memcpy(before, ep.cfg.val, sizeof(before));

	wr(PCI_BASE_ADDRESS_0, 0xfe000000, 4);
	wr(PCI_BASE_ADDRESS_1, 0x1, 4);
	wr(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	wr(PCI_INTERRUPT_LINE, 5, 1);
	wr(msix + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE, 2);
	assert_int_equal(fp.nr, 1);
	assert_true(msix_enabled(&ep));

	pthread_mutex_lock(&root.lock);
	pci_function_reset(&ep);
	pthread_mutex_unlock(&root.lock);
	assert_memory_equal(ep.cfg.val, before, sizeof(before));
	assert_int_equal(fp.nr, 0);
	assert_false(msix_enabled(&ep));
	/* Values, not masks: the BAR still sizes. */
	wr(PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	assert_int_equal(rd(PCI_BASE_ADDRESS_0, 4), 0xfffff004);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_engine_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_sizing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_add_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_space_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_hooks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcie_endpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcie_no_flr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_function_reset, setup, teardown),
	};

	return cmocka_run_group_tests_name("pci_config", tests, NULL, NULL);
}
