/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio device, independent of its transport (virtio 1.x sections 2-3).
 * A device model (net, ...) supplies a const struct virtio_dev_ops; a
 * transport (virtio-pci) maps the driver's register accesses onto the
 * virtio_* calls below and delivers interrupts through its
 * virtio_transport_ops. Neither side knows the other.
 *
 * Threads and locks:
 *  - vCPU threads: the transport's register accesses (status, features,
 *    queue configuration, device config, ISR). They take vdev->lock, the
 *    device mutex, and under it a queue's lock when they touch that queue.
 *  - the I/O thread (ioeventfd and deferred handlers) and backend threads
 *    (e.g. a frame arriving) process queues: they take only that queue's
 *    lock (struct virtio_queue.lock) and never vdev->lock.
 *  Lock order: vdev->lock, then a queue lock; at most one queue lock of a
 *  device at a time. Transmit may reach another device's receive (a hub, a
 *  backend answering at once) with its tx lock held: a tx lock may be held
 *  when an rx lock is taken, never the reverse. What queue processing
 *  reads of the device (status, driver features, vectors, ISR) is atomic,
 *  and what it calls from under a queue lock (virtio_queue_interrupt(),
 *  virtio_device_broken(), virtio_config_changed()) takes no lock, so it
 *  cannot deadlock with a vCPU holding vdev->lock and waiting for that
 *  queue.
 *  Reset (status 0, vCPU) takes every queue lock in turn and disables the
 *  queue under it: when it returns no thread is inside a queue and none
 *  will start, because processing checks virtio_device_ready() and
 *  vq.enabled under the queue lock.
 */
#ifndef SRIOVM_VIRTIO_VIRTIO_H
#define SRIOVM_VIRTIO_VIRTIO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>	/* VIRTIO_MSI_NO_VECTOR */

#include "lib/loop.h"
#include "virtio/virtqueue.h"

/* ISR status bits (spec 4.1.4.5; the same bits on virtio-mmio). */
#define VIRTIO_ISR_QUEUE	0x1
#define VIRTIO_ISR_CONFIG	0x2

#define VIRTIO_MAX_QUEUES	64	/* administration queues included */
#define VIRTIO_MAX_ADMIN_QUEUES	1

struct dma_space;
struct virtio_device;

struct virtio_dev_ops {
	const char *name;		/* for messages: "virtio-net" */
	uint16_t device_id;		/* VIRTIO_ID_* */
	uint16_t queue_max_size;	/* a power of 2 */
	unsigned int config_size;	/* bytes of device-specific configuration */
	/*
	 * The sizes of its fields in order, 0-terminated, covering
	 * config_size: the bounds one access may not cross where the spec
	 * asks for single-field accesses (the legacy admin commands).
	 */
	const uint8_t *config_fields;

	/* Feature bits offered (VIRTIO_F_VERSION_1 among them). */
	uint64_t (*features)(struct virtio_device *vdev);
	/* [offset, offset + len) lies inside config_size. vCPU, vdev->lock held. */
	void (*config_read)(struct virtio_device *vdev, unsigned int offset, void *data,
			    unsigned int len);
	void (*config_write)(struct virtio_device *vdev, unsigned int offset, const void *data,
			     unsigned int len);		/* optional */
	/*
	 * DRIVER_OK with features accepted. vCPU, vdev->lock held. Nonzero:
	 * the device cannot work (it is marked NEEDS_RESET).
	 */
	int (*activate)(struct virtio_device *vdev);	/* optional */
	/*
	 * Available buffer notification for queue q (q < the device's
	 * virtio_num_queues()), only
	 * while virtio_device_ready(). I/O thread (ioeventfd, deferred work)
	 * or a vCPU (notify register write without ioeventfd).
	 */
	void (*queue_notify)(struct virtio_device *vdev, unsigned int q);
	/*
	 * Device reset, after the core stopped every queue (vCPU, vdev->lock
	 * held): drop device state that does not outlive the driver.
	 */
	void (*reset)(struct virtio_device *vdev);	/* optional */
};

struct virtio_transport_ops {
	/*
	 * Raise the interrupt for vector (the MSI-X vector the driver chose
	 * for the queue or for config changes; VIRTIO_MSI_NO_VECTOR if none).
	 * The ISR bit is already set, for a transport using INTx. Any thread,
	 * possibly with a queue lock held: it must not call back into functions
	 * here that take vdev->lock, and the transport must not hold a lock
	 * that notify() takes while it calls virtio_* functions.
	 */
	void (*notify)(struct virtio_device *vdev, uint16_t vector);
	/*
	 * Available buffer notification for administration queue q (spec
	 * 2.12: the commands are the transport's, e.g. a PF's about its VFs),
	 * while virtio_device_ready() and VIRTIO_F_ADMIN_VQ is negotiated.
	 * Same threads as virtio_dev_ops.queue_notify. Optional.
	 */
	void (*admin_notify)(struct virtio_device *vdev, unsigned int q);
};

