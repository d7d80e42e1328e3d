/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI Power Management capability, version 3: D0 and D3hot, NoSoftReset
 * (D3hot -> D0 keeps the configuration), no PME. Outside D0 a function's
 * BARs do not decode and a bridge forwards nothing.
 */
#ifndef SRIOVM_PCI_PM_H
#define SRIOVM_PCI_PM_H

#include "pci/pci.h"

/* Returns the capability's offset or -errno. */
int pci_pm_add(struct pci_device *d);
/* In D0 (or without a PM capability)? */
bool pci_pm_d0(const struct pci_device *d);

#endif
