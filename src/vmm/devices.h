/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI devices of the command line (-device pcie-root-port,
 * virtio-net-pci), built for each boot in command-line order and joined to
 * their network backends.
 */
#ifndef SRIOVM_VMM_DEVICES_H
#define SRIOVM_VMM_DEVICES_H

#include "pci/root_port.h"
#include "virtio/net.h"
#include "virtio/pci.h"

struct vm;

struct vm_pci_dev {
	const struct pci_dev_config *cfg;
	bool built;
	union {
		struct pci_root_port rp;
		struct {
			struct virtio_net *net;
			struct net_backend *be;	/* NULL: no netdev */
			bool attached;
			struct virtio_pci vp;
		} nic;
	};
};

/* Messages name the -device at fault. */
int vm_devices_create(struct vm *vm);
/* Detaches backends first, so no frame arrives during teardown. */
void vm_devices_destroy(struct vm *vm);
/* After the PCI root is gone: the functions' memory. */
void vm_devices_free(struct vm *vm);

#endif
