// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-iommu device model: configuration, the request queue (one
 * request a descriptor chain: a readable head and body, a writable tail
 * with the status, after PROBE's properties), the event queue (fault
 * reports) and reset. The tables are iommu_domain.c's.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_ids.h>

#include "lib/iov.h"
#include "lib/kernel.h"
#include "virtio/iommu_internal.h"

#define F(bit)	(1ULL << (bit))
#define VIRTIO_IOMMU_FEATURES	(F(VIRTIO_F_VERSION_1) | F(VIRTIO_RING_F_EVENT_IDX) |	\
				 F(VIRTIO_RING_F_INDIRECT_DESC) |			\
				 F(VIRTIO_IOMMU_F_INPUT_RANGE) |			\
				 F(VIRTIO_IOMMU_F_DOMAIN_RANGE) |			\
				 F(VIRTIO_IOMMU_F_MAP_UNMAP) | F(VIRTIO_IOMMU_F_PROBE) |	\
				 F(VIRTIO_IOMMU_F_BYPASS_CONFIG))

#define REQ_BODY(type)	(offsetof(type, tail))	/* the readable part of a request */

static struct virtio_iommu *to_iommu(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_iommu, vdev);
}

static uint64_t viommu_features(struct virtio_device *vdev)
{
	return VIRTIO_IOMMU_FEATURES;
}

static void viommu_config_read(struct virtio_device *vdev, unsigned int offset, void *data,
			       unsigned int len)
{
	struct virtio_iommu *s = to_iommu(vdev);
	struct virtio_iommu_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.page_size_mask = htole64(~(VIRTIO_IOMMU_PAGE_SIZE - 1));
	cfg.input_range.start = 0;
	cfg.input_range.end = htole64(s->input_end);
	cfg.domain_range.start = 0;
	cfg.domain_range.end = htole32(UINT32_MAX);
	cfg.probe_size = htole32(VIRTIO_IOMMU_PROBE_SIZE);
	cfg.bypass = atomic_load(&s->bypass);
	memcpy(data, (uint8_t *)&cfg + offset, len);
}

/* The driver's only field: bypass, 0 or 1 (spec 5.13.4). */
static void viommu_config_write(struct virtio_device *vdev, unsigned int offset,
				const void *data, unsigned int len)
{
	struct virtio_iommu *s = to_iommu(vdev);
	uint8_t v;

	if (offset != offsetof(struct virtio_iommu_config, bypass) || len != 1)
		return;
	v = *(const uint8_t *)data;
	if (v > 1 || atomic_exchange(&s->bypass, v) == v)
		return;
	/* Unattached endpoints lose or gain their identity mapping. */
	viommu_invalidate(s);
}

/* ---- requests ---- */

static uint8_t viommu_do_attach(struct virtio_iommu *s, const void *buf, size_t n)
{
	struct virtio_iommu_req_attach r;
	static const uint8_t zero[sizeof(r.reserved)];
	uint32_t flags;

	if (n < REQ_BODY(struct virtio_iommu_req_attach))
		return VIRTIO_IOMMU_S_INVAL;
	memcpy(&r, buf, REQ_BODY(struct virtio_iommu_req_attach));
	flags = le32toh(r.flags);
	if ((flags & ~VIRTIO_IOMMU_ATTACH_F_BYPASS) || memcmp(r.reserved, zero, sizeof(zero)))
		return VIRTIO_IOMMU_S_INVAL;
	/* A bypass domain only with the feature that defines it. */
	if ((flags & VIRTIO_IOMMU_ATTACH_F_BYPASS) &&
	    !virtio_has_feature(&s->vdev, VIRTIO_IOMMU_F_BYPASS_CONFIG))
		return VIRTIO_IOMMU_S_INVAL;
	return viommu_attach(s, le32toh(r.domain), le32toh(r.endpoint),
			     flags & VIRTIO_IOMMU_ATTACH_F_BYPASS);
}

static uint8_t viommu_do_detach(struct virtio_iommu *s, const void *buf, size_t n)
{
	struct virtio_iommu_req_detach r;

	if (n < REQ_BODY(struct virtio_iommu_req_detach))
		return VIRTIO_IOMMU_S_INVAL;
	memcpy(&r, buf, REQ_BODY(struct virtio_iommu_req_detach));
	return viommu_detach(s, le32toh(r.domain), le32toh(r.endpoint));
}

