// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-iommu's tables: domains (created by the first ATTACH of their
 * ID, gone with their last endpoint), endpoints and their attachment,
 * each domain's mappings, and the translation every endpoint's DMA space
 * does through them (spec 5.13.6).
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci.h"
#include "virtio/iommu_internal.h"

static int viommu_domain_cmp(const void *a, const void *b)
{
	const struct viommu_domain *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct viommu_domain *viommu_domain_find(struct virtio_iommu *s, uint32_t id)
{
	const struct viommu_domain key = { .id = id };
	struct viommu_domain **slot = tfind(&key, &s->domains, viommu_domain_cmp);

	return slot ? *slot : NULL;
}

static void viommu_domain_free(void *p)
{
	struct viommu_domain *d = p;

	range_map_clear(&d->map);
	free(d);
}

void viommu_invalidate(struct virtio_iommu *s)
{
	atomic_fetch_add_explicit(&s->gen, 1, memory_order_release);
}

/* The last endpoint left: the domain and its mappings are gone (spec 5.13.6.4). */
static void viommu_domain_put(struct virtio_iommu *s, struct viommu_domain *d)
{
	if (--d->nr_eps)
		return;
	s->nr_mappings -= d->map.nr;
	tdelete(d, &s->domains, viommu_domain_cmp);
	viommu_domain_free(d);
	s->nr_domains--;
}

/* The domain ep is attached to now: none once its function went away and came back. */
static struct viommu_domain *viommu_ep_domain(const struct virtio_iommu_endpoint *ep)
{
	if (!ep->domain || !ep->fn ||
	    __atomic_load_n(&ep->fn->present_gen, __ATOMIC_ACQUIRE) != ep->gen)
		return NULL;
	return ep->domain;
}

static void viommu_ep_detach(struct virtio_iommu *s, struct virtio_iommu_endpoint *ep)
{
	if (!ep->domain)
		return;
	viommu_domain_put(s, ep->domain);
	ep->domain = NULL;
	viommu_invalidate(s);
}

/* Under the write lock: an attachment its function outlived is dropped for good. */
static void viommu_ep_settle(struct virtio_iommu *s, struct virtio_iommu_endpoint *ep)
{
	if (ep->domain && !viommu_ep_domain(ep))
		viommu_ep_detach(s, ep);
}

void viommu_tables_init(struct virtio_iommu *s)
{
	pthread_rwlock_init(&s->lock, NULL);
	s->domains = NULL;
	s->nr_domains = s->nr_mappings = 0;
	atomic_init(&s->gen, 1);
}

void viommu_tables_reset(struct virtio_iommu *s)
{
	unsigned int i;

	pthread_rwlock_wrlock(&s->lock);
	for (i = 0; i < s->nr_eps; i++)
		s->eps[i]->domain = NULL;
	tdestroy(s->domains, viommu_domain_free);
	s->domains = NULL;
	s->nr_domains = s->nr_mappings = 0;
	viommu_invalidate(s);
	pthread_rwlock_unlock(&s->lock);
}

void viommu_tables_fini(struct virtio_iommu *s)
{
	unsigned int i;

	viommu_tables_reset(s);
	for (i = 0; i < s->nr_eps; i++)
		free(s->eps[i]);
	s->nr_eps = 0;
	pthread_rwlock_destroy(&s->lock);
}

struct virtio_iommu_endpoint *viommu_endpoint_find(struct virtio_iommu *s, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < s->nr_eps; i++) {
		struct virtio_iommu_endpoint *ep = s->eps[i];

		if (ep->fn && ep->fn->present && pci_device_rid(ep->fn) == id)
			return ep;
	}
	return NULL;
}

uint8_t viommu_attach(struct virtio_iommu *s, uint32_t domain, uint32_t endpoint, bool bypass)
{
	struct virtio_iommu_endpoint *ep = viommu_endpoint_find(s, endpoint);
	struct viommu_domain *d, **slot;

	if (!ep)
		return VIRTIO_IOMMU_S_NOENT;
	viommu_ep_settle(s, ep);
	d = viommu_domain_find(s, domain);
	if (d && d->bypass != bypass)
		return VIRTIO_IOMMU_S_INVAL;
	if (d && ep->domain == d)
		return VIRTIO_IOMMU_S_OK;
	if (!d) {
		if (s->nr_domains >= VIRTIO_IOMMU_MAX_DOMAINS)
			return VIRTIO_IOMMU_S_NOMEM;
		d = calloc(1, sizeof(*d));
		if (!d)
			return VIRTIO_IOMMU_S_NOMEM;
		d->id = domain;
		d->bypass = bypass;
		range_map_init(&d->map, VIRTIO_IOMMU_MAX_MAPPINGS);
		slot = tsearch(d, &s->domains, viommu_domain_cmp);
		if (!slot) {
			free(d);
			return VIRTIO_IOMMU_S_NOMEM;
		}
		s->nr_domains++;
	}
	/* Attached elsewhere: moved, as DETACH then ATTACH (spec 5.13.6.3). */
	d->nr_eps++;
	viommu_ep_detach(s, ep);
	ep->domain = d;
	ep->gen = __atomic_load_n(&ep->fn->present_gen, __ATOMIC_ACQUIRE);
	return VIRTIO_IOMMU_S_OK;
}

