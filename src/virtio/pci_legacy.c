// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio-pci function's legacy personality: the virtio 0.9.5 I/O BAR0
 * header (virtio 1.x 4.1.4.10, "Legacy Interfaces: A Note on PCI Device
 * Layout") over the same device state as the modern BAR, as a
 * transitional device's two interfaces share one device. Reached through
 * the PF's legacy interface admin commands (pci_admin.c), which say
 * little-endian always and allow any access that stays inside one field:
 * Linux's legacy driver reads the device configuration a byte at a time
 * (virtio_pci_legacy.c's vp_get()), and writes the header's fields whole.
 *
 *   0  host features (bits 0-31)    R     12 queue size          R
 *   4  guest features (bits 0-31)   RW    14 queue select        RW
 *   8  queue PFN                    RW    16 queue notify        W
 *  18  device status                RW    19 ISR (read clears)   R
 *  20  MSI-X config vector          RW    only while MSI-X is enabled,
 *  22  MSI-X queue vector           RW    the device config at 24 then
 */
#include <errno.h>
#include <string.h>

#include <linux/virtio_pci.h>

#include "lib/le.h"
#include "pci/msix.h"
#include "virtio/pci_internal.h"

struct legacy_field {
	uint8_t off, size;
};

static const struct legacy_field legacy_fields[] = {
	{ VIRTIO_PCI_HOST_FEATURES, 4 },
	{ VIRTIO_PCI_GUEST_FEATURES, 4 },
	{ VIRTIO_PCI_QUEUE_PFN, 4 },
	{ VIRTIO_PCI_QUEUE_NUM, 2 },
	{ VIRTIO_PCI_QUEUE_SEL, 2 },
	{ VIRTIO_PCI_QUEUE_NOTIFY, 2 },
	{ VIRTIO_PCI_STATUS, 1 },
	{ VIRTIO_PCI_ISR, 1 },
	{ VIRTIO_MSI_CONFIG_VECTOR, 2 },
	{ VIRTIO_MSI_QUEUE_VECTOR, 2 },
};

/* The field holding [off, off + len) inside a header of size bytes; NULL if none. */
static const struct legacy_field *legacy_field(unsigned int off, unsigned int len,
					       unsigned int size)
{
	unsigned int i;

	if (!len || off >= size || len > size - off)
		return NULL;
	for (i = 0; i < sizeof(legacy_fields) / sizeof(legacy_fields[0]); i++) {
		const struct legacy_field *f = &legacy_fields[i];

		if (off >= f->off && off < f->off + f->size)
			return off + len <= f->off + f->size ? f : NULL;
	}
	return NULL;
}

static uint32_t legacy_read(struct virtio_pci *vp, unsigned int reg)
{
	struct virtio_device *vdev = vp->vdev;
	unsigned int q = vp->queue_sel;

	switch (reg) {
	case VIRTIO_PCI_HOST_FEATURES:
		return (uint32_t)virtio_device_features(vdev);
	case VIRTIO_PCI_GUEST_FEATURES:
		return (uint32_t)virtio_driver_features(vdev);
	case VIRTIO_PCI_QUEUE_PFN:
		return virtio_legacy_queue_pfn(vdev, q);
	case VIRTIO_PCI_QUEUE_NUM:
		/* Fixed by the device: the maximum, 0 for a queue that does not exist. */
		return q < virtio_num_queues(vdev) ? virtio_queue_size(vdev, q) : 0;
	case VIRTIO_PCI_QUEUE_SEL:
		return vp->queue_sel;
	case VIRTIO_PCI_STATUS:
		return virtio_get_status(vdev);
	case VIRTIO_PCI_ISR:
		return virtio_isr_read(vdev);
	case VIRTIO_MSI_CONFIG_VECTOR:
		return virtio_config_vector(vdev);
	case VIRTIO_MSI_QUEUE_VECTOR:
		return q < virtio_num_queues(vdev) ? virtio_queue_vector(vdev, q) :
		       VIRTIO_MSI_NO_VECTOR;
	default:	/* queue notify reads 0 */
		return 0;
	}
}

static void legacy_write(struct virtio_pci *vp, unsigned int reg, uint32_t v)
{
	struct virtio_device *vdev = vp->vdev;
	unsigned int q = vp->queue_sel;

	switch (reg) {
	case VIRTIO_PCI_GUEST_FEATURES:
		virtio_legacy_set_driver_features(vdev, v);
		break;
	case VIRTIO_PCI_QUEUE_PFN:
		/* The administration queue is the PF's alone: a legacy driver sees the device's. */
		if (q < virtio_num_queues(vdev))
			virtio_legacy_queue_set_pfn(vdev, q, v);
		break;
	case VIRTIO_PCI_QUEUE_SEL:
		vp->queue_sel = (uint16_t)v;
		break;
	case VIRTIO_PCI_QUEUE_NOTIFY:
		if (v < virtio_num_queues(vdev))
			vp_queue_kick(vp, v, true);
		break;
	case VIRTIO_PCI_STATUS:
		virtio_legacy_set_status(vdev, (uint8_t)v);
		if (!v)
			vp_reset_selectors(vp);
		break;
	case VIRTIO_MSI_CONFIG_VECTOR:
		virtio_set_config_vector(vdev, vp_check_vector(vp, (uint16_t)v));
		break;
	case VIRTIO_MSI_QUEUE_VECTOR:
		if (q < virtio_num_queues(vdev))
			virtio_queue_set_vector(vdev, q, vp_check_vector(vp, (uint16_t)v));
		break;
	default:	/* read-only fields */
		break;
	}
}

int virtio_pci_legacy_common(struct virtio_pci *vp, unsigned int off, void *data,
			     unsigned int len, bool is_write)
{
	unsigned int size = VIRTIO_PCI_CONFIG_OFF(msix_enabled(&vp->pci));
	const struct legacy_field *f = legacy_field(off, len, size);
	unsigned int shift;
	uint32_t v, mask;

	if (!f)
		return -EINVAL;
	shift = 8 * (off - f->off);
	mask = (uint32_t)(((1ULL << (8 * len)) - 1) << shift);
	pthread_mutex_lock(&vp->lock);
	if (is_write) {
		/* Part of a field: the rest keeps its value (an ISR read would clear it). */
		v = len == f->size || f->off == VIRTIO_PCI_ISR ? 0 : legacy_read(vp, f->off);
		v = (v & ~mask) | ((uint32_t)le_load(data, len) << shift);
		legacy_write(vp, f->off, v);
	} else {
		v = legacy_read(vp, f->off);
		le_store(data, len, (v & mask) >> shift);
	}
	pthread_mutex_unlock(&vp->lock);
	return 0;
}

int virtio_pci_legacy_device(struct virtio_pci *vp, unsigned int off, void *data,
			     unsigned int len, bool is_write)
{
	if (!virtio_config_in_field(vp->vdev, off, len))
		return -EINVAL;
	if (is_write)
		virtio_config_write(vp->vdev, off, data, len);
	else
		virtio_config_read(vp->vdev, off, data, len);
	return 0;
}
