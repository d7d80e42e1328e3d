// SPDX-License-Identifier: GPL-2.0
/*
 * SR-IOV: the capability's register rules, VFs switched on and off by VF
 * Enable, what a VF's own config space shows, routing IDs with and
 * without ARI, VF BAR slices and their decode, FLR and PF reset, two PFs
 * on one bus, a Linux-like enable sequence, and every validation error.
 *
 * The topology: host bridge 00:00.0, a root port 00:01.0 with secondary
 * bus 1 and memory windows, the PF(s) and VFs on bus 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "pci/bar.h"
#include "pci/cap.h"
#include "pci/host.h"
#include "pci/msix.h"
#include "pci/pci.h"
#include "pci/pcie.h"
#include "pci/pm.h"
#include "pci/root_port.h"
#include "pci/sriov.h"
#include "pci_fixture.h"

#define RP_DEVFN	PCI_DEVFN(1, 0)
#define BUS		1
#define VF_DEVICE	0x1041
#define PF_DEVICE	0x1041
#define MEM_BASE	0xc0000000ULL	/* the root port's memory window: 16 MiB */
#define PREF_BASE	0x100000000ULL	/* its prefetchable window: 16 MiB at 4 GiB */
#define BAR0_SIZE	0x100		/* VF BAR0: 32-bit, below a page: MSI-X */
#define BAR2_SIZE	0x4000		/* VF BAR2/3: 64-bit prefetchable */
#define MAX_TEST_VFS	PCI_SRIOV_MAX_VFS

/* The device model: counts resets and BAR accesses per function. */
struct model {
	unsigned int resets;
	unsigned int accesses;
	uint64_t last_off;
	uint32_t reg;
};

static struct pci_root_port rp;
static struct pci_device pfs[2];
static struct pci_device vfs[MAX_TEST_VFS];
static struct model pf_model[2], vf_model[MAX_TEST_VFS];
static struct pci_sriov sriov[2];
static struct pci_device *vfp[MAX_TEST_VFS];

static void model_reset(struct pci_device *d)
{
	struct model *m = d->priv;

	m->resets++;
	pci_function_reset(d);
}

static const struct pci_device_ops model_ops = {
	.reset = model_reset,
};

static void model_io(void *opaque, uint64_t off, void *data, unsigned int len, bool is_write)
{
	struct model *m = opaque;

	m->accesses++;
	m->last_off = off;
	if (is_write)
		memcpy(&m->reg, data, len < 4 ? len : 4);
	else
		memcpy(data, &m->reg, len < 4 ? len : 4);
}

static const struct pci_device_info fn_info = {
	.vendor = 0x1af4, .device = VF_DEVICE, .class = 0x020000, .revision = 1,
	.subsys_vendor = 0x1af4, .subsys = 0x1100,
	.header_type = PCI_HEADER_TYPE_NORMAL, .irq_pin = 1, .express = true,
	.ops = &model_ops,
};

static void build_pf(struct pci_device *d, struct model *m)
{
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_ENDPOINT, .flr = true };
	const struct pci_bar_desc bar = { .size = 0x1000, .io = model_io, .opaque = m };
	struct pci_device_info info = fn_info;

	memset(m, 0, sizeof(*m));
	info.priv = m;
	info.device = PF_DEVICE;
	pci_device_init(d, &info);
	assert_int_equal(pci_bar_add(d, 0, &bar), 0);
	assert_true(pcie_cap_add(d, &pcie) > 0);
	assert_true(pci_ari_add(d) > 0);
}

static void build_vf(struct pci_device *d, struct model *m)
{
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_ENDPOINT, .flr = true };
	const struct pci_bar_desc bar0 = { .size = BAR0_SIZE, .io = model_io, .opaque = m };
	const struct pci_bar_desc bar2 = {
		.size = BAR2_SIZE,
		.flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		.io = model_io, .opaque = m,
	};
	struct pci_device_info info = fn_info;

	memset(m, 0, sizeof(*m));
	info.priv = m;
	pci_device_init(d, &info);
	assert_int_equal(pci_bar_add(d, 0, &bar0), 0);
	assert_int_equal(pci_bar_add(d, 2, &bar2), 0);
	assert_true(msix_add(d, 2, 0, 0, 0, 0x80) > 0);
	assert_true(pcie_cap_add(d, &pcie) > 0);
	assert_true(pci_ari_add(d) > 0);
	assert_true(pci_pm_add(d) > 0);
}

static void set_ari_forwarding(bool on)
{
	cfg_wr(0, RP_DEVFN, rp.dev.pcie_cap + PCI_EXP_DEVCTL2, on ? PCI_EXP_DEVCTL2_ARI : 0, 2);
}

static int setup(void **state)
{
	pci_fixture_setup(true);
	pci_fixture_root_port(&rp, "rp0", RP_DEVFN, 1);
	/* As Linux leaves the port: bus 1, windows, decode and ARI forwarding on. */
	cfg_wr(0, RP_DEVFN, PCI_PRIMARY_BUS, 0x010100, 4);
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, (MEM_BASE >> 16) | ((MEM_BASE + 0xf00000) & 0xfff00000), 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0x00f10001, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_BASE_UPPER32, PREF_BASE >> 32, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_LIMIT_UPPER32, PREF_BASE >> 32, 4);
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	set_ari_forwarding(true);
	return 0;
}

static int teardown(void **state)
{
	unsigned int i;

	/* Functions a failed check left unattached, then the root. */
	for (i = 0; i < MAX_TEST_VFS; i++)
		msix_destroy(&vfs[i]);
	pci_fixture_teardown();
	return 0;
}

/* PF p at devfn with n fresh VFs vfs[first..first + n). */
static int make_sriov(unsigned int p, uint8_t devfn, unsigned int first, unsigned int n,
		      uint16_t offset, uint16_t stride)
{
	const struct pci_sriov_info info = { .offset = offset, .stride = stride };
	unsigned int k;

	build_pf(&pfs[p], &pf_model[p]);
	assert_int_equal(pci_bus_attach(&rp.bus, &pfs[p], devfn), 0);
	for (k = 0; k < n; k++) {
		build_vf(&vfs[first + k], &vf_model[first + k]);
		vfp[k] = &vfs[first + k];
	}
	return pci_sriov_add(&sriov[p], &pfs[p], &info, vfp, n);
}

