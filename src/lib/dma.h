/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA address spaces: what one device's bus-master accesses reach. A
 * device model holds a const struct dma_space * and never a guest_mem:
 * every address a driver hands it (rings, descriptors, buffers) is an I/O
 * virtual address in its space, and only dma_map() turns one into host
 * memory, checked whole against the space's bounds and permissions.
 *
 * The identity space (dma_space_identity()) maps IOVA = guest-physical
 * address onto guest RAM, with every permission. A translating space (an
 * IOMMU's view of one endpoint) supplies its own ops: an access to an
 * IOVA it does not map, or one its mapping does not permit, is refused
 * (-EFAULT, -EPERM) without touching guest memory, and one IOVA range may
 * become several host segments.
 */
#ifndef SRIOVM_LIB_DMA_H
#define SRIOVM_LIB_DMA_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/uio.h>

#include "lib/guest_mem.h"

/* What the device does to the memory (both for a buffer it reads and writes). */
#define DMA_READ	0x1	/* the device reads guest memory */
#define DMA_WRITE	0x2	/* the device writes guest memory */

struct dma_space;

struct dma_space_ops {
	/*
	 * [iova, iova + len) for access, as host segments in iov[0..cap):
	 * returns how many (0 for len 0), -EFAULT if a byte is not mapped,
	 * -EPERM if a mapping does not allow access, -ENOBUFS if it takes
	 * more than cap segments. Any thread.
	 */
	int (*map)(const struct dma_space *as, uint64_t iova, uint64_t len, unsigned int access,
		   struct iovec *iov, unsigned int cap);
};

struct dma_space {
	const struct dma_space_ops *ops;
	const struct guest_mem *mem;	/* the RAM translations land in */
	void *opaque;			/* the ops' own */
	/*
	 * Changes whenever a translation may have gone (an unmap, a detach):
	 * a user that keeps host pointers (a virtqueue's rings) maps again
	 * when it moved. NULL: translations never change.
	 */
	const _Atomic uint64_t *gen;
};

/* IOVA = guest-physical address on mem's RAM. */
void dma_space_identity(struct dma_space *as, const struct guest_mem *mem);

static inline int dma_map(const struct dma_space *as, uint64_t iova, uint64_t len,
			  unsigned int access, struct iovec *iov, unsigned int cap)
{
	return as->ops->map(as, iova, len, access, iov, cap);
}

/* The space's generation now (0 for one that never changes). */
static inline uint64_t dma_gen(const struct dma_space *as)
{
	return as->gen ? atomic_load_explicit(as->gen, memory_order_acquire) : 0;
}

/*
 * [iova, iova + len) as one contiguous host range (a ring, a table), or
 * NULL if it is not mapped whole for access or not contiguous.
 */
void *dma_map_one(const struct dma_space *as, uint64_t iova, uint64_t len, unsigned int access);
/* Copies in or out; -EFAULT or -EPERM (nothing copied) as dma_map(). */
int dma_read(const struct dma_space *as, uint64_t iova, void *dst, uint64_t len);
int dma_write(const struct dma_space *as, uint64_t iova, const void *src, uint64_t len);

#endif