uint8_t viommu_detach(struct virtio_iommu *s, uint32_t domain, uint32_t endpoint)
{
	struct virtio_iommu_endpoint *ep = viommu_endpoint_find(s, endpoint);

	if (!ep)
		return VIRTIO_IOMMU_S_NOENT;
	viommu_ep_settle(s, ep);
	if (!ep->domain || ep->domain->id != domain)
		return VIRTIO_IOMMU_S_INVAL;
	viommu_ep_detach(s, ep);
	return VIRTIO_IOMMU_S_OK;
}

/* Checks shared by MAP and UNMAP: a domain to change, not a bypass one. */
static uint8_t viommu_domain_for_change(struct virtio_iommu *s, uint32_t domain,
					struct viommu_domain **dp)
{
	*dp = viommu_domain_find(s, domain);
	if (!*dp)
		return VIRTIO_IOMMU_S_NOENT;
	return (*dp)->bypass ? VIRTIO_IOMMU_S_INVAL : VIRTIO_IOMMU_S_OK;
}

static bool viommu_aligned(uint64_t v)
{
	return !(v & (VIRTIO_IOMMU_PAGE_SIZE - 1));
}

uint8_t viommu_map(struct virtio_iommu *s, uint32_t domain, uint64_t start, uint64_t end,
		   uint64_t phys, uint32_t flags)
{
	const uint32_t known = VIRTIO_IOMMU_MAP_F_READ | VIRTIO_IOMMU_MAP_F_WRITE;
	struct viommu_domain *d;
	uint8_t st;
	int ret;

	st = viommu_domain_for_change(s, domain, &d);
	if (st)
		return st;
	/* MMIO is not offered: such a mapping is refused like any unknown flag. */
	if (flags & ~known || end < start)
		return VIRTIO_IOMMU_S_INVAL;
	if (s->nr_mappings >= VIRTIO_IOMMU_MAX_ALL_MAPPINGS)
		return VIRTIO_IOMMU_S_NOMEM;
	if (!viommu_aligned(start) || !viommu_aligned(end + 1) || !viommu_aligned(phys) ||
	    end > s->input_end || phys + (end - start) < phys)
		return VIRTIO_IOMMU_S_RANGE;
	/* The MSI window is the interrupt controller's, never a mapping's. */
	if (start <= VIRTIO_IOMMU_MSI_END && end >= VIRTIO_IOMMU_MSI_START)
		return VIRTIO_IOMMU_S_INVAL;
	ret = range_map_insert(&d->map, start, end, phys, flags);
	if (ret == -EEXIST)
		return VIRTIO_IOMMU_S_INVAL;
	if (ret)
		return VIRTIO_IOMMU_S_NOMEM;
	s->nr_mappings++;
	return VIRTIO_IOMMU_S_OK;
}

uint8_t viommu_unmap(struct virtio_iommu *s, uint32_t domain, uint64_t start, uint64_t end)
{
	struct viommu_domain *d;
	uint8_t st;
	int n;

	st = viommu_domain_for_change(s, domain, &d);
	if (st)
		return st;
	if (end < start)
		return VIRTIO_IOMMU_S_INVAL;
	/* A mapping the range would split stays whole, and so do all (spec 5.13.6.6). */
	n = range_map_remove(&d->map, start, end);
	if (n < 0)
		return VIRTIO_IOMMU_S_RANGE;
	if (n) {
		s->nr_mappings -= (unsigned int)n;
		viommu_invalidate(s);
	}
	return VIRTIO_IOMMU_S_OK;
}

/* ---- translation ---- */