static unsigned int cap_of(unsigned int p)
{
	return sriov[p].cap;
}

static uint32_t pf_rd(unsigned int p, unsigned int reg, unsigned int len)
{
	return cfg_rd(BUS, pfs[p].devfn, cap_of(p) + reg, len);
}

static void pf_wr(unsigned int p, unsigned int reg, uint32_t v, unsigned int len)
{
	cfg_wr(BUS, pfs[p].devfn, cap_of(p) + reg, v, len);
}

/* A present VF answers; its class register shows the model's class. */
static bool vf_answers(uint8_t devfn)
{
	return cfg_rd(BUS, devfn, PCI_CLASS_REVISION, 4) == (0x020000 << 8 | 1);
}

static void enable(unsigned int p, unsigned int n, uint16_t extra)
{
	pf_wr(p, PCI_SRIOV_NUM_VF, n, 2);
	pf_wr(p, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE | extra, 2);
}

static void test_cap_registers(void **state)
{
	unsigned int cap, i;

	assert_true(make_sriov(0, 0, 0, 4, 1, 1) > 0);
	cap = cap_of(0);
	assert_int_equal(cap, pci_ext_cap_find(&pfs[0], PCI_EXT_CAP_ID_SRIOV));
	assert_int_equal(PCI_EXT_CAP_ID(cfg_rd(BUS, 0, cap, 4)), PCI_EXT_CAP_ID_SRIOV);
	assert_int_equal(PCI_EXT_CAP_VER(cfg_rd(BUS, 0, cap, 4)), 1);
	/* The capability chain from 0x100 reaches it (ARI first, then SR-IOV). */
	assert_int_equal(PCI_EXT_CAP_NEXT(cfg_rd(BUS, 0, PCI_CFG_SPACE_SIZE, 4)), cap);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CAP, 4), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_STATUS, 2), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_INITIAL_VF, 2), 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_TOTAL_VF, 2), 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 2), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_FUNC_LINK, 1), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_OFFSET, 2), 1);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_STRIDE, 2), 1);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_DID, 2), VF_DEVICE);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SUP_PGSIZE, 4), 0x553);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 1);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR, 4), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR + 8, 4),
			 PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VFM, 4), 0);
	/* The PF announces other functions. */
	assert_true(cfg_rd(BUS, 0, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MFD);

	/* Read-only: all-ones writes change nothing. */
	pf_wr(0, 0, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_CAP, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_INITIAL_VF, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_VF_OFFSET, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_VF_DID & ~3U, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_SUP_PGSIZE, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_VFM, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_FUNC_LINK, 0xff, 1);
	assert_int_equal(PCI_EXT_CAP_ID(cfg_rd(BUS, 0, cap, 4)), PCI_EXT_CAP_ID_SRIOV);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CAP, 4), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_INITIAL_VF, 4), 4 | 4 << 16);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_OFFSET, 4), 1 | 1 << 16);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_DID, 2), VF_DEVICE);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_DID - 2, 2), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SUP_PGSIZE, 4), 0x553);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VFM, 4), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_FUNC_LINK, 1), 0);

	/* Control: VF Enable, VF MSE, ARI (function 0); no migration bits; Status RO. */
	pf_wr(0, PCI_SRIOV_CTRL, 0xffffffff, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 4),
			 PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE | PCI_SRIOV_CTRL_ARI);
	/* NumVFs 0 with VF Enable: nothing appears. */
	for (i = 1; i <= 4; i++)
		assert_false(vf_answers(i));
	assert_int_equal(pci_sriov_num_vfs(&sriov[0]), 0);
	pf_wr(0, PCI_SRIOV_CTRL, 0, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), 0);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI, 1);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), PCI_SRIOV_CTRL_ARI);

	/* NumVFs is 16 bits RW while disabled. */
	pf_wr(0, PCI_SRIOV_NUM_VF, 0x1234, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 2), 0x1234);
	pf_wr(0, PCI_SRIOV_NUM_VF, 3, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 4), 3);
	assert_int_equal(fp.errors, 0);
}

static void test_vf_device_id(void **state)
{
	const struct pci_sriov_info info = { .offset = 1, .vf_device = 0x10ca };
	unsigned int k;

	build_pf(&pfs[0], &pf_model[0]);
	assert_int_equal(pci_bus_attach(&rp.bus, &pfs[0], 0), 0);
	for (k = 0; k < 2; k++) {
		build_vf(&vfs[k], &vf_model[k]);
		vfp[k] = &vfs[k];
	}
	assert_true(pci_sriov_add(&sriov[0], &pfs[0], &info, vfp, 2) > 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_DID, 2), 0x10ca);
	/* Stride 0 in the info is 1; with one VF the register still reads 1. */
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_STRIDE, 2), 1);
}

static void test_numvfs_locked_while_enabled(void **state)
{
	assert_true(make_sriov(0, 0, 0, 4, 1, 1) > 0);
	enable(0, 2, 0);
	assert_int_equal(pci_sriov_num_vfs(&sriov[0]), 2);
	/* Any width, any neighbour: NumVFs keeps its value. */
	pf_wr(0, PCI_SRIOV_NUM_VF, 3, 2);
	pf_wr(0, PCI_SRIOV_NUM_VF, 4, 4);
	pf_wr(0, PCI_SRIOV_NUM_VF, 1, 1);
	pf_wr(0, PCI_SRIOV_NUM_VF + 1, 1, 1);
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 2), 2);
	assert_true(vf_answers(1) && vf_answers(2));
	assert_false(vf_answers(3));
	/* Going 2 -> 3 needs 0 first, as the spec and QEMU's docs say. */
	pf_wr(0, PCI_SRIOV_CTRL, 0, 2);
	pf_wr(0, PCI_SRIOV_NUM_VF, 3, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 2), 3);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE, 2);
	assert_true(vf_answers(3));
	assert_false(vf_answers(4));
}

