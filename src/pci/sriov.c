// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "pci/cap.h"
#include "pci/pcie.h"
#include "pci/sriov.h"

#define PCI_SRIOV_VERSION	1
#define PCI_SRIOV_PAGE_SHIFT	12	/* System Page Size bit n: 2^(n + 12) bytes */

static const char *const pci_sriov_errors[] = {
	[PCI_SRIOV_OK]			= "no error",
	[PCI_SRIOV_ERR_NO_VFS]		= "no VFs",
	[PCI_SRIOV_ERR_NOT_ABOVE_PF]	= "a VF's function number is not above the PF's",
	[PCI_SRIOV_ERR_SAME_FN]		= "two VFs have the same function number",
	[PCI_SRIOV_ERR_STRIDE]		= "the VFs' function numbers have an inconsistent stride",
	[PCI_SRIOV_ERR_GAP]		= "a function number is missing between two VFs",
	[PCI_SRIOV_ERR_OVERFLOW]	= "the VFs go past function 255",
	[PCI_SRIOV_ERR_PAGE_SIZES]	= "the supported page sizes lack 4 KiB",
	[PCI_SRIOV_ERR_PF]		= "the PF cannot host VFs (it must be an attached "
					  "PCI Express endpoint with room for the SR-IOV capability)",
	[PCI_SRIOV_ERR_VF]		= "the VF is not a PCI Express endpoint function of the "
					  "PF's kind, or is used twice",
	[PCI_SRIOV_ERR_IDS]		= "the VF's vendor differs from the PF's, or its device, "
					  "class or subsystem from the first VF's",
	[PCI_SRIOV_ERR_BARS]		= "the VF's BARs differ from the first VF's, or it has an "
					  "I/O BAR",
	[PCI_SRIOV_ERR_TAKEN]		= "the VF's function number is taken",
};

const char *pci_sriov_strerror(enum pci_sriov_err err)
{
	if ((unsigned int)err >= sizeof(pci_sriov_errors) / sizeof(pci_sriov_errors[0]))
		return "unknown SR-IOV error";
	return pci_sriov_errors[err];
}

static int pci_sriov_fail(struct pci_sriov_verdict *chk, enum pci_sriov_err err, unsigned int bad)
{
	chk->err = err;
	chk->bad = bad;
	return -EINVAL;
}

int pci_sriov_layout(unsigned int pf_devfn, const unsigned int *vf_devfns, unsigned int nr,
		     unsigned int *order, struct pci_sriov_verdict *chk)
{
	unsigned int idx[PCI_SRIOV_MAX_VFS], i, j, stride, diff;

	memset(chk, 0, sizeof(*chk));
	if (!nr)
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_NO_VFS, 0);
	/* Routing IDs only grow from the PF's: offset and stride are unsigned. */
	for (i = 0; i < nr; i++) {
		if (vf_devfns[i] <= pf_devfn)
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_NOT_ABOVE_PF, i);
		if (vf_devfns[i] >= PCI_NR_DEVFN)
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_OVERFLOW, i);
	}
	if (nr > PCI_SRIOV_MAX_VFS)
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_OVERFLOW, PCI_SRIOV_MAX_VFS);

	/* By function number, ties in the caller's order (insertion sort: nr <= 255). */
	for (i = 0; i < nr; i++) {
		unsigned int v = i;

		for (j = i; j > 0 && vf_devfns[idx[j - 1]] > vf_devfns[v]; j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
	for (i = 1; i < nr; i++)
		if (vf_devfns[idx[i]] == vf_devfns[idx[i - 1]])
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_SAME_FN, idx[i]);

	/* The first two set the stride; a multiple of it later is a missing VF. */
	stride = nr > 1 ? vf_devfns[idx[1]] - vf_devfns[idx[0]] : 1;
	for (i = 2; i < nr; i++) {
		diff = vf_devfns[idx[i]] - vf_devfns[idx[i - 1]];
		if (diff == stride)
			continue;
		return pci_sriov_fail(chk, diff % stride ? PCI_SRIOV_ERR_STRIDE : PCI_SRIOV_ERR_GAP,
				      idx[i]);
	}
	chk->offset = vf_devfns[idx[0]] - pf_devfn;
	chk->stride = stride;
	if (order)
		memcpy(order, idx, nr * sizeof(*order));
	return 0;
}

