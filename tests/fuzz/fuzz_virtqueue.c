// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile driver against one split virtqueue. Guest RAM is two small
 * adjacent regions, each its own exactly sized allocation (ASan reports a
 * byte past either); the input writes descriptors, ring entries and raw
 * bytes there, moves the indices, and drives the device side through pops,
 * pushes, batches, give-backs and notification calls. After every step the
 * result is checked: what a pop hands out lies inside RAM and adds up,
 * a failed pop consumes nothing, the used index is what was published.
 *
 * The queue's DMA space is the identity or, as behind an IOMMU, a page
 * table the input fills and changes while the queue runs: IOVA pages onto
 * any RAM page or none, read-only, write-only or both (the driver writes
 * its rings through the same table). A view of a ring that lost its
 * mapping must not be used.
 *
 * Input: a queue configuration, then a sequence of operations, each an
 * opcode byte and its operands.
 */
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "lib/dma.h"
#include "lib/guest_mem.h"
#include "virtio/virtqueue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define R0_SIZE		0x3000u
#define R1_GPA		R0_SIZE		/* adjacent: a buffer may not straddle */
#define R1_SIZE		0x1000u
#define RAM_END		(R1_GPA + R1_SIZE)
#define MAX_SIZE	64
#define MAX_HELD	MAX_SIZE

static struct guest_mem mem;
static struct dma_space dma, paged_dma;
static struct virtq vq;

/* The page table of the translated mode. */
#define PAGE		0x1000u
#define IOVA_PAGES	8u
#define IOVA_END	(IOVA_PAGES * PAGE)
static struct {
	bool mapped;
	uint8_t perm;		/* DMA_READ | DMA_WRITE */
	uint32_t page;		/* the RAM page */
} pt[IOVA_PAGES];
static _Atomic uint64_t pt_gen;
static bool paged;
static uint64_t addr_end;	/* addresses the driver hands over: [0, addr_end) mostly */

static int pt_map(const struct dma_space *as, uint64_t iova, uint64_t len, unsigned int access,
		  struct iovec *v, unsigned int cap)
{
	unsigned int n = 0;

	while (len) {
		uint64_t pg = iova / PAGE, off = iova % PAGE, chunk = PAGE - off;
		uint8_t *p;

		if (pg >= IOVA_PAGES || !pt[pg].mapped)
			return -EFAULT;
		if (access & ~pt[pg].perm)
			return -EPERM;
		if (chunk > len)
			chunk = len;
		p = guest_mem_ptr(&mem, (uint64_t)pt[pg].page * PAGE + off, chunk);
		if (!p)
			return -EFAULT;
		if (n && (uint8_t *)v[n - 1].iov_base + v[n - 1].iov_len == p) {
			v[n - 1].iov_len += chunk;
		} else {
			if (n == cap)
				return -ENOBUFS;
			v[n].iov_base = p;
			v[n++].iov_len = chunk;
		}
		iova += chunk;
		len -= chunk;
	}
	return (int)n;
}

static const struct dma_space_ops pt_ops = { .map = pt_map };

/*
 * The driver reads and writes through its own table, permissions aside;
 * unmapped bytes go nowhere and read 0.
 */
static void drv_access(uint64_t addr, void *buf, size_t len, bool write)
{
	uint8_t *b = buf;
	size_t i;

	if (!write)
		memset(buf, 0, len);
	for (i = 0; i < len; i++) {
		uint64_t a = addr + i, pg = a / PAGE, gpa = a;

		if (paged && (pg >= IOVA_PAGES || !pt[pg].mapped))
			continue;
		if (paged)
			gpa = (uint64_t)pt[pg].page * PAGE + a % PAGE;
		if (write)
			guest_mem_write(&mem, gpa, b + i, 1);
		else
			guest_mem_read(&mem, gpa, b + i, 1);
	}
}

static void drv_write(uint64_t addr, const void *buf, size_t len)
{
	drv_access(addr, (void *)buf, len, true);
}

static void drv_read(uint64_t addr, void *buf, size_t len)
{
	drv_access(addr, buf, len, false);
}

/* One IOVA page moves, or goes, or comes: the queue hears of it. */
static void op_remap(struct input *in)
{
	unsigned int pg = take(in, 1) % IOVA_PAGES;
	uint8_t b = take(in, 1);

	pt[pg].mapped = b & 1;
	pt[pg].perm = (b >> 1) % 3 + 1;
	pt[pg].page = (b >> 3) % (RAM_END / PAGE);
	atomic_fetch_add(&pt_gen, 1);
}
static struct iovec iov[MAX_SIZE + 8];
static uint16_t avail_idx;		/* the driver's */