static void test_vfe_ignored_above_total(void **state)
{
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 4, 1, 1) > 0);
	enable(0, 5, PCI_SRIOV_CTRL_MSE);
	/* The write completes but VF Enable does not take effect; MSE does. */
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), PCI_SRIOV_CTRL_MSE);
	assert_int_equal(pci_sriov_num_vfs(&sriov[0]), 0);
	for (i = 1; i <= 5; i++)
		assert_false(vf_answers(i));
	/* So NumVFs stays writable. */
	pf_wr(0, PCI_SRIOV_NUM_VF, 0xffff, 2);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), 0);
	pf_wr(0, PCI_SRIOV_NUM_VF, 4, 2);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), PCI_SRIOV_CTRL_VFE);
	for (i = 1; i <= 4; i++)
		assert_true(vf_answers(i));
}

static void test_page_sizes(void **state)
{
	assert_true(make_sriov(0, 0, 0, 2, 1, 1) > 0);
	/* One supported bit at a time; anything else leaves it unchanged. */
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x2, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 0x2);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x3, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 0x2);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 0x2);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x4, 4);	/* 16 KiB: not supported */
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 0x2);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE + 1, 0x1, 1);	/* 1 MiB, with 8 KiB still set */
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 0x2);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x100, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 0x100);
	assert_int_equal(pci_sriov_vf_bar_slice(&sriov[0], 0), 1 << 20);
	assert_int_equal(pci_sriov_vf_bar_slice(&sriov[0], 2), 1 << 20);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x1, 4);
	assert_int_equal(pci_sriov_vf_bar_slice(&sriov[0], 0), 0x1000);
	assert_int_equal(pci_sriov_vf_bar_slice(&sriov[0], 2), BAR2_SIZE);
	assert_int_equal(pci_sriov_vf_bar_slice(&sriov[0], 1), 0);
	assert_int_equal(pci_sriov_vf_bar_slice(&sriov[0], 3), 0);
}

static void test_vf_bar_sizing(void **state)
{
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 2, 1, 1) > 0);
	/* 32-bit BAR0 of 0x100 bytes: the slice is a 4 KiB page. */
	pf_wr(0, PCI_SRIOV_BAR, 0xffffffff, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR, 4), 0xfffff000);
	/* 64-bit prefetchable BAR2/3 of 16 KiB. */
	pf_wr(0, PCI_SRIOV_BAR + 8, 0xffffffff, 4);
	pf_wr(0, PCI_SRIOV_BAR + 12, 0xffffffff, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR + 8, 4), 0xffffc000 | PCI_BASE_ADDRESS_MEM_TYPE_64 |
			 PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR + 12, 4), 0xffffffff);
	/* Unimplemented VF BARs are read-only zero. */
	for (i = 1; i < PCI_SRIOV_NUM_BARS; i++) {
		if (i == 2 || i == 3)
			continue;
		pf_wr(0, PCI_SRIOV_BAR + 4 * i, 0xffffffff, 4);
		assert_int_equal(pf_rd(0, PCI_SRIOV_BAR + 4 * i, 4), 0);
	}
	/* With 8 KiB pages both slices are 8 KiB or more. */
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x2, 4);
	pf_wr(0, PCI_SRIOV_BAR, 0xffffffff, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR, 4), 0xffffe000);
	pf_wr(0, PCI_SRIOV_BAR + 8, 0xffffffff, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR + 8, 4) & PCI_BASE_ADDRESS_MEM_MASK, 0xffffc000);
	/* A page size change realigns an address already written. */
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x1, 4);
	pf_wr(0, PCI_SRIOV_BAR, 0xc0001000, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR, 4), 0xc0001000);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 0x2, 4);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR, 4), 0xc0000000);
}

static void test_enable_disable_presence(void **state)
{
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 4, 1, 1) > 0);
	for (i = 1; i <= 4; i++) {
		assert_false(vf_answers(i));
		assert_int_equal(cfg_rd(BUS, i, PCI_VENDOR_ID, 4), 0xffffffff);
		assert_int_equal(cfg_rd(BUS, i, PCI_CLASS_REVISION, 2), 0xffff);
		assert_null(pci_root_route(&root, BUS, i));
	}
	/* Writes to an absent VF go nowhere. */
	cfg_wr(BUS, 3, PCI_INTERRUPT_LINE, 5, 1);
	cfg_wr(BUS, 3, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	assert_int_equal(vfs[2].cfg.val[PCI_INTERRUPT_LINE], 0);

	/* Linux writes NumVFs, then VFE | MSE, then reads VF 1 at once. */
	enable(0, 3, PCI_SRIOV_CTRL_MSE);
	for (i = 1; i <= 3; i++) {
		assert_true(vf_answers(i));
		assert_ptr_equal(pci_root_route(&root, BUS, i), &vfs[i - 1]);
		assert_true(vfs[i - 1].present);
	}
	assert_false(vf_answers(4));
	assert_int_equal(cfg_rd(BUS, 4, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_false(vfs[3].present);
	assert_int_equal(pci_sriov_num_vfs(&sriov[0]), 3);
	assert_int_equal(vf_model[0].resets, 0);

	/* A VF's state is its own until VF Enable goes. */
	cfg_wr(BUS, 2, PCI_INTERRUPT_LINE, 9, 1);
	cfg_wr(BUS, 2, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	assert_int_equal(cfg_rd(BUS, 2, PCI_INTERRUPT_LINE, 1), 9);
	pf_wr(0, PCI_SRIOV_CTRL, 0, 2);
	for (i = 1; i <= 4; i++)
		assert_false(vf_answers(i));
	/* Each VF that existed was reset (the model heard it). */
	for (i = 0; i < 3; i++)
		assert_int_equal(vf_model[i].resets, 1);
	assert_int_equal(vf_model[3].resets, 0);
	assert_int_equal(vfs[1].cfg.val[PCI_INTERRUPT_LINE], 0);
	assert_int_equal(pci_config_get16(&vfs[1].cfg, PCI_COMMAND), 0);
	assert_int_equal(pci_sriov_num_vfs(&sriov[0]), 0);
	/* NumVFs is kept; enabling again brings the same functions back, clean. */
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 2), 3);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE, 2);
	assert_true(vf_answers(2));
	assert_int_equal(cfg_rd(BUS, 2, PCI_INTERRUPT_LINE, 1), 0);
}

