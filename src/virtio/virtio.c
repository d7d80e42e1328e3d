// SPDX-License-Identifier: GPL-2.0
/*
 * The transport-independent virtio device: status and feature negotiation
 * (spec 3.1), queue configuration, interrupts and reset. Locking is
 * described in virtio.h.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "lib/kernel.h"
#include "lib/log.h"
#include "virtio/virtio.h"

#define VIRTIO_STATUS_READY	(VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK)

static void virtio_resched_fn(struct loop_handler *h, uint32_t events)
{
	struct virtio_device *vdev = container_of(h, struct virtio_device, resched_h);
	uint64_t mask, v;

	/* Nonblocking: a spurious wakeup reads nothing. */
	if (read(vdev->resched_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	mask = atomic_exchange(&vdev->resched_mask, 0);
	while (mask) {
		unsigned int q = __builtin_ctzll(mask);

		mask &= mask - 1;
		virtio_queue_notify(vdev, q);
	}
}

static void virtio_queue_init(struct virtio_queue *vq, const struct dma_space *dma,
			      uint16_t max_size)
{
	pthread_mutex_init(&vq->lock, NULL);
	virtq_init(&vq->vq, dma, max_size);
	atomic_init(&vq->vector, VIRTIO_MSI_NO_VECTOR);
}

int virtio_device_init(struct virtio_device *vdev, const struct virtio_dev_ops *ops,
		       unsigned int num_queues, const struct dma_space *dma, struct loop *loop)
{
	unsigned int i;
	int ret;

	assert(num_queues && num_queues <= VIRTIO_MAX_QUEUES);
	assert(ops->features && ops->config_read && ops->queue_notify && loop);
	memset(vdev, 0, sizeof(*vdev));
	vdev->ops = ops;
	vdev->dma = dma;
	vdev->loop = loop;
	vdev->num_queues = num_queues;
	vdev->nr_vqs = num_queues;
	/* Room for administration queues: mutexes are not to be moved later. */
	vdev->queues = calloc(num_queues + VIRTIO_MAX_ADMIN_QUEUES, sizeof(*vdev->queues));
	if (!vdev->queues)
		return -ENOMEM;
	for (i = 0; i < vdev->num_queues; i++)
		virtio_queue_init(&vdev->queues[i], dma, ops->queue_max_size);
	pthread_mutex_init(&vdev->lock, NULL);
	atomic_init(&vdev->status, 0);
	atomic_init(&vdev->legacy, false);
	atomic_init(&vdev->isr, 0);
	atomic_init(&vdev->config_vector, VIRTIO_MSI_NO_VECTOR);
	atomic_init(&vdev->driver_features, 0);
	atomic_init(&vdev->config_pending, false);
	atomic_init(&vdev->resched_mask, 0);
	vdev->device_features = ops->features(vdev);

	vdev->resched_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vdev->resched_fd < 0) {
		ret = -errno;
		goto err;
	}
	vdev->resched_h.fn = virtio_resched_fn;
	ret = loop_add(loop, vdev->resched_fd, EPOLLIN, &vdev->resched_h);
	if (ret)
		goto err_fd;
	return 0;

err_fd:
	close(vdev->resched_fd);
err:
	for (i = 0; i < vdev->nr_vqs; i++)
		pthread_mutex_destroy(&vdev->queues[i].lock);
	pthread_mutex_destroy(&vdev->lock);
	free(vdev->queues);
	vdev->queues = NULL;
	return ret;
}

void virtio_device_set_transport(struct virtio_device *vdev,
				 const struct virtio_transport_ops *transport, void *data)
{
	vdev->transport = transport;
	vdev->transport_data = data;
}

void virtio_device_destroy(struct virtio_device *vdev)
{
	unsigned int i;

	if (!vdev->queues)
		return;
	loop_del(vdev->loop, vdev->resched_fd);
	close(vdev->resched_fd);
	for (i = 0; i < vdev->nr_vqs; i++)
		pthread_mutex_destroy(&vdev->queues[i].lock);
	pthread_mutex_destroy(&vdev->lock);
	free(vdev->queues);
	vdev->queues = NULL;
}

