/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scatter-gather helpers, for every layer that moves frames between
 * iovecs and flat buffers (network backends, virtio devices). src/lib/ is
 * the bottom layer: it calls nothing of the project.
 */
#ifndef SRIOVM_LIB_IOV_H
#define SRIOVM_LIB_IOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

/* Total length, saturating at SIZE_MAX. */
static inline size_t iov_size(const struct iovec *iov, unsigned int cnt)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < cnt; i++) {
		if (iov[i].iov_len > SIZE_MAX - len)
			return SIZE_MAX;
		len += iov[i].iov_len;
	}
	return len;
}

/*
 * Copies up to len bytes between buf and offset off of iov, into the iovec
 * if to_iov, out of it otherwise; returns the count.
 */
static inline size_t iov_xfer(const struct iovec *iov, unsigned int cnt, size_t off,
			      void *buf, size_t len, bool to_iov)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < cnt && done < len; i++) {
		uint8_t *p;
		size_t n;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		p = (uint8_t *)iov[i].iov_base + off;
		n = iov[i].iov_len - off;
		if (n > len - done)
			n = len - done;
		if (to_iov)
			memcpy(p, (uint8_t *)buf + done, n);
		else
			memcpy((uint8_t *)buf + done, p, n);
		done += n;
		off = 0;
	}
	return done;
}

/* Copies up to len bytes from offset off of iov to buf; returns the count. */
static inline size_t iov_to_buf(const struct iovec *iov, unsigned int cnt, size_t off,
				void *buf, size_t len)
{
	return iov_xfer(iov, cnt, off, buf, len, false);
}

/* Copies up to len bytes from buf to offset off of iov; returns the count. */
static inline size_t iov_from_buf(const struct iovec *iov, unsigned int cnt, size_t off,
				  const void *buf, size_t len)
{
	return iov_xfer(iov, cnt, off, (void *)buf, len, true);
}

/*
 * Copies up to len bytes from offset soff of src to offset doff of dst;
 * returns the count (less than len when either side runs out).
 */
static inline size_t iov_copy(const struct iovec *dst, unsigned int dcnt, size_t doff,
			      const struct iovec *src, unsigned int scnt, size_t soff, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < scnt && done < len; i++) {
		size_t n, put;

		if (soff >= src[i].iov_len) {
			soff -= src[i].iov_len;
			continue;
		}
		n = src[i].iov_len - soff;
		if (n > len - done)
			n = len - done;
		put = iov_from_buf(dst, dcnt, doff + done, (const uint8_t *)src[i].iov_base + soff, n);
		done += put;
		if (put < n)
			break;
		soff = 0;
	}
	return done;
}

/*
 * Fills out[] with the part of iov after its first off bytes; returns the
 * number of entries used (at most max).
 */
static inline unsigned int iov_tail(struct iovec *out, unsigned int max, const struct iovec *iov,
				    unsigned int cnt, size_t off)
{
	unsigned int i, n = 0;

	for (i = 0; i < cnt && n < max; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		out[n].iov_base = (uint8_t *)iov[i].iov_base + off;
		out[n].iov_len = iov[i].iov_len - off;
		n++;
		off = 0;
	}
	return n;
}

#endif