static void test_vf_header(void **state)
{
	unsigned int exp, ari, msix, i;

	assert_true(make_sriov(0, 0, 0, 2, 1, 1) > 0);
	enable(0, 2, PCI_SRIOV_CTRL_MSE);
	assert_int_equal(cfg_rd(BUS, 1, PCI_VENDOR_ID, 2), 0xffff);
	assert_int_equal(cfg_rd(BUS, 1, PCI_DEVICE_ID, 2), 0xffff);
	/* Class, revision, header type and subsystem as the model built them. */
	assert_int_equal(cfg_rd(BUS, 1, PCI_CLASS_REVISION, 4), 0x02000001);
	assert_int_equal(cfg_rd(BUS, 1, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK,
			 PCI_HEADER_TYPE_NORMAL);
	assert_int_equal(cfg_rd(BUS, 1, PCI_SUBSYSTEM_VENDOR_ID, 4), 0x11001af4);
	/* No INTx even though the model asked for pin A. */
	assert_int_equal(cfg_rd(BUS, 1, PCI_INTERRUPT_PIN, 1), 0);
	/* BAR registers: read-only zero. */
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		cfg_wr(BUS, 1, PCI_BASE_ADDRESS_0 + 4 * i, 0xffffffff, 4);
		assert_int_equal(cfg_rd(BUS, 1, PCI_BASE_ADDRESS_0 + 4 * i, 4), 0);
	}
	/* Command: Bus Master only; Memory and I/O Space are RO 0. */
	cfg_wr(BUS, 1, PCI_COMMAND, 0xffff, 2);
	assert_int_equal(cfg_rd(BUS, 1, PCI_COMMAND, 2), PCI_COMMAND_MASTER);
	/* PCI Express with FLR, MSI-X, ARI whose next function is 0 in a VF. */
	exp = pci_cap_find(&vfs[0], PCI_CAP_ID_EXP);
	msix = pci_cap_find(&vfs[0], PCI_CAP_ID_MSIX);
	ari = pci_ext_cap_find(&vfs[0], PCI_EXT_CAP_ID_ARI);
	assert_true(exp && msix && ari);
	assert_true(cfg_rd(BUS, 1, exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	assert_int_equal(cfg_rd(BUS, 1, ari + PCI_ARI_CAP, 2) >> 8, 0);
	assert_int_equal(cfg_rd(BUS, 2, ari + PCI_ARI_CAP, 2) >> 8, 0);
	/* The PF's chain: no other PF, VFs are not in it. */
	assert_int_equal(cfg_rd(BUS, 0, pci_ext_cap_find(&pfs[0], PCI_EXT_CAP_ID_ARI) + PCI_ARI_CAP, 2)
			 >> 8, 0);
	/* Who is who. */
	assert_ptr_equal(pci_sriov_physfn(&vfs[1]), &pfs[0]);
	assert_int_equal(pci_sriov_vf_nr(&vfs[1]), 2);
	assert_null(pci_sriov_physfn(&pfs[0]));
	assert_int_equal(pci_sriov_vf_nr(&pfs[0]), 0);
	assert_ptr_equal(pci_sriov_vf(&sriov[0], 1), &vfs[0]);
	assert_null(pci_sriov_vf(&sriov[0], 0));
	assert_null(pci_sriov_vf(&sriov[0], 3));
	assert_true(vfs[0].virtfn && !pfs[0].virtfn);
}

static void test_routing_without_and_with_ari(void **state)
{
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 10, 1, 1) > 0);
	enable(0, 10, 0);
	/* ARI forwarding off: only device 0's functions 0-7 are reachable. */
	set_ari_forwarding(false);
	for (i = 1; i <= 7; i++)
		assert_true(vf_answers(i));
	for (i = 8; i <= 10; i++)
		assert_false(vf_answers(i));
	/* With ARI the 8-bit function number is the devfn. */
	set_ari_forwarding(true);
	for (i = 1; i <= 10; i++) {
		assert_true(vf_answers(i));
		assert_ptr_equal(pci_root_route(&root, BUS, i), &vfs[i - 1]);
	}
	assert_false(vf_answers(11));
}

static void test_offset_and_stride(void **state)
{
	static const uint8_t at[] = { 2, 5, 8 };
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 3, 2, 3) > 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_OFFSET, 2), 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_STRIDE, 2), 3);
	enable(0, 3, 0);
	for (i = 0; i < 3; i++) {
		assert_true(vf_answers(at[i]));
		assert_int_equal(vfs[i].devfn, at[i]);
		assert_int_equal(pci_sriov_vf_nr(&vfs[i]), i + 1);
	}
	for (i = 1; i < 10; i++)
		if (i != 2 && i != 5 && i != 8)
			assert_false(vf_answers(i));
}

