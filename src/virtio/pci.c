// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <linux/virtio_pci.h>

#include "lib/kernel.h"
#include "lib/le.h"
#include "pci/bar.h"
#include "pci/cap.h"
#include "pci/msix.h"
#include "pci/pcie.h"
#include "pci/pm.h"
#include "virtio/pci.h"
#include "virtio/pci_internal.h"

#define VIRTIO_PCI_MSIX_BAR_SIZE	0x1000
#define VIRTIO_PCI_PBA_OFF		0x800
#define VIRTIO_PCI_REVISION		1	/* modern-only (spec 4.1.2.1) */

#define COMMON(f)	offsetof(struct virtio_pci_common_cfg, f)
#define MCOMMON(f)	offsetof(struct virtio_pci_modern_common_cfg, f)
/* The common configuration with the administration queue fields (virtio 1.3). */
#define COMMON_SIZE	offsetofend(struct virtio_pci_modern_common_cfg, admin_queue_num)

/* Administration commands the driver may use after a reset (virtio 1.3 2.12.1.2). */
#define ADMIN_USED_RESET	((1ULL << VIRTIO_ADMIN_CMD_LIST_QUERY) |	\
				 (1ULL << VIRTIO_ADMIN_CMD_LIST_USE))

/*
 * A notify register written through the PCI configuration access window
 * runs with root->lock held (a config cycle), which an administration
 * queue takes: such a notification waits for the loop thread.
 */
static _Thread_local bool vp_in_cfg_window;

static const struct pci_device_ops vp_pci_ops;

static struct virtio_pci *vp_of(struct pci_device *d)
{
	return d->priv;
}

struct virtio_pci *virtio_pci_of(struct pci_device *d)
{
	return d && d->ops == &vp_pci_ops ? vp_of(d) : NULL;
}

uint16_t vp_check_vector(struct virtio_pci *vp, uint16_t vector)
{
	/* A vector the table does not have: the device reports NO_VECTOR (4.1.5.1.2). */
	return vector < msix_nr_vectors(&vp->pci) ? vector : VIRTIO_MSI_NO_VECTOR;
}

void vp_reset_selectors(struct virtio_pci *vp)
{
	vp->dfselect = vp->gfselect = 0;
	vp->queue_sel = 0;
	atomic_store(&vp->admin_used, ADMIN_USED_RESET);
}

void vp_queue_kick(struct virtio_pci *vp, unsigned int q, bool defer)
{
	if (!defer)
		virtio_queue_notify(vp->vdev, q);
	else if (q < virtio_queue_count(vp->vdev))
		virtio_queue_reschedule(vp->vdev, q);
}

static enum virtio_queue_area vp_area(unsigned int off)
{
	if (off >= COMMON(queue_used_lo))
		return VIRTIO_QUEUE_DEVICE;
	if (off >= COMMON(queue_avail_lo))
		return VIRTIO_QUEUE_DRIVER;
	return VIRTIO_QUEUE_DESC;
}

/*
 * Does an access match one field of the common configuration, whole, or a
 * 32-bit half of a 64-bit one? One that does not reads 0 and is dropped.
 */
static bool vp_common_field(unsigned int off, unsigned int len)
{
	switch (off) {
	case COMMON(device_feature_select):
	case COMMON(device_feature):
	case COMMON(guest_feature_select):
	case COMMON(guest_feature):
	case COMMON(queue_desc_lo):
	case COMMON(queue_desc_hi):
	case COMMON(queue_avail_lo):
	case COMMON(queue_avail_hi):
	case COMMON(queue_used_lo):
	case COMMON(queue_used_hi):
		return len == 4 || (len == 8 && !(off & 7) && off >= COMMON(queue_desc_lo));
	case COMMON(msix_config):
	case COMMON(num_queues):
	case COMMON(queue_select):
	case COMMON(queue_size):
	case COMMON(queue_msix_vector):
	case COMMON(queue_enable):
	case COMMON(queue_notify_off):
	case MCOMMON(queue_notify_data):
	case MCOMMON(queue_reset):
	case MCOMMON(admin_queue_index):
	case MCOMMON(admin_queue_num):
		return len == 2;
	case COMMON(device_status):
	case COMMON(config_generation):
		return len == 1;
	default:
		return false;
	}
}

