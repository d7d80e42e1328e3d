/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A machine as vm_create() builds it, for unit tests: a command line
 * parsed by cli_parse(), its backends made by net_create(), its devices
 * built by vm_pci_devices_create() on a PCI root over a fake platform
 * (pci_fixture.h); then config cycles and BAR accesses as Linux makes
 * them to a root port at 00:xx.0 and an SR-IOV PF at 01:00.0 below it.
 * A test file includes it once; its tests use setup() and teardown().
 */
#ifndef SRIOVM_TESTS_VM_FIXTURE_H
#define SRIOVM_TESTS_VM_FIXTURE_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_pci.h>

#include "cli/cli.h"
#include "lib/dma.h"
#include "lib/loop.h"
#include "net/net.h"
#include "pci/host.h"
#include "pci_fixture.h"
#include "virtio/net.h"
#include "virtio/pci.h"
#include "virtio_guest.h"
#include "vmm/devices.h"

#define BUS		1
#define MEM_BASE	0xc0000000ULL	/* the root port's memory window: 16 MiB */
#define PREF_BASE	0x100000000ULL	/* its prefetchable window: 16 MiB at 4 GiB */
#define PF_BAR1		MEM_BASE
#define PF_BAR4		PREF_BASE
#define VF_BAR1		(MEM_BASE + 0x100000)
#define VF_BAR4		(PREF_BASE + 0x100000)
#define MSIX_SIZE	0x1000
#define MODERN_SIZE	0x4000
#define MAC0		0x525400123456ULL

#define COMMON(f)	offsetof(struct virtio_pci_common_cfg, f)

static struct vm_config cfg;
static struct loop loop;
static struct guest_mem mem;
static struct dma_space dma;
static struct net *net;
static struct vm_pci_dev *devs;
static uint8_t rp_devfn;
static unsigned int sriov_cap;

/* ---- the machine, as vm_create() builds it ---- */

static inline int parse(const char *const *words)
{
	char *argv[1100];
	int argc = 0, ret;
	FILE *null = fopen("/dev/null", "w");

	argv[argc++] = "sriovm";
	argv[argc++] = "-kernel";
	argv[argc++] = "k";
	for (; *words; words++) {
		assert_true(argc < 1099);
		argv[argc++] = (char *)*words;
	}
	argv[argc] = NULL;
	assert_non_null(null);
	ret = cli_parse(argc, argv, &cfg, null, stderr);
	fclose(null);
	return ret;
}

static inline int build(void)
{
	struct vm_devices_env env = {
		.cfg = &cfg, .root = &root, .dma = &dma, .loop = &loop,
	};
	int ret;

	assert_int_equal(net_create(&net, cfg.netdevs, cfg.nr_netdevs, &loop), 0);
	env.net = net;
	ret = vm_pci_devices_create(&env, &devs);
	if (cfg.nr_pci_devs && cfg.pci_devs[0].kind == PCI_DEV_ROOT_PORT)
		rp_devfn = PCI_DEVFN(cfg.pci_devs[0].slot, cfg.pci_devs[0].fn);
	return ret;
}

/* A command line (without -kernel) built into a machine; 0 or its error. */
#define MACHINE(...)	machine((const char *const[]){ __VA_ARGS__, NULL })

static inline int machine(const char *const *words)
{
	assert_int_equal(parse(words), 0);
	return build();
}

static inline int setup(void **state)
{
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(loop_init(&loop), 0);
	fg_init(&mem);
	dma_space_identity(&dma, &mem);
	pci_fixture_setup(true);
	net = NULL;
	devs = NULL;
	sriov_cap = 0;
	return 0;
}

/* vm_destroy()'s order: devices (backends first), the root, the devices' memory. */
static inline int teardown(void **state)
{
	vm_pci_devices_destroy(&cfg, devs);
	pci_root_destroy(&root);
	vm_pci_devices_free(&cfg, devs);
	if (net)
		net_destroy(net);
	cli_free(&cfg);
	assert_int_equal(fp.errors, 0);
	fake_plat_fini(&fp);
	fg_free(&mem);
	loop_destroy(&loop);
	return 0;
}

/* ---- a guest's accesses ---- */

/* The standard capability list, walked as Linux walks it. */
static inline unsigned int find_cap(uint8_t bus, uint8_t devfn, uint8_t id)
{
	unsigned int pos = cfg_rd(bus, devfn, PCI_CAPABILITY_LIST, 1), n;

	for (n = 0; pos >= PCI_STD_HEADER_SIZEOF && n < 48; n++) {
		if (cfg_rd(bus, devfn, pos, 1) == id)
			return pos;
		pos = cfg_rd(bus, devfn, pos + 1, 1);
	}
	return 0;
}

static inline unsigned int find_ext_cap(uint8_t bus, uint8_t devfn, uint16_t id)
{
	unsigned int pos = PCI_CFG_SPACE_SIZE, n;
	uint32_t hdr;

	for (n = 0; pos >= PCI_CFG_SPACE_SIZE && n < 480; n++) {
		hdr = cfg_rd(bus, devfn, pos, 4);
		if (!hdr || hdr == 0xffffffff)
			return 0;
		if (PCI_EXT_CAP_ID(hdr) == id)
			return pos;
		pos = PCI_EXT_CAP_NEXT(hdr);
	}
	return 0;
}

