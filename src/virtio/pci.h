/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The modern virtio-pci transport (virtio 1.x section 4.1), laid out as
 * QEMU lays out a modern-only device:
 *   BAR1  4 KiB, 32-bit memory: MSI-X table at 0, PBA at 0x800;
 *   BAR4  16 KiB, 64-bit prefetchable memory: common configuration at
 *         0x0000, ISR at 0x1000, device configuration at 0x2000,
 *         notifications at 0x3000 (queue q at 0x3000 + 4 * q);
 * vendor capabilities for the four regions and the PCI configuration
 * access window. Notifications arrive through ioeventfds (one per queue,
 * moved with the BAR), interrupts leave through MSI-X.
 *
 * An SR-IOV PF may have an administration queue (virtio_pci_add_admin(),
 * pci_admin.c): the commands of the SR-IOV group, whose legacy interface
 * commands reach each VF's legacy personality (pci_legacy.c), as if the
 * VF had the legacy I/O BAR0 that VFs cannot have. A VF's legacy Queue
 * Notify is then a 16-bit write of the queue index at
 * VIRTIO_PCI_LEGACY_NOTIFY_OFF of its BAR4 (LEGACY_NOTIFY_INFO's answer).
 */
#ifndef SRIOVM_VIRTIO_PCI_H
#define SRIOVM_VIRTIO_PCI_H

#include "pci/pci.h"
#include "virtio/virtio.h"

#define VIRTIO_PCI_MSIX_BAR		1
#define VIRTIO_PCI_MODERN_BAR		4
#define VIRTIO_PCI_REGION_SIZE		0x1000
#define VIRTIO_PCI_COMMON_OFF		0x0000
#define VIRTIO_PCI_ISR_OFF		0x1000
#define VIRTIO_PCI_DEVICE_OFF		0x2000
#define VIRTIO_PCI_NOTIFY_OFF		0x3000
#define VIRTIO_PCI_MODERN_SIZE		0x4000
#define VIRTIO_PCI_NOTIFY_MULT		4
/* In the notification region, past every queue's address. */
#define VIRTIO_PCI_LEGACY_NOTIFY_OFF	0x3800
#define VIRTIO_PCI_ADMIN_QUEUE_SIZE	64
#define VIRTIO_PCI_DEVICE_ID_BASE	0x1040	/* + virtio device ID: modern-only IDs */

struct virtio_pci;

struct virtio_pci_notifier {
	struct loop_handler h;
	struct virtio_pci *vp;
	unsigned int q;
	int fd;
	bool assigned;		/* registered as an ioeventfd at addr */
	uint64_t addr;
};

struct virtio_pci {
	struct pci_device pci;
	struct virtio_device *vdev;
	struct loop *loop;

	/* Common configuration selectors; lock order: lock, then vdev->lock. */
	pthread_mutex_t lock;
	uint32_t dfselect, gfselect;
	uint16_t queue_sel;

	/* virtio_pci_cfg_cap: the window's offset in config space. */
	unsigned int cfg_cap;
	uint64_t sync_queues;		/* virtio_pci_info's */
	/*
	 * The administration commands the driver said it uses (LIST_USE), a
	 * bit per opcode; LIST_QUERY and LIST_USE after a reset.
	 */
	_Atomic uint64_t admin_used;

	struct virtio_pci_notifier notifiers[VIRTIO_MAX_QUEUES];
};

struct virtio_pci_info {
	const char *name;	/* the function's and the device's in messages; kept */
	uint16_t class;		/* e.g. PCI_CLASS_NETWORK_ETHERNET */
	bool express;		/* PCI Express endpoint (4 KiB config, PCIe and ARI caps) */
	unsigned int nr_vectors;	/* MSI-X table size */
	/*
	 * Queues (bit q) whose notifications the notifying vCPU handles
	 * itself, with no ioeventfd: for a driver that spins until the device
	 * has answered (Linux's virtio-iommu requests), which another thread
	 * would answer only once the vCPU gives up its CPU.
	 */
	uint64_t sync_queues;
};

/*
 * Builds the PCI function for vdev and becomes its transport. Attach
 * vp->pci to a bus afterwards.
 */
int virtio_pci_init(struct virtio_pci *vp, struct virtio_device *vdev, struct loop *loop,
		    const struct virtio_pci_info *info);
/* After the VM's vCPUs stopped: ioeventfds and loop handlers released. */
void virtio_pci_destroy(struct virtio_pci *vp);
/* The transport of function d; NULL if d is not a virtio-pci function. */
struct virtio_pci *virtio_pci_of(struct pci_device *d);
/*
 * The administration queue of a PF (pci_sriov_add() done), with the
 * SR-IOV group's commands: VIRTIO_F_ADMIN_VQ offered. Before the driver
 * runs. -EINVAL if vp is not a PF or its VFs have a BAR0 (LEGACY_NOTIFY_INFO
 * needs VF BAR0 hardwired to zero).
 */
int virtio_pci_add_admin(struct virtio_pci *vp);

/*
 * A VF's legacy personality: an access to the legacy header (common:
 * offsets from 0, up to the device configuration, which starts at 20, or
 * 24 while the function's MSI-X is enabled) or to the device
 * configuration behind it (device: offsets from 0), little-endian.
 * 0, or -EINVAL (nothing done) unless [off, off + len) lies inside one
 * field of that area. A Queue Notify write is deferred to the loop thread
 * (the caller may hold locks the queue's work takes).
 */
int virtio_pci_legacy_common(struct virtio_pci *vp, unsigned int off, void *data,
			     unsigned int len, bool is_write);
int virtio_pci_legacy_device(struct virtio_pci *vp, unsigned int off, void *data,
			     unsigned int len, bool is_write);

#endif
