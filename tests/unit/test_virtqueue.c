// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues on fake guest RAM: chains, indirect tables, every
 * malformed chain the guest can make, used ring batching and wrap-around,
 * notification suppression both ways, and a driver thread against a
 * device thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <cmocka.h>

#include "lib/dma.h"
#include "virtio/virtqueue.h"
#include "virtio_guest.h"

#define RING_GPA	0x1000ULL
#define IND_GPA		0x8000ULL	/* indirect tables */
#define BUF_GPA		0x10000ULL	/* data buffers */

static struct guest_mem mem;
static struct dma_space dma;
static struct virtq vq;
static struct fring fr;
static struct iovec iov[256];

static int setup(void **state)
{
	fg_init(&mem);
	dma_space_identity(&dma, &mem);
	return 0;
}

static int teardown(void **state)
{
	fg_free(&mem);
	return 0;
}

/* A fresh enabled queue of size entries with rings at RING_GPA. */
static void queue_up(uint16_t size, bool event_idx, bool indirect)
{
	virtq_init(&vq, &dma, 256);
	fring_init(&fr, &mem, RING_GPA, size);
	vq.size = size;
	vq.desc_addr = fr.desc;
	vq.avail_addr = fr.avail;
	vq.used_addr = fr.used;
	vq.event_idx = event_idx;
	vq.indirect = indirect;
	assert_int_equal(virtq_enable(&vq), 0);
}

static void *hva(uint64_t gpa)
{
	return guest_mem_ptr(&mem, gpa, 1);
}

static void test_enable_checks(void **state)
{
	static const uint16_t bad_sizes[] = { 0, 3, 100, 512 };
	unsigned int i;

	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		queue_up(16, false, false);
		virtq_reset(&vq);
		vq.size = bad_sizes[i];
		vq.desc_addr = fr.desc;
		vq.avail_addr = fr.avail;
		vq.used_addr = fr.used;
		assert_int_equal(virtq_enable(&vq), -EINVAL);
		assert_false(vq.enabled);
	}
	virtq_init(&vq, &dma, 256);
	assert_int_equal(vq.size, 256);
	vq.size = 16;
	/* Misaligned areas (16, 2 and 4 bytes). */
	vq.desc_addr = 0x1008;
	vq.avail_addr = 0x2000;
	vq.used_addr = 0x3000;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	vq.desc_addr = 0x1000;
	vq.avail_addr = 0x2001;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	vq.avail_addr = 0x2000;
	vq.used_addr = 0x3002;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	/* Used ring running past the end of RAM, or across two regions. */
	vq.used_addr = FG_END - 8;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	vq.used_addr = FG_R0_SIZE - 64;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	vq.used_addr = UINT64_MAX - 3;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	/* Descriptor table straddling the region boundary. */
	vq.used_addr = 0x3000;
	vq.desc_addr = FG_R0_SIZE - 128;
	assert_int_equal(virtq_enable(&vq), -EINVAL);
	assert_false(vq.enabled);
	/* Rings in the second region are fine. */
	vq.desc_addr = FG_R1_GPA;
	vq.avail_addr = FG_R1_GPA + 0x1000;
	vq.used_addr = FG_R1_GPA + 0x2000;
	assert_int_equal(virtq_enable(&vq), 0);
	assert_true(vq.enabled);
	virtq_reset(&vq);
	assert_false(vq.enabled);
	assert_int_equal(vq.desc_addr, 0);
}