static bool pci_sriov_endpoint(const struct pci_device *d)
{
	int type = pcie_type(d);

	return d->cfg.size == PCI_CFG_SPACE_EXP_SIZE && !d->secondary &&
	       (pci_config_get8(&d->cfg, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK) ==
	       PCI_HEADER_TYPE_NORMAL &&
	       (type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_RC_END);
}

static bool pci_sriov_pf_ok(const struct pci_device *pf)
{
	return pf->bus && !pf->virtfn && pci_sriov_endpoint(pf) &&
	       !pci_ext_cap_find(pf, PCI_EXT_CAP_ID_SRIOV);
}

static bool pci_sriov_pf_room(const struct pci_device *pf)
{
	unsigned int off = (pf->ext_cap_next + 3U) & ~3U;

	return pf->nr_caps < PCI_MAX_CAPS && off + PCI_EXT_CAP_SRIOV_SIZEOF <= PCI_CFG_SPACE_EXP_SIZE;
}

static bool pci_sriov_vf_ok(const struct pci_device *pf, struct pci_device *const *vfs,
			    unsigned int k)
{
	const struct pci_device *vf = vfs[k];
	unsigned int j;

	if (!vf || vf == pf || vf->bus || vf->virtfn || !pci_sriov_endpoint(vf) ||
	    pcie_type(vf) != pcie_type(pf))
		return false;
	for (j = 0; j < k; j++)
		if (vfs[j] == vf)
			return false;
	return true;
}

/* Linux takes the vendor from the PF and class, subsystem and header type from VF 1. */
static bool pci_sriov_ids_ok(const struct pci_device *pf, const struct pci_device *vf1,
			     const struct pci_device *vf)
{
	static const struct { uint8_t off, len; } same[] = {
		{ PCI_DEVICE_ID, 2 }, { PCI_CLASS_REVISION, 4 }, { PCI_HEADER_TYPE, 1 },
		{ PCI_SUBSYSTEM_VENDOR_ID, 2 }, { PCI_SUBSYSTEM_ID, 2 },
	};
	unsigned int i;

	if (pci_config_get16(&vf->cfg, PCI_VENDOR_ID) != pci_config_get16(&pf->cfg, PCI_VENDOR_ID))
		return false;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (pci_config_read(&vf->cfg, same[i].off, same[i].len) !=
		    pci_config_read(&vf1->cfg, same[i].off, same[i].len))
			return false;
	return true;
}

/* VFs have memory BARs only, all laid out as VF 1's: the PF's VF BARs say where. */
static bool pci_sriov_bars_ok(const struct pci_device *vf1, const struct pci_device *vf)
{
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct pci_bar_desc *a = &vf1->bars[i].desc, *b = &vf->bars[i].desc;

		if (a->size != b->size || a->flags != b->flags)
			return false;
		if (b->size && (b->flags & PCI_BASE_ADDRESS_SPACE_IO))
			return false;
	}
	return true;
}

static unsigned int pci_sriov_stride(const struct pci_sriov_info *info)
{
	return info->stride ? info->stride : 1;
}

static uint32_t pci_sriov_page_sizes(const struct pci_sriov_info *info)
{
	return info->page_sizes ? info->page_sizes : PCI_SRIOV_PAGE_SIZES;
}

/* VF k's devfn (1-based k): may pass 255, which the check refuses. */
static unsigned int pci_sriov_devfn(const struct pci_device *pf, const struct pci_sriov_info *info,
				    unsigned int k)
{
	return pf->devfn + info->offset + (k - 1) * pci_sriov_stride(info);
}

