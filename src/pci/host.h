/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host bridge: function 00:00.0 and the two config mechanisms that
 * reach every function, CF8/CFC (Type 1) and ECAM. Linux uses CF8/CFC for
 * offsets below 256 and ECAM above, so both serve one config model.
 */
#ifndef SRIOVM_PCI_HOST_H
#define SRIOVM_PCI_HOST_H

#include "pci/pci.h"

#define PCI_HOST_VENDOR		PCI_VENDOR_ID_REDHAT
#define PCI_HOST_DEVICE		PCI_DEVICE_ID_REDHAT_PCIE_HOST
#define PCI_HOST_NR_PORTS	8	/* 0xcf8..0xcff */

void pci_host_bridge_init(struct pci_device *d);
/* bus_io_fn handlers: ports 0xcf8..0xcff, and the ECAM window. */
void pci_host_cf8_io(void *root, uint64_t offset, void *data, unsigned int len, bool is_write);
void pci_host_ecam_io(void *root, uint64_t offset, void *data, unsigned int len, bool is_write);

#endif