static uint8_t viommu_do_map(struct virtio_iommu *s, const void *buf, size_t n)
{
	struct virtio_iommu_req_map r;

	if (n < REQ_BODY(struct virtio_iommu_req_map))
		return VIRTIO_IOMMU_S_INVAL;
	memcpy(&r, buf, REQ_BODY(struct virtio_iommu_req_map));
	return viommu_map(s, le32toh(r.domain), le64toh(r.virt_start), le64toh(r.virt_end),
			  le64toh(r.phys_start), le32toh(r.flags));
}

static uint8_t viommu_do_unmap(struct virtio_iommu *s, const void *buf, size_t n)
{
	struct virtio_iommu_req_unmap r;

	if (n < REQ_BODY(struct virtio_iommu_req_unmap))
		return VIRTIO_IOMMU_S_INVAL;
	memcpy(&r, buf, REQ_BODY(struct virtio_iommu_req_unmap));
	return viommu_unmap(s, le32toh(r.domain), le64toh(r.virt_start), le64toh(r.virt_end));
}

/*
 * PROBE: one property, the MSI window as reserved memory (x86 interrupts
 * never go through the IOMMU), into props[0..len), the rest zero.
 */
static uint8_t viommu_do_probe(struct virtio_iommu *s, const void *buf, size_t n,
			       uint8_t *props, size_t len)
{
	struct virtio_iommu_probe_resv_mem msi = {
		.head.type = htole16(VIRTIO_IOMMU_PROBE_T_RESV_MEM),
		.head.length = htole16(sizeof(msi) - sizeof(msi.head)),
		.subtype = VIRTIO_IOMMU_RESV_MEM_T_MSI,
		.start = htole64(VIRTIO_IOMMU_MSI_START),
		.end = htole64(VIRTIO_IOMMU_MSI_END),
	};
	struct virtio_iommu_req_probe r;

	if (n < sizeof(r))
		return VIRTIO_IOMMU_S_INVAL;
	memcpy(&r, buf, sizeof(r));
	if (!viommu_endpoint_find(s, le32toh(r.endpoint)))
		return VIRTIO_IOMMU_S_NOENT;
	/* Properties that do not fit: none written (spec 5.13.6.8). */
	if (len < sizeof(msi))
		return VIRTIO_IOMMU_S_INVAL;
	memcpy(props, &msi, sizeof(msi));
	return VIRTIO_IOMMU_S_OK;
}

/*
 * PROBE's properties: props[0..plen) first, then zeros up to the tail
 * (a writable part may be larger than the buffer we keep).
 */
static void viommu_write_props(const struct virtq_elem *e, uint8_t *props, size_t plen)
{
	size_t total = e->wr_len - sizeof(struct virtio_iommu_req_tail), off = 0, k;

	while (off < total) {
		k = total - off < plen ? total - off : plen;
		iov_from_buf(e->wr, e->wr_num, off, props, k);
		off += k;
		memset(props, 0, plen);
	}
}

/*
 * One request: the status at the end of the writable part, whose whole
 * length is the used length (Linux reads the status only then). Returns
 * the used length; 0 for a request whose type or tail cannot be found
 * (spec 5.13.6.1: the buffers go back unwritten).
 */