static uint64_t vp_common_read(struct virtio_pci *vp, unsigned int off, unsigned int len)
{
	struct virtio_device *vdev = vp->vdev;
	unsigned int q = vp->queue_sel;
	uint64_t v;

	switch (off) {
	case COMMON(device_feature_select):
		return vp->dfselect;
	case COMMON(device_feature):
		return vp->dfselect < 2 ? (uint32_t)(virtio_device_features(vdev) >>
						     (32 * vp->dfselect)) : 0;
	case COMMON(guest_feature_select):
		return vp->gfselect;
	case COMMON(guest_feature):
		return vp->gfselect < 2 ? (uint32_t)(virtio_driver_features(vdev) >>
						     (32 * vp->gfselect)) : 0;
	case COMMON(msix_config):
		return virtio_config_vector(vdev);
	case COMMON(num_queues):
		return virtio_num_queues(vdev);
	case COMMON(device_status):
		return virtio_get_status(vdev);
	case COMMON(config_generation):
		return virtio_config_generation(vdev);
	case COMMON(queue_select):
		return vp->queue_sel;
	case COMMON(queue_size):
		return virtio_queue_size(vdev, q);
	case COMMON(queue_msix_vector):
		return virtio_queue_vector(vdev, q);	/* NO_VECTOR past the last queue */
	case COMMON(queue_enable):
		return virtio_queue_enabled(vdev, q);
	case COMMON(queue_notify_off):
		return q < virtio_queue_count(vdev) ? q : 0;
	case MCOMMON(queue_notify_data):
	case MCOMMON(queue_reset):
		return 0;	/* NOTIF_CONFIG_DATA and RING_RESET are not offered */
	case MCOMMON(admin_queue_index):
		return virtio_admin_queue_index(vdev);
	case MCOMMON(admin_queue_num):
		return virtio_admin_queue_num(vdev);
	default:	/* the queue addresses */
		v = virtio_queue_addr(vdev, q, vp_area(off));
		if (len == 8)
			return v;
		return (uint32_t)(v >> ((off & 4) ? 32 : 0));
	}
}

static void vp_common_write(struct virtio_pci *vp, unsigned int off, unsigned int len,
			    uint64_t v)
{
	struct virtio_device *vdev = vp->vdev;
	unsigned int q = vp->queue_sel, shift;
	uint64_t addr, mask;

	switch (off) {
	case COMMON(device_feature_select):
		vp->dfselect = (uint32_t)v;
		break;
	case COMMON(guest_feature_select):
		vp->gfselect = (uint32_t)v;
		break;
	case COMMON(guest_feature):
		if (vp->gfselect >= 2)
			break;	/* no feature bits above 63 */
		/*
		 * The other window from the core's copy (the offered bits the
		 * driver wrote); unoffered bits make FEATURES_OK fail there.
		 */
		shift = 32 * vp->gfselect;
		virtio_set_driver_features(vdev, (virtio_driver_features(vdev) &
						  ~(0xffffffffULL << shift)) |
						 (v & 0xffffffffULL) << shift);
		break;
	case COMMON(msix_config):
		virtio_set_config_vector(vdev, vp_check_vector(vp, (uint16_t)v));
		break;
	case COMMON(device_status):
		virtio_set_status(vdev, (uint8_t)v);
		if (!v)
			vp_reset_selectors(vp);
		break;
	case COMMON(queue_select):
		vp->queue_sel = (uint16_t)v;
		break;
	case COMMON(queue_size):
		virtio_queue_set_size(vdev, q, (uint16_t)v);
		break;
	case COMMON(queue_msix_vector):
		virtio_queue_set_vector(vdev, q, vp_check_vector(vp, (uint16_t)v));
		break;
	case COMMON(queue_enable):
		if (v == 1)
			virtio_queue_enable(vdev, q);
		break;
	case COMMON(queue_desc_lo):
	case COMMON(queue_desc_hi):
	case COMMON(queue_avail_lo):
	case COMMON(queue_avail_hi):
	case COMMON(queue_used_lo):
	case COMMON(queue_used_hi):
		addr = virtio_queue_addr(vdev, q, vp_area(off));
		if (len == 8) {
			addr = v;
		} else {
			shift = (off & 4) ? 32 : 0;
			mask = 0xffffffffULL << shift;
			addr = (addr & ~mask) | ((v & 0xffffffffULL) << shift);
		}
		virtio_queue_set_addr(vdev, q, vp_area(off), addr);
		break;
	default:	/* read-only fields */
		break;
	}
}

