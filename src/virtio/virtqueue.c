// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues, device side.
 *
 * Memory ordering. The driver runs on other CPUs and orders its side with
 * barriers (spec 2.7.13 and 2.7.14); each barrier pairs with one here:
 *
 *  - pop: the driver writes descriptors and the ring entry, then (wmb)
 *    avail->idx. We load avail->idx, then an acquire fence, then read the
 *    entry and the descriptors, so we never see an index before the chain
 *    it exposes.
 *  - flush: we write the buffers and the used entries, then a release
 *    fence, then used->idx; the driver reads used->idx, then (rmb) the
 *    entries and the data. The data written into buffers by the device
 *    model before the flush is ordered by the same fence.
 *  - interrupt decision: we store used->idx, then load avail->flags or
 *    used_event. That is a store followed by a load, which even x86
 *    reorders, so a full (seq_cst) fence sits between them. It pairs with
 *    the driver's mb between writing used_event and re-reading used->idx:
 *    without it both sides could read stale values and the driver would
 *    sleep on a used entry it never hears about.
 *  - re-enabling kicks: the mirror image: store used->flags or
 *    avail_event, full fence, re-load avail->idx.
 *
 * Shared ring words are accessed as C11 relaxed atomics (through casts:
 * guest RAM is plain memory mapped for us) so the compiler neither tears
 * nor re-reads them; the fences above give the ordering. On x86 the
 * acquire and release fences cost nothing but a compiler barrier, the
 * seq_cst one is an mfence. Descriptors are copied with memcpy (an
 * indirect table need not be aligned) followed by a compiler barrier, and
 * only the copy is checked and used: the guest may rewrite the original
 * meanwhile.
 */
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "lib/dma.h"
#include "virtio/virtqueue.h"

#define VQ_DESC_ALIGN		16
#define VQ_AVAIL_ALIGN		2
#define VQ_USED_ALIGN		4

static uint16_t vq_load16(void *p)
{
	return le16toh(atomic_load_explicit((_Atomic uint16_t *)p, memory_order_relaxed));
}

static void vq_store16(void *p, uint16_t v)
{
	atomic_store_explicit((_Atomic uint16_t *)p, htole16(v), memory_order_relaxed);
}

static void vq_store32(void *p, uint32_t v)
{
	atomic_store_explicit((_Atomic uint32_t *)p, htole32(v), memory_order_relaxed);
}

/* used_event: the u16 after the available ring's entries. */
static uint16_t *vq_used_event(struct virtq *vq)
{
	return &vq->avail->ring[vq->size];
}

/* avail_event: the u16 after the used ring's entries. */
static uint16_t *vq_avail_event(struct virtq *vq)
{
	return (uint16_t *)&vq->used->ring[vq->size];
}

void virtq_init(struct virtq *vq, const struct dma_space *dma, uint16_t max_size)
{
	assert(max_size && !(max_size & (max_size - 1)) && max_size <= VIRTQ_MAX_SIZE);
	memset(vq, 0, sizeof(*vq));
	vq->dma = dma;
	vq->max_size = max_size;
	virtq_reset(vq);
}

void virtq_reset(struct virtq *vq)
{
	vq->size = vq->max_size;
	vq->desc_addr = vq->avail_addr = vq->used_addr = 0;
	vq->event_idx = vq->indirect = vq->enabled = false;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->rings_gen = 0;
	vq->rings_lost = false;
	vq->last_avail_idx = vq->used_idx = 0;
	vq->signalled_used = 0;
	vq->signalled_used_valid = false;
	vq->kicks_wanted = true;
}

/* Maps the three areas at the space's generation gen; false if one is not mapped. */
static bool vq_map_rings(struct virtq *vq, uint64_t gen)
{
	uint64_t n = vq->size;
	void *desc, *avail, *used;

	/* Sizes from the table in spec 2.7, event fields included. */
	desc = dma_map_one(vq->dma, vq->desc_addr, 16 * n, DMA_READ);
	avail = dma_map_one(vq->dma, vq->avail_addr, 6 + 2 * n, DMA_READ);
	used = dma_map_one(vq->dma, vq->used_addr, 6 + 8 * n, DMA_WRITE);
	if (!desc || !avail || !used)
		return false;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	vq->rings_gen = gen;
	return true;
}