static void test_chain(void **state)
{
	struct virtq_elem e;

	queue_up(16, false, false);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 0);
	/* Two readable buffers then a writable one, in scattered slots. */
	fdesc(&fr, 5, BUF_GPA, 100, VRING_DESC_F_NEXT, 9);
	fdesc(&fr, 9, BUF_GPA + 0x1000, 50, VRING_DESC_F_NEXT, 2);
	fdesc(&fr, 2, BUF_GPA + 0x2000, 1500, VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 5);
	assert_int_equal(virtq_avail_count(&vq), 1);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.head, 5);
	assert_int_equal(e.rd_num, 2);
	assert_int_equal(e.wr_num, 1);
	assert_int_equal(e.rd_len, 150);
	assert_int_equal(e.wr_len, 1500);
	assert_ptr_equal(e.rd, iov);
	assert_ptr_equal(e.wr, iov + 2);
	assert_ptr_equal(e.rd[0].iov_base, hva(BUF_GPA));
	assert_int_equal(e.rd[0].iov_len, 100);
	assert_ptr_equal(e.rd[1].iov_base, hva(BUF_GPA + 0x1000));
	assert_ptr_equal(e.wr[0].iov_base, hva(BUF_GPA + 0x2000));
	assert_int_equal(e.wr[0].iov_len, 1500);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 0);

	assert_int_equal(fring_used_idx(&fr), 0);
	virtq_push(&vq, 5, 1234);
	assert_int_equal(fring_used_idx(&fr), 1);
	assert_int_equal(fring_used_id(&fr, 0), 5);
	assert_int_equal(fring_used_len(&fr, 0), 1234);

	/* Only writable, and a single readable descriptor. */
	fdesc(&fr, 0, BUF_GPA, 64, VRING_DESC_F_WRITE, 0);
	fdesc(&fr, 1, BUF_GPA + 64, 64, 0, 0);
	fring_avail(&fr, 0);
	fring_avail(&fr, 1);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.rd_num, 0);
	assert_int_equal(e.wr_num, 1);
	assert_ptr_equal(e.wr, iov);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.head, 1);
	assert_int_equal(e.rd_num, 1);
	assert_int_equal(e.wr_num, 0);
	assert_int_equal(e.wr_len, 0);

	/* A zero-length descriptor maps nothing but is part of the chain. */
	fdesc(&fr, 3, BUF_GPA, 0, VRING_DESC_F_NEXT, 4);
	fdesc(&fr, 4, BUF_GPA, 10, 0, 0);
	fring_avail(&fr, 3);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.rd_num, 1);
	assert_int_equal(e.rd_len, 10);
}

static void test_chain_regions(void **state)
{
	struct virtq_elem e;

	queue_up(8, false, false);
	/* Each piece in one region, the chain in both. */
	fdesc(&fr, 0, FG_R0_SIZE - 16, 16, VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, FG_R1_GPA, 16, VRING_DESC_F_NEXT, 2);
	fdesc(&fr, 2, FG_END - 1, 1, VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.rd_num, 2);
	assert_ptr_equal(e.rd[0].iov_base, (uint8_t *)mem.regions[0].hva + FG_R0_SIZE - 16);
	assert_ptr_equal(e.rd[1].iov_base, mem.regions[1].hva);
	assert_ptr_equal(e.wr[0].iov_base, (uint8_t *)mem.regions[1].hva + FG_R1_SIZE - 1);
	/* The same bytes as one descriptor straddle the boundary. */
	fdesc(&fr, 3, FG_R0_SIZE - 16, 32, 0, 0);
	fring_avail(&fr, 3);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), -EINVAL);
}

static void test_indirect(void **state)
{
	struct virtq_elem e;

	queue_up(8, false, true);
	fdesc_at(&mem, IND_GPA, 0, BUF_GPA, 12, VRING_DESC_F_NEXT, 2);
	fdesc_at(&mem, IND_GPA, 2, BUF_GPA + 100, 200, VRING_DESC_F_NEXT, 1);
	fdesc_at(&mem, IND_GPA, 1, BUF_GPA + 1000, 300, VRING_DESC_F_WRITE, 0);
	/* The write flag on the pointer is ignored (spec 2.7.5.3.2). */
	fdesc(&fr, 6, IND_GPA, 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 6);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.head, 6);
	assert_int_equal(e.rd_num, 2);
	assert_int_equal(e.rd_len, 212);
	assert_int_equal(e.wr_num, 1);
	assert_int_equal(e.wr_len, 300);
	assert_ptr_equal(e.wr[0].iov_base, hva(BUF_GPA + 1000));

	/* Direct descriptors followed by an indirect one. */
	fdesc(&fr, 0, BUF_GPA + 5000, 7, VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, IND_GPA, 3 * 16, VRING_DESC_F_INDIRECT, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.rd_num, 3);
	assert_int_equal(e.rd_len, 219);
	assert_ptr_equal(e.rd[0].iov_base, hva(BUF_GPA + 5000));
	assert_int_equal(e.wr_num, 1);

	/* An indirect table that is not 16-byte aligned is still a table. */
	memmove(hva(IND_GPA + 0x101), hva(IND_GPA), 48);
	fdesc(&fr, 2, IND_GPA + 0x101, 3 * 16, VRING_DESC_F_INDIRECT, 0);
	fring_avail(&fr, 2);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.wr_len, 300);

	/* Not negotiated: an error. */
	queue_up(8, false, false);
	fdesc(&fr, 0, IND_GPA, 3 * 16, VRING_DESC_F_INDIRECT, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), -EINVAL);
}