static void test_255_vfs(void **state)
{
	struct timespec t0, t1;
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 255, 1, 1) > 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_TOTAL_VF, 2), 255);
	for (i = 1; i <= 255; i++)
		assert_int_equal(vfs[i - 1].devfn, i);
	/* VF BARs assigned as firmware would, in the 16 MiB windows. */
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE + 0x100000, 4);
	pf_wr(0, PCI_SRIOV_BAR + 8, (uint32_t)PREF_BASE, 4);
	pf_wr(0, PCI_SRIOV_BAR + 12, PREF_BASE >> 32, 4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enable(0, 255, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("enabling 255 VFs: %.3f ms\n",
		      (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	for (i = 1; i <= 255; i++) {
		assert_true(vf_answers(i));
		assert_ptr_equal(pci_root_route(&root, BUS, i), &vfs[i - 1]);
	}
	pf_wr(0, PCI_SRIOV_CTRL, 0, 2);
	for (i = 1; i <= 255; i++)
		assert_false(vf_answers(i));
	/* 254 with the PF elsewhere than 0 does not fit: past function 255. */
}

static void test_bar_slices(void **state)
{
	uint64_t base;
	uint32_t v = 0x5a5a;
	unsigned int k;

	assert_true(make_sriov(0, 0, 0, 3, 1, 1) > 0);
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE + 0x10000, 4);
	pf_wr(0, PCI_SRIOV_BAR + 8, (uint32_t)PREF_BASE | 0xc, 4);
	pf_wr(0, PCI_SRIOV_BAR + 12, PREF_BASE >> 32, 4);
	enable(0, 3, 0);
	/* VF Enable without VF MSE: nothing decodes. */
	assert_int_equal(fp.nr, 0);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE, 2);
	assert_int_equal(fp.nr, 6);
	for (k = 1; k <= 3; k++) {
		struct pci_device *vf = &vfs[k - 1];

		/* The VF's own Command.MEM stays 0: decode follows VF MSE. */
		assert_int_equal(pci_config_get16(&vf->cfg, PCI_COMMAND), 0);
		assert_true(pci_bar_mapped(vf, 0, &base));
		assert_int_equal(base, MEM_BASE + 0x10000 + (k - 1) * 0x1000);
		assert_true(pci_bar_mapped(vf, 2, &base));
		assert_int_equal(base, PREF_BASE + (k - 1) * BAR2_SIZE);
		assert_non_null(fake_find(&fp, false, PREF_BASE + (k - 1) * BAR2_SIZE));
	}
	/* Accesses land on the right VF at the right offset. */
	assert_true(fake_access(&fp, false, PREF_BASE + BAR2_SIZE + 0x10, &v, 4, true));
	assert_int_equal(vf_model[1].accesses, 1);
	assert_int_equal(vf_model[1].last_off, 0x10);
	assert_int_equal(vf_model[0].accesses + vf_model[2].accesses, 0);
	/* Between the 0x100-byte BAR0s lies nothing. */
	assert_null(fake_find(&fp, false, MEM_BASE + 0x10100));
	assert_non_null(fake_find(&fp, false, MEM_BASE + 0x110ff));

	/* 8 KiB pages: BAR0's slices spread, BAR2's (16 KiB) stay. */
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 2, 4);
	for (k = 1; k <= 3; k++) {
		assert_true(pci_bar_mapped(&vfs[k - 1], 0, &base));
		assert_int_equal(base, MEM_BASE + 0x10000 + (k - 1) * 0x2000);
		assert_true(pci_bar_mapped(&vfs[k - 1], 2, &base));
		assert_int_equal(base, PREF_BASE + (k - 1) * BAR2_SIZE);
	}
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 1, 4);

	/* Moving the VF BAR moves every slice. */
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE + 0x20000, 4);
	for (k = 1; k <= 3; k++) {
		assert_true(pci_bar_mapped(&vfs[k - 1], 0, &base));
		assert_int_equal(base, MEM_BASE + 0x20000 + (k - 1) * 0x1000);
	}
	assert_null(fake_find(&fp, false, MEM_BASE + 0x10000));
	/* Sizing the VF BAR: no slice decodes at the pattern or past it. */
	pf_wr(0, PCI_SRIOV_BAR, 0xffffffff, 4);
	for (k = 1; k <= 3; k++)
		assert_false(pci_bar_mapped(&vfs[k - 1], 0, NULL));
	pf_wr(0, PCI_SRIOV_BAR + 8, 0xffffffff, 4);
	for (k = 1; k <= 3; k++)
		assert_false(pci_bar_mapped(&vfs[k - 1], 2, NULL));
	pf_wr(0, PCI_SRIOV_BAR + 8, (uint32_t)PREF_BASE, 4);
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE, 4);
	assert_int_equal(fp.nr, 6);
	/* VF MSE off: all unmapped. */
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE, 2);
	assert_int_equal(fp.nr, 0);
	assert_int_equal(fp.maps, fp.unmaps);
}

static void test_decode_follows_windows(void **state)
{
	uint64_t base;

	assert_true(make_sriov(0, 0, 0, 3, 1, 1) > 0);
	/* VF 3's BAR0 slice is the first page past the memory window. */
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE + 0xffe000, 4);
	enable(0, 3, PCI_SRIOV_CTRL_MSE);
	assert_true(pci_bar_mapped(&vfs[0], 0, &base));
	assert_int_equal(base, MEM_BASE + 0xffe000);
	assert_true(pci_bar_mapped(&vfs[1], 0, NULL));
	assert_false(pci_bar_mapped(&vfs[2], 0, NULL));
	/* BAR2 unassigned (0): nothing. */
	assert_false(pci_bar_mapped(&vfs[0], 2, NULL));
	/* The port stops forwarding memory: nothing below decodes. */
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, 0, 2);
	assert_int_equal(fp.nr, 0);
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 2);
	/* A VF in D3hot does not decode; the others do. */
	cfg_wr(BUS, 2, vfs[1].pm_cap + PCI_PM_CTRL, 3, 2);
	assert_false(pci_bar_mapped(&vfs[1], 0, NULL));
	assert_true(pci_bar_mapped(&vfs[0], 0, NULL));
	/* NumVFs 1: VF 2 gone, its slice free. */
	pf_wr(0, PCI_SRIOV_CTRL, 0, 2);
	enable(0, 1, PCI_SRIOV_CTRL_MSE);
	assert_int_equal(fp.nr, 1);
	assert_true(pci_bar_mapped(&vfs[0], 0, NULL));
}

static void test_vf_flr(void **state)
{
	unsigned int exp, msix;

	assert_true(make_sriov(0, 0, 0, 3, 1, 1) > 0);
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE, 4);
	enable(0, 3, PCI_SRIOV_CTRL_MSE);
	exp = vfs[1].pcie_cap;
	msix = pci_cap_find(&vfs[1], PCI_CAP_ID_MSIX);
	for (unsigned int i = 1; i <= 3; i++) {
		cfg_wr(BUS, i, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
		cfg_wr(BUS, i, msix + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE, 2);
		assert_true(msix_enabled(&vfs[i - 1]));
	}
	cfg_wr(BUS, 2, exp + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	assert_int_equal(vf_model[1].resets, 1);
	assert_int_equal(vf_model[0].resets + vf_model[2].resets + pf_model[0].resets, 0);
	assert_false(msix_enabled(&vfs[1]));
	assert_int_equal(cfg_rd(BUS, 2, PCI_COMMAND, 2), 0);
	assert_true(msix_enabled(&vfs[0]) && msix_enabled(&vfs[2]));
	assert_int_equal(cfg_rd(BUS, 1, PCI_COMMAND, 2), PCI_COMMAND_MASTER);
	/* Still there, still decoding, still a VF with 0xFFFF IDs. */
	assert_true(vf_answers(2));
	assert_true(pci_bar_mapped(&vfs[1], 0, NULL));
	assert_int_equal(cfg_rd(BUS, 2, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
}

static void test_pf_flr_and_reset(void **state)
{
	unsigned int i;

	assert_true(make_sriov(0, 0, 0, 3, 1, 1) > 0);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 2, 4);
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE, 4);
	enable(0, 3, PCI_SRIOV_CTRL_MSE | PCI_SRIOV_CTRL_ARI);
	assert_int_equal(fp.nr, 3);
	cfg_wr(BUS, 0, pfs[0].pcie_cap + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	assert_int_equal(pf_model[0].resets, 1);
	/* VF Enable cleared, so every VF is gone and was reset. */
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_NUM_VF, 2), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_SYS_PGSIZE, 4), 1);
	assert_int_equal(pf_rd(0, PCI_SRIOV_BAR, 4), 0);
	assert_int_equal(pf_rd(0, PCI_SRIOV_TOTAL_VF, 2), 3);
	for (i = 1; i <= 3; i++) {
		assert_false(vf_answers(i));
		assert_int_equal(vf_model[i - 1].resets, 1);
	}
	assert_int_equal(fp.nr, 0);
	assert_int_equal(pci_sriov_num_vfs(&sriov[0]), 0);

	/* A secondary bus reset from the port does the same. */
	enable(0, 2, 0);
	assert_true(vf_answers(2));
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_BUS_RESET, 2);
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, 0, 2);
	assert_false(vf_answers(1));
	assert_false(vf_answers(2));
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), 0);
	/* And it works again afterwards. */
	enable(0, 3, 0);
	for (i = 1; i <= 3; i++)
		assert_true(vf_answers(i));
}