int pci_sriov_check(const struct pci_device *pf, const struct pci_sriov_info *info,
		    struct pci_device *const *vfs, unsigned int nr, struct pci_sriov_verdict *chk)
{
	unsigned int k;

	memset(chk, 0, sizeof(*chk));
	if (!nr)
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_NO_VFS, 0);
	if (nr > PCI_SRIOV_MAX_VFS)
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_OVERFLOW, PCI_SRIOV_MAX_VFS);
	if (!pci_sriov_pf_ok(pf))
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_PF, 0);
	if (!pci_sriov_pf_room(pf)) {
		pci_sriov_fail(chk, PCI_SRIOV_ERR_PF, 0);
		return -ENOSPC;
	}
	if (!info->offset)
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_NOT_ABOVE_PF, 0);
	if (!(pci_sriov_page_sizes(info) & 1))
		return pci_sriov_fail(chk, PCI_SRIOV_ERR_PAGE_SIZES, 0);
	for (k = 0; k < nr; k++) {
		unsigned int devfn = pci_sriov_devfn(pf, info, k + 1);

		if (devfn >= PCI_NR_DEVFN)
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_OVERFLOW, k);
		if (!pci_sriov_vf_ok(pf, vfs, k))
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_VF, k);
		if (!pci_sriov_ids_ok(pf, vfs[0], vfs[k]))
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_IDS, k);
		if (!pci_sriov_bars_ok(vfs[0], vfs[k]))
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_BARS, k);
		if (pf->bus->devs[devfn])
			return pci_sriov_fail(chk, PCI_SRIOV_ERR_TAKEN, k);
	}
	chk->offset = info->offset;
	chk->stride = pci_sriov_stride(info);
	return 0;
}

/* ---- State derived from the capability's bytes. ---- */

static uint16_t pci_sriov_get16(const struct pci_sriov *s, unsigned int reg)
{
	return pci_config_get16(&s->pf->cfg, s->cap + reg);
}

unsigned int pci_sriov_num_vfs(const struct pci_sriov *s)
{
	unsigned int n = pci_sriov_get16(s, PCI_SRIOV_NUM_VF);

	if (!(pci_sriov_get16(s, PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE))
		return 0;
	return n < s->total ? n : s->total;
}

struct pci_device *pci_sriov_vf(const struct pci_sriov *s, unsigned int nr)
{
	return nr >= 1 && nr <= s->total ? s->vfs[nr - 1] : NULL;
}

static uint64_t pci_sriov_page_size(const struct pci_sriov *s)
{
	uint32_t v = pci_config_get32(&s->pf->cfg, s->cap + PCI_SRIOV_SYS_PGSIZE);

	/* Kept to one bit by the write hook. */
	return v ? 1ULL << (PCI_SRIOV_PAGE_SHIFT + __builtin_ctz(v)) : 1ULL << PCI_SRIOV_PAGE_SHIFT;
}

static const struct pci_bar_desc *pci_sriov_bar_desc(const struct pci_sriov *s, unsigned int bar)
{
	return bar < PCI_STD_NUM_BARS ? &s->vfs[0]->bars[bar].desc : NULL;
}

uint64_t pci_sriov_vf_bar_slice(const struct pci_sriov *s, unsigned int bar)
{
	const struct pci_bar_desc *desc = pci_sriov_bar_desc(s, bar);
	uint64_t page = pci_sriov_page_size(s);

	if (!desc || !desc->size)
		return 0;
	/* Both powers of two: rounding up is the larger of them. */
	return desc->size > page ? desc->size : page;
}

static bool pci_sriov_bar_is64(const struct pci_bar_desc *desc)
{
	return desc->flags & PCI_BASE_ADDRESS_MEM_TYPE_64;
}

/* The address in the PF's VF BARn (type bits masked). */
static uint64_t pci_sriov_bar_addr(const struct pci_sriov *s, unsigned int bar)
{
	const struct pci_config *c = &s->pf->cfg;
	unsigned int reg = s->cap + PCI_SRIOV_BAR + 4 * bar;
	uint64_t addr = pci_config_get32(c, reg) & PCI_BASE_ADDRESS_MEM_MASK;

	if (pci_sriov_bar_is64(pci_sriov_bar_desc(s, bar)))
		addr |= (uint64_t)pci_config_get32(c, reg + 4) << 32;
	return addr;
}

/*
 * Each VF BAR address is aligned to its slice: the write mask covers the
 * BAR's own size, the system page size may round it up further.
 */
static void pci_sriov_align_bars(struct pci_sriov *s)
{
	struct pci_config *c = &s->pf->cfg;
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct pci_bar_desc *desc = pci_sriov_bar_desc(s, i);
		unsigned int reg = s->cap + PCI_SRIOV_BAR + 4 * i;
		uint64_t slice = pci_sriov_vf_bar_slice(s, i), addr;

		if (!slice)
			continue;
		addr = pci_sriov_bar_addr(s, i) & ~(slice - 1);
		pci_config_set32(c, reg, (pci_config_get32(c, reg) & ~PCI_BASE_ADDRESS_MEM_MASK) |
				 (uint32_t)addr);
		if (pci_sriov_bar_is64(desc))
			pci_config_set32(c, reg + 4, addr >> 32);
	}
}

