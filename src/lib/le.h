/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register accesses of 1 to 8 bytes, little-endian as PCI and virtio
 * registers are, whatever the access width the guest chose.
 */
#ifndef SRIOVM_LIB_LE_H
#define SRIOVM_LIB_LE_H

#include <stdint.h>

/* The len (<= 8) bytes at p as a number. */
static inline uint64_t le_load(const void *p, unsigned int len)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < len && i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

/* v's low len (<= 8) bytes at p. */
static inline void le_store(void *p, unsigned int len, uint64_t v)
{
	uint8_t *b = p;
	unsigned int i;

	for (i = 0; i < len && i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

#endif