static void vp_common_io(struct virtio_pci *vp, uint64_t off, void *data, unsigned int len,
			 bool is_write)
{
	if (off >= COMMON_SIZE || !vp_common_field(off, len)) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&vp->lock);
	if (is_write)
		vp_common_write(vp, (unsigned int)off, len, le_load(data, len));
	else
		le_store(data, len, vp_common_read(vp, (unsigned int)off, len));
	pthread_mutex_unlock(&vp->lock);
}

static void vp_notify_write(struct virtio_pci *vp, uint64_t off, const void *data,
			    unsigned int len)
{
	/*
	 * The legacy notification address: the value is the queue
	 * (LEGACY_NOTIFY_INFO says "a 16-bit virtqueue index").
	 */
	if (off == VIRTIO_PCI_LEGACY_NOTIFY_OFF - VIRTIO_PCI_NOTIFY_OFF) {
		if (len == 2)
			vp_queue_kick(vp, (unsigned int)le_load(data, 2), vp_in_cfg_window);
		return;
	}
	/*
	 * The queue is the notify address's, whatever value was written
	 * (4.1.4.4); off is inside the region, virtio_queue_notify() checks q.
	 */
	vp_queue_kick(vp, (unsigned int)(off / VIRTIO_PCI_NOTIFY_MULT), vp_in_cfg_window);
}

/* BAR4: the four regions. Offsets are below VIRTIO_PCI_MODERN_SIZE. */
static void vp_modern_io(void *opaque, uint64_t off, void *data, unsigned int len,
			 bool is_write)
{
	struct virtio_pci *vp = opaque;
	uint64_t roff = off % VIRTIO_PCI_REGION_SIZE;
	uint8_t isr;

	if (len > 8 || roff + len > VIRTIO_PCI_REGION_SIZE) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	switch (off - roff) {
	case VIRTIO_PCI_COMMON_OFF:
		vp_common_io(vp, roff, data, len, is_write);
		break;
	case VIRTIO_PCI_ISR_OFF:
		if (is_write)
			break;
		memset(data, 0, len);
		if (roff == 0) {
			isr = virtio_isr_read(vp->vdev);
			memcpy(data, &isr, 1);
		}
		break;
	case VIRTIO_PCI_DEVICE_OFF:
		if (is_write)
			virtio_config_write(vp->vdev, (unsigned int)roff, data, len);
		else
			virtio_config_read(vp->vdev, (unsigned int)roff, data, len);
		break;
	case VIRTIO_PCI_NOTIFY_OFF:
		if (is_write)
			vp_notify_write(vp, roff, data, len);
		else
			memset(data, 0, len);
		break;
	}
}

