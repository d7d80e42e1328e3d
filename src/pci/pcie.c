// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "pci/cap.h"
#include "pci/pcie.h"

#define PCIE_CAP_VERSION	2
/* Reset value of Device Control: relaxed ordering, no snoop, 512-byte reads. */
#define PCIE_DEVCTL_DEFAULT	(PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN | \
				 PCI_EXP_DEVCTL_READRQ_512B)
#define PCIE_DEVCTL_RW		(PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE | \
				 PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE | \
				 PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD | \
				 PCI_EXP_DEVCTL_EXT_TAG | PCI_EXP_DEVCTL_NOSNOOP_EN | \
				 PCI_EXP_DEVCTL_READRQ)
#define PCIE_DEVSTA_W1C		(PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | \
				 PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD)
#define PCIE_SLTCAP_PSN_SHIFT	19

int pcie_type(const struct pci_device *d)
{
	if (!d->pcie_cap)
		return -1;
	return (pci_config_get16(&d->cfg, d->pcie_cap + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_TYPE) >> 4;
}

static bool pcie_type_is_port(int type)
{
	return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM;
}

bool pcie_is_downstream_port(const struct pci_device *d)
{
	return pcie_type_is_port(pcie_type(d));
}

bool pcie_ari_forwarding(const struct pci_device *port)
{
	return port->pcie_cap &&
	       (pci_config_get16(&port->cfg, port->pcie_cap + PCI_EXP_DEVCTL2) & PCI_EXP_DEVCTL2_ARI);
}

static bool pcie_bus_occupied(const struct pci_bus *bus)
{
	unsigned int i;

	for (i = 0; bus && i < PCI_NR_DEVFN; i++)
		if (bus->devs[i] && bus->devs[i]->present)
			return true;
	return false;
}

/* A port's link is up, and its slot occupied, when something sits below it. */
static void pcie_pre_read(struct pci_device *d, unsigned int cap, unsigned int off,
			  unsigned int len, void *opaque)
{
	struct pci_config *c = &d->cfg;
	bool occupied;
	uint16_t v;

	if (!pcie_type_is_port(pcie_type(d)))
		return;
	occupied = pcie_bus_occupied(d->secondary);
	v = pci_config_get16(c, cap + PCI_EXP_LNKSTA) & ~PCI_EXP_LNKSTA_DLLLA;
	pci_config_set16(c, cap + PCI_EXP_LNKSTA, v | (occupied ? PCI_EXP_LNKSTA_DLLLA : 0));
	if (pci_config_get16(c, cap + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_SLOT) {
		v = pci_config_get16(c, cap + PCI_EXP_SLTSTA) & ~PCI_EXP_SLTSTA_PDS;
		pci_config_set16(c, cap + PCI_EXP_SLTSTA, v | (occupied ? PCI_EXP_SLTSTA_PDS : 0));
	}
}

static void pcie_written(struct pci_device *d, unsigned int cap, unsigned int off,
			 unsigned int len, uint32_t old, void *opaque)
{
	struct pci_config *c = &d->cfg;
	unsigned int reg = cap + PCI_EXP_DEVCTL;
	uint16_t ctl = pci_config_get16(c, reg);

	/* Initiate FLR reads 0; writing 1 resets the function. */
	if (!pci_write_covers(off, len, reg + 1) || !(ctl & PCI_EXP_DEVCTL_BCR_FLR) ||
	    pcie_type_is_port(pcie_type(d)))
		return;
	pci_config_set16(c, reg, ctl & ~PCI_EXP_DEVCTL_BCR_FLR);
	pci_device_reset(d);
}

static const struct pci_cap_hook pcie_hook = {
	.pre_read = pcie_pre_read,
	.written = pcie_written,
};

static bool pcie_type_ok(uint8_t type)
{
	switch (type) {
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
	case PCI_EXP_TYPE_ROOT_PORT:
	case PCI_EXP_TYPE_DOWNSTREAM:
		return true;
	default:
		return false;
	}
}

static void pcie_link_init(struct pci_config *c, unsigned int cap, const struct pcie_cap_info *info,
			   bool port)
{
	uint32_t lnkcap = PCI_EXP_LNKCAP_SLS_2_5GB | 1 << 4 | (uint32_t)info->port_nr << 24;
	uint16_t lnkctl_rw = PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES;

	/* Ports report Data Link Layer Link Active (see pcie_pre_read()). */
	if (port)
		lnkcap |= PCI_EXP_LNKCAP_DLLLARC;
	else
		lnkctl_rw |= PCI_EXP_LNKCTL_RCB;
	pci_config_set32(c, cap + PCI_EXP_LNKCAP, lnkcap);
	pci_config_set_wmask(c, cap + PCI_EXP_LNKCTL, lnkctl_rw, 2);
	pci_config_set16(c, cap + PCI_EXP_LNKSTA, PCI_EXP_LNKSTA_CLS_2_5GB | PCI_EXP_LNKSTA_NLW_X1 |
			 PCI_EXP_LNKSTA_SLC);
	pci_config_set32(c, cap + PCI_EXP_LNKCAP2, PCI_EXP_LNKCAP2_SLS_2_5GB);
	pci_config_set16(c, cap + PCI_EXP_LNKCTL2, PCI_EXP_LNKCTL2_TLS_2_5GT);
}

int pcie_cap_add(struct pci_device *d, const struct pcie_cap_info *info)
{
	struct pci_config *c = &d->cfg;
	bool port = pcie_type_is_port(info->type);
	uint16_t flags = PCIE_CAP_VERSION | info->type << 4;
	uint16_t devctl_rw = PCIE_DEVCTL_RW;
	uint32_t devcap = PCI_EXP_DEVCAP_RBER;
	int off;

	if (c->size != PCI_CFG_SPACE_EXP_SIZE || !pcie_type_ok(info->type) || d->pcie_cap)
		return -EINVAL;
	off = pci_cap_add(d, PCI_CAP_ID_EXP, PCIE_CAP_SIZEOF, &pcie_hook, NULL);
	if (off < 0)
		return off;

	if (port && info->slot)
		flags |= PCI_EXP_FLAGS_SLOT;
	pci_config_set16(c, off + PCI_EXP_FLAGS, flags);

	if (!port && info->flr) {
		devcap |= PCI_EXP_DEVCAP_FLR;
		devctl_rw |= PCI_EXP_DEVCTL_BCR_FLR;
	}
	pci_config_set32(c, off + PCI_EXP_DEVCAP, devcap);
	pci_config_set16(c, off + PCI_EXP_DEVCTL, PCIE_DEVCTL_DEFAULT);
	pci_config_set_wmask(c, off + PCI_EXP_DEVCTL, devctl_rw, 2);
	pci_config_set_w1cmask(c, off + PCI_EXP_DEVSTA, PCIE_DEVSTA_W1C, 2);

	/* An integrated endpoint has no link: those registers stay zero. */
	if (info->type != PCI_EXP_TYPE_RC_END)
		pcie_link_init(c, off, info, port);

	if (port && info->slot)
		pci_config_set32(c, off + PCI_EXP_SLTCAP,
				 (uint32_t)(info->slot_nr & 0x1fff) << PCIE_SLTCAP_PSN_SHIFT);
	if (info->type == PCI_EXP_TYPE_ROOT_PORT) {
		pci_config_set_wmask(c, off + PCI_EXP_RTCTL, PCI_EXP_RTCTL_SECEE |
				     PCI_EXP_RTCTL_SENFEE | PCI_EXP_RTCTL_SEFEE |
				     PCI_EXP_RTCTL_PMEIE, 2);
		pci_config_set_w1cmask(c, off + PCI_EXP_RTSTA, PCI_EXP_RTSTA_PME, 4);
	}
	if (port && info->ari_fwd) {
		pci_config_set32(c, off + PCI_EXP_DEVCAP2, PCI_EXP_DEVCAP2_ARI);
		pci_config_set_wmask(c, off + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI, 2);
	}
	d->pcie_cap = off;
	return off;
}
