/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM. Every guest-physical address a device or loader touches goes
 * through guest_mem_ptr(), which checks that [gpa, gpa + len) lies inside
 * one RAM region, so a guest-supplied address can never reach host memory
 * outside the mapping.
 */
#ifndef SRIOVM_LIB_GUEST_MEM_H
#define SRIOVM_LIB_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#define GUEST_MEM_MAX_REGIONS	2

struct mem_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
};

struct guest_mem {
	uint64_t ram_size;
	unsigned int nr_regions;
	struct mem_region regions[GUEST_MEM_MAX_REGIONS];
};

/*
 * The layout, no allocation: RAM from 0 up to low_max at most, the rest
 * from high_start on (the machine's hole between them is not RAM).
 */
void guest_mem_layout(struct guest_mem *mem, uint64_t ram_size, uint64_t low_max,
		      uint64_t high_start);
/* Maps the regions of a layout; 0 or -errno with nothing mapped. */
int guest_mem_alloc(struct guest_mem *mem);
void guest_mem_free(struct guest_mem *mem);

/* Host pointer for [gpa, gpa + len), or NULL if any byte is not RAM. */
void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);
int guest_mem_write(const struct guest_mem *mem, uint64_t gpa, const void *src, uint64_t len);
int guest_mem_read(const struct guest_mem *mem, uint64_t gpa, void *dst, uint64_t len);

/* End of RAM below 4 GiB and highest RAM address + 1. */
uint64_t guest_mem_low_end(const struct guest_mem *mem);
uint64_t guest_mem_top(const struct guest_mem *mem);

#endif
