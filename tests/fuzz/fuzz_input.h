/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzz targets share: the input as a stream of little-endian
 * operands. Past its end every operand reads 0, so each target's loop ends
 * when the input does.
 */
#ifndef SRIOVM_TESTS_FUZZ_INPUT_H
#define SRIOVM_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dma.h"
#include "lib/guest_mem.h"

/*
 * Guest RAM of two adjacent regions, [0, r0) and [r0, r0 + r1), zeroed,
 * with the identity DMA space over it: a buffer may not straddle them.
 */
static inline void fuzz_mem_init(struct guest_mem *mem, struct dma_space *dma, uint64_t r0,
				 uint64_t r1)
{
	memset(mem, 0, sizeof(*mem));
	mem->nr_regions = 2;
	mem->regions[0].size = r0;
	mem->regions[0].hva = calloc(1, r0);
	mem->regions[1].gpa = r0;
	mem->regions[1].size = r1;
	mem->regions[1].hva = calloc(1, r1);
	mem->ram_size = r0 + r1;
	if (!mem->regions[0].hva || !mem->regions[1].hva)
		abort();
	dma_space_identity(dma, mem);
}

static inline void fuzz_mem_free(struct guest_mem *mem)
{
	free(mem->regions[0].hva);
	free(mem->regions[1].hva);
}

struct input {
	const uint8_t *p;
	size_t left;
};

/* The next n bytes (at most 8) as a little-endian number. */
static inline uint64_t take(struct input *in, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n && i < 8 && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

/* A guest address: mostly inside or just past [0, ram_end), sometimes anywhere. */
static inline uint64_t take_gpa(struct input *in, uint64_t ram_end)
{
	uint64_t v = take(in, 2);

	if (v & 0x8000)
		return take(in, 4) << 32 | take(in, 4);
	return v % (ram_end + 0x100);
}

/*
 * What a guest's CPU or another device may do to RAM at any time: 1 to max
 * (at most 32) bytes from the input at an address from take_gpa(). Bytes
 * outside RAM are dropped, as guest_mem_write() does.
 */
static inline void fuzz_op_write(struct input *in, const struct guest_mem *mem,
				 uint64_t ram_end, size_t max)
{
	uint64_t gpa = take_gpa(in, ram_end);
	uint8_t buf[32];
	unsigned int n, i;

	if (max > sizeof(buf))
		max = sizeof(buf);
	n = take(in, 1) % max + 1;
	for (i = 0; i < n; i++)
		buf[i] = take(in, 1);
	guest_mem_write(mem, gpa, buf, n);
}

#endif