/*
 * Not a placement the guest means: 0 is unassigned, and the all-ones
 * sizing pattern (last byte of the first slice at 0xffffffff, or a high
 * dword of all-ones) is a BAR being sized, as for ordinary BARs. Checked
 * on the whole array so that no later VF decodes while the PF's BAR is
 * being sized.
 */
static bool pci_sriov_region_ok(const struct pci_bar_desc *desc, uint64_t addr, uint64_t slice)
{
	if (!addr || addr + (slice - 1) == 0xffffffffULL)
		return false;
	return !pci_sriov_bar_is64(desc) || (addr >> 32) != 0xffffffffU;
}

bool pci_sriov_vf_bar_base(const struct pci_device *d, unsigned int bar, uint64_t *base)
{
	const struct pci_sriov *s = d->physfn ? d->physfn->sriov : NULL;
	uint64_t slice, addr, off;

	if (!s)
		return false;
	slice = pci_sriov_vf_bar_slice(s, bar);
	if (!slice || !(pci_sriov_get16(s, PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_MSE) ||
	    d->vf_nr > pci_sriov_num_vfs(s))
		return false;
	addr = pci_sriov_bar_addr(s, bar);
	if (!pci_sriov_region_ok(pci_sriov_bar_desc(s, bar), addr, slice))
		return false;
	/* A slice past the end of the address space decodes nowhere. */
	if (__builtin_mul_overflow((uint64_t)(d->vf_nr - 1), slice, &off) ||
	    __builtin_add_overflow(addr, off, base))
		return false;
	return true;
}

/*
 * The one place VF state comes from: VFs 1..NumVFs exist while VF Enable
 * is set, the others not (hiding resets them); decode follows VF MSE,
 * NumVFs and the VF BARs, so it is recomputed.
 */
static void pci_sriov_sync(struct pci_sriov *s)
{
	unsigned int n = pci_sriov_num_vfs(s), k;

	pci_sriov_align_bars(s);
	for (k = s->total; k > n; k--)
		pci_device_set_present(s->vfs[k - 1], false);
	for (k = 1; k <= n; k++)
		pci_device_set_present(s->vfs[k - 1], true);
	pci_decode_changed(s->pf);
}

/* Puts back the bytes of [reg, reg + n) that the write of [off, off + len) changed. */
static void pci_sriov_undo(struct pci_config *c, unsigned int off, unsigned int len, uint32_t old,
			   unsigned int reg, unsigned int n)
{
	unsigned int at;

	for (at = reg; at < reg + n; at++)
		if (pci_write_covers(off, len, at))
			pci_config_set8(c, at, pci_old8(off, old, at));
}

static void pci_sriov_written(struct pci_device *pf, unsigned int cap, unsigned int off,
			      unsigned int len, uint32_t old, void *opaque)
{
	struct pci_sriov *s = opaque;
	struct pci_config *c = &pf->cfg;
	unsigned int ctrl_reg = cap + PCI_SRIOV_CTRL;
	uint16_t ctrl = pci_config_get16(c, ctrl_reg);
	uint32_t pgsz;

	/* VF Enable does not take effect while NumVFs > TotalVFs (it stays 0). */
	if (pci_write_covers(off, len, ctrl_reg) && (ctrl & PCI_SRIOV_CTRL_VFE) &&
	    !(pci_old8(off, old, ctrl_reg) & PCI_SRIOV_CTRL_VFE) &&
	    pci_config_get16(c, cap + PCI_SRIOV_NUM_VF) > s->total)
		pci_config_set16(c, ctrl_reg, ctrl & ~PCI_SRIOV_CTRL_VFE);
	/*
	 * NumVFs is read-only while VF Enable is set. Control and NumVFs are
	 * in different dwords, so ctrl is also the value before this write.
	 */
	if (ctrl & PCI_SRIOV_CTRL_VFE)
		pci_sriov_undo(c, off, len, old, cap + PCI_SRIOV_NUM_VF, 2);
	/* System Page Size holds exactly one supported size (the mask keeps it supported). */
	pgsz = pci_config_get32(c, cap + PCI_SRIOV_SYS_PGSIZE);
	if (!pgsz || (pgsz & (pgsz - 1)))
		pci_sriov_undo(c, off, len, old, cap + PCI_SRIOV_SYS_PGSIZE, 4);
	/* A write that changed nothing (read-only fields, undone ones) changes no VF. */
	if (pci_config_read(c, off, len) != old)
		pci_sriov_sync(s);
}

/* A PF reset put VF Enable back to 0: every VF goes. */
static void pci_sriov_reset(struct pci_device *pf, unsigned int cap, void *opaque)
{
	pci_sriov_sync(opaque);
}

static const struct pci_cap_hook pci_sriov_hook = {
	.written = pci_sriov_written,
	.reset = pci_sriov_reset,
};

/*
 * ARI Capable Hierarchy is implemented in the device's function 0 only.
 * Below a PCIe port the device is device 0 and, with ARI, the function
 * number is the whole devfn.
 */
static bool pci_sriov_is_function0(const struct pci_device *pf)
{
	if (pf->bus->self && pcie_is_downstream_port(pf->bus->self))
		return pf->devfn == 0;
	return PCI_FUNC(pf->devfn) == 0;
}

static void pci_sriov_pf_init(struct pci_sriov *s, const struct pci_sriov_info *info,
			      uint16_t vf_device)
{
	struct pci_device *pf = s->pf;
	struct pci_config *c = &pf->cfg;
	unsigned int cap = s->cap, i;
	uint16_t ctrl_rw = PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE;
	uint32_t pgsizes = pci_sriov_page_sizes(info);
	/* Linux compares the link with the devfn, for RCiEPs with the function. */
	uint8_t link = pcie_type(pf) == PCI_EXP_TYPE_RC_END ? PCI_FUNC(pf->devfn) : pf->devfn;

	if (pci_sriov_is_function0(pf))
		ctrl_rw |= PCI_SRIOV_CTRL_ARI;
	pci_config_set_wmask(c, cap + PCI_SRIOV_CTRL, ctrl_rw, 2);
	pci_config_set16(c, cap + PCI_SRIOV_INITIAL_VF, s->total);
	pci_config_set16(c, cap + PCI_SRIOV_TOTAL_VF, s->total);
	pci_config_set_wmask(c, cap + PCI_SRIOV_NUM_VF, 0xffff, 2);
	pci_config_set8(c, cap + PCI_SRIOV_FUNC_LINK, link);
	pci_config_set16(c, cap + PCI_SRIOV_VF_OFFSET, info->offset);
	pci_config_set16(c, cap + PCI_SRIOV_VF_STRIDE, pci_sriov_stride(info));
	pci_config_set16(c, cap + PCI_SRIOV_VF_DID, vf_device);
	pci_config_set32(c, cap + PCI_SRIOV_SUP_PGSIZE, pgsizes);
	pci_config_set32(c, cap + PCI_SRIOV_SYS_PGSIZE, 1);	/* 4 KiB */
	pci_config_set_wmask(c, cap + PCI_SRIOV_SYS_PGSIZE, pgsizes, 4);

	for (i = 0; i < PCI_SRIOV_NUM_BARS; i++) {
		const struct pci_bar_desc *desc = pci_sriov_bar_desc(s, i);
		unsigned int reg = cap + PCI_SRIOV_BAR + 4 * i;
		uint64_t mask = ~(desc->size - 1);

		if (!desc->size)
			continue;
		/* Sizing through the mask; the sync aligns further to the slice. */
		pci_config_set32(c, reg, desc->flags);
		pci_config_set_wmask(c, reg, (uint32_t)mask & PCI_BASE_ADDRESS_MEM_MASK, 4);
		if (pci_sriov_bar_is64(desc))
			pci_config_set_wmask(c, reg + 4, mask >> 32, 4);
	}
}

/* The model's function becomes VF k: what a VF's own header shows. */
static void pci_sriov_vf_prepare(struct pci_sriov *s, unsigned int k, struct pci_device *d)
{
	struct pci_config *c = &d->cfg;
	unsigned int i;

	s->vfs[k - 1] = d;
	d->physfn = s->pf;
	d->vf_nr = k;

	/* Linux takes the IDs from the PF; a rescan must not find VFs as functions. */
	pci_config_set16(c, PCI_VENDOR_ID, 0xffff);
	pci_config_set16(c, PCI_DEVICE_ID, 0xffff);
	/* The BARs live in the PF's capability: here they are read-only zero. */
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		pci_config_set32(c, PCI_BASE_ADDRESS_0 + 4 * i, 0);
		pci_config_set_wmask(c, PCI_BASE_ADDRESS_0 + 4 * i, 0, 4);
	}
	/* Memory decode follows the PF's VF MSE; there is no I/O space or INTx. */
	pci_config_set16(c, PCI_COMMAND, pci_config_get16(c, PCI_COMMAND) & PCI_COMMAND_MASTER);
	pci_config_set_wmask(c, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	pci_config_set8(c, PCI_INTERRUPT_PIN, 0);
	d->virtfn = true;
	d->present = false;
}

int pci_sriov_add(struct pci_sriov *s, struct pci_device *pf, const struct pci_sriov_info *info,
		  struct pci_device *const *vfs, unsigned int nr)
{
	struct pci_sriov_verdict chk;
	uint16_t vf_device;
	unsigned int k;
	int cap, ret;

	ret = pci_sriov_check(pf, info, vfs, nr, &chk);
	if (ret)
		return ret;
	memset(s, 0, sizeof(*s));
	s->pf = pf;
	s->total = nr;
	s->vfs[0] = vfs[0];		/* the BAR layout, before vf_prepare */
	vf_device = info->vf_device ? info->vf_device :
		    pci_config_get16(&vfs[0]->cfg, PCI_DEVICE_ID);

	cap = pci_ext_cap_add(pf, PCI_EXT_CAP_ID_SRIOV, PCI_SRIOV_VERSION,
			      PCI_EXT_CAP_SRIOV_SIZEOF, &pci_sriov_hook, s);
	if (cap < 0)
		return cap;
	s->cap = cap;
	pf->sriov = s;
	pci_sriov_pf_init(s, info, vf_device);

	for (k = 1; k <= nr; k++) {
		pci_sriov_vf_prepare(s, k, vfs[k - 1]);
		/* Checked free above. */
		ret = pci_bus_attach(pf->bus, vfs[k - 1], pci_sriov_devfn(pf, info, k));
		if (ret)
			return ret;
	}
	/* The capability is part of the PF's power-on state. */
	pci_config_save_init(&pf->cfg);
	return cap;
}
