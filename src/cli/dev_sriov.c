// SPDX-License-Identifier: GPL-2.0
/*
 * Composable SR-IOV (QEMU's sriov-pf=, docs/system/sriov.rst): a device of
 * a type that may be composed (virtio-net-pci) with sriov-pf=ID is a
 * virtual function of the device of the same type whose id is ID.
 * Resolved once the whole command line is read, because the VFs come
 * first, and checked here so that every mistake is refused before the VM
 * is built, naming the -device at fault:
 *
 * - ID names a -device of the VF's type that is not itself a VF;
 * - the VF comes before its PF (QEMU refuses a VF whose PF exists already);
 * - the VF is on its PF's bus, and that bus is below a pcie-root-port: a
 *   PF is a PCI Express endpoint (QEMU's virtio-net-pci is one only below
 *   a PCIe port, and QEMU refuses sriov-pf= on a conventional device);
 * - the VFs' function numbers (below a port: SLOT * 8 + FN, ARI) are
 *   above the PF's and evenly spaced: First VF Offset and VF Stride.
 *   pci_sriov_layout() decides, so that the command line and the VMM's
 *   pci_sriov_add() agree on the layout and on its errors.
 *
 * Addresses (taken, function 0 present) and netdevs (one NIC each, VFs
 * included) are checked as for any NIC. The PF's multi-function bit is
 * set by sriovm, so neither PF nor VFs need multifunction=on.
 */
#include <errno.h>
#include <linux/pci.h>
#include <stdlib.h>
#include <string.h>

#include "cli/internal.h"
#include "pci/sriov.h"

#define CLI_NAME_LEN	96

static const char *cli_bus_name(const struct pci_dev_config *pd)
{
	return pd->bus ? pd->bus : "pcie.0";
}

static bool cli_is_vf(const struct pci_dev_config *pd)
{
	return pd->sriov_pf;
}

/* The -device with id, or -1. Ids are unique (cli_device_id_taken()). */
static int cli_find_id(const struct vm_config *cfg, const char *id)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_pci_devs; i++)
		if (cfg->pci_devs[i].id && !strcmp(cfg->pci_devs[i].id, id))
			return (int)i;
	return -1;
}

/* VF i's PF: the checks of one VF against the device its sriov-pf= names. */
static int cli_sriov_resolve(struct cli *c, unsigned int i, int *pf)
{
	const struct vm_config *cfg = c->cfg;
	const struct pci_dev_config *vf = &cfg->pci_devs[i], *p;
	const char *id = vf->sriov_pf, *kind = cli_pci_kind_name(vf->kind);
	char name[CLI_NAME_LEN], other[CLI_NAME_LEN];
	int j;

	cli_pci_name(c, i, name, sizeof(name));
	j = cli_find_id(cfg, id);
	if (j < 0 && c->debug_exit_id && !strcmp(c->debug_exit_id, id))
		return cli_error(c, "%s: sriov-pf=%s: -device isa-debug-exit,id=%s is not a "
				 "%s (a VF's PF is a %s)", name, id, id, kind, kind);
	if (j < 0)
		return cli_error(c, "%s: sriov-pf=%s: no -device has that id (the PF is a "
				 "%s with id=%s, given after its VFs)", name, id, kind, id);
	p = &cfg->pci_devs[j];
	cli_pci_name(c, (unsigned int)j, other, sizeof(other));
	if (p->kind != vf->kind)
		return cli_error(c, "%s: sriov-pf=%s: %s is not a %s (a VF's PF is a %s)",
				 name, id, other, kind, kind);
	if (cli_is_vf(p))
		return cli_error(c, "%s: sriov-pf=%s: %s is itself a VF (sriov-pf=%s): a VF "
				 "cannot be a PF", name, id, other, p->sriov_pf);
	if ((unsigned int)j < i)
		return cli_error(c, "%s: sriov-pf=%s: the VF comes after its PF %s (give the "
				 "VFs before their PF, as QEMU requires)", name, id, other);
	if (strcmp(cli_bus_name(vf), cli_bus_name(p)))
		return cli_error(c, "%s: sriov-pf=%s: the VF is on %s, its PF %s on %s (VFs "
				 "sit on their PF's bus)", name, id, cli_bus_name(vf), other,
				 cli_bus_name(p));
	*pf = j;
	return 0;
}