static void vp_notifier_event(struct loop_handler *h, uint32_t events)
{
	struct virtio_pci_notifier *n = container_of(h, struct virtio_pci_notifier, h);
	uint64_t cnt;

	if (read(n->fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return;		/* EAGAIN: another wake-up took it */
	virtio_queue_notify(n->vp->vdev, n->q);
}

static void vp_notifiers_assign(struct virtio_pci *vp, uint64_t base, bool assign)
{
	const struct pci_platform *plat = vp->pci.root ? vp->pci.root->plat : NULL;
	unsigned int q;

	if (!plat || !plat->ops->ioeventfd)
		return;
	for (q = 0; q < virtio_queue_count(vp->vdev); q++) {
		struct virtio_pci_notifier *n = &vp->notifiers[q];

		if (n->fd < 0 || (vp->sync_queues & (1ULL << q)))
			continue;
		if (assign && !n->assigned) {
			n->addr = base + VIRTIO_PCI_NOTIFY_OFF + q * VIRTIO_PCI_NOTIFY_MULT;
			/* Linux writes the 16-bit queue index; other writes still exit. */
			n->assigned = !plat->ops->ioeventfd(plat->opaque, n->addr, 2, n->fd, true);
		} else if (!assign && n->assigned) {
			plat->ops->ioeventfd(plat->opaque, n->addr, 2, n->fd, false);
			n->assigned = false;
		}
	}
}

static void vp_modern_mapped(void *opaque, unsigned int bar, uint64_t base, uint64_t size)
{
	vp_notifiers_assign(opaque, base, true);
}

static void vp_modern_unmapped(void *opaque, unsigned int bar, uint64_t base, uint64_t size)
{
	vp_notifiers_assign(opaque, base, false);
}

/*
 * VIRTIO_PCI_CAP_PCI_CFG (4.1.4.9): a window through which the driver
 * reaches BAR bytes with config cycles. A read of pci_cfg_data fetches
 * length bytes at offset of bar; a write stores them there. The window is
 * the driver's to set: pci_bar_access() checks it against the BAR.
 */
static void vp_cfg_access(struct virtio_pci *vp, bool is_write)
{
	struct pci_config *c = &vp->pci.cfg;
	unsigned int cap = vp->cfg_cap;
	uint8_t *data = &c->val[cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data)];
	unsigned int bar = c->val[cap + offsetof(struct virtio_pci_cap, bar)];
	uint32_t off = pci_config_get32(c, cap + offsetof(struct virtio_pci_cap, offset));
	uint32_t len = pci_config_get32(c, cap + offsetof(struct virtio_pci_cap, length));

	if ((len != 1 && len != 2 && len != 4) || (off & (len - 1)))
		return;
	vp_in_cfg_window = true;
	pci_bar_access(&vp->pci, bar, off, data, len, is_write);
	vp_in_cfg_window = false;
}

static void vp_cfg_pre_read(struct pci_device *d, unsigned int cap, unsigned int off,
			    unsigned int len, void *opaque)
{
	unsigned int data_off = cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data);

	if (off < data_off + 4 && off + len > data_off)
		vp_cfg_access(opaque, false);
}

static void vp_cfg_written(struct pci_device *d, unsigned int cap, unsigned int off,
			   unsigned int len, uint32_t old, void *opaque)
{
	unsigned int data_off = cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data);

	if (off < data_off + 4 && off + len > data_off)
		vp_cfg_access(opaque, true);
}

static const struct pci_cap_hook vp_cfg_hook = {
	.pre_read = vp_cfg_pre_read,
	.written = vp_cfg_written,
};

static int vp_add_cap(struct virtio_pci *vp, uint8_t type, unsigned int size, uint8_t bar,
		      uint32_t off, uint32_t len, const struct pci_cap_hook *hook)
{
	struct pci_config *c = &vp->pci.cfg;
	int cap = pci_cap_add(&vp->pci, PCI_CAP_ID_VNDR, size, hook, vp);

	if (cap < 0)
		return cap;
	pci_config_set8(c, cap + offsetof(struct virtio_pci_cap, cap_len), size);
	pci_config_set8(c, cap + offsetof(struct virtio_pci_cap, cfg_type), type);
	pci_config_set8(c, cap + offsetof(struct virtio_pci_cap, bar), bar);
	pci_config_set32(c, cap + offsetof(struct virtio_pci_cap, offset), off);
	pci_config_set32(c, cap + offsetof(struct virtio_pci_cap, length), len);
	return cap;
}