/*
 * Before each use of the rings: the views are valid at the space's
 * generation now, or the queue is lost. Guest RAM stays mapped as long as
 * the VM, so views of it only go stale through the translation.
 */
static bool vq_rings_ok(struct virtq *vq)
{
	uint64_t gen;

	if (!vq->enabled || vq->rings_lost)
		return false;
	gen = dma_gen(vq->dma);
	if (gen != vq->rings_gen && !vq_map_rings(vq, gen))
		vq->rings_lost = true;
	return !vq->rings_lost;
}

int virtq_enable(struct virtq *vq)
{
	uint64_t n = vq->size;

	if (!n || (n & (n - 1)) || n > vq->max_size)
		return -EINVAL;
	if (vq->desc_addr % VQ_DESC_ALIGN || vq->avail_addr % VQ_AVAIL_ALIGN ||
	    vq->used_addr % VQ_USED_ALIGN)
		return -EINVAL;
	if (!vq_map_rings(vq, dma_gen(vq->dma)))
		return -EINVAL;
	vq->rings_lost = false;
	vq->signalled_used_valid = false;
	vq->enabled = true;
	return 0;
}

int virtq_avail_count(struct virtq *vq)
{
	uint16_t n;

	if (!vq->enabled)
		return 0;
	if (!vq_rings_ok(vq))
		return -EINVAL;
	n = vq_load16(&vq->avail->idx) - vq->last_avail_idx;
	/* The driver cannot have more chains out than the ring has entries. */
	return n > vq->size ? -EINVAL : n;
}

static void vq_read_desc(const uint8_t *table, unsigned int i, struct vring_desc *d)
{
	memcpy(d, table + (size_t)i * sizeof(*d), sizeof(*d));
	/* The copy is what we check and use; never re-read the original. */
	atomic_signal_fence(memory_order_acq_rel);
}

/*
 * Walks the chain at head: zero or more descriptors of the ring's table,
 * optionally ending in one that points to an indirect table (spec
 * 2.7.5.3.2), whose chain then ends the whole chain.
 */
static int vq_map_chain(struct virtq *vq, uint16_t head, struct virtq_elem *e,
			struct iovec *iov, unsigned int cap)
{
	const uint8_t *table = (const uint8_t *)vq->desc;
	unsigned int table_size = vq->size, i = head, count = 0, n = 0;
	uint64_t rd_len = 0, wr_len = 0;
	unsigned int rd_num = 0;
	bool indirect = false, writable = false;

	for (;;) {
		struct vring_desc d;
		uint16_t flags;
		uint64_t addr;
		uint32_t len;

		if (i >= table_size)
			return -EINVAL;
		/* A loop, or more buffers than the queue has entries. */
		if (++count > vq->size)
			return -EINVAL;
		vq_read_desc(table, i, &d);
		flags = le16toh(d.flags);
		addr = le64toh(d.addr);
		len = le32toh(d.len);

		if (flags & VRING_DESC_F_INDIRECT) {
			if (!vq->indirect || indirect || (flags & VRING_DESC_F_NEXT))
				return -EINVAL;
			if (!len || len % sizeof(struct vring_desc))
				return -EINVAL;
			table = dma_map_one(vq->dma, addr, len, DMA_READ);
			if (!table)
				return -EINVAL;
			table_size = len / sizeof(struct vring_desc);
			indirect = true;
			count--;	/* the pointer is not a buffer */
			i = 0;
			continue;
		}

		if (flags & VRING_DESC_F_WRITE) {
			writable = true;
			wr_len += len;
		} else {
			/* Readable buffers come first (spec 2.7.4.2). */
			if (writable)
				return -EINVAL;
			rd_len += len;
		}
		/* A chain is at most 4 GiB (spec 2.7.5.2): lengths fit in u32. */
		if (rd_len > UINT32_MAX || wr_len > UINT32_MAX)
			return -EINVAL;
		if (len) {
			/* A buffer may take several host segments; cap bounds them all. */
			int segs = dma_map(vq->dma, addr, len,
					   (flags & VRING_DESC_F_WRITE) ? DMA_WRITE : DMA_READ,
					   iov + n, cap - n);

			if (segs <= 0)
				return -EINVAL;
			n += (unsigned int)segs;
			if (!(flags & VRING_DESC_F_WRITE))
				rd_num = n;
		}
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		i = le16toh(d.next);
	}
	e->head = head;
	e->rd = iov;
	e->rd_num = rd_num;
	e->rd_len = rd_len;
	e->wr = iov + rd_num;
	e->wr_num = n - rd_num;
	e->wr_len = wr_len;
	return 0;
}