/* One malformed chain at head 0 of a fresh queue of 8 (indirect on). */
struct bad_case {
	const char *what;
	void (*make)(void);
};

static void bad_head(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, 0, 0);
	fring_avail(&fr, 8);
}

static void bad_next(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, VRING_DESC_F_NEXT, 8);
}

static void bad_loop(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, BUF_GPA, 10, VRING_DESC_F_NEXT, 0);
}

static void bad_self_loop(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
}

static void bad_indirect_loop(void)
{
	fdesc_at(&mem, IND_GPA, 0, BUF_GPA, 10, VRING_DESC_F_NEXT, 1);
	fdesc_at(&mem, IND_GPA, 1, BUF_GPA, 10, VRING_DESC_F_NEXT, 0);
	fdesc(&fr, 0, IND_GPA, 32, VRING_DESC_F_INDIRECT, 0);
}

static void bad_too_long(void)
{
	unsigned int i;

	/* Nine buffers in a queue of eight, no loop. */
	for (i = 0; i < 9; i++)
		fdesc_at(&mem, IND_GPA, i, BUF_GPA, 10, i < 8 ? VRING_DESC_F_NEXT : 0, i + 1);
	fdesc(&fr, 0, IND_GPA, 9 * 16, VRING_DESC_F_INDIRECT, 0);
}

static void bad_indirect_next_out(void)
{
	fdesc_at(&mem, IND_GPA, 0, BUF_GPA, 10, VRING_DESC_F_NEXT, 2);
	fdesc(&fr, 0, IND_GPA, 32, VRING_DESC_F_INDIRECT, 0);
}

static void bad_readable_after_writable(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	fdesc(&fr, 1, BUF_GPA, 10, 0, 0);
}

static void bad_nested_indirect(void)
{
	fdesc_at(&mem, IND_GPA, 0, IND_GPA + 0x100, 16, VRING_DESC_F_INDIRECT, 0);
	fdesc_at(&mem, IND_GPA + 0x100, 0, BUF_GPA, 10, 0, 0);
	fdesc(&fr, 0, IND_GPA, 16, VRING_DESC_F_INDIRECT, 0);
}

static void bad_indirect_with_next(void)
{
	fdesc_at(&mem, IND_GPA, 0, BUF_GPA, 10, 0, 0);
	fdesc(&fr, 0, IND_GPA, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, BUF_GPA, 10, 0, 0);
}

static void bad_indirect_empty(void)
{
	fdesc(&fr, 0, IND_GPA, 0, VRING_DESC_F_INDIRECT, 0);
}

static void bad_indirect_odd(void)
{
	fdesc(&fr, 0, IND_GPA, 17, VRING_DESC_F_INDIRECT, 0);
}

static void bad_indirect_short(void)
{
	fdesc(&fr, 0, IND_GPA, 8, VRING_DESC_F_INDIRECT, 0);
}

static void bad_indirect_outside(void)
{
	fdesc(&fr, 0, FG_END - 16, 32, VRING_DESC_F_INDIRECT, 0);
}

static void bad_indirect_straddle(void)
{
	fdesc(&fr, 0, FG_R0_SIZE - 16, 32, VRING_DESC_F_INDIRECT, 0);
}

static void bad_buf_outside(void)
{
	fdesc(&fr, 0, FG_END, 1, 0, 0);
}

static void bad_buf_past_end(void)
{
	fdesc(&fr, 0, FG_END - 10, 11, VRING_DESC_F_WRITE, 0);
}

static void bad_buf_wrap(void)
{
	fdesc(&fr, 0, UINT64_MAX - 4, 16, 0, 0);
}

static void bad_buf_straddle(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, FG_R0_SIZE - 1, 2, VRING_DESC_F_WRITE, 0);
}