static void test_two_pfs(void **state)
{
	static const uint8_t a_at[] = { 2, 4, 6 }, b_at[] = { 3, 5, 7 };
	unsigned int i, ari0;
	uint64_t base;

	/* Interleaved: PF 0 at 0 with VFs 2, 4, 6; PF 1 at 1 with VFs 3, 5, 7. */
	assert_true(make_sriov(0, 0, 0, 3, 2, 2) > 0);
	assert_true(make_sriov(1, 1, 3, 3, 2, 2) > 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(vfs[i].devfn, a_at[i]);
		assert_int_equal(vfs[3 + i].devfn, b_at[i]);
		assert_ptr_equal(pci_sriov_physfn(&vfs[3 + i]), &pfs[1]);
	}
	/* ARI Capable Hierarchy lives in function 0 only. */
	pf_wr(1, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI, 2);
	assert_int_equal(pf_rd(1, PCI_SRIOV_CTRL, 2), 0);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_CTRL, 2), PCI_SRIOV_CTRL_ARI);
	/* Function Dependency Link: each PF's own function. */
	assert_int_equal(pf_rd(1, PCI_SRIOV_FUNC_LINK, 1), 1);
	/* The ARI chain links the PFs, never the VFs. */
	ari0 = pci_ext_cap_find(&pfs[0], PCI_EXT_CAP_ID_ARI);
	assert_int_equal(cfg_rd(BUS, 0, ari0 + PCI_ARI_CAP, 2) >> 8, 1);
	assert_int_equal(cfg_rd(BUS, 1, pci_ext_cap_find(&pfs[1], PCI_EXT_CAP_ID_ARI) + PCI_ARI_CAP, 2)
			 >> 8, 0);

	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE, 4);
	pf_wr(1, PCI_SRIOV_BAR, MEM_BASE + 0x100000, 4);
	enable(1, 2, PCI_SRIOV_CTRL_MSE);
	for (i = 0; i < 3; i++)
		assert_false(vf_answers(a_at[i]));
	assert_true(vf_answers(3) && vf_answers(5));
	assert_false(vf_answers(7));
	enable(0, 3, PCI_SRIOV_CTRL_MSE | PCI_SRIOV_CTRL_ARI);
	for (i = 0; i < 3; i++)
		assert_true(vf_answers(a_at[i]));
	assert_true(pci_bar_mapped(&vfs[4], 0, &base));
	assert_int_equal(base, MEM_BASE + 0x101000);
	assert_true(pci_bar_mapped(&vfs[2], 0, &base));
	assert_int_equal(base, MEM_BASE + 0x2000);
	assert_int_equal(fp.nr, 5);
	/* Resetting one PF leaves the other's VFs alone. */
	cfg_wr(BUS, 1, pfs[1].pcie_cap + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	assert_false(vf_answers(3));
	for (i = 0; i < 3; i++)
		assert_true(vf_answers(a_at[i]));
	assert_int_equal(fp.nr, 3);
}