int virtq_pop(struct virtq *vq, struct virtq_elem *e, struct iovec *iov, unsigned int cap)
{
	int avail = virtq_avail_count(vq);
	uint16_t head;
	int ret;

	if (avail <= 0)
		return avail;
	/* Pairs with the driver's barrier before its avail->idx update. */
	atomic_thread_fence(memory_order_acquire);
	head = vq_load16(&vq->avail->ring[vq->last_avail_idx & (vq->size - 1)]);
	if (head >= vq->size)
		return -EINVAL;
	ret = vq_map_chain(vq, head, e, iov, cap);
	if (ret)
		return ret;
	vq->last_avail_idx++;
	/* Kick me when you make the entry after this one available. */
	if (vq->event_idx && vq->kicks_wanted)
		vq_store16(vq_avail_event(vq), vq->last_avail_idx);
	return 1;
}

void virtq_unpop(struct virtq *vq, unsigned int n)
{
	assert(n <= vq->size);
	vq->last_avail_idx -= n;
}

void virtq_fill(struct virtq *vq, unsigned int i, uint16_t head, uint32_t len)
{
	struct vring_used_elem *u;

	assert(i < vq->size);
	if (!vq_rings_ok(vq))
		return;
	u = &vq->used->ring[(uint16_t)(vq->used_idx + i) & (vq->size - 1)];
	vq_store32(&u->id, head);
	vq_store32(&u->len, len);
}

void virtq_flush(struct virtq *vq, unsigned int n)
{
	uint16_t old = vq->used_idx, new = old + n;

	assert(n <= vq->size);
	if (!vq_rings_ok(vq))
		return;
	/* Entries and buffer contents before the index (pairs with the driver's rmb). */
	atomic_thread_fence(memory_order_release);
	vq_store16(&vq->used->idx, new);
	vq->used_idx = new;
	/*
	 * If signalled_used fell more than half the index space behind, the
	 * event window test would wrap: interrupt on the next decision.
	 */
	if ((int16_t)(new - vq->signalled_used) < (uint16_t)(new - old))
		vq->signalled_used_valid = false;
}

void virtq_push(struct virtq *vq, uint16_t head, uint32_t len)
{
	virtq_fill(vq, 0, head, len);
	virtq_flush(vq, 1);
}

bool virtq_should_interrupt(struct virtq *vq)
{
	uint16_t old, new;
	bool valid;

	if (!vq_rings_ok(vq))
		return false;
	/* used->idx store before the flags/used_event load: see the top. */
	atomic_thread_fence(memory_order_seq_cst);
	if (!vq->event_idx)
		return !(vq_load16(&vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
	old = vq->signalled_used;
	valid = vq->signalled_used_valid;
	new = vq->used_idx;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	return !valid || vring_need_event(vq_load16(vq_used_event(vq)), new, old);
}

void virtq_disable_notify(struct virtq *vq)
{
	if (!vq->kicks_wanted || !vq_rings_ok(vq))
		return;
	vq->kicks_wanted = false;
	/* With event index avail_event just stays behind; without, say so. */
	if (!vq->event_idx)
		vq_store16(&vq->used->flags, VRING_USED_F_NO_NOTIFY);
}

bool virtq_enable_notify(struct virtq *vq)
{
	if (!vq_rings_ok(vq))
		return false;
	vq->kicks_wanted = true;
	if (vq->event_idx)
		vq_store16(vq_avail_event(vq), vq_load16(&vq->avail->idx));
	else
		vq_store16(&vq->used->flags, 0);
	/* Flag/event store before the index re-load: see the top. */
	atomic_thread_fence(memory_order_seq_cst);
	return virtq_avail_count(vq) != 0;
}
