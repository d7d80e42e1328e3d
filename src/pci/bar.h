/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Base address registers and decode. A BAR is sized by the guest through
 * its write mask; where it decodes is computed, never stored: after a write
 * that can change decode, each function's effective ranges are recomputed
 * and only the difference goes to the platform (unmaps first, then maps).
 *
 * A BAR decodes when its function is present and in D0, its Command enable
 * bit is set, its range is sane (not 0, not wrapping, not the all-ones
 * sizing pattern, I/O below 64 KiB) and every bridge above forwards the
 * whole range. A map the platform refuses (-EBUSY: overlap) leaves the BAR
 * undecoded; it is tried again at the next update.
 */
#ifndef SRIOVM_PCI_BAR_H
#define SRIOVM_PCI_BAR_H

#include "pci/pci.h"

/*
 * Adds BAR bar (a 64-bit one also takes bar + 1). The register starts at
 * address 0 with its type bits. -EINVAL: bad index, size or flags; -EBUSY:
 * the register is taken.
 */
int pci_bar_add(struct pci_device *d, unsigned int bar, const struct pci_bar_desc *desc);
/* The address programmed in the function's header (type bits masked). */
uint64_t pci_bar_address(const struct pci_device *d, unsigned int bar);
/* Where the BAR decodes now; false if it does not. */
bool pci_bar_mapped(const struct pci_device *d, unsigned int bar, uint64_t *base);
/*
 * An access to BAR bar at off that does not come through address decode
 * (virtio's PCI configuration access window): the same handlers, MSI-X
 * first. -EINVAL, nothing done, unless [off, off + len) lies inside a
 * memory BAR.
 */
int pci_bar_access(struct pci_device *d, unsigned int bar, uint64_t off, void *data,
		   unsigned int len, bool is_write);

#endif
