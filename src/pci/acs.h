/* SPDX-License-Identifier: GPL-2.0 */
/* The ACS extended capability of a port or a multi-function device. */
#ifndef SRIOVM_PCI_ACS_H
#define SRIOVM_PCI_ACS_H

#include "pci/pci.h"

/* A root port's: what QEMU's root port has (no Egress Control vector). */
#define PCI_ACS_ROOT_PORT	(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | \
				 PCI_ACS_UF | PCI_ACS_DT)

/* Appends the capability with these controls (PCI_ACS_SV...); its offset or -errno. */
int pci_acs_add(struct pci_device *d, uint16_t controls);

#endif