/* One host segment for [gpa, gpa + len), merged with the last one where it continues it. */
static int viommu_segment(struct virtio_iommu *s, uint64_t gpa, uint64_t len, struct iovec *iov,
			  unsigned int *n, unsigned int cap)
{
	uint8_t *p = guest_mem_ptr(s->mem, gpa, len);

	if (!p)
		return -EFAULT;
	if (*n && (uint8_t *)iov[*n - 1].iov_base + iov[*n - 1].iov_len == p) {
		iov[*n - 1].iov_len += len;
		return 0;
	}
	if (*n == cap)
		return -ENOBUFS;
	iov[*n].iov_base = p;
	iov[(*n)++].iov_len = len;
	return 0;
}

/*
 * Walks [iova, iova + len) through d's mappings; *at is where it stopped.
 * -EFAULT for an unmapped byte (or one mapped outside RAM), -EPERM for a
 * mapping without the permission.
 */
static int viommu_walk(struct virtio_iommu *s, const struct viommu_domain *d, uint64_t iova,
		       uint64_t len, unsigned int access, struct iovec *iov, unsigned int cap,
		       unsigned int *n, uint64_t *at)
{
	uint32_t need = (access & DMA_READ ? VIRTIO_IOMMU_MAP_F_READ : 0) |
			(access & DMA_WRITE ? VIRTIO_IOMMU_MAP_F_WRITE : 0);
	uint64_t done = 0;
	int ret;

	while (done < len) {
		uint64_t a = iova + done, room, chunk;
		const struct range_map_entry *e = range_map_find(&d->map, a);

		*at = a;
		if (!e)
			return -EFAULT;
		if ((e->flags & need) != need)
			return -EPERM;
		/* Written so that a mapping ending at 2^64 - 1 does not overflow. */
		room = e->last - a;
		chunk = len - done - 1 < room ? len - done : room + 1;
		ret = viommu_segment(s, e->target + (a - e->start), chunk, iov, n, cap);
		if (ret)
			return ret;
		done += chunk;
	}
	return 0;
}

static int viommu_translate(const struct dma_space *as, uint64_t iova, uint64_t len,
			    unsigned int access, struct iovec *iov, unsigned int cap)
{
	struct virtio_iommu_endpoint *ep = as->opaque;
	struct virtio_iommu *s = ep->iommu;
	const struct viommu_domain *d;
	uint8_t reason = VIRTIO_IOMMU_FAULT_R_MAPPING;
	uint64_t at = iova;
	unsigned int n = 0;
	int ret;

	if (!len)
		return 0;
	if (!ep->fn || iova + (len - 1) < iova)
		return -EFAULT;
	pthread_rwlock_rdlock(&s->lock);
	d = viommu_ep_domain(ep);
	if (!d && !atomic_load(&s->bypass)) {
		reason = VIRTIO_IOMMU_FAULT_R_DOMAIN;
		ret = -EFAULT;
	} else if (!d || d->bypass) {
		/* Bypass: the identity, an access outside RAM no IOMMU fault. */
		ret = viommu_segment(s, iova, len, iov, &n, cap);
		reason = 0;
	} else {
		ret = viommu_walk(s, d, iova, len, access, iov, cap, &n, &at);
	}
	pthread_rwlock_unlock(&s->lock);
	if (ret == -EFAULT || ret == -EPERM) {
		if (reason)
			viommu_report_fault(s, reason,
					    (access & DMA_READ ? VIRTIO_IOMMU_FAULT_F_READ : 0) |
					    (access & DMA_WRITE ? VIRTIO_IOMMU_FAULT_F_WRITE : 0) |
					    (reason == VIRTIO_IOMMU_FAULT_R_MAPPING ?
					     VIRTIO_IOMMU_FAULT_F_ADDRESS : 0),
					    pci_device_rid(ep->fn), at);
		return ret;
	}
	return ret ? ret : (int)n;
}

const struct dma_space_ops viommu_dma_ops = {
	.map = viommu_translate,
};

int virtio_iommu_endpoint_add(struct virtio_iommu *s, struct virtio_iommu_endpoint **epp)
{
	struct virtio_iommu_endpoint *ep;

	if (s->nr_eps >= VIRTIO_IOMMU_MAX_ENDPOINTS)
		return -ENOSPC;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	ep->iommu = s;
	ep->dma.ops = &viommu_dma_ops;
	ep->dma.mem = s->mem;
	ep->dma.opaque = ep;
	ep->dma.gen = &s->gen;
	s->eps[s->nr_eps++] = ep;
	*epp = ep;
	return 0;
}

const struct dma_space *virtio_iommu_endpoint_dma(struct virtio_iommu_endpoint *ep)
{
	return &ep->dma;
}

void virtio_iommu_endpoint_bind(struct virtio_iommu_endpoint *ep, const struct pci_device *fn)
{
	ep->fn = fn;
}
