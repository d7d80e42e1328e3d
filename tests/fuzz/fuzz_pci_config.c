// SPDX-License-Identifier: GPL-2.0
/*
 * Config and BAR accesses in any order against a small PCIe topology: a
 * host bridge, a root port with two endpoints below (BARs of every kind,
 * MSI-X, FLR, ARI), a root port with a nested port and an endpoint, an
 * endpoint on the root bus, and a root port with two SR-IOV PFs whose VFs
 * interleave (PF 0 at devfn 0 with VFs at 2, 4, 6, 8; PF 1 at devfn 1 with
 * VFs at 3, 5, 7). After every step the decoded ranges are checked against
 * an independent reading of the registers.
 *
 * Input: a sequence of operations, each an opcode byte and its operands:
 * config reads and writes at any bus/devfn/offset/length, writes of
 * plausible values to the registers that matter (Command, BARs, bus
 * numbers, windows, Bridge Control, DevCtl/DevCtl2, PM, MSI-X), reads of
 * the capabilities, BAR accesses, MSI-X notifies with any vector, CF8/ECAM
 * accesses, a guest-like enumeration, functions hidden and shown, and
 * writes of plausible values to the SR-IOV registers (Control, NumVFs,
 * System Page Size, VF BARs).
 *
 * Checked after every step: no two decoded ranges overlap; each is a BAR of
 * a function at the address its registers give, with its decode enabled
 * and every bridge above forwarding it (a VF's at its slice of the PF's VF
 * BAR, with VF MSE set); every BAR that should decode and collides with
 * none does; absent functions read all-ones; MSI routes exist only for
 * functions with MSI-X enabled, and with MSI-X disabled nothing is
 * pending; the fake saw no bad call. SR-IOV: VF Enable implies NumVFs <=
 * TotalVFs; exactly VFs 1..NumVFs exist while it is set, none otherwise,
 * and absent VFs read all-ones; the read-only registers keep their values,
 * System Page Size one supported bit, VF BARs aligned to their slice; a
 * VF's own header shows 0xFFFF IDs, zero BARs, no INTx, Bus Master only.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/pci_fake.h"
#include "fuzz_input.h"
#include "pci/bar.h"
#include "pci/bridge.h"
#include "pci/cap.h"
#include "pci/host.h"
#include "pci/msix.h"
#include "pci/pci.h"
#include "pci/pcie.h"
#include "pci/pm.h"
#include "pci/root_port.h"
#include "pci/sriov.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NR_EPS	4
#define NR_PFS	2
#define NR_VFS	7	/* 4 of PF 0, 3 of PF 1 */
#define SRIOV_PORT	PCI_DEVFN(4, 0)
#define ARRAY_SIZE_HOT	(sizeof(hot_regs) / sizeof(hot_regs[0]))

static struct fake_plat fp;
static struct pci_root root;
static struct pci_device hb;
static struct pci_root_port rp[4];
static struct pci_device ep[NR_EPS];
static uint32_t scratch[NR_EPS + NR_PFS + NR_VFS][64];	/* device registers behind the BARs */
static struct pci_device *devs[32];
static unsigned int nr_devs;

/* SR-IOV: PF p's VFs are vf[pf_first[p] ..]; what was built, for the oracle. */
static struct pci_device pf[NR_PFS], vf[NR_VFS];
static struct pci_sriov sriov[NR_PFS];
static const unsigned int pf_nr_vfs[NR_PFS] = { 4, 3 };
static const unsigned int pf_first[NR_PFS] = { 0, 4 };
static unsigned int pf_cap[NR_PFS];
static unsigned int vf_pf[NR_VFS], vf_nr[NR_VFS];

static void scratch_io(void *opaque, uint64_t off, void *data, unsigned int len, bool is_write)
{
	uint32_t *regs = opaque;
	unsigned int i;

	assert(len >= 1 && len <= 8);
	for (i = 0; i < len; i++) {
		uint8_t *b = (uint8_t *)&regs[(off + i) / 4 % 64] + (off + i) % 4;

		if (is_write)
			*b = ((uint8_t *)data)[i];
		else
			((uint8_t *)data)[i] = *b;
	}
}

/* A model's own reset (FLR and bridge resets run it), on odd functions. */
static void model_reset(struct pci_device *d)
{
	pci_function_reset(d);
}

static const struct pci_device_ops model_ops = { .reset = model_reset };

static void ep_build(struct pci_device *d, unsigned int n, bool express)
{
	const struct pci_device_info info = {
		.vendor = 0x1af4, .device = 0x1041 + n, .class = 0x020000,
		.header_type = PCI_HEADER_TYPE_NORMAL, .irq_pin = 1, .express = express,
		.ops = n & 1 ? &model_ops : NULL,
	};
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_ENDPOINT, .flr = true };
	const struct pci_bar_desc io = {
		.size = 0x20, .flags = PCI_BASE_ADDRESS_SPACE_IO, .io = scratch_io,
		.opaque = scratch[n],
	};
	const struct pci_bar_desc m32 = { .size = 0x1000 };
	const struct pci_bar_desc m64 = {
		.size = 0x4000, .flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		.io = scratch_io, .opaque = scratch[n],
	};
	const struct pci_bar_desc m64big = {
		.size = 1ULL << 32, .flags = PCI_BASE_ADDRESS_MEM_TYPE_64, .io = scratch_io,
		.opaque = scratch[n],
	};

	pci_device_init(d, &info);
	if (pci_bar_add(d, 0, &io) || pci_bar_add(d, 1, &m32) || pci_bar_add(d, 2, &m64) ||
	    pci_bar_add(d, 4, &m64big))
		abort();
	if (express && (pcie_cap_add(d, &pcie) < 0 || pci_ari_add(d) < 0))
		abort();
	if (pci_pm_add(d) < 0)
		abort();
	/* MSI-X in its own BAR, or inside the 64-bit one with the registers. */
	if ((n & 1 ? msix_add(d, 8, 1, 0, 1, 0x800) : msix_add(d, 5, 2, 0x2000, 2, 0x3000)) < 0)
		abort();
}

