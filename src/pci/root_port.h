/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcie-root-port: QEMU's generic root port (1b36:000c), a PCI-to-PCI
 * bridge with a PCI Express Root Port capability (a slot without hot-plug,
 * ARI forwarding), power management and ACS. The guest numbers its buses.
 */
#ifndef SRIOVM_PCI_ROOT_PORT_H
#define SRIOVM_PCI_ROOT_PORT_H

#include "pci/pci.h"

struct pci_root_port {
	struct pci_device dev;
	struct pci_bus bus;	/* the secondary bus: attach endpoints here */
};

/* Builds the port; attach rp->dev to the root bus afterwards. */
int pci_root_port_init(struct pci_root_port *rp, const char *name, uint16_t slot,
		       uint8_t port);

#endif