static int vp_add_caps(struct virtio_pci *vp)
{
	struct pci_config *c = &vp->pci.cfg;
	const uint8_t bar = VIRTIO_PCI_MODERN_BAR;
	int cap;

	cap = vp_add_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, sizeof(struct virtio_pci_cap), bar,
			 VIRTIO_PCI_COMMON_OFF, VIRTIO_PCI_REGION_SIZE, NULL);
	if (cap >= 0)
		cap = vp_add_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, sizeof(struct virtio_pci_cap), bar,
				 VIRTIO_PCI_ISR_OFF, VIRTIO_PCI_REGION_SIZE, NULL);
	if (cap >= 0)
		cap = vp_add_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, sizeof(struct virtio_pci_cap),
				 bar, VIRTIO_PCI_DEVICE_OFF, VIRTIO_PCI_REGION_SIZE, NULL);
	if (cap >= 0) {
		cap = vp_add_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG,
				 sizeof(struct virtio_pci_notify_cap), bar,
				 VIRTIO_PCI_NOTIFY_OFF, VIRTIO_PCI_REGION_SIZE, NULL);
		if (cap >= 0)
			pci_config_set32(c, cap + offsetof(struct virtio_pci_notify_cap,
							   notify_off_multiplier),
					 VIRTIO_PCI_NOTIFY_MULT);
	}
	if (cap < 0)
		return cap;
	cap = vp_add_cap(vp, VIRTIO_PCI_CAP_PCI_CFG, sizeof(struct virtio_pci_cfg_cap), 0, 0, 0,
			 &vp_cfg_hook);
	if (cap < 0)
		return cap;
	vp->cfg_cap = (unsigned int)cap;
	/* The window's bar, offset, length and data are the driver's to write. */
	pci_config_set_wmask(c, cap + offsetof(struct virtio_pci_cap, bar), 0xff, 1);
	pci_config_set_wmask(c, cap + offsetof(struct virtio_pci_cap, offset), 0xffffffff, 4);
	pci_config_set_wmask(c, cap + offsetof(struct virtio_pci_cap, length), 0xffffffff, 4);
	pci_config_set_wmask(c, cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data),
			     0xffffffff, 4);
	return 0;
}

static void vp_notify(struct virtio_device *vdev, uint16_t vector)
{
	struct virtio_pci *vp = vdev->transport_data;

	if (vector != VIRTIO_MSI_NO_VECTOR)
		msix_notify(&vp->pci, vector);
}

static const struct virtio_transport_ops virtio_pci_transport_ops = {
	.notify = vp_notify,
	.admin_notify = vp_admin_notify,
};

/* FLR or a reset from the bridge above: the virtio device too. */
static void vp_reset(struct pci_device *d)
{
	struct virtio_pci *vp = vp_of(d);

	pthread_mutex_lock(&vp->lock);
	virtio_set_status(vp->vdev, 0);
	vp_reset_selectors(vp);
	pthread_mutex_unlock(&vp->lock);
	pci_function_reset(d);
}

static const struct pci_device_ops vp_pci_ops = {
	.reset = vp_reset,
};

