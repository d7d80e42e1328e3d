/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake guest for virtio tests: guest RAM as two adjacent regions, each
 * its own malloc'd block sized exactly, so that ASan reports any access
 * past a region; and the driver's side of a split ring, written as a
 * driver would (through guest physical addresses, little-endian).
 */
#ifndef SRIOVM_TESTS_VIRTIO_GUEST_H
#define SRIOVM_TESTS_VIRTIO_GUEST_H

#include <endian.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <linux/virtio_ring.h>

#include "lib/guest_mem.h"
#include "lib/loop.h"

#define FG_R0_SIZE	0x100000ULL		/* region 0: [0, 1 MiB) */
#define FG_R1_GPA	FG_R0_SIZE		/* region 1 right after it */
#define FG_R1_SIZE	0x10000ULL
#define FG_END		(FG_R1_GPA + FG_R1_SIZE)

static inline void fg_init(struct guest_mem *mem)
{
	memset(mem, 0, sizeof(*mem));
	mem->nr_regions = 2;
	mem->regions[0].gpa = 0;
	mem->regions[0].size = FG_R0_SIZE;
	mem->regions[0].hva = calloc(1, FG_R0_SIZE);
	mem->regions[1].gpa = FG_R1_GPA;
	mem->regions[1].size = FG_R1_SIZE;
	mem->regions[1].hva = calloc(1, FG_R1_SIZE);
	mem->ram_size = FG_R0_SIZE + FG_R1_SIZE;
}

static inline void fg_free(struct guest_mem *mem)
{
	free(mem->regions[0].hva);
	free(mem->regions[1].hva);
	memset(mem, 0, sizeof(*mem));
}

static inline void *fg_ptr(struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		abort();	/* a bug in the test itself */
	return p;
}

static inline void fg_w16(struct guest_mem *mem, uint64_t gpa, uint16_t v)
{
	v = htole16(v);
	memcpy(fg_ptr(mem, gpa, 2), &v, 2);
}

static inline uint16_t fg_r16(struct guest_mem *mem, uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, fg_ptr(mem, gpa, 2), 2);
	return le16toh(v);
}

static inline uint32_t fg_r32(struct guest_mem *mem, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, fg_ptr(mem, gpa, 4), 4);
	return le32toh(v);
}

/* The driver's view of one split ring. */
struct fring {
	struct guest_mem *mem;
	uint16_t size;
	uint64_t desc, avail, used;
	uint16_t avail_idx;		/* next available index the driver publishes */
	uint16_t used_seen;		/* used entries the driver consumed */
};

/* Rings at base: descriptors, then the available ring, then the used ring. */
static inline void fring_init(struct fring *r, struct guest_mem *mem, uint64_t base,
			      uint16_t size)
{
	memset(r, 0, sizeof(*r));
	r->mem = mem;
	r->size = size;
	r->desc = base;
	r->avail = base + 16ULL * size;
	r->used = (r->avail + 6 + 2ULL * size + 3) & ~3ULL;
	memset(fg_ptr(mem, r->desc, 16ULL * size), 0, 16ULL * size);
	memset(fg_ptr(mem, r->avail, 6 + 2ULL * size), 0, 6 + 2ULL * size);
	memset(fg_ptr(mem, r->used, 6 + 8ULL * size), 0, 6 + 8ULL * size);
}

/*
 * A legacy driver's ring at page frame pfn (vring_init() with 4 KiB
 * alignment): the used ring on the page boundary after the available one.
 */
static inline void fring_init_legacy(struct fring *r, struct guest_mem *mem, uint64_t pfn,
				     uint16_t size)
{
	uint64_t base = pfn << 12;

	fring_init(r, mem, base, size);
	r->used = (r->avail + 2ULL * (3 + size) + 4095) & ~4095ULL;
	memset(fg_ptr(mem, r->used, 6 + 8ULL * size), 0, 6 + 8ULL * size);
}

/* A descriptor in the table at gpa table (the ring's, or an indirect one). */
static inline void fdesc_at(struct guest_mem *mem, uint64_t table, unsigned int i, uint64_t addr,
			    uint32_t len, uint16_t flags, uint16_t next)
{
	struct vring_desc d = {
		.addr = htole64(addr),
		.len = htole32(len),
		.flags = htole16(flags),
		.next = htole16(next),
	};

	memcpy(fg_ptr(mem, table + 16ULL * i, 16), &d, 16);
}

static inline void fdesc(struct fring *r, unsigned int i, uint64_t addr, uint32_t len,
			 uint16_t flags, uint16_t next)
{
	fdesc_at(r->mem, r->desc, i, addr, len, flags, next);
}

/* Publishes head: ring entry, then (release) the index. */
static inline void fring_avail(struct fring *r, uint16_t head)
{
	fg_w16(r->mem, r->avail + 4 + 2ULL * (r->avail_idx % r->size), head);
	r->avail_idx++;
	atomic_thread_fence(memory_order_release);
	fg_w16(r->mem, r->avail + 2, r->avail_idx);
}

static inline void fring_set_avail_idx(struct fring *r, uint16_t idx)
{
	r->avail_idx = idx;
	fg_w16(r->mem, r->avail + 2, idx);
}

static inline uint16_t fring_used_idx(struct fring *r)
{
	return fg_r16(r->mem, r->used + 2);
}

static inline uint16_t fring_used_flags(struct fring *r)
{
	return fg_r16(r->mem, r->used);
}

static inline uint32_t fring_used_id(struct fring *r, uint16_t i)
{
	return fg_r32(r->mem, r->used + 4 + 8ULL * (i % r->size));
}

static inline uint32_t fring_used_len(struct fring *r, uint16_t i)
{
	return fg_r32(r->mem, r->used + 4 + 8ULL * (i % r->size) + 4);
}

static inline void fring_set_avail_flags(struct fring *r, uint16_t flags)
{
	fg_w16(r->mem, r->avail, flags);
}

static inline void fring_set_used_event(struct fring *r, uint16_t v)
{
	fg_w16(r->mem, r->avail + 4 + 2ULL * r->size, v);
}

static inline uint16_t fring_avail_event(struct fring *r)
{
	return fg_r16(r->mem, r->used + 4 + 8ULL * r->size);
}

/* Runs what the loop thread would (deferred queue work, fault reports), now. */
static inline void fg_loop_dispatch(struct loop *l)
{
	struct epoll_event ev[8];
	int n, i;

	while ((n = epoll_wait(l->epfd, ev, 8, 0)) > 0) {
		for (i = 0; i < n; i++) {
			struct loop_handler *h = ev[i].data.ptr;

			h->fn(h, ev[i].events);
		}
	}
}

#endif