static uint32_t viommu_request(void *opaque, const struct virtq_elem *e)
{
	struct virtio_iommu *s = opaque;
	uint8_t buf[sizeof(struct virtio_iommu_req_probe)];
	uint8_t props[VIRTIO_IOMMU_PROBE_SIZE];
	struct virtio_iommu_req_tail tail = { 0 };
	size_t n, plen = 0;

	n = iov_to_buf(e->rd, e->rd_num, 0, buf, sizeof(buf));
	if (n < sizeof(struct virtio_iommu_req_head) || e->wr_len < sizeof(tail))
		return 0;
	pthread_rwlock_wrlock(&s->lock);
	switch (buf[0]) {
	case VIRTIO_IOMMU_T_ATTACH:
		tail.status = viommu_do_attach(s, buf, n);
		break;
	case VIRTIO_IOMMU_T_DETACH:
		tail.status = viommu_do_detach(s, buf, n);
		break;
	case VIRTIO_IOMMU_T_MAP:
		tail.status = viommu_do_map(s, buf, n);
		break;
	case VIRTIO_IOMMU_T_UNMAP:
		tail.status = viommu_do_unmap(s, buf, n);
		break;
	case VIRTIO_IOMMU_T_PROBE:
		/* The properties fill the writable part up to the tail, zeroed past ours. */
		plen = e->wr_len - sizeof(tail);
		if (plen > sizeof(props))
			plen = sizeof(props);
		memset(props, 0, plen);
		tail.status = viommu_do_probe(s, buf, n, props, plen);
		break;
	default:
		pthread_rwlock_unlock(&s->lock);
		atomic_fetch_add(&s->bad_requests, 1);
		return 0;
	}
	pthread_rwlock_unlock(&s->lock);
	atomic_fetch_add(&s->requests, 1);
	if (tail.status)
		atomic_fetch_add(&s->bad_requests, 1);
	if (buf[0] == VIRTIO_IOMMU_T_PROBE)
		viommu_write_props(e, props, plen);
	iov_from_buf(e->wr, e->wr_num, e->wr_len - sizeof(tail), &tail, sizeof(tail));
	return e->wr_len;
}

static void viommu_requests(struct virtio_iommu *s)
{
	virtio_queue_serve(&s->vdev, VIRTIO_IOMMU_REQQ, s->req_iov, VIRTIO_IOMMU_QUEUE_SIZE,
			   VIRTIO_IOMMU_REQ_BUDGET, "request queue", viommu_request, s);
}

/* ---- fault reports ---- */

void viommu_report_fault(struct virtio_iommu *s, uint8_t reason, uint32_t flags,
			 uint32_t endpoint, uint64_t address)
{
	struct virtio_iommu_fault f = {
		.reason = reason,
		.flags = htole32(flags),
		.endpoint = htole32(endpoint),
		.address = htole64(address),
	};
	bool queued = false;

	pthread_mutex_lock(&s->fault_lock);
	if (s->nr_faults < VIRTIO_IOMMU_MAX_FAULTS) {
		s->faults[(s->fault_head + s->nr_faults++) % VIRTIO_IOMMU_MAX_FAULTS] = f;
		queued = true;
	}
	pthread_mutex_unlock(&s->fault_lock);
	if (!queued) {
		atomic_fetch_add(&s->faults_dropped, 1);
		return;
	}
	/* Delivered from the loop thread: the caller may hold another device's locks. */
	virtio_queue_reschedule(&s->vdev, VIRTIO_IOMMU_EVENTQ);
}

/* Takes the oldest waiting report; false if none. */
static bool viommu_next_fault(struct virtio_iommu *s, struct virtio_iommu_fault *f, bool take)
{
	bool have;

	pthread_mutex_lock(&s->fault_lock);
	have = s->nr_faults > 0;
	if (have) {
		*f = s->faults[s->fault_head];
		if (take) {
			s->fault_head = (s->fault_head + 1) % VIRTIO_IOMMU_MAX_FAULTS;
			s->nr_faults--;
		}
	}
	pthread_mutex_unlock(&s->fault_lock);
	return have;
}

/* Waiting reports into the driver's event buffers; the rest waits for more buffers. */
static void viommu_events(struct virtio_iommu *s)
{
	struct virtio_queue *q = virtio_queue_get(&s->vdev, VIRTIO_IOMMU_EVENTQ);
	struct virtio_iommu_fault f;
	unsigned int done = 0;

	pthread_mutex_lock(&q->lock);
	if (!virtio_device_ready(&s->vdev) || !q->vq.enabled)
		goto out;
	while (viommu_next_fault(s, &f, false)) {
		struct virtq_elem e;
		int ret = virtq_pop(&q->vq, &e, s->ev_iov, VIRTIO_IOMMU_QUEUE_SIZE);

		if (ret < 0) {
			virtio_device_broken(&s->vdev, "event queue: malformed descriptor chain");
			break;
		}
		if (!ret) {
			/* Kick me when there are buffers, unless some came meanwhile. */
			if (!virtq_enable_notify(&q->vq))
				break;
			continue;
		}
		if (e.wr_len < sizeof(f)) {
			/* Too small for a report: given back empty, the report kept. */
			virtq_push(&q->vq, e.head, 0);
			done++;
			continue;
		}
		viommu_next_fault(s, &f, true);
		iov_from_buf(e.wr, e.wr_num, 0, &f, sizeof(f));
		virtq_push(&q->vq, e.head, sizeof(f));
		atomic_fetch_add(&s->faults_sent, 1);
		done++;
	}
	if (done)
		virtio_queue_interrupt(&s->vdev, VIRTIO_IOMMU_EVENTQ);
out:
	pthread_mutex_unlock(&q->lock);
}

