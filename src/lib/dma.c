// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "lib/dma.h"

static int dma_identity_map(const struct dma_space *as, uint64_t iova, uint64_t len,
			    unsigned int access, struct iovec *iov, unsigned int cap)
{
	void *p;

	if (!len)
		return 0;
	/* RAM regions do not touch: a range in RAM lies in one region. */
	p = guest_mem_ptr(as->mem, iova, len);
	if (!p)
		return -EFAULT;
	if (!cap)
		return -ENOBUFS;
	iov[0].iov_base = p;
	iov[0].iov_len = len;
	return 1;
}

static const struct dma_space_ops dma_identity_ops = {
	.map = dma_identity_map,
};

void dma_space_identity(struct dma_space *as, const struct guest_mem *mem)
{
	as->ops = &dma_identity_ops;
	as->mem = mem;
	as->opaque = NULL;
	as->gen = NULL;
}

void *dma_map_one(const struct dma_space *as, uint64_t iova, uint64_t len, unsigned int access)
{
	struct iovec iov;

	return dma_map(as, iova, len, access, &iov, 1) == 1 ? iov.iov_base : NULL;
}

#define DMA_COPY_SEGS	8
#define DMA_PAGE	4096ULL

/*
 * Maps the part of [iova, iova + len) at done: the whole rest if it fits
 * DMA_COPY_SEGS segments, else up to the next page boundary.
 */
static int dma_copy_step(const struct dma_space *as, uint64_t iova, uint64_t left,
			 unsigned int access, struct iovec *iov)
{
	int n = dma_map(as, iova, left, access, iov, DMA_COPY_SEGS);

	if (n == -ENOBUFS && left > DMA_PAGE - (iova & (DMA_PAGE - 1)))
		n = dma_map(as, iova, DMA_PAGE - (iova & (DMA_PAGE - 1)), access, iov,
			    DMA_COPY_SEGS);
	return n;
}

/*
 * Both directions. The whole range is checked before a byte moves, so a
 * refused access changes neither guest memory nor buf.
 */
static int dma_copy(const struct dma_space *as, uint64_t iova, void *buf, uint64_t len,
		    unsigned int access)
{
	struct iovec iov[DMA_COPY_SEGS];
	unsigned int pass;
	uint64_t done;
	int n, i;

	for (pass = 0; pass < 2; pass++) {
		for (done = 0; done < len;) {
			n = dma_copy_step(as, iova + done, len - done, access, iov);
			if (n <= 0)
				return n ? n : -EFAULT;
			for (i = 0; i < n; i++) {
				if (pass && access == DMA_WRITE)
					memcpy(iov[i].iov_base, (uint8_t *)buf + done,
					       iov[i].iov_len);
				else if (pass)
					memcpy((uint8_t *)buf + done, iov[i].iov_base,
					       iov[i].iov_len);
				done += iov[i].iov_len;
			}
		}
	}
	return 0;
}

int dma_read(const struct dma_space *as, uint64_t iova, void *dst, uint64_t len)
{
	return dma_copy(as, iova, dst, len, DMA_READ);
}

int dma_write(const struct dma_space *as, uint64_t iova, const void *src, uint64_t len)
{
	return dma_copy(as, iova, (void *)src, len, DMA_WRITE);
}
