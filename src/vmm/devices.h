/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI devices of the command line (-device pcie-root-port,
 * virtio-net-pci), built for each boot in command-line order and joined to
 * their network backends.
 *
 * Composable SR-IOV (sriov-pf=, checked by the command line): each VF is a
 * full virtio-net-pci function with its own backend and MAC, built like
 * any NIC but not attached; once every device is built, each PF takes its
 * VFs (pci_sriov_add(), First VF Offset and VF Stride from their
 * addresses) and offers VIRTIO_F_SR_IOV. The VFs live as long as the VM:
 * the guest only switches them on and off.
 */
#ifndef SRIOVM_VMM_DEVICES_H
#define SRIOVM_VMM_DEVICES_H

#include "pci/root_port.h"
#include "pci/sriov.h"
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
			bool vf;		/* sriov-pf=: built, attached by its PF */
			struct pci_sriov *sriov;	/* a PF with VFs; else NULL */
			struct virtio_pci vp;
		} nic;
	};
};

/* What the devices are built on: a VM's, or a test's. */
struct vm_devices_env {
	const struct vm_config *cfg;
	struct pci_root *root;		/* host bridge attached, platform set */
	const struct guest_mem *mem;
	struct loop *loop;
	struct net *net;		/* the backends (net_create()) */
};

/*
 * Builds env->cfg's PCI devices below env->root and attaches their
 * backends. Messages name the -device at fault. *devsp is set even on
 * failure: vm_pci_devices_destroy() and, after the PCI root is gone,
 * vm_pci_devices_free() release it either way.
 */
int vm_pci_devices_create(const struct vm_devices_env *env, struct vm_pci_dev **devsp);
/* Detaches backends first, so no frame arrives during teardown. */
void vm_pci_devices_destroy(const struct vm_config *cfg, struct vm_pci_dev *devs);
/* After the PCI root is gone: the functions' memory. */
void vm_pci_devices_free(const struct vm_config *cfg, struct vm_pci_dev *devs);

/* The same for a VM: its config, PCI root, RAM, loop and backends. */
int vm_devices_create(struct vm *vm);
void vm_devices_destroy(struct vm *vm);
void vm_devices_free(struct vm *vm);

#endif