void virtio_device_offer(struct virtio_device *vdev, uint64_t features)
{
	pthread_mutex_lock(&vdev->lock);
	vdev->device_features |= features;
	pthread_mutex_unlock(&vdev->lock);
}

int virtio_device_add_admin_queues(struct virtio_device *vdev, unsigned int nr, uint16_t size)
{
	unsigned int i;

	if (!nr || nr > VIRTIO_MAX_ADMIN_QUEUES || vdev->num_admin ||
	    vdev->num_queues + nr > VIRTIO_MAX_QUEUES)
		return -EINVAL;
	for (i = vdev->num_queues; i < vdev->num_queues + nr; i++)
		virtio_queue_init(&vdev->queues[i], vdev->dma, size);
	vdev->num_admin = nr;
	vdev->nr_vqs = vdev->num_queues + nr;
	virtio_device_offer(vdev, 1ULL << VIRTIO_F_ADMIN_VQ);
	return 0;
}

void virtio_device_require(struct virtio_device *vdev, uint64_t features)
{
	pthread_mutex_lock(&vdev->lock);
	vdev->device_features |= features;
	vdev->required_features |= features;
	pthread_mutex_unlock(&vdev->lock);
}

uint64_t virtio_device_features(struct virtio_device *vdev)
{
	uint64_t f;

	pthread_mutex_lock(&vdev->lock);
	f = vdev->device_features;
	pthread_mutex_unlock(&vdev->lock);
	return f;
}

uint64_t virtio_driver_features(struct virtio_device *vdev)
{
	return atomic_load(&vdev->driver_features);
}

int virtio_set_driver_features(struct virtio_device *vdev, uint64_t features)
{
	int ret = 0;

	pthread_mutex_lock(&vdev->lock);
	/* Negotiation is over once FEATURES_OK stuck (spec 3.1.1). */
	if (atomic_load(&vdev->status) & VIRTIO_CONFIG_S_FEATURES_OK) {
		ret = -EBUSY;
		goto out;
	}
	/*
	 * Present only valid bits (spec 4.1.4.3.1 allows it), but remember
	 * that the driver asked for more: FEATURES_OK must then fail.
	 */
	if (features & ~vdev->device_features) {
		vdev->features_refused = true;
		ret = -EINVAL;
	}
	atomic_store(&vdev->driver_features, features & vdev->device_features);
out:
	pthread_mutex_unlock(&vdev->lock);
	return ret;
}

static bool virtio_features_acceptable(struct virtio_device *vdev)
{
	uint64_t f = atomic_load(&vdev->driver_features);

	/* A modern-only device: no legacy interface to fall back to. */
	return !vdev->features_refused && (f & (1ULL << VIRTIO_F_VERSION_1)) &&
	       (f & vdev->required_features) == vdev->required_features;
}