/* The PF's VFs by VF number (order[k - 1]: index in idx of VF k), and their routing. */
static int cli_sriov_store(struct cli *c, unsigned int pf, const unsigned int *idx,
			   const unsigned int *order, unsigned int nr,
			   const struct pci_sriov_verdict *chk)
{
	struct pci_dev_config *p = &c->cfg->pci_devs[pf];
	unsigned int k;

	p->sriov.vf = calloc(nr, sizeof(*p->sriov.vf));
	if (!p->sriov.vf) {
		cli_error(c, "out of memory");
		return -ENOMEM;
	}
	for (k = 0; k < nr; k++)
		p->sriov.vf[k] = idx[order[k]];
	p->sriov.nr = nr;
	p->sriov.offset = chk->offset;
	p->sriov.stride = chk->stride;
	return 0;
}

/* A PF and its VFs (pf_of[v] == pf), in command-line order, once they have addresses. */
static int cli_sriov_layout(struct cli *c, unsigned int pf, const int *pf_of)
{
	const struct vm_config *cfg = c->cfg;
	const struct pci_dev_config *p = &cfg->pci_devs[pf];
	unsigned int devfns[PCI_SRIOV_MAX_VFS], idx[PCI_SRIOV_MAX_VFS], order[PCI_SRIOV_MAX_VFS];
	char name[CLI_NAME_LEN], other[CLI_NAME_LEN];
	const struct pci_dev_config *vf;
	struct pci_sriov_verdict chk;
	unsigned int i, nr = 0;

	for (i = 0; i < cfg->nr_pci_devs; i++) {
		if (pf_of[i] != (int)pf)
			continue;
		/* Distinct functions above the PF's: fewer than 256 (addresses are checked). */
		if (nr == PCI_SRIOV_MAX_VFS)
			return cli_error(c, "%s: more than %u VFs", cli_pci_name(c, pf, name,
					 sizeof(name)), PCI_SRIOV_MAX_VFS);
		devfns[nr] = PCI_DEVFN(cfg->pci_devs[i].slot, cfg->pci_devs[i].fn);
		idx[nr++] = i;
	}
	if (!nr)
		return 0;
	cli_pci_name(c, pf, other, sizeof(other));
	if (!p->bus)
		return cli_error(c, "%s: cannot host VFs on pcie.0: an SR-IOV PF is a PCI "
				 "Express endpoint (put it and its VFs below a pcie-root-port, "
				 "bus=ID)", other);
	if (!pci_sriov_layout(PCI_DEVFN(p->slot, p->fn), devfns, nr, order, &chk))
		return cli_sriov_store(c, pf, idx, order, nr, &chk);
	if (chk.bad >= nr)
		chk.bad = nr - 1;
	vf = &cfg->pci_devs[idx[chk.bad]];
	return cli_error(c, "%s: sriov-pf=%s: %s (this VF at %x.%x, the PF %s at %x.%x on %s)",
			 cli_pci_name(c, idx[chk.bad], name, sizeof(name)), p->id,
			 pci_sriov_strerror(chk.err), vf->slot, vf->fn, other, p->slot, p->fn,
			 cli_bus_name(p));
}

int cli_resolve_sriov(struct cli *c)
{
	const struct vm_config *cfg = c->cfg;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < cfg->nr_pci_devs && !cli_is_vf(&cfg->pci_devs[i]); i++)
		;
	if (i == cfg->nr_pci_devs)
		return 0;
	c->sriov_pf_of = calloc(cfg->nr_pci_devs, sizeof(*c->sriov_pf_of));
	if (!c->sriov_pf_of) {
		cli_error(c, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; !ret && i < cfg->nr_pci_devs; i++) {
		c->sriov_pf_of[i] = -1;
		if (cli_is_vf(&cfg->pci_devs[i]))
			ret = cli_sriov_resolve(c, i, &c->sriov_pf_of[i]);
	}
	return ret;
}

int cli_finish_sriov(struct cli *c)
{
	const struct vm_config *cfg = c->cfg;
	unsigned int i;
	int ret = 0;

	if (!c->sriov_pf_of)
		return 0;
	/* Each PF once, at its place in the command line. */
	for (i = 0; !ret && i < cfg->nr_pci_devs; i++)
		if (cli_pci_kind(cfg->pci_devs[i].kind)->sriov && !cli_is_vf(&cfg->pci_devs[i]))
			ret = cli_sriov_layout(c, i, c->sriov_pf_of);
	return ret;
}
