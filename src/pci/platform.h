/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the machine lends to PCI devices: address decode for BARs, MSI
 * routes and ioeventfds. The vmm layer implements it over KVM; unit tests
 * and fuzz targets implement it over plain memory. PCI code never calls
 * KVM or the bus directly, so calls go one way (vmm -> bus -> pci).
 */
#ifndef SRIOVM_PCI_PLATFORM_H
#define SRIOVM_PCI_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "bus/bus.h"

struct pci_platform_ops {
	/*
	 * Decode [base, base + size) of I/O (io) or memory space to
	 * fn(opaque, offset into the range, ...). -EBUSY if it overlaps a
	 * range already decoded.
	 */
	int (*map)(void *plat, bool io, uint64_t base, uint64_t size, bus_io_fn fn,
		   void *opaque);
	/* Stops decoding the range map() started at base for opaque. */
	void (*unmap)(void *plat, bool io, uint64_t base, void *opaque);
	/*
	 * A guest write of len bytes (1, 2, 4 or 8; 0: any length) to memory
	 * address addr signals the eventfd fd instead of exiting to the VMM.
	 */
	int (*ioeventfd)(void *plat, uint64_t addr, unsigned int len, int fd, bool assign);
	/*
	 * MSI routes. msi_alloc() returns a route number >= 0 and an eventfd
	 * in *fd: writing 1 to it raises the message last given to msi_set().
	 * A route without a message set raises nothing.
	 */
	int (*msi_alloc)(void *plat, int *fd);
	int (*msi_set)(void *plat, int route, uint64_t addr, uint32_t data);
	void (*msi_free)(void *plat, int route);
};

struct pci_platform {
	const struct pci_platform_ops *ops;
	void *opaque;
};

#endif