/* What Linux does (drivers/pci/iov.c): sriov_init, then sriov_enable and _disable. */
static void test_linux_sequence(void **state)
{
	unsigned int n, i;
	uint32_t lo, hi;

	assert_true(make_sriov(0, 0, 0, 7, 1, 1) > 0);
	/* sriov_init */
	assert_false(pf_rd(0, PCI_SRIOV_CTRL, 2) & PCI_SRIOV_CTRL_VFE);
	pf_wr(0, PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI, 2);
	assert_int_equal(pf_rd(0, PCI_SRIOV_TOTAL_VF, 2), 7);
	assert_true(pf_rd(0, PCI_SRIOV_SUP_PGSIZE, 4) & 1);
	pf_wr(0, PCI_SRIOV_SYS_PGSIZE, 1, 4);
	for (i = 0; i < PCI_SRIOV_NUM_BARS; i++) {
		lo = pf_rd(0, PCI_SRIOV_BAR + 4 * i, 4);
		pf_wr(0, PCI_SRIOV_BAR + 4 * i, 0xffffffff, 4);
		pf_rd(0, PCI_SRIOV_BAR + 4 * i, 4);
		pf_wr(0, PCI_SRIOV_BAR + 4 * i, lo, 4);
	}
	assert_int_equal(pf_rd(0, PCI_SRIOV_VF_DID, 2), VF_DEVICE);
	for (n = 7; n >= 1; n--) {
		pf_wr(0, PCI_SRIOV_NUM_VF, n, 2);
		assert_int_equal(pf_rd(0, PCI_SRIOV_VF_OFFSET, 2), 1);
		assert_int_equal(pf_rd(0, PCI_SRIOV_VF_STRIDE, 2), 1);
	}
	pf_wr(0, PCI_SRIOV_NUM_VF, 0, 2);
	/* Resources: VF BAR0 and the 64-bit VF BAR2. */
	pf_wr(0, PCI_SRIOV_BAR, MEM_BASE + 0x40000, 4);
	pf_wr(0, PCI_SRIOV_BAR + 8, (uint32_t)PREF_BASE | 0xc, 4);
	pf_wr(0, PCI_SRIOV_BAR + 12, PREF_BASE >> 32, 4);
	/* sriov_enable(3) */
	assert_int_equal(pf_rd(0, PCI_SRIOV_INITIAL_VF, 2), pf_rd(0, PCI_SRIOV_TOTAL_VF, 2));
	assert_int_equal(pf_rd(0, PCI_SRIOV_FUNC_LINK, 1), pfs[0].devfn);
	pf_wr(0, PCI_SRIOV_NUM_VF, 3, 2);
	pf_wr(0, PCI_SRIOV_CTRL, pf_rd(0, PCI_SRIOV_CTRL, 2) | PCI_SRIOV_CTRL_VFE |
	      PCI_SRIOV_CTRL_MSE, 2);
	for (i = 1; i <= 3; i++) {
		/* pci_read_vf_config_common on VF 1, then each VF's header and caps. */
		assert_int_equal(cfg_rd(BUS, i, PCI_CLASS_REVISION, 4) >> 8, 0x020000);
		assert_int_equal(cfg_rd(BUS, i, PCI_HEADER_TYPE, 1) & 0x7f, 0);
		assert_int_equal(cfg_rd(BUS, i, PCI_INTERRUPT_PIN, 1), 0);
		assert_int_equal(PCI_EXT_CAP_ID(cfg_rd(BUS, i, PCI_CFG_SPACE_SIZE, 4)), PCI_EXT_CAP_ID_ARI);
		assert_true(pci_bar_mapped(&vfs[i - 1], 2, NULL));
	}
	assert_int_equal(fp.nr, 6);
	/* sriov_disable */
	pf_wr(0, PCI_SRIOV_CTRL, pf_rd(0, PCI_SRIOV_CTRL, 2) &
	      ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE), 2);
	pf_wr(0, PCI_SRIOV_NUM_VF, 0, 2);
	assert_int_equal(fp.nr, 0);
	for (i = 1; i <= 3; i++)
		assert_false(vf_answers(i));
	hi = pf_rd(0, PCI_SRIOV_BAR + 12, 4);
	assert_int_equal(hi, PREF_BASE >> 32);
	assert_int_equal(fp.errors, 0);
}

/* ---- Validation ---- */

static void layout_refused(unsigned int pf, const unsigned int *devfns, unsigned int n,
			  enum pci_sriov_err err, unsigned int bad)
{
	struct pci_sriov_verdict chk;

	assert_int_equal(pci_sriov_layout(pf, devfns, n, NULL, &chk), -EINVAL);
	assert_int_equal(chk.err, err);
	assert_int_equal(chk.bad, bad);
}

static void test_layout(void **state)
{
	static const unsigned int seed[] = { 3, 2, 1 };	/* QEMU's docs: VFs before the PF */
	static const unsigned int strided[] = { 4, 8, 6 };
	static const unsigned int one[] = { 9 };
	static const unsigned int below[] = { 3, 2, 2 }, same[] = { 3, 2, 3 };
	static const unsigned int uneven[] = { 1, 3, 4 }, gap[] = { 1, 2, 4, 5 };
	static const unsigned int over[] = { 1, 256 };
	static unsigned int all[256], big[256];
	struct pci_sriov_verdict chk;
	unsigned int order[PCI_SRIOV_MAX_VFS], i;
	const char *msgs[PCI_SRIOV_ERR_TAKEN + 1];

	assert_int_equal(pci_sriov_layout(0, seed, 3, order, &chk), 0);
	assert_int_equal(chk.err, PCI_SRIOV_OK);
	assert_int_equal(chk.offset, 1);
	assert_int_equal(chk.stride, 1);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 0);
	assert_int_equal(pci_sriov_layout(2, strided, 3, order, &chk), 0);
	assert_int_equal(chk.offset, 2);
	assert_int_equal(chk.stride, 2);
	assert_int_equal(order[2], 1);
	assert_int_equal(pci_sriov_layout(0, one, 1, NULL, &chk), 0);
	assert_int_equal(chk.offset, 9);
	assert_int_equal(chk.stride, 1);
	for (i = 0; i < 255; i++)
		all[i] = 255 - i;
	assert_int_equal(pci_sriov_layout(0, all, 255, order, &chk), 0);
	assert_int_equal(chk.offset, 1);
	assert_int_equal(order[0], 254);

	layout_refused(0, seed, 0, PCI_SRIOV_ERR_NO_VFS, 0);
	layout_refused(2, below, 3, PCI_SRIOV_ERR_NOT_ABOVE_PF, 1);
	layout_refused(3, seed, 3, PCI_SRIOV_ERR_NOT_ABOVE_PF, 0);
	layout_refused(0, same, 3, PCI_SRIOV_ERR_SAME_FN, 2);
	layout_refused(0, uneven, 3, PCI_SRIOV_ERR_STRIDE, 2);
	layout_refused(0, gap, 4, PCI_SRIOV_ERR_GAP, 2);
	layout_refused(0, over, 2, PCI_SRIOV_ERR_OVERFLOW, 1);
	for (i = 0; i < 256; i++)
		big[i] = i % 255 + 1;
	layout_refused(0, big, 256, PCI_SRIOV_ERR_OVERFLOW, 255);

	/* Every error has its own words. */
	for (i = 0; i <= PCI_SRIOV_ERR_TAKEN; i++) {
		msgs[i] = pci_sriov_strerror(i);
		assert_non_null(msgs[i]);
		for (unsigned int j = 0; j < i; j++)
			assert_string_not_equal(msgs[i], msgs[j]);
	}
	assert_non_null(pci_sriov_strerror(PCI_SRIOV_ERR_TAKEN + 1));
}

static void check_refused(const struct pci_device *pf, const struct pci_sriov_info *info,
			 unsigned int n, int ret, enum pci_sriov_err err, unsigned int bad)
{
	struct pci_sriov_verdict chk;

	assert_int_equal(pci_sriov_check(pf, info, vfp, n, &chk), ret);
	assert_int_equal(chk.err, err);
	assert_int_equal(chk.bad, bad);
	/* And add refuses the same way, changing nothing. */
	assert_int_equal(pci_sriov_add(&sriov[1], (struct pci_device *)pf, info, vfp, n), ret);
}

