// SPDX-License-Identifier: GPL-2.0
#include "pci/cap.h"
#include "pci/pcie.h"

/*
 * Next Function Number links a device's physical functions (with ARI the
 * whole devfn is the function number). VFs are not in the chain; neither
 * are hidden functions. In a VF the field is undefined (VFs are found
 * through the PF's First VF Offset and VF Stride): it reads 0.
 */
static void pci_ari_pre_read(struct pci_device *d, unsigned int cap, unsigned int off,
			     unsigned int len, void *opaque)
{
	struct pci_bus *bus = d->virtfn ? NULL : d->bus;
	unsigned int fn, next = 0;
	uint16_t v;

	for (fn = d->devfn + 1; bus && fn < PCI_NR_DEVFN; fn++) {
		const struct pci_device *f = bus->devs[fn];

		if (f && f->present && !f->virtfn) {
			next = fn;
			break;
		}
	}
	v = pci_config_get16(&d->cfg, cap + PCI_ARI_CAP);
	pci_config_set16(&d->cfg, cap + PCI_ARI_CAP, (v & 0x00ff) | next << 8);
}

static const struct pci_cap_hook pci_ari_hook = {
	.pre_read = pci_ari_pre_read,
};

int pci_ari_add(struct pci_device *d)
{
	/* No MFVC or ACS function groups: ARI Control stays read-only zero. */
	return pci_ext_cap_add(d, PCI_EXT_CAP_ID_ARI, 1, PCI_EXT_CAP_ARI_SIZEOF, &pci_ari_hook,
			       NULL);
}