/* All VFs of a PF alike: BAR0 32-bit below a page (MSI-X), BAR2 64-bit. */
static void sriov_fn_build(struct pci_device *d, unsigned int n, bool is_pf)
{
	const struct pci_device_info info = {
		.vendor = 0x1af4, .device = is_pf ? 0x1041 : 0x1041 + n % 2, .class = 0x020000,
		.header_type = PCI_HEADER_TYPE_NORMAL, .irq_pin = 1, .express = true,
		.ops = n & 1 ? &model_ops : NULL,
	};
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_ENDPOINT, .flr = true };
	uint32_t *regs = scratch[NR_EPS + (is_pf ? n : NR_PFS + n)];
	const struct pci_bar_desc m32 = { .size = is_pf ? 0x1000 : 0x800, .io = scratch_io,
					  .opaque = regs };
	const struct pci_bar_desc m64 = {
		.size = 0x4000, .flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		.io = scratch_io, .opaque = regs,
	};

	pci_device_init(d, &info);
	if (pci_bar_add(d, 0, &m32) || (!is_pf && pci_bar_add(d, 2, &m64)))
		abort();
	if (pcie_cap_add(d, &pcie) < 0 || pci_ari_add(d) < 0 || pci_pm_add(d) < 0 ||
	    msix_add(d, 4, 0, 0, 0, 0x400) < 0)
		abort();
}

/* Behind rp[3]: the PFs at devfn 0 and 1, VFs at offset 2, stride 2. */
static void sriov_build(void)
{
	const struct pci_sriov_info info = { .offset = 2, .stride = 2 };
	struct pci_device *vfs[NR_VFS];
	unsigned int p, k, i;

	for (p = 0; p < NR_PFS; p++) {
		sriov_fn_build(&pf[p], p, true);
		if (pci_bus_attach(&rp[3].bus, &pf[p], p))
			abort();
		for (k = 0; k < pf_nr_vfs[p]; k++) {
			i = pf_first[p] + k;
			/* The device ID differs between the PFs' VFs, never within. */
			sriov_fn_build(&vf[i], p, false);
			vf_pf[i] = p;
			vf_nr[i] = k + 1;
			vfs[k] = &vf[i];
		}
		if (pci_sriov_add(&sriov[p], &pf[p], &info, vfs, pf_nr_vfs[p]) <= 0)
			abort();
		pf_cap[p] = pci_ext_cap_find(&pf[p], PCI_EXT_CAP_ID_SRIOV);
	}
}

static int collect(struct pci_device *d, unsigned int depth, void *arg)
{
	devs[nr_devs++] = d;
	return 0;
}

static void build(void)
{
	fake_plat_init(&fp);
	memset(scratch, 0, sizeof(scratch));
	pci_root_init(&root);
	pci_root_set_platform(&root, &fp.plat);
	pci_host_bridge_init(&hb);
	if (pci_root_port_init(&rp[0], "rp0", 1, 1) || pci_root_port_init(&rp[1], "rp1", 2, 2) ||
	    pci_root_port_init(&rp[2], "rp2", 3, 3) || pci_root_port_init(&rp[3], "rp3", 4, 4))
		abort();
	ep_build(&ep[0], 0, true);
	ep_build(&ep[1], 1, true);
	ep_build(&ep[2], 2, true);
	ep_build(&ep[3], 3, false);
	if (pci_bus_attach(&root.bus0, &hb, 0) ||
	    pci_bus_attach(&root.bus0, &rp[0].dev, PCI_DEVFN(1, 0)) ||
	    pci_bus_attach(&root.bus0, &rp[1].dev, PCI_DEVFN(2, 0)) ||
	    pci_bus_attach(&root.bus0, &ep[3], PCI_DEVFN(3, 0)) ||
	    pci_bus_attach(&rp[0].bus, &ep[0], 0) ||
	    pci_bus_attach(&rp[0].bus, &ep[1], 0x11) ||
	    pci_bus_attach(&rp[1].bus, &rp[2].dev, 0) ||
	    pci_bus_attach(&rp[2].bus, &ep[2], 0) ||
	    pci_bus_attach(&root.bus0, &rp[3].dev, SRIOV_PORT))
		abort();
	sriov_build();
	nr_devs = 0;
	pci_root_walk(&root, collect, NULL);
}

static void teardown(void)
{
	pci_root_destroy(&root);
	fake_plat_fini(&fp);
}

/* ---- The oracle: what should decode, read straight from the registers. ---- */

static bool o_d0(const struct pci_device *d)
{
	return !d->pm_cap || !(d->cfg.val[d->pm_cap + PCI_PM_CTRL] & 3);
}

static uint32_t o32(const struct pci_device *d, unsigned int off)
{
	uint32_t v;

	memcpy(&v, &d->cfg.val[off], 4);
	return v;
}

static uint16_t o16(const struct pci_device *d, unsigned int off)
{
	uint16_t v;

	memcpy(&v, &d->cfg.val[off], 2);
	return v;
}

static bool o_in(uint64_t b, uint64_t l, uint64_t base, uint64_t last)
{
	return b <= l && b <= base && last <= l;
}