static void fresh_vfs(unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		msix_destroy(&vfs[k]);
		build_vf(&vfs[k], &vf_model[k]);
		vfp[k] = &vfs[k];
	}
}

static void test_check_errors(void **state)
{
	const struct pci_sriov_info info = { .offset = 1, .stride = 1 };
	struct pci_sriov_info bad_info = info;
	const struct pci_bar_desc io = { .size = 0x20, .flags = PCI_BASE_ADDRESS_SPACE_IO };
	const struct pci_bar_desc small = { .size = 0x80 };
	struct pci_device_info plain = fn_info;
	struct pci_sriov_verdict chk;
	unsigned int ext_next;

	build_pf(&pfs[0], &pf_model[0]);
	fresh_vfs(3);
	/* The PF is not attached yet. */
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_PF, 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &pfs[0], 0), 0);
	ext_next = pfs[0].ext_cap_next;

	check_refused(&pfs[0], &info, 0, -EINVAL, PCI_SRIOV_ERR_NO_VFS, 0);
	bad_info.offset = 0;
	check_refused(&pfs[0], &bad_info, 3, -EINVAL, PCI_SRIOV_ERR_NOT_ABOVE_PF, 0);
	bad_info = info;
	bad_info.offset = 250;
	bad_info.stride = 3;	/* 250, 253, 256 */
	check_refused(&pfs[0], &bad_info, 3, -EINVAL, PCI_SRIOV_ERR_OVERFLOW, 2);
	bad_info = info;
	bad_info.page_sizes = 0x2;
	check_refused(&pfs[0], &bad_info, 3, -EINVAL, PCI_SRIOV_ERR_PAGE_SIZES, 0);

	/* A VF that is no PCI Express function. */
	plain.express = false;
	msix_destroy(&vfs[1]);
	pci_device_init(&vfs[1], &plain);
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_VF, 1);
	/* The same function twice. */
	fresh_vfs(3);
	vfp[2] = &vfs[0];
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_VF, 2);
	/* Vendor differs from the PF's, device from VF 1's. */
	fresh_vfs(3);
	pci_config_set16(&vfs[2].cfg, PCI_VENDOR_ID, 0x8086);
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_IDS, 2);
	fresh_vfs(3);
	pci_config_set16(&vfs[1].cfg, PCI_DEVICE_ID, 0x1000);
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_IDS, 1);
	/* BARs: another size, or an I/O BAR (in every VF alike). */
	fresh_vfs(3);
	vfs[2].bars[0].desc.size = 0x200;
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_BARS, 2);
	fresh_vfs(3);
	for (unsigned int k = 0; k < 3; k++)
		assert_int_equal(pci_bar_add(&vfs[k], 5, &io), 0);
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_BARS, 0);
	fresh_vfs(3);
	assert_int_equal(pci_bar_add(&vfs[1], 1, &small), 0);
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_BARS, 1);
	/* VF 3's routing ID holds another function. */
	fresh_vfs(3);
	build_vf(&vfs[10], &vf_model[10]);
	assert_int_equal(pci_bus_attach(&rp.bus, &vfs[10], 3), 0);
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_TAKEN, 2);
	/* An attached function cannot become a VF. */
	vfp[1] = &vfs[10];
	check_refused(&pfs[0], &info, 3, -EINVAL, PCI_SRIOV_ERR_VF, 1);

	/* Nothing changed in the PF through all that. */
	assert_int_equal(pfs[0].ext_cap_next, ext_next);
	assert_int_equal(pci_ext_cap_find(&pfs[0], PCI_EXT_CAP_ID_SRIOV), 0);
	for (unsigned int k = 0; k < 3; k++)
		assert_false(vfs[k].virtfn);

	/* Past the function in the way it works; a second time the PF is one already. */
	fresh_vfs(3);
	bad_info = info;
	bad_info.offset = 4;
	assert_int_equal(pci_sriov_check(&pfs[0], &bad_info, vfp, 3, &chk), 0);
	assert_int_equal(chk.err, PCI_SRIOV_OK);
	assert_int_equal(chk.offset, 4);
	assert_int_equal(chk.stride, 1);
	assert_true(pci_sriov_add(&sriov[0], &pfs[0], &bad_info, vfp, 3) > 0);
	assert_int_equal(vfs[0].devfn, 4);
	assert_int_equal(vfs[2].devfn, 6);
	build_vf(&vfs[20], &vf_model[20]);
	vfp[0] = &vfs[20];
	check_refused(&pfs[0], &(struct pci_sriov_info){ .offset = 20 }, 1, -EINVAL,
		     PCI_SRIOV_ERR_PF, 0);
	/* A VF cannot be a PF. */
	check_refused(&vfs[0], &(struct pci_sriov_info){ .offset = 20 }, 1, -EINVAL,
		     PCI_SRIOV_ERR_PF, 0);
}

static void test_check_no_room(void **state)
{
	const struct pci_sriov_info info = { .offset = 1 };
	struct pci_sriov_verdict chk;

	build_pf(&pfs[0], &pf_model[0]);
	assert_int_equal(pci_bus_attach(&rp.bus, &pfs[0], 0), 0);
	fresh_vfs(1);
	/* Extended config space full. */
	pfs[0].ext_cap_next = PCI_CFG_SPACE_EXP_SIZE - 0x3c;
	assert_int_equal(pci_sriov_check(&pfs[0], &info, vfp, 1, &chk), -ENOSPC);
	assert_int_equal(chk.err, PCI_SRIOV_ERR_PF);
	assert_int_equal(pci_sriov_add(&sriov[0], &pfs[0], &info, vfp, 1), -ENOSPC);
	assert_false(vfs[0].virtfn);
	assert_null(vfs[0].bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cap_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_device_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_locked_while_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vfe_ignored_above_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_bar_sizing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_disable_presence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routing_without_and_with_ari, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offset_and_stride, setup, teardown),
		cmocka_unit_test_setup_teardown(test_255_vfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_slices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_follows_windows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_flr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pf_flr_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_pfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linux_sequence, setup, teardown),
		cmocka_unit_test(test_layout),
		cmocka_unit_test_setup_teardown(test_check_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_no_room, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
