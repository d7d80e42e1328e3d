// SPDX-License-Identifier: GPL-2.0
/*
 * Access Control Services extended capability (PCIe Base spec, ACS): the
 * Capability register says which controls exist, the Control register
 * holds them. Nothing here routes differently: sriovm has no peer-to-peer
 * path, every request goes upstream anyway, which is what the controls
 * ask for. Linux needs the capability to isolate what is below a port
 * into IOMMU groups of its own (pci_acs_path_enabled()).
 */
#include "pci/acs.h"
#include "pci/cap.h"

int pci_acs_add(struct pci_device *d, uint16_t controls)
{
	int cap = pci_ext_cap_add(d, PCI_EXT_CAP_ID_ACS, 1, PCI_ACS_CTRL + 2, NULL, NULL);

	if (cap < 0)
		return cap;
	pci_config_set16(&d->cfg, cap + PCI_ACS_CAP, controls);
	/* Every control it has is the guest's to set; none is set after reset. */
	pci_config_set_wmask(&d->cfg, cap + PCI_ACS_CTRL, controls, 2);
	return cap;
}
