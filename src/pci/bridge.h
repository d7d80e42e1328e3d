/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI-to-PCI bridges (type 1 header): bus numbers, which route config
 * requests; I/O (16-bit), memory and 64-bit prefetchable windows and the
 * Command enables, which gate decode below; Bridge Control with secondary
 * bus reset.
 */
#ifndef SRIOVM_PCI_BRIDGE_H
#define SRIOVM_PCI_BRIDGE_H

#include "pci/pci.h"

/* After pci_device_init() with a type 1 header: makes secondary the bus below d. */
void pci_bridge_init(struct pci_device *d, struct pci_bus *secondary);

/* Does the bridge forward [base, base + size) of I/O or memory space downstream? */
bool pci_bridge_forwards(const struct pci_device *br, bool io, uint64_t base, uint64_t size);
/* Does a type 0 request for devfn reach its secondary bus (PCIe ports: device 0 or ARI)? */
bool pci_bridge_reaches(const struct pci_device *br, uint8_t devfn);
/* Side effects of a header write (secondary bus reset). Lock held. */
void pci_bridge_written(struct pci_device *d, unsigned int off, unsigned int len, uint32_t old);

#endif
