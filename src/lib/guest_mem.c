// SPDX-License-Identifier: GPL-2.0
/* Guest RAM: anonymous mappings, split around the machine's hole. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/guest_mem.h"

void guest_mem_layout(struct guest_mem *mem, uint64_t ram_size, uint64_t low_max,
		      uint64_t high_start)
{
	uint64_t low = ram_size < low_max ? ram_size : low_max;

	memset(mem, 0, sizeof(*mem));
	mem->ram_size = ram_size;
	mem->regions[0].gpa = 0;
	mem->regions[0].size = low;
	mem->nr_regions = 1;
	if (ram_size > low) {
		mem->regions[1].gpa = high_start;
		mem->regions[1].size = ram_size - low;
		mem->nr_regions = 2;
	}
}

int guest_mem_alloc(struct guest_mem *mem)
{
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		struct mem_region *r = &mem->regions[i];
		void *p;

		/* NORESERVE: untouched guest pages cost the host nothing. */
		p = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			int err = -errno;

			guest_mem_free(mem);
			return err;
		}
		madvise(p, r->size, MADV_HUGEPAGE);
		r->hva = p;
	}
	return 0;
}

void guest_mem_free(struct guest_mem *mem)
{
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		if (mem->regions[i].hva)
			munmap(mem->regions[i].hva, mem->regions[i].size);
		mem->regions[i].hva = NULL;
	}
}

void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *r = &mem->regions[i];

		/* Written so that no sum can overflow. */
		if (gpa < r->gpa || gpa - r->gpa >= r->size)
			continue;
		if (len > r->size - (gpa - r->gpa))
			return NULL;
		return r->hva ? r->hva + (gpa - r->gpa) : NULL;
	}
	return NULL;
}

int guest_mem_write(const struct guest_mem *mem, uint64_t gpa, const void *src, uint64_t len)
{
	void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, src, len);
	return 0;
}

int guest_mem_read(const struct guest_mem *mem, uint64_t gpa, void *dst, uint64_t len)
{
	const void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}

uint64_t guest_mem_low_end(const struct guest_mem *mem)
{
	return mem->regions[0].size;
}

uint64_t guest_mem_top(const struct guest_mem *mem)
{
	const struct mem_region *r = &mem->regions[mem->nr_regions - 1];

	return r->gpa + r->size;
}
