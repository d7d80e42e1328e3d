// SPDX-License-Identifier: GPL-2.0
#include "pci/acs.h"
#include "pci/bridge.h"
#include "pci/pcie.h"
#include "pci/pm.h"
#include "pci/root_port.h"

int pci_root_port_init(struct pci_root_port *rp, const char *name, uint16_t slot,
		       uint8_t port)
{
	const struct pci_device_info info = {
		.name = name,
		.vendor = PCI_VENDOR_ID_REDHAT,
		.device = PCI_DEVICE_ID_REDHAT_PCIE_RP,
		.class = PCI_CLASS_BRIDGE_PCI << 8,
		.header_type = PCI_HEADER_TYPE_BRIDGE,
		.express = true,
	};
	const struct pcie_cap_info pcie = {
		.type = PCI_EXP_TYPE_ROOT_PORT,
		.slot = true,
		.slot_nr = slot,
		.port_nr = port,
		.ari_fwd = true,
	};
	int ret;

	/*
	 * No interrupt pin: without hot-plug, AER or PME there is nothing to
	 * signal, and a pin would need an INTx route the machine lacks.
	 */
	pci_device_init(&rp->dev, &info);
	pci_bridge_init(&rp->dev, &rp->bus);
	ret = pcie_cap_add(&rp->dev, &pcie);
	if (ret < 0)
		return ret;
	ret = pci_pm_add(&rp->dev);
	/* Functions below the port are isolated from those below others (IOMMU groups). */
	if (ret >= 0)
		ret = pci_acs_add(&rp->dev, PCI_ACS_ROOT_PORT);
	return ret < 0 ? ret : 0;
}