static bool o_forwards(const struct pci_device *br, bool io, uint64_t base, uint64_t last)
{
	uint16_t cmd = o16(br, PCI_COMMAND);
	if (!br->present || !o_d0(br))
		return false;
	if (io) {
		uint64_t b = (uint64_t)(br->cfg.val[PCI_IO_BASE] >> 4) << 12;
		uint64_t l = (uint64_t)(br->cfg.val[PCI_IO_LIMIT] >> 4) << 12 | 0xfff;

		if (!(cmd & PCI_COMMAND_IO) || !o_in(b, l, base, last))
			return false;
		if (o16(br, PCI_BRIDGE_CONTROL) & PCI_BRIDGE_CTL_ISA)
			for (uint64_t a = base; a <= last; a++)
				if (a & 0x300)
					return false;
		return true;
	}
	if (!(cmd & PCI_COMMAND_MEMORY))
		return false;
	{
		uint64_t mb = (uint64_t)(o16(br, PCI_MEMORY_BASE) >> 4) << 20;
		uint64_t ml = (uint64_t)(o16(br, PCI_MEMORY_LIMIT) >> 4) << 20 | 0xfffff;
		uint64_t pb = (uint64_t)o32(br, PCI_PREF_BASE_UPPER32) << 32 |
			      (uint64_t)(o16(br, PCI_PREF_MEMORY_BASE) >> 4) << 20;
		uint64_t pl = (uint64_t)o32(br, PCI_PREF_LIMIT_UPPER32) << 32 |
			      (uint64_t)(o16(br, PCI_PREF_MEMORY_LIMIT) >> 4) << 20 | 0xfffff;

		uint64_t pos = base;
		unsigned int n;

		/* Step through the range window by window (at most two steps). */
		for (n = 0; n < 3; n++) {
			uint64_t end;

			if (o_in(mb, ml, pos, pos))
				end = ml;
			else if (o_in(pb, pl, pos, pos))
				end = pl;
			else
				return false;
			if (end >= last)
				return true;
			pos = end + 1;
		}
		return false;
	}
}

/* The VF's index in vf[], or -1. */
static int o_vf_index(const struct pci_device *d)
{
	return d >= vf && d < vf + NR_VFS ? (int)(d - vf) : -1;
}

