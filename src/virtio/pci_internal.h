/* SPDX-License-Identifier: GPL-2.0 */
/* What the virtio-pci transport's files share (pci.c, pci_admin.c, pci_legacy.c). */
#ifndef SRIOVM_VIRTIO_PCI_INTERNAL_H
#define SRIOVM_VIRTIO_PCI_INTERNAL_H

#include "virtio/pci.h"

/* A vector the MSI-X table has, else VIRTIO_MSI_NO_VECTOR (4.1.5.1.2). */
uint16_t vp_check_vector(struct virtio_pci *vp, uint16_t vector);
/* The transport's state a device reset clears too; vp->lock held. */
void vp_reset_selectors(struct virtio_pci *vp);
/* virtio_transport_ops.admin_notify: the PF's administration queue q. */
void vp_admin_notify(struct virtio_device *vdev, unsigned int q);
/* An available buffer notification for q, now or (from a locked context) deferred. */
void vp_queue_kick(struct virtio_pci *vp, unsigned int q, bool defer);

#endif