static void viommu_queue_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_iommu *s = to_iommu(vdev);

	if (q == VIRTIO_IOMMU_REQQ)
		viommu_requests(s);
	else if (q == VIRTIO_IOMMU_EVENTQ)
		viommu_events(s);
}

static int viommu_activate(struct virtio_device *vdev)
{
	/* Faults from before the driver ran, and requests queued before DRIVER_OK. */
	virtio_queue_reschedule(vdev, VIRTIO_IOMMU_EVENTQ);
	virtio_queue_reschedule(vdev, VIRTIO_IOMMU_REQQ);
	return 0;
}

/* Device reset: no domain, no attachment; bypass keeps its value (spec 5.13.4). */
static void viommu_reset(struct virtio_device *vdev)
{
	struct virtio_iommu *s = to_iommu(vdev);

	viommu_tables_reset(s);
	pthread_mutex_lock(&s->fault_lock);
	s->fault_head = s->nr_faults = 0;
	pthread_mutex_unlock(&s->fault_lock);
}

static const struct virtio_dev_ops viommu_ops = {
	.name = "virtio-iommu",
	.device_id = VIRTIO_ID_IOMMU,
	.queue_max_size = VIRTIO_IOMMU_QUEUE_SIZE,
	.config_size = sizeof(struct virtio_iommu_config),
	.features = viommu_features,
	.config_read = viommu_config_read,
	.config_write = viommu_config_write,
	.activate = viommu_activate,
	.queue_notify = viommu_queue_notify,
	.reset = viommu_reset,
};

int virtio_iommu_create(struct virtio_iommu **p, const struct virtio_iommu_params *params)
{
	unsigned int aw = params->aw_bits ? params->aw_bits : VIRTIO_IOMMU_AW_BITS;
	struct virtio_iommu *s;
	int ret;

	if (aw < 32 || aw > 64)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->mem = params->mem;
	s->input_end = aw == 64 ? UINT64_MAX : (1ULL << aw) - 1;
	atomic_init(&s->bypass, params->boot_bypass);
	viommu_tables_init(s);
	pthread_mutex_init(&s->fault_lock, NULL);
	ret = virtio_device_init(&s->vdev, &viommu_ops, VIRTIO_IOMMU_NUM_QUEUES, params->dma,
				 params->loop);
	if (ret) {
		pthread_mutex_destroy(&s->fault_lock);
		viommu_tables_fini(s);
		free(s);
		return ret;
	}
	*p = s;
	return 0;
}

void virtio_iommu_destroy(struct virtio_iommu *s)
{
	if (!s)
		return;
	virtio_device_destroy(&s->vdev);
	viommu_tables_fini(s);
	pthread_mutex_destroy(&s->fault_lock);
	free(s);
}

struct virtio_device *virtio_iommu_device(struct virtio_iommu *s)
{
	return &s->vdev;
}

void virtio_iommu_get_stats(struct virtio_iommu *s, struct virtio_iommu_stats *st)
{
	st->requests = atomic_load(&s->requests);
	st->bad_requests = atomic_load(&s->bad_requests);
	st->faults = atomic_load(&s->faults_sent);
	st->faults_dropped = atomic_load(&s->faults_dropped);
	pthread_rwlock_rdlock(&s->lock);
	st->domains = s->nr_domains;
	st->mappings = s->nr_mappings;
	pthread_rwlock_unlock(&s->lock);
}