static void bad_avail_jump(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, 0, 0);
	fring_set_avail_idx(&fr, 9);	/* 9 chains in a ring of 8 */
}

static void bad_avail_backwards(void)
{
	fdesc(&fr, 0, BUF_GPA, 10, 0, 0);
	fring_set_avail_idx(&fr, 0xffff);	/* "decremented" */
}

static const struct bad_case bad_cases[] = {
	{ "head out of range", bad_head },
	{ "next out of range", bad_next },
	{ "loop", bad_loop },
	{ "self loop", bad_self_loop },
	{ "loop in an indirect table", bad_indirect_loop },
	{ "chain longer than the queue", bad_too_long },
	{ "indirect next out of range", bad_indirect_next_out },
	{ "readable after writable", bad_readable_after_writable },
	{ "indirect in indirect", bad_nested_indirect },
	{ "INDIRECT with NEXT", bad_indirect_with_next },
	{ "empty indirect table", bad_indirect_empty },
	{ "indirect table of 17 bytes", bad_indirect_odd },
	{ "indirect table of 8 bytes", bad_indirect_short },
	{ "indirect table outside RAM", bad_indirect_outside },
	{ "indirect table across regions", bad_indirect_straddle },
	{ "buffer outside RAM", bad_buf_outside },
	{ "buffer past the end of RAM", bad_buf_past_end },
	{ "buffer address wraps", bad_buf_wrap },
	{ "buffer across regions", bad_buf_straddle },
	{ "avail idx jumps past the ring", bad_avail_jump },
	{ "avail idx goes back", bad_avail_backwards },
};

static void test_bad_chains(void **state)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct virtq_elem e;

		queue_up(8, true, true);
		/* Poison the iovecs: a failed pop must not hand any out. */
		memset(iov, 0xa5, sizeof(iov));
		bad_cases[i].make();
		if (fr.avail_idx == 0)
			fring_avail(&fr, 0);
		print_message("  %s\n", bad_cases[i].what);
		assert_int_equal(virtq_pop(&vq, &e, iov, 256), -EINVAL);
		/* Nothing consumed: the error stays for the next attempt too. */
		assert_int_equal(vq.last_avail_idx, 0);
		assert_int_equal(virtq_pop(&vq, &e, iov, 256), -EINVAL);
		assert_int_equal(fring_used_idx(&fr), 0);
		assert_int_equal(fring_avail_event(&fr), 0);
	}
}

static void test_iov_capacity(void **state)
{
	struct virtq_elem e;

	queue_up(8, false, false);
	fdesc(&fr, 0, BUF_GPA, 10, VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, BUF_GPA, 10, VRING_DESC_F_NEXT, 2);
	fdesc(&fr, 2, BUF_GPA, 10, 0, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 2), -EINVAL);
	assert_int_equal(virtq_pop(&vq, &e, iov, 3), 1);
}