/* Chains popped and not used yet, oldest first. */
static struct virtq_elem held[MAX_HELD];
static unsigned int nheld;
static unsigned int nfilled;		/* filled, not flushed (from held[0]) */

static bool in_ram(const void *p, size_t len)
{
	unsigned int i;

	for (i = 0; i < mem.nr_regions; i++) {
		const uint8_t *base = mem.regions[i].hva;

		if ((const uint8_t *)p >= base && len <= mem.regions[i].size &&
		    (size_t)((const uint8_t *)p - base) <= mem.regions[i].size - len)
			return true;
	}
	return false;
}

static uint16_t peek16(uint64_t addr)
{
	uint16_t v = 0;

	drv_read(addr, &v, 2);
	return le16toh(v);
}

static void check_elem(const struct virtq_elem *e, unsigned int cap)
{
	uint64_t rd = 0, wr = 0;
	unsigned int i;

	assert(e->head < vq.size);
	assert(e->rd_num + e->wr_num <= cap);
	/* One segment a descriptor without translation; a page table may split them. */
	assert(paged || e->rd_num + e->wr_num <= vq.size);
	assert(e->wr == e->rd + e->rd_num);
	for (i = 0; i < e->rd_num; i++) {
		assert(e->rd[i].iov_len && in_ram(e->rd[i].iov_base, e->rd[i].iov_len));
		rd += e->rd[i].iov_len;
	}
	for (i = 0; i < e->wr_num; i++) {
		assert(e->wr[i].iov_len && in_ram(e->wr[i].iov_base, e->wr[i].iov_len));
		wr += e->wr[i].iov_len;
		/* The device may write all of a writable buffer. */
		memset(e->wr[i].iov_base, 0x5a, e->wr[i].iov_len);
	}
	assert(rd == e->rd_len && wr == e->wr_len);
}

static void configure(struct input *in)
{
	uint8_t cfg = take(in, 1);
	unsigned int i;

	/* Translated or not, for this configuration. */
	paged = cfg & 0x40;
	addr_end = paged ? IOVA_END : RAM_END;
	if (paged) {
		for (i = 0; i < IOVA_PAGES; i++) {
			uint8_t b = take(in, 1);

			/* Mostly mapped, read-write, one to one. */
			pt[i].mapped = !(b & 0x80);
			pt[i].perm = b & 0x40 ? (b >> 4) % 3 + 1 : DMA_READ | DMA_WRITE;
			pt[i].page = b & 0x20 ? (b & 0xf) % (RAM_END / PAGE) : i % (RAM_END / PAGE);
		}
		atomic_fetch_add(&pt_gen, 1);
	}
	virtq_init(&vq, paged ? &paged_dma : &dma, MAX_SIZE);
	virtq_reset(&vq);
	nheld = nfilled = 0;
	avail_idx = 0;
	/* Mostly valid sizes, sometimes not. */
	vq.size = cfg & 0x80 ? take(in, 2) : 1u << (cfg & 7);
	vq.event_idx = cfg & 0x08;
	vq.indirect = cfg & 0x10;
	if (cfg & 0x20) {
		vq.desc_addr = take_gpa(in, addr_end);
		vq.avail_addr = take_gpa(in, addr_end);
		vq.used_addr = take_gpa(in, addr_end);
	} else {
		vq.desc_addr = 0;
		vq.avail_addr = 0x400;
		vq.used_addr = 0x800;
	}
	if (virtq_enable(&vq)) {
		assert(!vq.enabled);
		return;
	}
	assert(vq.size && !(vq.size & (vq.size - 1)) && vq.size <= MAX_SIZE);
	assert(in_ram(vq.desc, 16u * vq.size));
	assert(in_ram(vq.avail, 6 + 2u * vq.size));
	assert(in_ram(vq.used, 6 + 8u * vq.size));
	avail_idx = peek16(vq.avail_addr + 2);
}

static void op_pop(struct input *in)
{
	unsigned int cap = take(in, 1) % (MAX_SIZE + 8) + 1;
	uint16_t before = vq.last_avail_idx;
	struct virtq_elem e;
	int ret;

	ret = virtq_pop(&vq, &e, iov, cap);
	if (ret <= 0) {
		assert(ret == 0 || ret == -EINVAL);
		assert(vq.last_avail_idx == before);
		return;
	}
	assert(ret == 1 && vq.last_avail_idx == (uint16_t)(before + 1) && !vq.rings_lost);
	check_elem(&e, cap);
	/* The device gives back or uses what it holds; keep it bounded. */
	if (nheld == MAX_HELD || nheld == vq.size) {
		virtq_unpop(&vq, 1);
		return;
	}
	held[nheld++] = e;
}