struct virtio_queue {
	pthread_mutex_t lock;		/* ring state; see the top */
	struct virtq vq;
	_Atomic uint16_t vector;	/* queue_msix_vector */
};

struct virtio_device {
	const struct virtio_dev_ops *ops;
	const char *name;		/* this device in messages; NULL: ops->name */
	const struct virtio_transport_ops *transport;	/* NULL: interrupts go nowhere */
	void *transport_data;		/* the transport's, untouched here */
	const struct dma_space *dma;	/* where the driver's rings and buffers are */
	struct loop *loop;

	pthread_mutex_t lock;		/* the device mutex; see the top */
	_Atomic uint8_t status;
	_Atomic uint8_t isr;
	_Atomic uint16_t config_vector;	/* config_msix_vector */
	uint64_t device_features;
	uint64_t required_features;	/* FEATURES_OK only with these accepted */
	_Atomic uint64_t driver_features;
	bool features_refused;		/* an unoffered bit was written: no FEATURES_OK */
	/*
	 * The driver uses the legacy interface (virtio 0.9.5, through a
	 * transport's legacy personality) since the last reset: 32 feature
	 * bits, no FEATURES_OK, rings from a page frame number.
	 */
	atomic_bool legacy;
	uint8_t config_generation;	/* under lock */
	atomic_bool config_pending;	/* changed since the driver last read it */
	unsigned int num_queues;	/* the device type's queues */
	unsigned int num_admin;		/* administration queues after them */
	unsigned int nr_vqs;		/* num_queues + num_admin */
	struct virtio_queue *queues;

	/* Deferred queue work (virtio_queue_reschedule()), in the loop thread. */
	int resched_fd;
	struct loop_handler resched_h;
	_Atomic uint64_t resched_mask;
};

/*
 * Sets up vdev for ops with num_queues queues (1..VIRTIO_MAX_QUEUES:
 * disabled, NO_VECTOR), whose rings and buffers are in dma; loop runs the
 * deferred queue work. The transport joins with
 * virtio_device_set_transport() before the driver can reach the device.
 */
int virtio_device_init(struct virtio_device *vdev, const struct virtio_dev_ops *ops,
		       unsigned int num_queues, const struct dma_space *dma, struct loop *loop);
/* The transport that carries vdev's interrupts (its data: transport_data). */
void virtio_device_set_transport(struct virtio_device *vdev,
				 const struct virtio_transport_ops *transport, void *data);
/* No thread may be processing a queue or calling in any more. */
void virtio_device_destroy(struct virtio_device *vdev);
/* Transport feature bits offered too (e.g. VIRTIO_F_SR_IOV); before the driver runs. */
void virtio_device_offer(struct virtio_device *vdev, uint64_t features);
/*
 * nr administration queues of up to size entries, at indices
 * virtio_num_queues() and up, and VIRTIO_F_ADMIN_VQ offered; their
 * notifications go to the transport's admin_notify(). Before the driver
 * runs.
 */
int virtio_device_add_admin_queues(struct virtio_device *vdev, unsigned int nr, uint16_t size);
/*
 * Offered, and FEATURES_OK refused unless the driver accepts them:
 * VIRTIO_F_ACCESS_PLATFORM behind an IOMMU, so that the device never
 * uses addresses the driver meant as physical ones through the IOMMU's
 * translation, nor the reverse. Before the driver runs.
 */
void virtio_device_require(struct virtio_device *vdev, uint64_t features);

/*
 * The transport's side, one call per common configuration field (see
 * struct virtio_pci_common_cfg); the 32-bit feature windows and the
 * queue_select register are the transport's. q out of range: reads 0,
 * writes ignored.
 */
uint64_t virtio_device_features(struct virtio_device *vdev);
uint64_t virtio_driver_features(struct virtio_device *vdev);
/*
 * Stores the offered subset. -EINVAL if features holds a bit not offered:
 * then FEATURES_OK is refused until reset. Ignored (-EBUSY) once
 * FEATURES_OK is set.
 */
int virtio_set_driver_features(struct virtio_device *vdev, uint64_t features);
uint8_t virtio_get_status(struct virtio_device *vdev);
/* 0 resets the device (and returns once it is reset); see virtio.c for the rest. */
void virtio_set_status(struct virtio_device *vdev, uint8_t status);
uint8_t virtio_config_generation(struct virtio_device *vdev);
uint16_t virtio_config_vector(struct virtio_device *vdev);
void virtio_set_config_vector(struct virtio_device *vdev, uint16_t vector);
/* num_queues: the device type's queues, administration queues not counted. */
unsigned int virtio_num_queues(const struct virtio_device *vdev);
/* Every queue: the device's, then the administration queues. */
unsigned int virtio_queue_count(const struct virtio_device *vdev);
/* admin_queue_index and admin_queue_num (0: none). */
unsigned int virtio_admin_queue_index(const struct virtio_device *vdev);
unsigned int virtio_admin_queue_num(const struct virtio_device *vdev);