static int vp_notifiers_init(struct virtio_pci *vp)
{
	unsigned int q;
	int ret;

	for (q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vp->notifiers[q].fd = -1;
	for (q = 0; q < virtio_num_queues(vp->vdev); q++) {
		struct virtio_pci_notifier *n = &vp->notifiers[q];

		n->h.fn = vp_notifier_event;
		n->vp = vp;
		n->q = q;
		n->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (n->fd < 0)
			return -errno;
		if (!vp->loop)
			continue;
		ret = loop_add(vp->loop, n->fd, EPOLLIN, &n->h);
		if (ret) {
			close(n->fd);
			n->fd = -1;
			return ret;
		}
	}
	return 0;
}

int virtio_pci_init(struct virtio_pci *vp, struct virtio_device *vdev, struct loop *loop,
		    const struct virtio_pci_info *info)
{
	const struct pci_device_info pinfo = {
		.name = info->name,
		.vendor = PCI_VENDOR_ID_REDHAT_QUMRANET,
		.device = VIRTIO_PCI_DEVICE_ID_BASE + vdev->ops->device_id,
		.subsys_vendor = PCI_SUBVENDOR_ID_REDHAT_QUMRANET,
		.subsys = PCI_SUBDEVICE_ID_QEMU,
		.class = (uint32_t)info->class << 8,
		.revision = VIRTIO_PCI_REVISION,
		.header_type = PCI_HEADER_TYPE_NORMAL,
		.express = info->express,
		.ops = &vp_pci_ops,
		.priv = vp,
	};
	const struct pci_bar_desc msix_bar = {
		.size = VIRTIO_PCI_MSIX_BAR_SIZE,
		.flags = PCI_BASE_ADDRESS_SPACE_MEMORY,
		.opaque = vp,
	};
	const struct pci_bar_desc modern_bar = {
		.size = VIRTIO_PCI_MODERN_SIZE,
		.flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		.io = vp_modern_io,
		.mapped = vp_modern_mapped,
		.unmapped = vp_modern_unmapped,
		.opaque = vp,
	};
	const struct pcie_cap_info pcie = {
		.type = PCI_EXP_TYPE_ENDPOINT,
		.flr = true,
	};
	int ret;

	memset(vp, 0, sizeof(*vp));
	vp->vdev = vdev;
	vp->loop = loop;
	vp->sync_queues = info->sync_queues;
	atomic_init(&vp->admin_used, ADMIN_USED_RESET);
	vdev->name = info->name;
	virtio_device_set_transport(vdev, &virtio_pci_transport_ops, vp);
	pthread_mutex_init(&vp->lock, NULL);
	pci_device_init(&vp->pci, &pinfo);

	ret = vp_notifiers_init(vp);
	if (ret)
		goto err;
	ret = pci_bar_add(&vp->pci, VIRTIO_PCI_MSIX_BAR, &msix_bar);
	if (!ret)
		ret = pci_bar_add(&vp->pci, VIRTIO_PCI_MODERN_BAR, &modern_bar);
	if (ret)
		goto err;
	ret = vp_add_caps(vp);
	if (ret)
		goto err;
	ret = msix_add(&vp->pci, info->nr_vectors, VIRTIO_PCI_MSIX_BAR, 0, VIRTIO_PCI_MSIX_BAR,
		       VIRTIO_PCI_PBA_OFF);
	if (ret < 0)
		goto err;
	if (info->express) {
		ret = pcie_cap_add(&vp->pci, &pcie);
		if (ret >= 0)
			ret = pci_ari_add(&vp->pci);
		if (ret < 0)
			goto err;
	}
	ret = pci_pm_add(&vp->pci);
	if (ret < 0)
		goto err;
	return 0;
err:
	virtio_pci_destroy(vp);
	return ret;
}

void virtio_pci_destroy(struct virtio_pci *vp)
{
	unsigned int q;

	vp_notifiers_assign(vp, 0, false);
	for (q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		struct virtio_pci_notifier *n = &vp->notifiers[q];

		if (n->fd < 0)
			continue;
		if (vp->loop)
			loop_del(vp->loop, n->fd);
		close(n->fd);
		n->fd = -1;
	}
	msix_destroy(&vp->pci);
	pthread_mutex_destroy(&vp->lock);
}
