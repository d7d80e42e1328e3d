/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI Express capability (version 2) for endpoints and root ports, and the
 * ARI extended capability. A link is always up, x1 at 2.5 GT/s.
 */
#ifndef SRIOVM_PCI_PCIE_H
#define SRIOVM_PCI_PCIE_H

#include "pci/pci.h"

#define PCIE_CAP_SIZEOF		(PCI_EXP_SLTSTA2 + 2)	/* v2, with slot registers */

struct pcie_cap_info {
	uint8_t type;		/* PCI_EXP_TYPE_ENDPOINT, _LEG_END, _RC_END, _ROOT_PORT, _DOWNSTREAM */
	/* Endpoints. */
	bool flr;		/* Function Level Reset capable: pci_device_reset() */
	/* Ports. */
	bool slot;		/* slot implemented (no hot-plug) */
	uint16_t slot_nr;	/* physical slot number, 13 bits */
	uint8_t port_nr;	/* Link Capabilities port number */
	bool ari_fwd;		/* ARI Forwarding Supported */
};

/* Needs a 4 KiB config space. Returns the capability's offset or -errno. */
int pcie_cap_add(struct pci_device *d, const struct pcie_cap_info *info);
/* Device/port type, or -1 without a PCIe capability. */
int pcie_type(const struct pci_device *d);
/* A root or downstream port: below it only device 0 exists unless ARI forwarding is on. */
bool pcie_is_downstream_port(const struct pci_device *d);
bool pcie_ari_forwarding(const struct pci_device *port);

/*
 * ARI capability. Its Next Function Number is the next present physical
 * function on the same bus (0 after the last), found when read.
 */
int pci_ari_add(struct pci_device *d);

#endif