/* Chains longer than 4 GiB in total, in a 4 GiB region (not touched). */
static void test_chain_over_4g(void **state)
{
	struct guest_mem big;
	struct dma_space big_dma;
	struct virtq_elem e;
	uint8_t *ram;

	ram = mmap(NULL, 1ULL << 32, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(ram != MAP_FAILED);
	memset(&big, 0, sizeof(big));
	big.nr_regions = 1;
	big.regions[0].size = 1ULL << 32;
	big.regions[0].hva = ram;
	big.ram_size = 1ULL << 32;

	dma_space_identity(&big_dma, &big);
	virtq_init(&vq, &big_dma, 256);
	fring_init(&fr, &big, RING_GPA, 8);
	vq.size = 8;
	vq.desc_addr = fr.desc;
	vq.avail_addr = fr.avail;
	vq.used_addr = fr.used;
	assert_int_equal(virtq_enable(&vq), 0);
	fdesc(&fr, 0, 0, 0xfffff000, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	fdesc(&fr, 1, 0, 0xfff, VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(e.wr_len, 0xffffffff);
	fdesc(&fr, 2, 0, 0xfffff000, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 3);
	fdesc(&fr, 3, 0, 0x1000, VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 2);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), -EINVAL);
	munmap(ram, 1ULL << 32);
}

static void test_used_batch(void **state)
{
	struct virtq_elem e[3];
	unsigned int i;

	queue_up(4, false, false);
	for (i = 0; i < 4; i++) {
		fdesc(&fr, i, BUF_GPA + 0x100 * i, 0x100, VRING_DESC_F_WRITE, 0);
		fring_avail(&fr, i);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(virtq_pop(&vq, &e[i], iov + i, 1), 1);
	/* Give the last two back, take them again: same chains. */
	virtq_unpop(&vq, 2);
	assert_int_equal(virtq_avail_count(&vq), 3);
	assert_int_equal(virtq_pop(&vq, &e[1], iov + 1, 1), 1);
	assert_int_equal(e[1].head, 1);
	assert_int_equal(virtq_pop(&vq, &e[2], iov + 2, 1), 1);
	assert_int_equal(e[2].head, 2);

	for (i = 0; i < 3; i++)
		virtq_fill(&vq, i, e[i].head, 10 + i);
	/* Filled, not published. */
	assert_int_equal(fring_used_idx(&fr), 0);
	assert_int_equal(fring_used_id(&fr, 2), 2);
	virtq_flush(&vq, 3);
	assert_int_equal(fring_used_idx(&fr), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(fring_used_id(&fr, i), i);
		assert_int_equal(fring_used_len(&fr, i), 10 + i);
	}
}

static void test_interrupt_flags(void **state)
{
	queue_up(8, false, false);
	fdesc(&fr, 0, BUF_GPA, 16, VRING_DESC_F_WRITE, 0);
	virtq_push(&vq, 0, 1);
	assert_true(virtq_should_interrupt(&vq));
	fring_set_avail_flags(&fr, VRING_AVAIL_F_NO_INTERRUPT);
	virtq_push(&vq, 0, 1);
	assert_false(virtq_should_interrupt(&vq));
	/* Without event index used_event means nothing. */
	fring_set_used_event(&fr, 2);
	virtq_push(&vq, 0, 1);
	assert_false(virtq_should_interrupt(&vq));
	fring_set_avail_flags(&fr, 0);
	virtq_push(&vq, 0, 1);
	assert_true(virtq_should_interrupt(&vq));
}

static void test_interrupt_event_idx(void **state)
{
	queue_up(8, true, false);
	/* used_event 0: after the first used entry (idx 0 -> 1), not after the second. */
	virtq_push(&vq, 0, 1);
	assert_true(virtq_should_interrupt(&vq));
	virtq_push(&vq, 0, 1);
	assert_false(virtq_should_interrupt(&vq));
	/* NO_INTERRUPT is ignored with event index. */
	fring_set_avail_flags(&fr, VRING_AVAIL_F_NO_INTERRUPT);
	fring_set_used_event(&fr, 2);
	virtq_push(&vq, 0, 1);			/* idx 2 -> 3: entry 2 written */
	assert_true(virtq_should_interrupt(&vq));
	/* A batch that passes used_event: one interrupt for it. */
	fring_set_used_event(&fr, 5);
	virtq_push(&vq, 0, 1);			/* 3 -> 4 */
	assert_false(virtq_should_interrupt(&vq));
	virtq_fill(&vq, 0, 0, 1);
	virtq_fill(&vq, 1, 0, 1);
	virtq_fill(&vq, 2, 0, 1);
	virtq_flush(&vq, 3);			/* 4 -> 7 covers entry 5 */
	assert_true(virtq_should_interrupt(&vq));
	/* Nothing new since the last decision: no interrupt. */
	assert_false(virtq_should_interrupt(&vq));
	/* A used_event already behind: none until the index wraps around. */
	fring_set_used_event(&fr, 3);
	virtq_push(&vq, 0, 1);
	assert_false(virtq_should_interrupt(&vq));
}

static void test_kick_suppression(void **state)
{
	struct virtq_elem e;

	/* Flags. */
	queue_up(8, false, false);
	virtq_disable_notify(&vq);
	assert_int_equal(fring_used_flags(&fr), VRING_USED_F_NO_NOTIFY);
	assert_false(virtq_enable_notify(&vq));
	assert_int_equal(fring_used_flags(&fr), 0);
	virtq_disable_notify(&vq);
	fdesc(&fr, 0, BUF_GPA, 16, 0, 0);
	fring_avail(&fr, 0);
	/* A buffer arrived while kicks were off: enabling says so. */
	assert_true(virtq_enable_notify(&vq));
	assert_int_equal(fring_used_flags(&fr), 0);

	/* Event index: avail_event follows the device. */
	queue_up(8, true, false);
	fdesc(&fr, 0, BUF_GPA, 16, 0, 0);
	fring_avail(&fr, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(fring_avail_event(&fr), 1);
	virtq_disable_notify(&vq);
	assert_int_equal(fring_used_flags(&fr), 0);	/* flags stay 0 */
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
	assert_int_equal(fring_avail_event(&fr), 1);	/* left behind */
	assert_false(virtq_enable_notify(&vq));
	assert_int_equal(fring_avail_event(&fr), 2);
	/*
	 * The driver's test (vring_need_event(avail_event, new, old)): adding
	 * entry 2 must kick.
	 */
	assert_true(vring_need_event(fring_avail_event(&fr), 3, 2));
	virtq_disable_notify(&vq);
	fring_avail(&fr, 0);
	assert_true(virtq_enable_notify(&vq));
	/* Buffers the device has not reached: kick only for ones after them. */
	assert_int_equal(fring_avail_event(&fr), 3);
	assert_int_equal(virtq_avail_count(&vq), 1);
}

static void test_wrap(void **state)
{
	struct virtq_elem e;
	unsigned int i;

	queue_up(8, true, false);
	/* A ring that has been running a while: indices about to wrap. */
	vq.last_avail_idx = 0xfffe;
	vq.used_idx = 0xfffe;
	fring_set_avail_idx(&fr, 0xfffe);
	fg_w16(&mem, fr.used + 2, 0xfffe);
	fring_set_used_event(&fr, 0xffff);
	for (i = 0; i < 4; i++) {
		fdesc(&fr, i, BUF_GPA + 0x100 * i, 0x100, VRING_DESC_F_WRITE, 0);
		fring_avail(&fr, i);
	}
	assert_int_equal(fr.avail_idx, 2);
	assert_int_equal(virtq_avail_count(&vq), 4);
	/* The first decision always interrupts; it sets the reference point. */
	assert_true(virtq_should_interrupt(&vq));
	for (i = 0; i < 4; i++) {
		assert_int_equal(virtq_pop(&vq, &e, iov, 256), 1);
		/* Ring slots follow the free-running index modulo 8. */
		assert_int_equal(e.head, i);
		virtq_push(&vq, e.head, 100 + i);
		assert_int_equal(fring_used_idx(&fr), (uint16_t)(0xffff + i));
		/* used_event 0xffff: the entry written at that index, i.e. the second. */
		assert_int_equal(virtq_should_interrupt(&vq), i == 1);
	}
	assert_int_equal(vq.last_avail_idx, 2);
	assert_int_equal(fring_used_idx(&fr), 2);
	assert_int_equal(fring_used_id(&fr, 0xfffe), 0);	/* slot 6 */
	assert_int_equal(fring_used_id(&fr, 0xffff), 1);	/* slot 7 */
	assert_int_equal(fring_used_id(&fr, 0), 2);
	assert_int_equal(fring_used_len(&fr, 1), 103);
	assert_int_equal(virtq_pop(&vq, &e, iov, 256), 0);
	assert_int_equal(fring_avail_event(&fr), 2);
}

/*
 * A driver thread and a device thread, as in a guest: the driver publishes
 * chains and kicks only when avail_event (or the flags) ask for it, the
 * device sleeps until kicked and drains with kicks disabled; the device
 * interrupts only when used_event asks, the driver sleeps until then. A
 * lost notification on either side hangs, and the test fails on time.
 */
#define MT_CHAINS	50000

struct mt_side {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int signals;
};

static struct mt_side mt_kick, mt_irq;
static bool mt_event_idx;
static atomic_bool mt_timeout;

static void mt_signal(struct mt_side *s)
{
	pthread_mutex_lock(&s->lock);
	s->signals++;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static bool mt_wait(struct mt_side *s, unsigned int *seen)
{
	struct timespec ts;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;
	pthread_mutex_lock(&s->lock);
	while (s->signals == *seen && ok)
		ok = !pthread_cond_timedwait(&s->cond, &s->lock, &ts) || s->signals != *seen;
	*seen = s->signals;
	pthread_mutex_unlock(&s->lock);
	if (!ok)
		atomic_store(&mt_timeout, true);
	return ok;
}

static void *mt_device(void *arg)
{
	unsigned int done = 0, seen = 0;

	while (done < MT_CHAINS && !atomic_load(&mt_timeout)) {
		struct virtq_elem e;
		struct iovec v[1];
		int r;

		virtq_disable_notify(&vq);
		while ((r = virtq_pop(&vq, &e, v, 1)) > 0) {
			virtq_push(&vq, e.head, e.head);
			done++;
			if (virtq_should_interrupt(&vq))
				mt_signal(&mt_irq);
		}
		if (r < 0)
			break;
		if (virtq_enable_notify(&vq))
			continue;
		if (done < MT_CHAINS && !mt_wait(&mt_kick, &seen))
			break;
	}
	return (void *)(uintptr_t)done;
}

/* The driver: a free list of heads, refilled from the used ring. */
static unsigned int mt_driver(void)
{
	uint16_t free_heads[8];
	unsigned int nfree = 8, sent = 0, got = 0, seen = 0, i;

	for (i = 0; i < 8; i++) {
		free_heads[i] = i;
		fdesc(&fr, i, BUF_GPA + 16 * i, 16, 0, 0);
	}
	while (got < MT_CHAINS) {
		uint16_t used;

		while (nfree && sent < MT_CHAINS) {
			uint16_t old = fr.avail_idx;
			uint16_t flags, event;

			fring_avail(&fr, free_heads[--nfree]);
			sent++;
			atomic_thread_fence(memory_order_seq_cst);
			flags = fring_used_flags(&fr);
			event = fring_avail_event(&fr);
			if (mt_event_idx ? vring_need_event(event, fr.avail_idx, old) :
			    !(flags & VRING_USED_F_NO_NOTIFY))
				mt_signal(&mt_kick);
		}
		/* Reap; then ask for an interrupt at the next entry and re-check. */
		for (;;) {
			used = fring_used_idx(&fr);
			atomic_thread_fence(memory_order_acquire);
			while (fr.used_seen != used) {
				free_heads[nfree++] = fring_used_id(&fr, fr.used_seen);
				fr.used_seen++;
				got++;
			}
			if (nfree && sent < MT_CHAINS)
				break;
			if (got == MT_CHAINS)
				break;
			fring_set_used_event(&fr, fr.used_seen);
			fring_set_avail_flags(&fr, 0);
			atomic_thread_fence(memory_order_seq_cst);
			if (fring_used_idx(&fr) != fr.used_seen)
				continue;
			if (!mt_wait(&mt_irq, &seen))
				return got;
		}
		fring_set_avail_flags(&fr, VRING_AVAIL_F_NO_INTERRUPT);
	}
	return got;
}

static void mt_run(bool event_idx)
{
	pthread_t dev;
	void *done;

	memset(&mt_kick, 0, sizeof(mt_kick));
	memset(&mt_irq, 0, sizeof(mt_irq));
	pthread_mutex_init(&mt_kick.lock, NULL);
	pthread_cond_init(&mt_kick.cond, NULL);
	pthread_mutex_init(&mt_irq.lock, NULL);
	pthread_cond_init(&mt_irq.cond, NULL);
	atomic_store(&mt_timeout, false);
	mt_event_idx = event_idx;
	queue_up(8, event_idx, false);
	assert_int_equal(pthread_create(&dev, NULL, mt_device, NULL), 0);
	assert_int_equal(mt_driver(), MT_CHAINS);
	atomic_store(&mt_timeout, true);	/* let a sleeping device go */
	mt_signal(&mt_kick);
	pthread_join(dev, &done);
	assert_int_equal((uintptr_t)done, MT_CHAINS);
	assert_int_equal(fring_used_idx(&fr), (uint16_t)MT_CHAINS);
}

static void test_threads_flags(void **state)
{
	mt_run(false);
}

static void test_threads_event_idx(void **state)
{
	mt_run(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enable_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_regions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iov_capacity, setup, teardown),
		cmocka_unit_test(test_chain_over_4g),
		cmocka_unit_test_setup_teardown(test_used_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_event_idx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_event_idx, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
