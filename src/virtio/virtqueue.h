/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues, device side (virtio 1.x section 2.7, little-endian).
 *
 * The rings live in guest RAM and the guest writes them from other CPUs
 * at any time, so: every address and length the guest hands over is
 * checked through the device's DMA address space (lib/dma.h), never used
 * as a guest-physical address of its own; everything read from the rings is read
 * once into a local before it is checked and used; and any ring the guest
 * broke makes the call return -EINVAL, after which the device marks itself
 * DEVICE_NEEDS_RESET and stops using the queue.
 *
 * No locking here: one thread at a time per queue (the virtio core's queue
 * lock, see virtio.h). The fields under "configuration" are written by
 * the transport only while the queue is disabled.
 */
#ifndef SRIOVM_VIRTIO_VIRTQUEUE_H
#define SRIOVM_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include <linux/virtio_ring.h>

#define VIRTQ_MAX_SIZE		32768	/* the largest split ring (spec 2.7) */

struct dma_space;

struct virtq {
	const struct dma_space *dma;	/* where the rings and buffers live */
	uint16_t max_size;		/* what the device offers, a power of 2 */

	/* Configuration (queue_size, queue_desc, queue_driver, queue_device). */
	uint16_t size;
	uint64_t desc_addr, avail_addr, used_addr;
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool enabled;			/* queue_enable; set by virtq_enable() */

	/*
	 * Host views of the three areas, checked by virtq_enable() and
	 * mapped again whenever the DMA space's generation moves: an area
	 * that is no longer mapped loses the queue (rings_lost), which then
	 * reads as malformed.
	 */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t rings_gen;
	bool rings_lost;

	/* Device state. */
	uint16_t last_avail_idx;	/* next available entry to pop */
	uint16_t used_idx;		/* our copy of used->idx */
	uint16_t signalled_used;	/* used_idx at the last interrupt decision */
	bool signalled_used_valid;
	bool kicks_wanted;		/* available buffer notifications enabled */
};

/*
 * A popped descriptor chain: rd[0..rd_num) the device-readable buffers,
 * then wr[0..wr_num) the device-writable ones, as host pointers into guest
 * RAM (wr == rd + rd_num, both in the caller's iovec array); a buffer may
 * take more than one of them.
 */
struct virtq_elem {
	uint16_t head;
	unsigned int rd_num, wr_num;
	uint32_t rd_len, wr_len;
	struct iovec *rd, *wr;
};

/* A disabled queue of max_size (a power of 2, at most VIRTQ_MAX_SIZE). */
void virtq_init(struct virtq *vq, const struct dma_space *dma, uint16_t max_size);
/* Back to the state after device reset: disabled, size = max_size, addresses 0. */
void virtq_reset(struct virtq *vq);
/*
 * Checks the configuration and maps the rings: size a power of 2 no larger
 * than max_size, each area aligned (16/2/4) and inside one RAM region.
 * -EINVAL (queue left disabled) if not.
 */
int virtq_enable(struct virtq *vq);

/* Chains the driver made available and the device has not popped; -EINVAL if bogus. */
int virtq_avail_count(struct virtq *vq);
/*
 * Pops the next available chain into iov[0..cap). In an identity space
 * cap >= size suffices: no valid chain has more descriptors than the
 * queue has entries, and each takes one segment; a translating space may
 * split a buffer into several. Returns 1 with *e filled in, 0 if nothing
 * is available, -EINVAL if the ring or the chain is malformed or does not
 * fit (then nothing is consumed).
 */
int virtq_pop(struct virtq *vq, struct virtq_elem *e, struct iovec *iov, unsigned int cap);
/* Gives back the last n popped chains, not yet used, for a later pop. */
void virtq_unpop(struct virtq *vq, unsigned int n);

/*
 * Used ring. virtq_fill() writes the entry i places after the used index
 * without publishing it; virtq_flush() publishes n filled entries at once
 * (what mergeable receive buffers need: the driver must see all buffers of
 * a frame together). virtq_push() is fill + flush of one entry. Writes into
 * the buffers must be done before the flush.
 */
void virtq_fill(struct virtq *vq, unsigned int i, uint16_t head, uint32_t len);
void virtq_flush(struct virtq *vq, unsigned int n);
void virtq_push(struct virtq *vq, uint16_t head, uint32_t len);

/*
 * Call after a flush: does the driver want a used buffer notification for
 * the entries published since the last call? (VRING_AVAIL_F_NO_INTERRUPT,
 * or used_event with vring_need_event() semantics.)
 */
bool virtq_should_interrupt(struct virtq *vq);

/*
 * Available buffer notification suppression. Disable while draining the
 * ring; virtq_enable_notify() re-enables them once the ring looks empty and
 * returns true if buffers arrived meanwhile (keep popping: the driver may
 * have seen notifications disabled and not kicked).
 */
void virtq_disable_notify(struct virtq *vq);
bool virtq_enable_notify(struct virtq *vq);

#endif