/* From the PF's bytes alone: VF Enable set and the VF within NumVFs. */
static bool o_vf_present(unsigned int i)
{
	const struct pci_device *p = &pf[vf_pf[i]];
	unsigned int cap = pf_cap[vf_pf[i]];

	return (o16(p, cap + PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE) &&
	       vf_nr[i] <= o16(p, cap + PCI_SRIOV_NUM_VF) &&
	       vf_nr[i] <= o16(p, cap + PCI_SRIOV_TOTAL_VF);
}

static bool o_present(const struct pci_device *d)
{
	int i = o_vf_index(d);

	return i < 0 ? d->present : o_vf_present(i);
}

/* The per-VF size of VF BARn: the BAR's size rounded up to the system page. */
static uint64_t o_slice(const struct pci_device *p, unsigned int cap, uint64_t size)
{
	uint32_t pg = o32(p, cap + PCI_SRIOV_SYS_PGSIZE);
	uint64_t page = 4096;

	while (pg && !(pg & 1)) {
		pg >>= 1;
		page <<= 1;
	}
	return size > page ? size : page;
}

/* VF i's BAR n: the PF's VF BARn + (VF number - 1) * slice, with VF MSE. */
static bool o_vf_bar(unsigned int i, unsigned int n, uint64_t size, bool is64, uint64_t *basep)
{
	const struct pci_device *p = &pf[vf_pf[i]];
	unsigned int cap = pf_cap[vf_pf[i]], reg = cap + PCI_SRIOV_BAR + 4 * n;
	uint64_t slice = o_slice(p, cap, size), vb;

	if (!(o16(p, cap + PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_MSE))
		return false;
	vb = o32(p, reg) & ~0xfU;
	if (is64)
		vb |= (uint64_t)o32(p, reg + 4) << 32;
	/* Unassigned, or being sized: no slice decodes. */
	if (!vb || vb + (slice - 1) == 0xffffffffULL || (is64 && vb >> 32 == 0xffffffff))
		return false;
	if ((vf_nr[i] - 1) * slice > UINT64_MAX - vb)
		return false;
	*basep = vb + (vf_nr[i] - 1) * slice;
	return true;
}

static bool o_bar(const struct pci_device *d, unsigned int i, uint64_t *basep)
{
	const struct pci_bar *bar = &d->bars[i];
	uint64_t size = bar->desc.size, base, last;
	bool io = bar->desc.flags & PCI_BASE_ADDRESS_SPACE_IO;
	bool is64 = !io && (bar->desc.flags & PCI_BASE_ADDRESS_MEM_TYPE_64);
	const struct pci_bus *bus;
	int vi = o_vf_index(d);
	uint32_t lo;

	if (!size || !o_present(d) || !o_d0(d))
		return false;
	if (vi >= 0) {
		if (!o_vf_bar(vi, i, size, is64, &base))
			return false;
	} else {
		if (!(o16(d, PCI_COMMAND) & (io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY)))
			return false;
		lo = o32(d, PCI_BASE_ADDRESS_0 + 4 * i);
		base = io ? lo & ~3U : lo & ~0xfU;
		if (is64)
			base |= (uint64_t)o32(d, PCI_BASE_ADDRESS_0 + 4 * i + 4) << 32;
	}
	last = base + size - 1;
	if (!base || last < base || (io && last > 0xffff) || last == 0xffffffffULL ||
	    (is64 && base >> 32 == 0xffffffff) || (!is64 && !io && last > 0xffffffffULL))
		return false;
	for (bus = d->bus; bus->self; bus = bus->self->bus)
		if (!o_forwards(bus->self, io, base, last))
			return false;
	*basep = base;
	return true;
}

static struct pci_device *o_route_bus(struct pci_bus *bus, uint8_t nr, uint8_t devfn)
{
	unsigned int i;

	for (i = 0; i < PCI_NR_DEVFN; i++) {
		struct pci_device *br = bus->devs[i];

		if (!br || !br->present || !br->secondary)
			continue;
		if (br->cfg.val[PCI_SECONDARY_BUS] == nr) {
			bool ari = o16(br, br->pcie_cap + PCI_EXP_DEVCTL2) & PCI_EXP_DEVCTL2_ARI;
			struct pci_device *d = br->secondary->devs[devfn];

			if (!ari && devfn >= 8)
				return NULL;
			return d && o_present(d) ? d : NULL;
		}
		if (nr > br->cfg.val[PCI_SECONDARY_BUS] && nr <= br->cfg.val[PCI_SUBORDINATE_BUS])
			return o_route_bus(br->secondary, nr, devfn);
	}
	return NULL;
}

static struct pci_device *o_route(uint8_t nr, uint8_t devfn)
{
	if (nr == 0)
		return root.bus0.devs[devfn] && root.bus0.devs[devfn]->present ?
		       root.bus0.devs[devfn] : NULL;
	return o_route_bus(&root.bus0, nr, devfn);
}

static uint8_t bus_of(const struct pci_device *d)
{
	return d->bus == &root.bus0 ? 0 : d->bus->self->cfg.val[PCI_SECONDARY_BUS];
}

static uint32_t cfg_r(const struct pci_device *d, unsigned int off, unsigned int len)
{
	return pci_root_config_read(&root, bus_of(d), d->devfn, off, len);
}

/* The SR-IOV invariants of PF p and its VFs. */
static void check_sriov(unsigned int p)
{
	const struct pci_device *d = &pf[p];
	unsigned int cap = pf_cap[p], i, n;
	uint16_t ctrl = o16(d, cap + PCI_SRIOV_CTRL), num = o16(d, cap + PCI_SRIOV_NUM_VF);
	uint32_t pg = o32(d, cap + PCI_SRIOV_SYS_PGSIZE), sup = o32(d, cap + PCI_SRIOV_SUP_PGSIZE);

	/* VF Enable never stands with NumVFs above TotalVFs. */
	if ((ctrl & PCI_SRIOV_CTRL_VFE) && num > pf_nr_vfs[p])
		abort();
	if (ctrl & ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE | (p ? 0 : PCI_SRIOV_CTRL_ARI)))
		abort();
	if (!pg || (pg & (pg - 1)) || (pg & ~sup) || sup != PCI_SRIOV_PAGE_SIZES)
		abort();
	if (o32(d, cap + PCI_SRIOV_CAP) || o16(d, cap + PCI_SRIOV_STATUS) ||
	    o16(d, cap + PCI_SRIOV_TOTAL_VF) != pf_nr_vfs[p] ||
	    o16(d, cap + PCI_SRIOV_INITIAL_VF) != pf_nr_vfs[p] ||
	    d->cfg.val[cap + PCI_SRIOV_FUNC_LINK] != p ||
	    o32(d, cap + PCI_SRIOV_VF_OFFSET) != (2 | 2 << 16) ||
	    o16(d, cap + PCI_SRIOV_VF_DID) != 0x1041 + p % 2 || o32(d, cap + PCI_SRIOV_VFM))
		abort();
	/* VF BARs aligned to their slice; the unimplemented ones zero. */
	for (i = 0; i < PCI_SRIOV_NUM_BARS; i++) {
		const struct pci_bar_desc *desc = &vf[pf_first[p]].bars[i].desc;
		uint32_t lo = o32(d, cap + PCI_SRIOV_BAR + 4 * i);

		if (!desc->size) {
			if (lo && !(i == 3 && vf[pf_first[p]].bars[2].desc.size))
				abort();
			continue;
		}
		if ((lo & ~0xfU) & (o_slice(d, cap, desc->size) - 1))
			abort();
		if ((lo & 0xf) != desc->flags)
			abort();
	}
	for (n = 0; n < pf_nr_vfs[p]; n++) {
		const struct pci_device *v = &vf[pf_first[p] + n];
		bool want = o_vf_present(pf_first[p] + n);
		const struct pci_device *route;

		if (v->present != want || !v->virtfn)
			abort();
		if (o32(v, PCI_VENDOR_ID) != 0xffffffff || v->cfg.val[PCI_INTERRUPT_PIN] ||
		    (o16(v, PCI_COMMAND) & ~PCI_COMMAND_MASTER))
			abort();
		for (i = 0; i < PCI_STD_NUM_BARS; i++)
			if (o32(v, PCI_BASE_ADDRESS_0 + 4 * i))
				abort();
		/*
		 * At its routing ID: absent, all-ones; present (and reachable),
		 * its class and 0xFFFF IDs. Another function may answer there
		 * while the guest's bus numbers send the request elsewhere.
		 */
		route = o_route(bus_of(v), v->devfn);
		if (!route && (cfg_r(v, PCI_CLASS_REVISION, 4) != 0xffffffff ||
			       cfg_r(v, PCI_VENDOR_ID, 2) != 0xffff))
			abort();
		if (route == v && (cfg_r(v, PCI_CLASS_REVISION, 4) >> 8 != 0x020000 ||
				   cfg_r(v, PCI_VENDOR_ID, 4) != 0xffffffff))
			abort();
	}
}

static void check(void)
{
	unsigned int i, j, k, want_routes = 0, used_routes = 0;

	if (fp.errors)
		abort();
	for (i = 0; i < NR_PFS; i++)
		check_sriov(i);
	/* No two decoded ranges overlap. */
	for (i = 0; i < fp.nr; i++)
		for (j = i + 1; j < fp.nr; j++) {
			const struct fake_range *a = &fp.ranges[i], *b = &fp.ranges[j];

			if (a->io == b->io && a->base <= b->base + (b->size - 1) &&
			    b->base <= a->base + (a->size - 1))
				abort();
		}
	for (i = 0; i < fp.nr; i++) {
		const struct fake_range *r = &fp.ranges[i];
		const struct pci_bar *bar = r->opaque;
		uint64_t base;
		bool found = false;

		/* Each is a BAR of one of ours, where the registers and the path say. */
		for (k = 0; k < nr_devs; k++)
			for (j = 0; j < PCI_STD_NUM_BARS; j++)
				found |= bar == &devs[k]->bars[j];
		if (!found || !bar->mapped || bar->base != r->base || bar->desc.size != r->size)
			abort();
		if (!o_bar(bar->dev, bar->index, &base) || base != r->base)
			abort();
	}
	for (k = 0; k < nr_devs; k++) {
		struct pci_device *d = devs[k];

		for (j = 0; j < PCI_STD_NUM_BARS; j++) {
			const struct pci_bar *bar = &d->bars[j];
			uint64_t base, b2;
			bool clash = false;
			unsigned int k2, j2;

			if (bar->mapped && !fake_find(&fp, bar->desc.flags & 1, bar->base))
				abort();
			if (bar->mapped || !o_bar(d, j, &base))
				continue;
			/* Wanted but not decoded: only when another wanted BAR overlaps it. */
			for (k2 = 0; k2 < nr_devs; k2++)
				for (j2 = 0; j2 < PCI_STD_NUM_BARS; j2++) {
					const struct pci_bar *o = &devs[k2]->bars[j2];

					if (o == bar || (o->desc.flags & 1) != (bar->desc.flags & 1) ||
					    !o_bar(devs[k2], j2, &b2))
						continue;
					clash |= b2 <= base + (bar->desc.size - 1) &&
						 base <= b2 + (o->desc.size - 1);
				}
			if (!clash)
				abort();
		}
		if (msix_enabled(d)) {
			want_routes += msix_nr_vectors(d);
		} else if (d->msix) {
			/* Disabled: nothing may be pending. */
			uint32_t pba = o32(d, pci_cap_find(d, PCI_CAP_ID_MSIX) + PCI_MSIX_PBA);
			uint64_t bits = 0;

			if (!msix_bar_io(d, pba & PCI_MSIX_PBA_BIR, pba & PCI_MSIX_PBA_OFFSET,
					 &bits, 8, false) || bits)
				abort();
		}
	}
	for (i = 0; i < FAKE_MAX_ROUTES; i++)
		used_routes += fp.routes[i].used;
	/* Routes exist only for enabled MSI-X functions. */
	if (used_routes > want_routes)
		abort();
}

/* Registers worth hitting with plausible values, to reach deep states fast. */
static const uint16_t hot_regs[] = {
	PCI_COMMAND, PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_1, PCI_BASE_ADDRESS_2,
	PCI_BASE_ADDRESS_3, PCI_BASE_ADDRESS_4, PCI_BASE_ADDRESS_5, PCI_PRIMARY_BUS,
	PCI_IO_BASE, PCI_MEMORY_BASE, PCI_PREF_MEMORY_BASE, PCI_PREF_BASE_UPPER32,
	PCI_PREF_LIMIT_UPPER32, PCI_BRIDGE_CONTROL,
};

/*
 * A value a guest would plausibly write there: addresses in a small area,
 * so BARs and windows meet often. raw picks among them.
 */
static uint32_t plausible_bridge(unsigned int off, uint32_t raw)
{
	switch (off) {
	case PCI_BASE_ADDRESS_0:
	case PCI_BASE_ADDRESS_1:
		return 0xc0000000 + (raw & 0x3ff000);
	case PCI_PRIMARY_BUS:
		return raw & 0x0f0f0f;
	case PCI_IO_BASE:	/* base and limit in 4 KiB units, 0x1000-0x4fff */
		return (0x10 + (raw & 0x30)) | (0x10 + (raw >> 8 & 0x30)) << 8;
	case PCI_MEMORY_BASE:	/* base and limit in MiB, 0xc0000000-0xc03fffff */
	case PCI_PREF_MEMORY_BASE:
		return (0xc000 | (raw & 0x30)) | (0xc000U | (raw >> 8 & 0x30)) << 16;
	case PCI_PREF_BASE_UPPER32:
	case PCI_PREF_LIMIT_UPPER32:
		return raw & 1;
	case PCI_BRIDGE_CONTROL & ~3U:
		return raw & 0x00460000;
	}
	return raw;
}

static uint32_t plausible_ep(unsigned int off, uint32_t raw)
{
	switch (off) {
	case PCI_BASE_ADDRESS_0:	/* the I/O BAR */
		return 0x1000 + (raw & 0x3fe0);
	case PCI_BASE_ADDRESS_1:
	case PCI_BASE_ADDRESS_2:
		return 0xc0000000 + (raw & 0x3ff000);
	case PCI_BASE_ADDRESS_3:
	case PCI_BASE_ADDRESS_5:
		return raw & 1;
	case PCI_BASE_ADDRESS_4:
		return raw & 0x80000000;
	}
	return raw;
}

/*
 * A value a guest would plausibly write there: addresses in a small area,
 * so BARs and windows meet often. raw picks among them.
 */
static uint32_t plausible(const struct pci_device *d, unsigned int off, uint32_t raw)
{
	if (off == PCI_COMMAND)
		return raw & 7;
	return d->secondary ? plausible_bridge(off, raw) : plausible_ep(off, raw);
}

static void op_hot_write(struct input *in)
{
	struct pci_device *d = devs[take(in, 1) % nr_devs];
	unsigned int sel = take(in, 1), kind = take(in, 1) % 4, off;
	uint32_t v = take(in, 4);

	if (sel < 2 * ARRAY_SIZE_HOT)
		off = hot_regs[sel % ARRAY_SIZE_HOT] & ~3U;
	else if (sel & 1 && d->pcie_cap)
		off = d->pcie_cap + (sel & 2 ? PCI_EXP_DEVCTL2 : PCI_EXP_DEVCTL);
	else if (sel & 2 && d->msix)
		off = pci_cap_find(d, PCI_CAP_ID_MSIX);
	else if (d->pm_cap)
		off = d->pm_cap + PCI_PM_CTRL;
	else
		off = PCI_COMMAND;
	if (kind == 1)
		v = 0xffffffff;
	else if (kind >= 2)
		v = plausible(d, off, v);
	/* Through the routing: reaches d once the bridges above are numbered. */
	pci_root_config_write(&root, d->bus == &root.bus0 ? 0 :
			      d->bus->self->cfg.val[PCI_SECONDARY_BUS], d->devfn, off, v, 4);
}

/* Reads where the capabilities are, refreshing their dynamic bytes. */
static void op_hot_read(struct input *in)
{
	struct pci_device *d = devs[take(in, 1) % nr_devs];
	unsigned int mode = take(in, 1), x = take(in, 2), off;
	struct pci_device *expect;
	uint32_t r;

	switch (mode % 4) {
	case 0:
		off = d->pcie_cap + (x & 0x3c);
		break;
	case 1:
		off = PCI_CFG_SPACE_SIZE + (x & 4);
		break;
	case 2:
		off = (x & 1 ? d->pm_cap : pci_cap_find(d, PCI_CAP_ID_MSIX)) + (x & 0xc);
		break;
	default:
		off = x & 0xffc;
		break;
	}
	pthread_mutex_lock(&root.lock);
	expect = o_route(bus_of(d), d->devfn);
	pthread_mutex_unlock(&root.lock);
	r = pci_root_config_read(&root, bus_of(d), d->devfn, off, 4);
	if (!expect && r != 0xffffffff)
		abort();
}

/* What SR-IOV's VF Enable will do: hide or show a function. */
static void op_present(struct input *in)
{
	unsigned int sel = take(in, 1);

	pthread_mutex_lock(&root.lock);
	pci_device_set_present(&ep[sel % NR_EPS], sel & 0x80);
	pthread_mutex_unlock(&root.lock);
}

/* Numbers the buses as Linux would, through config writes. */
static void op_enumerate(struct input *in)
{
	unsigned int sel = take(in, 1);

	pci_root_config_write(&root, 0, PCI_DEVFN(1, 0), PCI_PRIMARY_BUS, 0x010100, 4);
	pci_root_config_write(&root, 0, PCI_DEVFN(2, 0), PCI_PRIMARY_BUS, 0x030200, 4);
	pci_root_config_write(&root, 2, 0, PCI_PRIMARY_BUS, 0x030302, 4);
	pci_root_config_write(&root, 0, SRIOV_PORT, PCI_PRIMARY_BUS, 0x040400, 4);
	if (sel & 1)
		pci_root_config_write(&root, 0, PCI_DEVFN(1, 0), rp[0].dev.pcie_cap +
				      PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI, 2);
	/* Without ARI forwarding VF 4 of PF 0 (devfn 8) is out of reach. */
	if (!(sel & 2))
		pci_root_config_write(&root, 0, SRIOV_PORT, rp[3].dev.pcie_cap +
				      PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI, 2);
}

/* SR-IOV registers of a PF, with values a driver would write or any. */
static void op_sriov(struct input *in)
{
	unsigned int p = take(in, 1), sel = take(in, 1), kind = take(in, 1) % 4, off, len = 4;
	uint32_t v = take(in, 4);
	const struct pci_device *d = &pf[p % NR_PFS];
	unsigned int cap = pf_cap[p % NR_PFS], bar;

	switch (sel % 6) {
	case 0:
		off = PCI_SRIOV_CTRL;
		len = 2;
		if (kind >= 2)
			v &= PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE | PCI_SRIOV_CTRL_ARI;
		break;
	case 1:
		off = PCI_SRIOV_NUM_VF;
		len = 2;
		if (kind >= 2)
			v %= pf_nr_vfs[p % NR_PFS] + 2;
		break;
	case 2:
		off = PCI_SRIOV_SYS_PGSIZE;
		if (kind >= 2)
			v = 1U << (v % 12);
		break;
	case 3:	/* Linux's enable: NumVFs (sometimes too many), then VFE | MSE */
		pci_root_config_write(&root, bus_of(d), d->devfn, cap + PCI_SRIOV_NUM_VF,
				      v % (pf_nr_vfs[p % NR_PFS] + 3), 2);
		off = PCI_SRIOV_CTRL;
		len = 2;
		v = PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE | (v >> 16 & PCI_SRIOV_CTRL_ARI);
		break;
	default:
		bar = v % PCI_SRIOV_NUM_BARS;
		off = PCI_SRIOV_BAR + 4 * bar;
		/* In the windows guest_setup opens, so slices meet often. */
		if (kind >= 2)
			v = bar == 0 ? 0xc0400000 + (v & 0x1ff000) :
			    bar == 2 ? v & 0x1fc000 : bar == 3 ? 2 + (v >> 30 & 1) : v;
		break;
	}
	if (kind == 1)
		v = 0xffffffff;
	pci_root_config_write(&root, bus_of(d), d->devfn, cap + off, v, len);
}

static unsigned int pick_len(unsigned int sel)
{
	static const unsigned int lens[] = { 1, 2, 4, 4, 4, 8, 3, 0 };

	return lens[sel & 7];
}

static void op_config(struct input *in, bool is_write)
{
	uint8_t bus = take(in, 1), devfn = take(in, 1);
	unsigned int off = take(in, 2) & 0xfff, len = pick_len(take(in, 1));
	uint32_t v = take(in, 4), r;
	struct pci_device *expect;

	if (is_write) {
		pci_root_config_write(&root, bus, devfn, off, v, len);
		return;
	}
	pthread_mutex_lock(&root.lock);
	expect = o_route(bus, devfn);
	if (expect != pci_root_route(&root, bus, devfn))
		abort();
	pthread_mutex_unlock(&root.lock);
	r = pci_root_config_read(&root, bus, devfn, off, len);
	if (!expect && len && len <= 4 && r != (len == 4 ? 0xffffffff : (1U << (8 * len)) - 1))
		abort();
}

static void op_host(struct input *in)
{
	unsigned int sel = take(in, 1), len = pick_len(sel >> 1);
	uint64_t off = take(in, 4) & 0x0fffffff;
	uint8_t buf[8];
	uint32_t v = take(in, 4);

	if (!len)
		return;
	memcpy(buf, &v, 4);
	memcpy(buf + 4, &v, 4);
	if (sel & 1)
		pci_host_ecam_io(&root, off, buf, len, sel & 0x80);
	else
		pci_host_cf8_io(&root, off & 7, buf, len, sel & 0x80);
}

static const uint32_t msix_areas[] = { 0, 0x800, 0x2000, 0x3000 };

static void op_bar(struct input *in)
{
	unsigned int sel = take(in, 1), len = pick_len(take(in, 1));
	uint64_t off = take(in, 2);
	uint64_t v = (uint64_t)take(in, 4) << 32 | take(in, 4);
	const struct fake_range *r;

	if (!fp.nr || !len || len > 8)
		return;
	r = &fp.ranges[sel % fp.nr];
	/* Often where the MSI-X tables and PBAs live. */
	if (sel & 0x40)
		off = msix_areas[off & 3] + (off >> 2 & 0x7c);
	fake_access(&fp, r->io, r->base + off % r->size, &v, len, sel & 0x80);
}

static void op_notify(struct input *in)
{
	struct pci_device *d = devs[take(in, 1) % nr_devs];
	unsigned int vec = take(in, 2);
	int ret = msix_notify(d, vec);

	if (ret && !(vec >= msix_nr_vectors(d)))
		abort();
	if (!ret && vec >= msix_nr_vectors(d))
		abort();
}

static void cfg_w(uint8_t bus, uint8_t devfn, unsigned int off, uint32_t v, unsigned int len)
{
	pci_root_config_write(&root, bus, devfn, off, v, len);
}

/*
 * The PFs as Linux sets them up: PF BAR, VF BARs (PF 0 at 0xc0400000 and
 * 8 GiB, PF 1 at 0xc0500000 and 8 GiB + 1 MiB), then VFs enabled with MSI-X
 * on in some. sel leaves parts out.
 */
static void sriov_setup(unsigned int sel)
{
	unsigned int p, k;

	for (p = 0; p < NR_PFS; p++) {
		unsigned int cap = pf_cap[p];
		uint32_t n = (sel >> (8 + 2 * p) & 3) + (p == 0);

		cfg_w(4, p, PCI_BASE_ADDRESS_0, 0xc05f0000 + p * 0x1000, 4);
		cfg_w(4, p, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
		cfg_w(4, p, cap + PCI_SRIOV_CTRL, p ? 0 : PCI_SRIOV_CTRL_ARI, 2);
		cfg_w(4, p, cap + PCI_SRIOV_SYS_PGSIZE, 1, 4);
		cfg_w(4, p, cap + PCI_SRIOV_BAR, 0xc0400000 + p * 0x100000, 4);
		cfg_w(4, p, cap + PCI_SRIOV_BAR + 8, p * 0x100000, 4);
		cfg_w(4, p, cap + PCI_SRIOV_BAR + 12, 2, 4);
		if (sel & 0x4000)
			continue;
		cfg_w(4, p, cap + PCI_SRIOV_NUM_VF, n, 2);
		cfg_w(4, p, cap + PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE |
		      (p ? 0 : PCI_SRIOV_CTRL_ARI), 2);
		for (k = 0; k < n && !(sel & 0x8000); k++) {
			const struct pci_device *v = &vf[pf_first[p] + k];

			cfg_w(4, v->devfn, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
			cfg_w(4, v->devfn, pci_cap_find(v, PCI_CAP_ID_MSIX) + PCI_MSIX_FLAGS,
			      PCI_MSIX_FLAGS_ENABLE, 2);
		}
	}
}

/*
 * What Linux leaves behind after enumeration: buses numbered, windows,
 * BARs assigned, decode on, MSI-X enabled with vectors unmasked. sel
 * leaves parts out so the rest of the input starts from varied states.
 */
static void op_guest_setup(struct input *in)
{
	static const struct { uint8_t bus, devfn; } where[NR_EPS] = {
		{ 1, 0 }, { 1, 0x11 }, { 3, 0 }, { 0, PCI_DEVFN(3, 0) },
	};
	unsigned int sel = take(in, 2), i, v;

	op_enumerate(&(struct input){ (const uint8_t *)"\x01", 1 });
	/* rp0: I/O 0x1000-0x1fff, memory 0xc0000000-0xc01fffff, prefetchable 4-5 GiB. */
	cfg_w(0, PCI_DEVFN(1, 0), PCI_IO_BASE, 0x1010, 2);
	cfg_w(0, PCI_DEVFN(1, 0), PCI_MEMORY_BASE, 0xc010c000, 4);
	cfg_w(0, PCI_DEVFN(1, 0), PCI_PREF_MEMORY_BASE, 0xfff10001, 4);
	cfg_w(0, PCI_DEVFN(1, 0), PCI_PREF_BASE_UPPER32, 1, 4);
	cfg_w(0, PCI_DEVFN(1, 0), PCI_PREF_LIMIT_UPPER32, 1, 4);
	/* rp1 and rp2 below it: I/O 0x2000-0x2fff, memory 0xc0200000-0xc03fffff. */
	cfg_w(0, PCI_DEVFN(2, 0), PCI_IO_BASE, 0x2020, 2);
	cfg_w(0, PCI_DEVFN(2, 0), PCI_MEMORY_BASE, 0xc030c020, 4);
	cfg_w(2, 0, PCI_IO_BASE, 0x2020, 2);
	cfg_w(2, 0, PCI_MEMORY_BASE, 0xc030c020, 4);
	/* rp3: memory 0xc0400000-0xc05fffff, prefetchable 8-10 GiB. */
	cfg_w(0, SRIOV_PORT, PCI_MEMORY_BASE, 0xc050c040, 4);
	cfg_w(0, SRIOV_PORT, PCI_PREF_MEMORY_BASE, 0x00010001, 4);
	cfg_w(0, SRIOV_PORT, PCI_PREF_BASE_UPPER32, 2, 4);
	cfg_w(0, SRIOV_PORT, PCI_PREF_LIMIT_UPPER32, 2, 4);
	if (!(sel & 1)) {
		cfg_w(0, PCI_DEVFN(1, 0), PCI_COMMAND, 7, 2);
		cfg_w(0, PCI_DEVFN(2, 0), PCI_COMMAND, 7, 2);
		cfg_w(2, 0, PCI_COMMAND, 7, 2);
		cfg_w(0, SRIOV_PORT, PCI_COMMAND, 7, 2);
	}
	sriov_setup(sel);
	for (i = 0; i < NR_EPS; i++) {
		uint8_t bus = where[i].bus, devfn = where[i].devfn;
		uint32_t mem = i < 2 ? 0xc0000000 + i * 0x100000 : 0xc0200000 + i * 0x10000;
		unsigned int cap = pci_cap_find(&ep[i], PCI_CAP_ID_MSIX);

		cfg_w(bus, devfn, PCI_BASE_ADDRESS_0, (i < 2 ? 0x1000 : 0x2000) + i * 0x40, 4);
		cfg_w(bus, devfn, PCI_BASE_ADDRESS_1, mem, 4);
		cfg_w(bus, devfn, PCI_BASE_ADDRESS_2, i < 3 ? 0x40000 * i : mem + 0x8000, 4);
		cfg_w(bus, devfn, PCI_BASE_ADDRESS_3, i < 2, 4);
		if (sel & 2)
			cfg_w(bus, devfn, PCI_BASE_ADDRESS_5, 2 + i, 4);
		if (!(sel & 4 << i))
			cfg_w(bus, devfn, PCI_COMMAND, 7, 2);
		if (sel & 0x40)
			continue;
		cfg_w(bus, devfn, cap + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE |
		      (sel & 0x80 ? PCI_MSIX_FLAGS_MASKALL : 0), 2);
		/* Program and unmask the vectors through the BAR, as a driver does. */
		for (v = 0; v < msix_nr_vectors(&ep[i]); v++) {
			uint64_t t;
			unsigned int bar = i & 1 ? 1 : 2;

			if (!pci_bar_mapped(&ep[i], bar, &t))
				break;
			t += (i & 1 ? 0 : 0x2000) + v * PCI_MSIX_ENTRY_SIZE;
			fake_write32(&fp, t + PCI_MSIX_ENTRY_LOWER_ADDR, 0xfee00000);
			fake_write32(&fp, t + PCI_MSIX_ENTRY_DATA, 0x20 + v);
			if (!(sel & 0x100 << (v & 3)))
				fake_write32(&fp, t + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	build();
	while (in.left) {
		switch (take(&in, 1) % 13) {
		case 0:
		case 1:
			op_config(&in, true);
			break;
		case 2:
			op_config(&in, false);
			break;
		case 3:
		case 4:
			op_hot_write(&in);
			break;
		case 5:
			op_bar(&in);
			break;
		case 6:
			op_notify(&in);
			break;
		case 7:
			op_host(&in);
			break;
		case 8:
			op_enumerate(&in);
			break;
		case 9:
			op_guest_setup(&in);
			break;
		case 10:
			op_hot_read(&in);
			break;
		case 11:
			op_present(&in);
			break;
		case 12:
			op_sriov(&in);
			break;
		}
		check();
	}
	teardown();
	return 0;
}