/* What firmware and Linux do to the root port: bus 1, windows, decode, ARI forwarding. */
static inline void enumerate_port(void)
{
	unsigned int exp = find_cap(0, rp_devfn, PCI_CAP_ID_EXP);

	assert_int_not_equal(exp, 0);
	cfg_wr(0, rp_devfn, PCI_PRIMARY_BUS, 0x010100, 4);
	cfg_wr(0, rp_devfn, PCI_MEMORY_BASE,
	   (MEM_BASE >> 16) | ((MEM_BASE + 0xf00000) & 0xfff00000), 4);
	cfg_wr(0, rp_devfn, PCI_PREF_MEMORY_BASE, 0x00f10001, 4);
	cfg_wr(0, rp_devfn, PCI_PREF_BASE_UPPER32, PREF_BASE >> 32, 4);
	cfg_wr(0, rp_devfn, PCI_PREF_LIMIT_UPPER32, PREF_BASE >> 32, 4);
	cfg_wr(0, rp_devfn, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_true(cfg_rd(0, rp_devfn, exp + PCI_EXP_DEVCAP2, 4) & PCI_EXP_DEVCAP2_ARI);
	cfg_wr(0, rp_devfn, exp + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI, 2);
}

static inline uint16_t sriov_rd(unsigned int reg)
{
	return (uint16_t)cfg_rd(BUS, 0, sriov_cap + reg, 2);
}

static inline void sriov_wr(unsigned int reg, uint32_t v, unsigned int len)
{
	cfg_wr(BUS, 0, sriov_cap + reg, v, len);
}

/* A BAR's size by the all-ones method (low dword), the value put back. */
static inline uint32_t size_bar(uint8_t devfn, unsigned int reg)
{
	uint32_t old = cfg_rd(BUS, devfn, reg, 4), mask;

	cfg_wr(BUS, devfn, reg, 0xffffffff, 4);
	mask = cfg_rd(BUS, devfn, reg, 4);
	cfg_wr(BUS, devfn, reg, old, 4);
	return ~(mask & PCI_BASE_ADDRESS_MEM_MASK) + 1;
}

/* pci_init_capabilities() and sriov_init() on the PF at 01:00.0, then its BARs. */
static inline void enumerate_pf(void)
{
	unsigned int n;

	enumerate_port();
	assert_int_equal(cfg_rd(BUS, 0, PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_rd(BUS, 0, PCI_DEVICE_ID, 2), 0x1041);
	/* The PF is a multi-function device: sriovm set the bit, not multifunction=on. */
	assert_int_equal(cfg_rd(BUS, 0, PCI_HEADER_TYPE, 1),
			 PCI_HEADER_TYPE_MFD | PCI_HEADER_TYPE_NORMAL);
	assert_int_not_equal(find_ext_cap(BUS, 0, PCI_EXT_CAP_ID_ARI), 0);
	sriov_cap = find_ext_cap(BUS, 0, PCI_EXT_CAP_ID_SRIOV);
	assert_int_not_equal(sriov_cap, 0);

	/* sriov_init: ARI Capable Hierarchy first, then the fixed fields. */
	sriov_wr(PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI, 2);
	assert_true(cfg_rd(BUS, 0, sriov_cap + PCI_SRIOV_SUP_PGSIZE, 4) & 1);
	sriov_wr(PCI_SRIOV_SYS_PGSIZE, 1, 4);
	/* VF BAR1: the MSI-X table, VF BAR4: the modern registers, as the PF's. */
	assert_int_equal(size_bar(0, sriov_cap + PCI_SRIOV_BAR + 4), MSIX_SIZE);
	assert_int_equal(size_bar(0, sriov_cap + PCI_SRIOV_BAR + 16), MODERN_SIZE);
	assert_int_equal(size_bar(0, sriov_cap + PCI_SRIOV_BAR), 0);
	/* compute_max_vf_buses: NumVFs down from TotalVFs, offset and stride never 0. */
	for (n = sriov_rd(PCI_SRIOV_TOTAL_VF); n >= 1; n--) {
		sriov_wr(PCI_SRIOV_NUM_VF, n, 2);
		assert_int_not_equal(sriov_rd(PCI_SRIOV_VF_OFFSET), 0);
		assert_int_not_equal(sriov_rd(PCI_SRIOV_VF_STRIDE), 0);
	}
	sriov_wr(PCI_SRIOV_NUM_VF, 0, 2);

	/* Resources, as firmware leaves them: PF and VF BARs inside the windows. */
	cfg_wr(BUS, 0, PCI_BASE_ADDRESS_1, (uint32_t)PF_BAR1, 4);
	cfg_wr(BUS, 0, PCI_BASE_ADDRESS_4, (uint32_t)PF_BAR4, 4);
	cfg_wr(BUS, 0, PCI_BASE_ADDRESS_5, PF_BAR4 >> 32, 4);
	sriov_wr(PCI_SRIOV_BAR + 4, (uint32_t)VF_BAR1, 4);
	sriov_wr(PCI_SRIOV_BAR + 16, (uint32_t)VF_BAR4, 4);
	sriov_wr(PCI_SRIOV_BAR + 20, VF_BAR4 >> 32, 4);
	cfg_wr(BUS, 0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

/* pci_enable_sriov(n): NumVFs, then VF Enable and VF MSE together. */
static inline void sriov_enable(unsigned int n)
{
	assert_int_equal(sriov_rd(PCI_SRIOV_INITIAL_VF), sriov_rd(PCI_SRIOV_TOTAL_VF));
	assert_int_equal(cfg_rd(BUS, 0, sriov_cap + PCI_SRIOV_FUNC_LINK, 1), 0);
	sriov_wr(PCI_SRIOV_NUM_VF, n, 2);
	sriov_wr(PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI | PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE, 2);
}

/* sriov_disable(): VF Enable and MSE off, then NumVFs 0. */
static inline void sriov_disable(void)
{
	sriov_wr(PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI, 2);
	sriov_wr(PCI_SRIOV_NUM_VF, 0, 2);
}

/* BAR4 of the PF (vf 0) or of VF vf: its slice of the PF's VF BAR4. */
static inline uint64_t modern_base(unsigned int vf)
{
	return vf ? VF_BAR4 + (uint64_t)(vf - 1) * MODERN_SIZE : PF_BAR4;
}

static inline bool bar_rd(uint64_t addr, void *data, unsigned int len)
{
	memset(data, 0xff, len);
	return fake_access(&fp, false, addr, data, len, false);
}

static inline uint64_t features(unsigned int vf)
{
	uint64_t base = modern_base(vf);
	uint32_t lo, hi;

	fake_write32(&fp, base + COMMON(device_feature_select), 0);
	lo = fake_read32(&fp, base + COMMON(device_feature));
	fake_write32(&fp, base + COMMON(device_feature_select), 1);
	hi = fake_read32(&fp, base + COMMON(device_feature));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t mac_of(unsigned int vf)
{
	uint64_t base = modern_base(vf) + VIRTIO_PCI_DEVICE_OFF, mac = 0;
	uint8_t b;
	unsigned int i;

	for (i = 0; i < ETH_ALEN; i++) {
		assert_true(bar_rd(base + offsetof(struct virtio_net_config, mac) + i, &b, 1));
		mac = mac << 8 | b;
	}
	return mac;
}

static inline uint8_t status_of(unsigned int vf)
{
	uint8_t s;

	assert_true(bar_rd(modern_base(vf) + COMMON(device_status), &s, 1));
	return s;
}

static inline void set_status(unsigned int vf, uint8_t s)
{
	assert_true(fake_access(&fp, false, modern_base(vf) + COMMON(device_status), &s, 1,
				true));
}

/* A VF that answers: its class, a type 0 header, but Vendor and Device ID 0xFFFF. */
static inline void assert_vf_present(uint8_t devfn)
{
	assert_int_equal(cfg_rd(BUS, devfn, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(cfg_rd(BUS, devfn, PCI_CLASS_REVISION, 4) >> 8, 0x020000);
	assert_int_equal(cfg_rd(BUS, devfn, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK,
			 PCI_HEADER_TYPE_NORMAL);
	assert_int_equal(cfg_rd(BUS, devfn, PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_rd(BUS, devfn, PCI_INTERRUPT_PIN, 1), 0);
	assert_int_not_equal(find_cap(BUS, devfn, PCI_CAP_ID_EXP), 0);
	assert_int_not_equal(find_cap(BUS, devfn, PCI_CAP_ID_MSIX), 0);
	assert_int_not_equal(find_ext_cap(BUS, devfn, PCI_EXT_CAP_ID_ARI), 0);
}

static inline void assert_vf_absent(uint8_t devfn)
{
	assert_int_equal(cfg_rd(BUS, devfn, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(cfg_rd(BUS, devfn, PCI_CLASS_REVISION, 4), 0xffffffff);
	assert_int_equal(cfg_rd(BUS, devfn, PCI_CFG_SPACE_SIZE, 4), 0xffffffff);
}

#define SEED_LINE							\
	"-netdev", "user,id=n", "-netdev", "user,id=o", "-netdev", "user,id=p", \
	"-netdev", "user,id=q", "-device", "pcie-root-port,id=b",	\
	"-device", "virtio-net-pci,bus=b,addr=0x0.0x3,netdev=q,sriov-pf=f", \
	"-device", "virtio-net-pci,bus=b,addr=0x0.0x2,netdev=p,sriov-pf=f", \
	"-device", "virtio-net-pci,bus=b,addr=0x0.0x1,netdev=o,sriov-pf=f", \
	"-device", "virtio-net-pci,bus=b,addr=0x0.0x0,netdev=n,id=f"


#endif
