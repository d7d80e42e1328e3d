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
static struct dma_space dma;
static struct virtq vq;
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

static uint16_t peek16(uint64_t gpa)
{
	uint16_t v = 0;

	guest_mem_read(&mem, gpa, &v, 2);
	return le16toh(v);
}

static void check_elem(const struct virtq_elem *e, unsigned int cap)
{
	uint64_t rd = 0, wr = 0;
	unsigned int i;

	assert(e->head < vq.size);
	assert(e->rd_num + e->wr_num <= cap);
	assert(e->rd_num + e->wr_num <= vq.size);
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

	virtq_reset(&vq);
	nheld = nfilled = 0;
	avail_idx = 0;
	/* Mostly valid sizes, sometimes not. */
	vq.size = cfg & 0x80 ? take(in, 2) : 1u << (cfg & 7);
	vq.event_idx = cfg & 0x08;
	vq.indirect = cfg & 0x10;
	if (cfg & 0x20) {
		vq.desc_addr = take_gpa(in, RAM_END);
		vq.avail_addr = take_gpa(in, RAM_END);
		vq.used_addr = take_gpa(in, RAM_END);
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
	assert(ret == 1 && vq.last_avail_idx == (uint16_t)(before + 1));
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
	assert(vq.used_idx == (uint16_t)(before + nfilled));
	assert(peek16(vq.used_addr + 2) == vq.used_idx);
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
	uint64_t table = ring ? vq.desc_addr : take_gpa(in, RAM_END);
	unsigned int i = take(in, 1);
	struct vring_desc d;

	/* Mostly a slot of the ring's own table. */
	if (ring && vq.enabled && !(i & 0x80))
		i %= vq.size;
	d.addr = htole64(take_gpa(in, RAM_END));
	d.len = htole32(take(in, 1) & 0x80 ? take(in, 4) : take(in, 2) & 0x3ff);
	d.flags = htole16(take(in, 1) & 7);
	d.next = htole16(take(in, 1));
	guest_mem_write(&mem, table + 16ull * i, &d, sizeof(d));
}

static void publish(uint16_t head)
{
	uint16_t v = htole16(head);

	guest_mem_write(&mem, vq.avail_addr + 4 + 2ull * (avail_idx & (vq.size - 1)), &v, 2);
	avail_idx++;
	v = htole16(avail_idx);
	guest_mem_write(&mem, vq.avail_addr + 2, &v, 2);
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

		guest_mem_write(&mem, vq.desc_addr + 16ull * i, &d, sizeof(d));
	}
	publish(start);
}

static void run(struct input *in)
{
	configure(in);
	while (in->left) {
		switch (take(in, 1) % 15) {
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
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	fuzz_mem_init(&mem, &dma, R0_SIZE, R1_SIZE);
	virtq_init(&vq, &dma, MAX_SIZE);
	run(&in);
	fuzz_mem_free(&mem);
	return 0;
}