enum virtio_queue_area {
	VIRTIO_QUEUE_DESC,		/* queue_desc */
	VIRTIO_QUEUE_DRIVER,		/* queue_driver: the available ring */
	VIRTIO_QUEUE_DEVICE,		/* queue_device: the used ring */
};

/* queue_size: the maximum after reset; 0 for a queue that does not exist. */
uint16_t virtio_queue_size(struct virtio_device *vdev, unsigned int q);
/* Ignored unless a power of 2 <= the maximum, and while the queue is enabled. */
void virtio_queue_set_size(struct virtio_device *vdev, unsigned int q, uint16_t size);
uint16_t virtio_queue_vector(struct virtio_device *vdev, unsigned int q);
void virtio_queue_set_vector(struct virtio_device *vdev, unsigned int q, uint16_t vector);
bool virtio_queue_enabled(struct virtio_device *vdev, unsigned int q);
/* queue_enable = 1 (0 is ignored). Bad rings: the device needs reset. */
void virtio_queue_enable(struct virtio_device *vdev, unsigned int q);
uint64_t virtio_queue_addr(struct virtio_device *vdev, unsigned int q, enum virtio_queue_area a);
/* Ignored while the queue is enabled. */
void virtio_queue_set_addr(struct virtio_device *vdev, unsigned int q, enum virtio_queue_area a,
			   uint64_t gpa);
/* Available buffer notification (notify register or its ioeventfd). Any thread. */
void virtio_queue_notify(struct virtio_device *vdev, unsigned int q);
/* ISR status read: returns the bits and clears them. */
uint8_t virtio_isr_read(struct virtio_device *vdev);
/* Device-specific configuration; bytes beyond config_size read 0, writes ignored. */
void virtio_config_read(struct virtio_device *vdev, unsigned int offset, void *data,
			unsigned int len);
void virtio_config_write(struct virtio_device *vdev, unsigned int offset, const void *data,
			 unsigned int len);
/* Does [offset, offset + len) lie inside one field of the device configuration? */
bool virtio_config_in_field(const struct virtio_device *vdev, unsigned int offset,
			    unsigned int len);

/*
 * The legacy interface (virtio 1.x 4.1.4.10 and its legacy notes), for a
 * transport's legacy personality: each call makes the device legacy until
 * the next reset. Features are bits 0-31 and writable until DRIVER_OK,
 * unoffered bits dropped; status has no FEATURES_OK step (DRIVER_OK
 * starts the device; 0 resets it); a queue's rings follow from one page
 * frame number, at the queue's maximum size, with the used ring aligned
 * to 4 KiB (PFN 0: the queue is reset).
 */
void virtio_legacy_set_driver_features(struct virtio_device *vdev, uint32_t features);
void virtio_legacy_set_status(struct virtio_device *vdev, uint8_t status);
uint32_t virtio_legacy_queue_pfn(struct virtio_device *vdev, unsigned int q);
void virtio_legacy_queue_set_pfn(struct virtio_device *vdev, unsigned int q, uint32_t pfn);
bool virtio_is_legacy(struct virtio_device *vdev);

/* The device model's side. */
static inline struct virtio_queue *virtio_queue_get(struct virtio_device *vdev, unsigned int q)
{
	return &vdev->queues[q];
}

/*
 * FEATURES_OK and DRIVER_OK (a legacy driver: DRIVER_OK), not
 * NEEDS_RESET: queues may be processed.
 */
bool virtio_device_ready(struct virtio_device *vdev);
/* A feature bit the driver accepted. */
bool virtio_has_feature(struct virtio_device *vdev, unsigned int bit);
/*
 * The driver broke the device (a bad ring, ...): set DEVICE_NEEDS_RESET,
 * say why once on stderr, and tell a running driver with a config
 * interrupt. Any thread, any lock.
 */
void virtio_device_broken(struct virtio_device *vdev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The device-specific configuration changed: config interrupt. Any thread. */
void virtio_config_changed(struct virtio_device *vdev);
/*
 * After pushing used entries on queue q, with its lock held: interrupt the
 * driver if it asked for one (notification suppression).
 */
void virtio_queue_interrupt(struct virtio_device *vdev, unsigned int q);
/*
 * Serves request queue q, where each chain is one request the device
 * answers in place (virtio-iommu's requests, administration commands):
 * with the queue lock held, pops each available chain into iov[0..cap),
 * hands it to answer(), which writes the reply and returns the used
 * length, and pushes it; one interrupt for them all. After budget chains
 * the rest waits behind other work in the loop thread. A malformed chain
 * breaks the device ("<what>: malformed descriptor chain").
 */
void virtio_queue_serve(struct virtio_device *vdev, unsigned int q, struct iovec *iov,
			unsigned int cap, unsigned int budget, const char *what,
			uint32_t (*answer)(void *opaque, const struct virtq_elem *e), void *opaque);
/*
 * Queue q has work left but used its budget: run queue_notify for it again
 * from the loop thread, after what else is pending there. Any thread.
 */
void virtio_queue_reschedule(struct virtio_device *vdev, unsigned int q);

#endif
