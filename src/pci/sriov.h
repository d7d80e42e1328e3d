/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SR-IOV: a physical function (PF) with the Single Root I/O
 * Virtualization extended capability, and its virtual functions (VFs).
 *
 * From the emulation's point of view a VF is an ordinary function built by
 * its device model, except that some of its properties come from the PF:
 * its identity (vendor from the PF's header, device from the PF's VF
 * Device ID), where its BARs decode (slices of the PF's VF BARn) and
 * whether it exists at all (the PF's VF Enable and NumVFs). VFs are
 * created once, with the PF, validated then and kept for the VM's life;
 * the guest only switches them on and off. After every write to the
 * capability, and after a PF reset, one sync step derives the VFs' state
 * from the capability's bytes.
 *
 * Using it from a device model
 * ----------------------------
 * 1. Build the PF as any PCI Express endpoint (4 KiB config space): its
 *    BARs and capabilities, a PCI Express capability with FLR
 *    (pcie_cap_add()), an ARI capability (pci_ari_add()) when VFs go
 *    beyond function 7 (more than 7 VFs, or an offset or stride that puts
 *    them there), then attach it: pci_bus_attach(bus, pf, devfn). The
 *    SR-IOV capability comes last: pci_sriov_add() appends it and takes
 *    the PF's power-on values again.
 * 2. Build VFs 1..N, each a full function of the same model built the same
 *    way: memory BARs only (the same sizes and types in every VF), MSI-X
 *    (VFs have no INTx), a PCI Express endpoint capability with FLR and an
 *    ARI capability. Do not attach them.
 * 3. Choose the routing: First VF Offset and VF Stride. PF at devfn 0,
 *    offset 1, stride 1 puts VFs 1..N at devfns 1..N (N <= 255, below a
 *    root port with ARI forwarding). A composition that has the VFs'
 *    addresses already (sriov-pf=) gets offset and stride from
 *    pci_sriov_layout(), which also says which VF is wrong and why.
 * 4. pci_sriov_add(): checks everything (pci_sriov_check() says what is
 *    wrong without changing anything), adds the capability to the PF,
 *    turns the functions into VFs and attaches VF k at routing ID
 *    PF devfn + offset + (k - 1) * stride of the PF's bus, absent.
 *
 *      struct pci_device *vfs[N] = { &vf1, &vf2, ... };
 *      const struct pci_sriov_info info = { .offset = 1, .stride = 1 };
 *      ret = pci_sriov_add(&dev->sriov, &dev->pf, &info, vfs, N);
 *
 * Everything else follows from the guest's config writes; the device model
 * sees its VFs reset (ops->reset) when they are disabled or get an FLR.
 * The struct pci_sriov and the functions live as long as the VM.
 *
 * The capability (PCIe Base spec, SR-IOV chapter)
 * -----------------------------------------------
 *   Capabilities            0: no VF Migration, no interrupt message
 *   Control                 VF Enable, VF MSE and ARI Capable Hierarchy
 *                           are RW; ARI Capable Hierarchy only in the
 *                           device's function 0 (RO 0 in other PFs); it
 *                           changes neither offset nor stride, which are
 *                           fixed by the layout. VF Migration bits RO 0.
 *                           Setting VF Enable while NumVFs > TotalVFs does
 *                           not take effect: the bit stays 0 (as QEMU).
 *   Status                  RO 0 (no VF Migration)
 *   InitialVFs = TotalVFs   N (RO)
 *   NumVFs                  RW, 16 bits; read-only while VF Enable is set
 *   Function Dependency     the PF's own function number (RO)
 *   First VF Offset, Stride as given (RO); Stride is 1 with one VF
 *   VF Device ID            as given, or VF 1's Device ID (RO)
 *   Supported Page Sizes    as given, default 0x553 (the spec minimum; RO)
 *   System Page Size        RW, one supported bit (4 KiB after reset); a
 *                           write of anything else leaves it unchanged
 *   VF BAR0-5               VF 1's BAR layout: memory only, 64-bit pairs,
 *                           sized by writing all-ones; the size a VF BAR
 *                           reports is VF 1's BAR size rounded up to the
 *                           system page size (the slice), and its address
 *                           is aligned to it
 *   VF Migration State      RO 0
 *
 * The VFs
 * -------
 * VF k (1-based) exists while VF Enable is set and k <= NumVFs: enabling
 * makes VFs 1..NumVFs answer on the config write itself; clearing VF
 * Enable makes every VF absent (reads all-ones, ignores writes) and resets
 * it. In a VF's own config space Vendor and Device ID read 0xFFFF (Linux
 * takes them from the PF), the BAR registers read 0 and ignore writes,
 * Command has only Bus Master Enable (Memory Space is RO 0), Interrupt Pin
 * is 0. VF k's BAR n decodes at PF VF BARn + (k - 1) * slice while VF MSE is
 * set, the VF is in D0 and the bridges above forward it; a change of VF
 * BAR, VF MSE, NumVFs, VF Enable or System Page Size moves decode as any
 * BAR write does. An FLR of a VF resets that VF only; a PF reset or FLR
 * clears VF Enable and so removes every VF.
 *
 * Several PFs may sit on one bus, each with its own VFs at distinct
 * routing IDs. All VFs stay on the PF's bus: a layout past function 255 is
 * refused.
 *
 * Locking: config accesses, the sync and the VFs' resets run under
 * root->lock (see pci.h); so must callers of the queries below.
 */
#ifndef SRIOVM_PCI_SRIOV_H
#define SRIOVM_PCI_SRIOV_H

#include "pci/pci.h"

#define PCI_SRIOV_MAX_VFS	255	/* PF at devfn 0, VFs at 1..255 */
#define PCI_SRIOV_PAGE_SIZES	0x553	/* 4K, 8K, 64K, 256K, 1M, 4M: the spec minimum */

/* What a device model chooses for its PF. */
struct pci_sriov_info {
	uint16_t offset;	/* First VF Offset: devfn(VF 1) - devfn(PF), >= 1 */
	uint16_t stride;	/* VF Stride: devfn(VF k+1) - devfn(VF k); 0: 1 */
	uint16_t vf_device;	/* VF Device ID; 0: VF 1's Device ID */
	uint32_t page_sizes;	/* Supported Page Sizes, with 4 KiB; 0: PCI_SRIOV_PAGE_SIZES */
};

/* Why a layout or a set of functions cannot be an SR-IOV device. */
enum pci_sriov_err {
	PCI_SRIOV_OK,
	PCI_SRIOV_ERR_NO_VFS,		/* zero VFs */
	PCI_SRIOV_ERR_NOT_ABOVE_PF,	/* a VF's function number is not above the PF's */
	PCI_SRIOV_ERR_SAME_FN,		/* two VFs at one function number */
	PCI_SRIOV_ERR_STRIDE,		/* a distance between neighbours differs from the first */
	PCI_SRIOV_ERR_GAP,		/* a function missing between two VFs */
	PCI_SRIOV_ERR_OVERFLOW,		/* past function 255 (or more than 255 VFs) */
	PCI_SRIOV_ERR_PAGE_SIZES,	/* Supported Page Sizes without 4 KiB */
	PCI_SRIOV_ERR_PF,		/* the PF cannot host VFs */
	PCI_SRIOV_ERR_VF,		/* a VF is not a PCI Express endpoint function like the PF */
	PCI_SRIOV_ERR_IDS,		/* a VF's IDs differ from VF 1's or its vendor from the PF's */
	PCI_SRIOV_ERR_BARS,		/* a VF's BARs differ from VF 1's, or an I/O BAR */
	PCI_SRIOV_ERR_TAKEN,		/* a VF's routing ID is taken on the PF's bus */
};

/* The verdict, and which VF is at fault. */
struct pci_sriov_verdict {
	enum pci_sriov_err err;
	unsigned int bad;	/* index of the VF at fault in the caller's array */
	uint16_t offset, stride;	/* pci_sriov_layout(): the layout found */
};

/*
 * A PF's state; the PF points at it (pf->sriov), each VF at its PF
 * (vf->physfn, with its number in vf->vf_nr).
 */
struct pci_sriov {
	struct pci_device *pf;
	unsigned int cap;		/* the capability's offset in the PF */
	unsigned int total;		/* TotalVFs */
	struct pci_device *vfs[PCI_SRIOV_MAX_VFS];	/* VF k is vfs[k - 1] */
};

/*
 * The layout of VFs at vf_devfns[0..nr) (any order, e.g. command-line
 * order) for a PF at pf_devfn: on success 0 with chk->offset and
 * chk->stride (1 for one VF) and, if order is not NULL, order[k - 1] =
 * the index of VF k in vf_devfns. Otherwise -EINVAL with chk->err and
 * chk->bad, the first VF at fault in the caller's order (0 for NO_VFS).
 * Devfns are unsigned int so that a computed one past 255 is reported.
 */
int pci_sriov_layout(unsigned int pf_devfn, const unsigned int *vf_devfns, unsigned int nr,
		     unsigned int *order, struct pci_sriov_verdict *chk);

/*
 * Could pci_sriov_add() make these functions an SR-IOV device? 0, or
 * -EINVAL (-ENOSPC: no room for the capability in the PF) with chk->err
 * and chk->bad (an index in vfs[]). Changes nothing. The PF must be
 * attached; vfs[k - 1] is VF k.
 */
int pci_sriov_check(const struct pci_device *pf, const struct pci_sriov_info *info,
		    struct pci_device *const *vfs, unsigned int nr, struct pci_sriov_verdict *chk);

/*
 * Makes pf a PF of the nr functions vfs[] (VF k = vfs[k - 1]); s is the
 * state, owned by the caller for the VM's life. Before the guest runs.
 * Returns the capability's offset in the PF, or what pci_sriov_check()
 * returns (nothing changed then).
 */
int pci_sriov_add(struct pci_sriov *s, struct pci_device *pf, const struct pci_sriov_info *info,
		  struct pci_device *const *vfs, unsigned int nr);

/* VFs that exist now: NumVFs while VF Enable is set, else 0. */
unsigned int pci_sriov_num_vfs(const struct pci_sriov *s);
/* VF nr (1-based), present or not; NULL past TotalVFs. */
struct pci_device *pci_sriov_vf(const struct pci_sriov *s, unsigned int nr);
/* A PF's SR-IOV state; NULL for a function without the capability. */
static inline struct pci_sriov *pci_sriov_of(const struct pci_device *pf)
{
	return pf->sriov;
}
/* A VF's PF and VF number; NULL and 0 for a function that is not a VF. */
static inline struct pci_device *pci_sriov_physfn(const struct pci_device *vf)
{
	return vf->physfn;
}
static inline unsigned int pci_sriov_vf_nr(const struct pci_device *vf)
{
	return vf->vf_nr;
}
/* Where a VF's BAR bar decodes now: false if it does not (pci/bar.c). */
bool pci_sriov_vf_bar_base(const struct pci_device *vf, unsigned int bar, uint64_t *base);
/* The size of one VF's slice of the PF's VF BARn now (0: no such BAR). */
uint64_t pci_sriov_vf_bar_slice(const struct pci_sriov *s, unsigned int bar);

/* "a VF's function number is not above the PF's", ... */
const char *pci_sriov_strerror(enum pci_sriov_err err);

#endif
