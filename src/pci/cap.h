/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capability builder. Standard capabilities chain from PCI_CAPABILITY_LIST
 * in the first 256 bytes, starting at 0x40; extended ones chain from 0x100
 * with 32-bit headers (ID, version, next). Each is appended at the end of
 * its chain and its next pointer is read-only. A capability may register
 * hooks for its byte range; config accesses find them by offset.
 */
#ifndef SRIOVM_PCI_CAP_H
#define SRIOVM_PCI_CAP_H

#include "pci/pci.h"

/*
 * size counts the whole capability including its header; it is rounded up
 * to a dword. Returns the capability's offset, -ENOSPC if it does not fit,
 * -EINVAL for an extended capability in a 256-byte space.
 */
int pci_cap_add(struct pci_device *d, uint8_t id, unsigned int size,
		const struct pci_cap_hook *hook, void *opaque);
int pci_ext_cap_add(struct pci_device *d, uint16_t id, uint8_t version, unsigned int size,
		    const struct pci_cap_hook *hook, void *opaque);

/* Offset of the first capability with this ID, 0 if none. */
unsigned int pci_cap_find(const struct pci_device *d, uint8_t id);
unsigned int pci_ext_cap_find(const struct pci_device *d, uint16_t id);

/* The hooked capability whose range holds off, or NULL. */
const struct pci_cap_entry *pci_cap_lookup(const struct pci_device *d, unsigned int off);

#endif