static void op_fill(struct input *in)
{
	uint32_t len = take(in, 4);

	if (nfilled < nheld) {
		virtq_fill(&vq, nfilled, held[nfilled].head, len);
		nfilled++;
	}
}

static void op_flush(void)
{
	uint16_t before = vq.used_idx;

	if (!nfilled)
		return;
	virtq_flush(&vq, nfilled);
	/* A queue whose rings lost their mapping publishes nothing. */
	if (vq.rings_lost) {
		assert(vq.used_idx == before);
	} else {
		assert(vq.used_idx == (uint16_t)(before + nfilled));
		assert(!paged || pt[(vq.used_addr + 2) / PAGE].perm & DMA_WRITE);
		assert(peek16(vq.used_addr + 2) == vq.used_idx);
	}
	memmove(held, held + nfilled, (nheld - nfilled) * sizeof(held[0]));
	nheld -= nfilled;
	nfilled = 0;
}

static void op_unpop(struct input *in)
{
	unsigned int n = take(in, 1);

	/* Only the most recent chains not filled yet may go back. */
	n = nheld - nfilled ? n % (nheld - nfilled) + 1 : 0;
	virtq_unpop(&vq, n);
	nheld -= n;
}

static void op_desc(struct input *in, bool ring)
{
	uint64_t table = ring ? vq.desc_addr : take_gpa(in, addr_end);
	unsigned int i = take(in, 1);
	struct vring_desc d;

	/* Mostly a slot of the ring's own table. */
	if (ring && vq.enabled && !(i & 0x80))
		i %= vq.size;
	d.addr = htole64(take_gpa(in, addr_end));
	d.len = htole32(take(in, 1) & 0x80 ? take(in, 4) : take(in, 2) & 0x3ff);
	d.flags = htole16(take(in, 1) & 7);
	d.next = htole16(take(in, 1));
	drv_write(table + 16ull * i, &d, sizeof(d));
}

static void publish(uint16_t head)
{
	uint16_t v = htole16(head);

	drv_write(vq.avail_addr + 4 + 2ull * (avail_idx & (vq.size - 1)), &v, 2);
	avail_idx++;
	v = htole16(avail_idx);
	drv_write(vq.avail_addr + 2, &v, 2);
}

static void op_avail(struct input *in)
{
	uint8_t h = take(in, 1);

	if (vq.enabled)
		publish(h & 0x80 ? h : h % vq.size);
}

/* A well-formed chain of up to 4 buffers, published: mutations break it. */
static void op_chain(struct input *in)
{
	unsigned int n = take(in, 1) % 4 + 1, start, k;

	if (!vq.enabled)
		return;
	start = take(in, 1) % vq.size;
	for (k = 0; k < n; k++) {
		unsigned int i = (start + k) % vq.size;
		uint8_t b = take(in, 1);
		struct vring_desc d = {
			.addr = htole64(0x1000 + 64ull * (b & 0x3f)),
			.len = htole32(take(in, 1) + 1),
			.flags = htole16((k + 1 < n ? VRING_DESC_F_NEXT : 0) |
					 (b & 0x40 ? VRING_DESC_F_WRITE : 0)),
			.next = htole16((start + k + 1) % vq.size),
		};

		drv_write(vq.desc_addr + 16ull * i, &d, sizeof(d));
	}
	publish(start);
}

static void run(struct input *in)
{
	configure(in);
	while (in->left) {
		switch (take(in, 1) % 16) {
		case 0:
		case 1:
			op_pop(in);
			break;
		case 2:
			op_fill(in);
			break;
		case 3:
			op_flush();
			break;
		case 4:
			op_unpop(in);
			break;
		case 5:
			op_desc(in, true);
			break;
		case 6:
			op_desc(in, false);
			break;
		case 7:
			op_avail(in);
			break;
		case 8:
			fuzz_op_write(in, &mem, RAM_END, 32);
			break;
		case 9:
			if (vq.enabled)
				(void)virtq_should_interrupt(&vq);
			break;
		case 10:
			virtq_disable_notify(&vq);
			break;
		case 11:
			(void)virtq_enable_notify(&vq);
			break;
		case 12:
			(void)virtq_avail_count(&vq);
			break;
		case 13:
			op_chain(in);
			break;
		case 14:
			/* Device reset and a new configuration. */
			configure(in);
			break;
		case 15:
			if (paged)
				op_remap(in);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	fuzz_mem_init(&mem, &dma, R0_SIZE, R1_SIZE);
	paged_dma = (struct dma_space){ .ops = &pt_ops, .mem = &mem, .gen = &pt_gen };
	virtq_init(&vq, &dma, MAX_SIZE);
	run(&in);
	fuzz_mem_free(&mem);
	return 0;
}
