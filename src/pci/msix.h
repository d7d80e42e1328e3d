/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI-X: the capability, the vector table and the pending bit array in
 * one or two of the function's memory BARs, and delivery through MSI
 * routes of the platform. Accesses to a BAR that fall in the table or the
 * PBA go to this code before the BAR's own handler (pci/bar.c does it).
 *
 * A vector fires when MSI-X is enabled and neither the function nor the
 * vector is masked; while masked it sets its pending bit instead, and
 * unmasking delivers it. With MSI-X disabled, nothing is sent or pended.
 * Routes are allocated when a vector first becomes deliverable and freed
 * when MSI-X is disabled or the function reset.
 */
#ifndef SRIOVM_PCI_MSIX_H
#define SRIOVM_PCI_MSIX_H

#include "pci/pci.h"

#define MSIX_MAX_VECTORS	2048

/*
 * Adds the capability: nr vectors, the table at table_off in BAR table_bar
 * and the PBA at pba_off in BAR pba_bar. The BARs must be memory BARs added
 * before, offsets 8-byte aligned, table and PBA inside them and apart.
 * Returns the capability's offset or -errno.
 */
int msix_add(struct pci_device *d, unsigned int nr, unsigned int table_bar, uint32_t table_off,
	     unsigned int pba_bar, uint32_t pba_off);

/*
 * The device signals vector: any thread. -EINVAL for a vector out of range
 * or a function without MSI-X; 0 otherwise (sent, pended or dropped).
 */
int msix_notify(struct pci_device *d, unsigned int vector);
bool msix_enabled(struct pci_device *d);
unsigned int msix_nr_vectors(const struct pci_device *d);

/*
 * A BAR access at off: handled (true) when it falls in the table or the
 * PBA. Table and PBA take aligned 4- and 8-byte accesses; others read
 * all-ones and are dropped.
 */
bool msix_bar_io(struct pci_device *d, unsigned int bar, uint64_t off, void *data,
		 unsigned int len, bool is_write);

/* Function reset: disabled, every vector masked, no pending bits, routes freed. */
void msix_reset(struct pci_device *d);
/* Frees the state and routes (VM teardown). */
void msix_destroy(struct pci_device *d);

#endif