/* The ring features as negotiated, for each queue. */
static void virtio_queues_set_features(struct virtio_device *vdev)
{
	uint64_t f = atomic_load(&vdev->driver_features);
	unsigned int i;

	for (i = 0; i < vdev->nr_vqs; i++) {
		struct virtio_queue *vq = &vdev->queues[i];

		pthread_mutex_lock(&vq->lock);
		vq->vq.event_idx = f & (1ULL << VIRTIO_RING_F_EVENT_IDX);
		vq->vq.indirect = f & (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
		pthread_mutex_unlock(&vq->lock);
	}
}

/* Status 0: everything back to its state at power-on. vdev->lock held. */
static void virtio_reset_locked(struct virtio_device *vdev)
{
	unsigned int i;

	/* Queue work that has not started yet sees !ready and stays away. */
	atomic_store(&vdev->status, 0);
	/* Work in flight holds its queue lock: wait for it, then disable. */
	for (i = 0; i < vdev->nr_vqs; i++) {
		struct virtio_queue *vq = &vdev->queues[i];

		pthread_mutex_lock(&vq->lock);
		virtq_reset(&vq->vq);
		pthread_mutex_unlock(&vq->lock);
		atomic_store(&vq->vector, VIRTIO_MSI_NO_VECTOR);
	}
	if (vdev->ops->reset)
		vdev->ops->reset(vdev);
	atomic_store(&vdev->driver_features, 0);
	vdev->features_refused = false;
	atomic_store(&vdev->config_vector, VIRTIO_MSI_NO_VECTOR);
	atomic_store(&vdev->isr, 0);
	atomic_store(&vdev->legacy, false);
	/* Also drops a NEEDS_RESET raised by the work we waited for. */
	atomic_store(&vdev->status, 0);
}

uint8_t virtio_get_status(struct virtio_device *vdev)
{
	uint8_t s;

	/* Under the lock: a reset in progress on another vCPU reads as done only when it is. */
	pthread_mutex_lock(&vdev->lock);
	s = atomic_load(&vdev->status);
	pthread_mutex_unlock(&vdev->lock);
	return s;
}

/*
 * Adds the status bits in add (vdev->lock held); DRIVER_OK activates the
 * device, which must have FEATURES_OK unless the driver is legacy.
 */
static void virtio_status_add(struct virtio_device *vdev, uint8_t add)
{
	uint8_t old = atomic_fetch_or(&vdev->status, add);

	if (!(add & VIRTIO_CONFIG_S_DRIVER_OK) || (old & VIRTIO_CONFIG_S_NEEDS_RESET))
		return;
	if (!atomic_load(&vdev->legacy) && !(old & VIRTIO_CONFIG_S_FEATURES_OK))
		virtio_device_broken(vdev, "DRIVER_OK without FEATURES_OK");
	else if (vdev->ops->activate && vdev->ops->activate(vdev))
		virtio_device_broken(vdev, "cannot start");
}

/*
 * The driver only adds status bits until it writes 0 (spec 3.1.1), so a
 * write adds bits and never clears one; NEEDS_RESET is the device's.
 * FEATURES_OK sticks only for an acceptable feature set; DRIVER_OK then
 * activates the device.
 */
void virtio_set_status(struct virtio_device *vdev, uint8_t val)
{
	uint8_t add;

	pthread_mutex_lock(&vdev->lock);
	if (!val) {
		virtio_reset_locked(vdev);
		goto out;
	}
	add = val & ~atomic_load(&vdev->status) & ~VIRTIO_CONFIG_S_NEEDS_RESET;
	if (add & VIRTIO_CONFIG_S_FEATURES_OK) {
		if (virtio_features_acceptable(vdev))
			virtio_queues_set_features(vdev);
		else
			add &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	}
	virtio_status_add(vdev, add);
out:
	pthread_mutex_unlock(&vdev->lock);
}

/* ---- the legacy interface ---- */

bool virtio_is_legacy(struct virtio_device *vdev)
{
	return atomic_load(&vdev->legacy);
}

void virtio_legacy_set_driver_features(struct virtio_device *vdev, uint32_t features)
{
	pthread_mutex_lock(&vdev->lock);
	atomic_store(&vdev->legacy, true);
	/* A legacy device takes features until the driver is running. */
	if (!(atomic_load(&vdev->status) & VIRTIO_CONFIG_S_DRIVER_OK))
		atomic_store(&vdev->driver_features, features & vdev->device_features);
	pthread_mutex_unlock(&vdev->lock);
}

void virtio_legacy_set_status(struct virtio_device *vdev, uint8_t val)
{
	uint8_t add;

	pthread_mutex_lock(&vdev->lock);
	if (!val) {
		virtio_reset_locked(vdev);
		goto out;
	}
	atomic_store(&vdev->legacy, true);
	/* No FEATURES_OK in a legacy device: the features are what was written last. */
	add = val & ~atomic_load(&vdev->status) &
	      ~(VIRTIO_CONFIG_S_NEEDS_RESET | VIRTIO_CONFIG_S_FEATURES_OK);
	if (add & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_queues_set_features(vdev);
	virtio_status_add(vdev, add);
out:
	pthread_mutex_unlock(&vdev->lock);
}

uint32_t virtio_legacy_queue_pfn(struct virtio_device *vdev, unsigned int q)
{
	uint32_t pfn = 0;

	if (q >= vdev->nr_vqs)
		return 0;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->queues[q].vq.enabled)
		pfn = (uint32_t)(vdev->queues[q].vq.desc_addr >> VIRTIO_PCI_QUEUE_ADDR_SHIFT);
	pthread_mutex_unlock(&vdev->lock);
	return pfn;
}

/*
 * The legacy ring layout (virtio 0.9.5, vring_init() with 4 KiB
 * alignment): descriptors at the frame, the available ring right after
 * them, the used ring at the next 4 KiB boundary after used_event.
 */
static void virtio_legacy_layout(struct virtq *vq, uint32_t pfn)
{
	uint64_t n = vq->max_size, avail_end;

	vq->size = vq->max_size;
	vq->desc_addr = (uint64_t)pfn << VIRTIO_PCI_QUEUE_ADDR_SHIFT;
	vq->avail_addr = vq->desc_addr + sizeof(struct vring_desc) * n;
	avail_end = vq->avail_addr + sizeof(uint16_t) * (3 + n);
	vq->used_addr = (avail_end + VIRTIO_PCI_VRING_ALIGN - 1) &
			~(uint64_t)(VIRTIO_PCI_VRING_ALIGN - 1);
}

void virtio_legacy_queue_set_pfn(struct virtio_device *vdev, unsigned int q, uint32_t pfn)
{
	struct virtio_queue *vq;

	if (q >= vdev->nr_vqs)
		return;
	vq = &vdev->queues[q];
	pthread_mutex_lock(&vdev->lock);
	atomic_store(&vdev->legacy, true);
	pthread_mutex_lock(&vq->lock);
	/* PFN 0 is the legacy way to take a queue back (Linux's del_vq). */
	if (!pfn)
		virtq_reset(&vq->vq);
	else if (!vq->vq.enabled)
		virtio_legacy_layout(&vq->vq, pfn);
	pthread_mutex_unlock(&vq->lock);
	pthread_mutex_unlock(&vdev->lock);
	if (pfn)
		virtio_queue_enable(vdev, q);
}

uint8_t virtio_config_generation(struct virtio_device *vdev)
{
	uint8_t g;

	pthread_mutex_lock(&vdev->lock);
	g = vdev->config_generation;
	pthread_mutex_unlock(&vdev->lock);
	return g;
}

uint16_t virtio_config_vector(struct virtio_device *vdev)
{
	return atomic_load(&vdev->config_vector);
}

void virtio_set_config_vector(struct virtio_device *vdev, uint16_t vector)
{
	atomic_store(&vdev->config_vector, vector);
}

unsigned int virtio_num_queues(const struct virtio_device *vdev)
{
	return vdev->num_queues;
}

unsigned int virtio_queue_count(const struct virtio_device *vdev)
{
	return vdev->nr_vqs;
}

unsigned int virtio_admin_queue_index(const struct virtio_device *vdev)
{
	return vdev->num_queues;
}

unsigned int virtio_admin_queue_num(const struct virtio_device *vdev)
{
	return vdev->num_admin;
}

uint16_t virtio_queue_size(struct virtio_device *vdev, unsigned int q)
{
	uint16_t size;

	if (q >= vdev->nr_vqs)
		return 0;
	pthread_mutex_lock(&vdev->lock);
	size = vdev->queues[q].vq.size;
	pthread_mutex_unlock(&vdev->lock);
	return size;
}

void virtio_queue_set_size(struct virtio_device *vdev, unsigned int q, uint16_t size)
{
	struct virtio_queue *vq;

	/* The device must present 0 or a power of 2 (spec 4.1.4.3.1). */
	if (q >= vdev->nr_vqs || !size || (size & (size - 1)))
		return;
	vq = &vdev->queues[q];
	pthread_mutex_lock(&vdev->lock);
	pthread_mutex_lock(&vq->lock);
	if (!vq->vq.enabled && size <= vq->vq.max_size)
		vq->vq.size = size;
	pthread_mutex_unlock(&vq->lock);
	pthread_mutex_unlock(&vdev->lock);
}

uint16_t virtio_queue_vector(struct virtio_device *vdev, unsigned int q)
{
	return q < vdev->nr_vqs ? atomic_load(&vdev->queues[q].vector) : VIRTIO_MSI_NO_VECTOR;
}

void virtio_queue_set_vector(struct virtio_device *vdev, unsigned int q, uint16_t vector)
{
	if (q < vdev->nr_vqs)
		atomic_store(&vdev->queues[q].vector, vector);
}

bool virtio_queue_enabled(struct virtio_device *vdev, unsigned int q)
{
	bool en;

	if (q >= vdev->nr_vqs)
		return false;
	pthread_mutex_lock(&vdev->lock);
	en = vdev->queues[q].vq.enabled;
	pthread_mutex_unlock(&vdev->lock);
	return en;
}

void virtio_queue_enable(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_queue *vq;
	int ret = 0;

	if (q >= vdev->nr_vqs)
		return;
	vq = &vdev->queues[q];
	pthread_mutex_lock(&vdev->lock);
	pthread_mutex_lock(&vq->lock);
	/* The ring features were set at FEATURES_OK (virtio_queues_set_features()). */
	if (!vq->vq.enabled)
		ret = virtq_enable(&vq->vq);
	pthread_mutex_unlock(&vq->lock);
	if (ret)
		virtio_device_broken(vdev, "queue %u: rings misaligned or outside RAM", q);
	pthread_mutex_unlock(&vdev->lock);
}

static uint64_t *virtio_queue_area(struct virtq *vq, enum virtio_queue_area a)
{
	switch (a) {
	case VIRTIO_QUEUE_DESC:
		return &vq->desc_addr;
	case VIRTIO_QUEUE_DRIVER:
		return &vq->avail_addr;
	case VIRTIO_QUEUE_DEVICE:
		return &vq->used_addr;
	}
	return NULL;
}

uint64_t virtio_queue_addr(struct virtio_device *vdev, unsigned int q, enum virtio_queue_area a)
{
	uint64_t *p, gpa = 0;

	if (q >= vdev->nr_vqs)
		return 0;
	pthread_mutex_lock(&vdev->lock);
	p = virtio_queue_area(&vdev->queues[q].vq, a);
	if (p)
		gpa = *p;
	pthread_mutex_unlock(&vdev->lock);
	return gpa;
}

void virtio_queue_set_addr(struct virtio_device *vdev, unsigned int q, enum virtio_queue_area a,
			   uint64_t gpa)
{
	struct virtio_queue *vq;
	uint64_t *p;

	if (q >= vdev->nr_vqs)
		return;
	vq = &vdev->queues[q];
	pthread_mutex_lock(&vdev->lock);
	pthread_mutex_lock(&vq->lock);
	p = virtio_queue_area(&vq->vq, a);
	/* The rings were checked and mapped at enable: they stay put. */
	if (p && !vq->vq.enabled)
		*p = gpa;
	pthread_mutex_unlock(&vq->lock);
	pthread_mutex_unlock(&vdev->lock);
}

void virtio_queue_notify(struct virtio_device *vdev, unsigned int q)
{
	if (!virtio_device_ready(vdev))
		return;
	if (q < vdev->num_queues)
		vdev->ops->queue_notify(vdev, q);
	else if (q < vdev->nr_vqs && virtio_has_feature(vdev, VIRTIO_F_ADMIN_VQ) &&
		 vdev->transport && vdev->transport->admin_notify)
		vdev->transport->admin_notify(vdev, q);
}

uint8_t virtio_isr_read(struct virtio_device *vdev)
{
	return atomic_exchange(&vdev->isr, 0);
}

void virtio_config_read(struct virtio_device *vdev, unsigned int offset, void *data,
			unsigned int len)
{
	unsigned int size = vdev->ops->config_size;

	pthread_mutex_lock(&vdev->lock);
	/*
	 * A change since the last read shows as a new generation from now
	 * on (spec 4.1.4.3.1's suggestion): a driver reading a field that
	 * changed sees the generation move, and 8 bits do not wrap on a
	 * burst of changes it never read.
	 */
	if (atomic_exchange(&vdev->config_pending, false))
		vdev->config_generation++;
	if (offset <= size && len <= size - offset)
		vdev->ops->config_read(vdev, offset, data, len);
	else
		memset(data, 0, len);
	pthread_mutex_unlock(&vdev->lock);
}

void virtio_config_write(struct virtio_device *vdev, unsigned int offset, const void *data,
			 unsigned int len)
{
	unsigned int size = vdev->ops->config_size;

	pthread_mutex_lock(&vdev->lock);
	if (vdev->ops->config_write && offset <= size && len <= size - offset)
		vdev->ops->config_write(vdev, offset, data, len);
	pthread_mutex_unlock(&vdev->lock);
}

bool virtio_device_ready(struct virtio_device *vdev)
{
	uint8_t s = atomic_load(&vdev->status);
	uint8_t ready = atomic_load(&vdev->legacy) ? VIRTIO_CONFIG_S_DRIVER_OK : VIRTIO_STATUS_READY;

	return (s & (ready | VIRTIO_CONFIG_S_NEEDS_RESET)) == ready;
}

bool virtio_config_in_field(const struct virtio_device *vdev, unsigned int offset,
			    unsigned int len)
{
	const uint8_t *f = vdev->ops->config_fields;
	unsigned int start = 0;

	if (!f || !len)
		return false;
	for (; *f; start += *f++) {
		if (offset < start + *f)
			return len <= start + *f - offset;
	}
	return false;
}

bool virtio_has_feature(struct virtio_device *vdev, unsigned int bit)
{
	return bit < 64 && (atomic_load(&vdev->driver_features) & (1ULL << bit));
}

static void virtio_config_interrupt(struct virtio_device *vdev)
{
	atomic_fetch_or(&vdev->isr, VIRTIO_ISR_CONFIG);
	if (vdev->transport)
		vdev->transport->notify(vdev, atomic_load(&vdev->config_vector));
}

void virtio_device_broken(struct virtio_device *vdev, const char *fmt, ...)
{
	uint8_t old = atomic_fetch_or(&vdev->status, VIRTIO_CONFIG_S_NEEDS_RESET);
	char why[512];
	va_list ap;

	if (old & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_error(vdev->name ? vdev->name : vdev->ops->name, "%s; device needs reset", why);
	/* Spec 2.1.2: a running driver hears of it by a config change. */
	if (old & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_config_interrupt(vdev);
}

void virtio_config_changed(struct virtio_device *vdev)
{
	atomic_store(&vdev->config_pending, true);
	if (atomic_load(&vdev->status) & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_config_interrupt(vdev);
}

void virtio_queue_interrupt(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_queue *vq = &vdev->queues[q];

	if (!virtq_should_interrupt(&vq->vq))
		return;
	atomic_fetch_or(&vdev->isr, VIRTIO_ISR_QUEUE);
	if (vdev->transport)
		vdev->transport->notify(vdev, atomic_load(&vq->vector));
}

void virtio_queue_reschedule(struct virtio_device *vdev, unsigned int q)
{
	atomic_fetch_or(&vdev->resched_mask, 1ULL << q);
	/* Fails only on a full counter: a wake-up is pending then. */
	eventfd_write(vdev->resched_fd, 1);
}

void virtio_queue_serve(struct virtio_device *vdev, unsigned int q, struct iovec *iov,
			unsigned int cap, unsigned int budget, const char *what,
			uint32_t (*answer)(void *opaque, const struct virtq_elem *e), void *opaque)
{
	struct virtio_queue *vq = virtio_queue_get(vdev, q);
	unsigned int done = 0;
	bool again = false;

	pthread_mutex_lock(&vq->lock);
	if (!virtio_device_ready(vdev) || !vq->vq.enabled)
		goto out;
	virtq_disable_notify(&vq->vq);
	for (;;) {
		struct virtq_elem e;
		int ret;

		if (done == budget) {
			again = true;
			break;
		}
		ret = virtq_pop(&vq->vq, &e, iov, cap);
		if (ret < 0) {
			virtio_device_broken(vdev, "%s: malformed descriptor chain", what);
			break;
		}
		if (!ret) {
			if (!virtq_enable_notify(&vq->vq))
				break;
			virtq_disable_notify(&vq->vq);
			continue;
		}
		virtq_push(&vq->vq, e.head, answer(opaque, &e));
		done++;
	}
	if (done)
		virtio_queue_interrupt(vdev, q);
out:
	pthread_mutex_unlock(&vq->lock);
	if (again)
		virtio_queue_reschedule(vdev, q);
}
