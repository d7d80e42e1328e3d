// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile driver against virtio-iommu: requests of every type with
 * fields mostly plausible, sometimes not, in chains mostly well formed,
 * sometimes not (short parts, no writable part, unknown types); resets;
 * bypass flips; and the three endpoints' translations at any address.
 *
 * A model of the spec's rules (domains that live while they have an
 * endpoint, whole mappings, no split on UNMAP) predicts every status the
 * device writes and every translation: the byte a translation hands out
 * is the one the model maps the IOVA to, and a refused one is refused by
 * both. Guest RAM is one exactly sized allocation (ASan reports a byte
 * past it).
 */
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "lib/dma.h"
#include "lib/loop.h"
#include "pci/pci.h"
#include "virtio/iommu.h"
#include "virtio/iommu_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM		0x40000u
#define RQ_GPA		0x0000u		/* ring */
#define REQ_GPA		0x4000u		/* a request's parts */
#define DATA_GPA	0x10000u	/* what mappings point at: 48 pages */
#define PAGE		0x1000u
#define NEPS		3
#define NDOM		4		/* domain IDs 0..3 mostly */
#define MAXMAP		32
#define QSIZE		16

static struct guest_mem mem;
static struct dma_space dma;
static struct loop loop;
static bool loop_ready;
static struct virtio_iommu *s;
static struct virtio_device *vdev;
static struct pci_device fns[NEPS];
static struct pci_bus bus;
static struct virtio_iommu_endpoint *eps[NEPS];
static uint16_t avail_idx, used_seen;

/* The model. */
struct mmap_ent {
	uint64_t start, end, phys;
	uint32_t flags;
};
static struct {
	bool exists, bypass;
	unsigned int nr;
	struct mmap_ent m[MAXMAP];
} dom[256];
static int ep_dom[NEPS];	/* -1: unattached */
static bool bypass;
static bool bypass_config;	/* the driver accepted BYPASS_CONFIG */

static void model_reset(void)
{
	memset(dom, 0, sizeof(dom));
	for (unsigned int i = 0; i < NEPS; i++)
		ep_dom[i] = -1;
}

static int ep_of(uint32_t id)
{
	for (unsigned int i = 0; i < NEPS; i++)
		if (fns[i].devfn == id)
			return (int)i;
	return -1;
}

static void model_put(int d)
{
	for (unsigned int i = 0; i < NEPS; i++)
		if (ep_dom[i] == d)
			return;
	memset(&dom[d], 0, sizeof(dom[d]));
}

static uint8_t m_attach(uint32_t d, uint32_t id, uint32_t flags)
{
	int e = ep_of(id), old;

	if (flags & ~1u)
		return VIRTIO_IOMMU_S_INVAL;
	if ((flags & 1) && !bypass_config)
		return VIRTIO_IOMMU_S_INVAL;
	if (e < 0)
		return VIRTIO_IOMMU_S_NOENT;
	if (dom[d].exists && dom[d].bypass != (flags & 1))
		return VIRTIO_IOMMU_S_INVAL;
	old = ep_dom[e];
	dom[d].exists = true;
	dom[d].bypass = flags & 1;
	ep_dom[e] = (int)d;
	if (old >= 0 && old != (int)d)
		model_put(old);
	return VIRTIO_IOMMU_S_OK;
}

static uint8_t m_detach(uint32_t d, uint32_t id)
{
	int e = ep_of(id);

	if (e < 0)
		return VIRTIO_IOMMU_S_NOENT;
	if (ep_dom[e] < 0 || (uint32_t)ep_dom[e] != d)
		return VIRTIO_IOMMU_S_INVAL;
	ep_dom[e] = -1;
	model_put((int)d);
	return VIRTIO_IOMMU_S_OK;
}

static uint8_t m_change_ok(uint32_t d)
{
	if (!dom[d].exists)
		return VIRTIO_IOMMU_S_NOENT;
	return dom[d].bypass ? VIRTIO_IOMMU_S_INVAL : VIRTIO_IOMMU_S_OK;
}

static uint8_t m_map(uint32_t d, uint64_t start, uint64_t end, uint64_t phys, uint32_t flags)
{
	uint8_t st = m_change_ok(d);
	unsigned int i;

	if (st)
		return st;
	if ((flags & ~3u) || end < start)
		return VIRTIO_IOMMU_S_INVAL;
	if ((start | (end + 1) | phys) & (PAGE - 1) || end >= (1ULL << 39) ||
	    phys + (end - start) < phys)
		return VIRTIO_IOMMU_S_RANGE;
	if (start <= 0xfeefffffULL && end >= 0xfee00000ULL)
		return VIRTIO_IOMMU_S_INVAL;
	for (i = 0; i < dom[d].nr; i++)
		if (start <= dom[d].m[i].end && dom[d].m[i].start <= end)
			return VIRTIO_IOMMU_S_INVAL;
	dom[d].m[dom[d].nr++] = (struct mmap_ent){ start, end, phys, flags };
	return VIRTIO_IOMMU_S_OK;
}

static uint8_t m_unmap(uint32_t d, uint64_t start, uint64_t end)
{
	uint8_t st = m_change_ok(d);
	unsigned int i, k;

	if (st)
		return st;
	if (end < start)
		return VIRTIO_IOMMU_S_INVAL;
	for (i = 0; i < dom[d].nr; i++) {
		const struct mmap_ent *m = &dom[d].m[i];

		if (start <= m->end && m->start <= end && (m->start < start || m->end > end))
			return VIRTIO_IOMMU_S_RANGE;
	}
	for (i = k = 0; i < dom[d].nr; i++)
		if (!(dom[d].m[i].start >= start && dom[d].m[i].end <= end))
			dom[d].m[k++] = dom[d].m[i];
	dom[d].nr = k;
	return VIRTIO_IOMMU_S_OK;
}

/* ---- the driver ---- */

static uint64_t take_iova(struct input *in)
{
	uint8_t b = take(in, 1);

	if (b & 0x80)
		return take(in, 8);
	/* Mostly pages 0..63, sometimes a few bytes into one. */
	return (uint64_t)(b & 0x3f) * PAGE + (take(in, 1) & 1 ? take(in, 2) % PAGE : 0);
}

/* A request chain: rd readable bytes of body, wr writable; returns the used length. */
static uint32_t submit(const void *body, uint32_t rd, uint32_t wr, bool split_rd)
{
	struct vring_desc d[3];
	uint16_t head = (uint16_t)(avail_idx * 3 % QSIZE), n = 0, v;
	uint64_t desc = RQ_GPA, avail = desc + 16 * QSIZE, used = avail + 0x100;
	uint32_t len = 0;

	guest_mem_write(&mem, REQ_GPA, body, rd);
	memset(guest_mem_ptr(&mem, REQ_GPA + 0x1000, 0x800), 0xee, 0x800);
	/* The readable part, maybe in two pieces; then the writable one. */
	if (split_rd && rd > 1) {
		d[n++] = (struct vring_desc){ htole64(REQ_GPA), htole32(rd / 2),
					      htole16(VRING_DESC_F_NEXT), 0 };
		d[n++] = (struct vring_desc){ htole64(REQ_GPA + rd / 2), htole32(rd - rd / 2),
					      htole16(wr ? VRING_DESC_F_NEXT : 0), 0 };
	} else if (rd) {
		d[n++] = (struct vring_desc){ htole64(REQ_GPA), htole32(rd),
					      htole16(wr ? VRING_DESC_F_NEXT : 0), 0 };
	}
	if (wr)
		d[n++] = (struct vring_desc){ htole64(REQ_GPA + 0x1000), htole32(wr),
					      htole16(VRING_DESC_F_WRITE), 0 };
	if (!n)
		return 0;
	for (uint16_t i = 0; i < n; i++) {
		d[i].next = htole16((uint16_t)((head + i + 1) % QSIZE));
		guest_mem_write(&mem, desc + 16ull * ((head + i) % QSIZE), &d[i], sizeof(d[i]));
	}
	v = htole16(head);
	guest_mem_write(&mem, avail + 4 + 2ull * (avail_idx % QSIZE), &v, 2);
	avail_idx++;
	v = htole16(avail_idx);
	guest_mem_write(&mem, avail + 2, &v, 2);
	virtio_queue_notify(vdev, VIRTIO_IOMMU_REQQ);
	guest_mem_read(&mem, used + 2, &v, 2);
	if (le16toh(v) == used_seen)
		return UINT32_MAX;	/* not used: the device broke or stopped */
	guest_mem_read(&mem, used + 4 + 8ull * (used_seen % QSIZE) + 4, &len, 4);
	used_seen++;
	return le32toh(len);
}

static uint8_t status_at(uint32_t wr)
{
	return *(uint8_t *)guest_mem_ptr(&mem, REQ_GPA + 0x1000 + wr - 4, 1);
}

static void op_request(struct input *in)
{
	uint8_t type = take(in, 1), body[80] = { 0 }, want = 0xfe;
	/* Domain IDs below 256 (the model's table), mostly the first few. */
	uint32_t rd, wr = 4, dom_id = take(in, 1) & 0x80 ? take(in, 1) : take(in, 1) % NDOM;
	uint32_t ep = take(in, 1) & 0x80 ? take(in, 4) : fns[take(in, 1) % NEPS].devfn;
	uint64_t a = take_iova(in), b, phys;
	uint32_t flags;
	bool malformed = take(in, 1) % 16 == 0;

	b = take(in, 1) & 0x80 ? take(in, 8) : a + (take(in, 1) % 4 + 1) * PAGE - 1;
	phys = take(in, 1) & 0x80 ? take(in, 8) : DATA_GPA + (take(in, 1) % 48) * PAGE;
	flags = take(in, 1) & 0x80 ? take(in, 4) : take(in, 1) % 4;
	switch (type % 6) {
	case 0:
		body[0] = VIRTIO_IOMMU_T_ATTACH;
		rd = 20;
		*(uint32_t *)(body + 4) = htole32(dom_id);
		*(uint32_t *)(body + 8) = htole32(ep);
		*(uint32_t *)(body + 12) = htole32(flags & 0x81);
		want = m_attach(dom_id, ep, flags & 0x81);
		break;
	case 1:
		body[0] = VIRTIO_IOMMU_T_DETACH;
		rd = 20;
		*(uint32_t *)(body + 4) = htole32(dom_id);
		*(uint32_t *)(body + 8) = htole32(ep);
		want = m_detach(dom_id, ep);
		break;
	case 2:
		/* The model holds MAXMAP mappings a domain: no MAP past that. */
		if (dom_id < 256 && dom[dom_id].nr == MAXMAP)
			return;
		body[0] = VIRTIO_IOMMU_T_MAP;
		rd = 36;
		*(uint32_t *)(body + 4) = htole32(dom_id);
		*(uint64_t *)(body + 8) = htole64(a);
		*(uint64_t *)(body + 16) = htole64(b);
		*(uint64_t *)(body + 24) = htole64(phys);
		*(uint32_t *)(body + 32) = htole32(flags);
		want = m_map(dom_id, a, b, phys, flags);
		break;
	case 3:
		body[0] = VIRTIO_IOMMU_T_UNMAP;
		rd = 28;
		*(uint32_t *)(body + 4) = htole32(dom_id);
		*(uint64_t *)(body + 8) = htole64(a);
		*(uint64_t *)(body + 16) = htole64(b);
		want = m_unmap(dom_id, a, b);
		break;
	case 4:
		body[0] = VIRTIO_IOMMU_T_PROBE;
		rd = 72;
		wr = VIRTIO_IOMMU_PROBE_SIZE + 4;
		*(uint32_t *)(body + 4) = htole32(ep);
		want = ep_of(ep) < 0 ? VIRTIO_IOMMU_S_NOENT : VIRTIO_IOMMU_S_OK;
		break;
	default:
		body[0] = type;		/* anything, mostly unknown */
		rd = take(in, 1) % 80;
		malformed = true;
		break;
	}
	if (malformed) {
		rd = take(in, 1) % 80;
		wr = take(in, 1) % 8;
		for (unsigned int i = 1; i < rd; i++)
			body[i] = take(in, 1);
	}
	{
		uint32_t used = submit(body, rd, wr, take(in, 1) & 1);

		if (!virtio_device_ready(vdev))
			return;
		assert(used != UINT32_MAX);
		if (malformed) {
			/* Whatever it did, the model is resynchronised by a reset. */
			assert(used == 0 || used == wr);
			virtio_set_status(vdev, 0);
			return;
		}
		assert(used == wr);
		if (want != 0xfe)
			assert(status_at(wr) == want);
	}
}

/* What the model says of one byte: -EFAULT, -EPERM, or its RAM offset (>= 0). */
static int64_t model_byte(unsigned int e, uint64_t iova, unsigned int access)
{
	int d = ep_dom[e];

	if (d < 0 || dom[d].bypass) {
		if (d < 0 && !bypass)
			return -EFAULT;
		return iova < RAM ? (int64_t)iova : -EFAULT;
	}
	for (unsigned int i = 0; i < dom[d].nr; i++) {
		const struct mmap_ent *m = &dom[d].m[i];
		uint32_t need = (access & DMA_READ ? 1u : 0) | (access & DMA_WRITE ? 2u : 0);
		uint64_t gpa;

		if (iova < m->start || iova > m->end)
			continue;
		if ((m->flags & need) != need)
			return -EPERM;
		gpa = m->phys + (iova - m->start);
		return gpa < RAM ? (int64_t)gpa : -EFAULT;
	}
	return -EFAULT;
}

static void op_translate(struct input *in)
{
	unsigned int e = take(in, 1) % NEPS, access = take(in, 1) % 3 + 1, i;
	uint64_t iova = take_iova(in), len = take(in, 1) & 0x80 ? take(in, 4) : take(in, 2) % 0x3000;
	struct iovec iov[8];
	int n = dma_map(virtio_iommu_endpoint_dma(eps[e]), iova, len, access, iov, 8);
	uint64_t off = 0;

	if (n < 0) {
		uint64_t a = iova, last = iova + len - 1, next;
		bool refused = false;

		assert(n == -EFAULT || n == -EPERM || n == -ENOBUFS);
		if (n == -ENOBUFS || !len || last < iova)
			return;
		/* Some byte is refused by the model too: mappings and RAM end on pages. */
		for (;;) {
			if (model_byte(e, a, access) < 0) {
				refused = true;
				break;
			}
			next = (a | (PAGE - 1)) + 1;
			if (!next || next > last)
				break;
			a = next;
		}
		assert(refused);
		return;
	}
	for (i = 0; i < (unsigned int)n; i++) {
		const uint8_t *p = iov[i].iov_base;
		uint64_t k;

		assert(iov[i].iov_len);
		for (k = 0; k < iov[i].iov_len; k += PAGE / 4) {
			int64_t want = model_byte(e, iova + off + k, access);

			if (want < 0 && getenv("FUZZ_DEBUG")) {
				fprintf(stderr, "ep %u iova %#llx len %#llx access %u at %#llx dom %d bypass %d\n",
					e, (unsigned long long)iova, (unsigned long long)len, access,
					(unsigned long long)(iova + off + k), ep_dom[e], bypass);
				if (ep_dom[e] >= 0)
					for (unsigned int j = 0; j < dom[ep_dom[e]].nr; j++)
						fprintf(stderr, "  map %#llx-%#llx -> %#llx f%u\n",
							(unsigned long long)dom[ep_dom[e]].m[j].start,
							(unsigned long long)dom[ep_dom[e]].m[j].end,
							(unsigned long long)dom[ep_dom[e]].m[j].phys,
							dom[ep_dom[e]].m[j].flags);
			}
			assert(want >= 0);
			assert(p + k == (const uint8_t *)mem.regions[0].hva + want);
		}
		off += iov[i].iov_len;
	}
	assert(off == len);
}

static void setup(void)
{
	const struct virtio_iommu_params p = {
		.dma = &dma, .mem = &mem, .loop = &loop, .boot_bypass = true,
	};
	const struct pci_device_info info = { .header_type = PCI_HEADER_TYPE_NORMAL };
	uint64_t desc = RQ_GPA, avail = desc + 16 * QSIZE, used = avail + 0x100;

	if (virtio_iommu_create(&s, &p))
		abort();
	vdev = virtio_iommu_device(s);
	memset(&bus, 0, sizeof(bus));
	for (unsigned int i = 0; i < NEPS; i++) {
		pci_device_init(&fns[i], &info);
		fns[i].bus = &bus;
		fns[i].devfn = (uint8_t)(8 + 8 * i);
		if (virtio_iommu_endpoint_add(s, &eps[i]))
			abort();
		virtio_iommu_endpoint_bind(eps[i], &fns[i]);
	}
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	virtio_set_driver_features(vdev, virtio_device_features(vdev) &
				   ~(1ULL << VIRTIO_RING_F_EVENT_IDX) &
				   (bypass_config ? ~0ULL : ~(1ULL << VIRTIO_IOMMU_F_BYPASS_CONFIG)));
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK);
	virtio_queue_set_size(vdev, VIRTIO_IOMMU_REQQ, QSIZE);
	virtio_queue_set_addr(vdev, VIRTIO_IOMMU_REQQ, VIRTIO_QUEUE_DESC, desc);
	virtio_queue_set_addr(vdev, VIRTIO_IOMMU_REQQ, VIRTIO_QUEUE_DRIVER, avail);
	virtio_queue_set_addr(vdev, VIRTIO_IOMMU_REQQ, VIRTIO_QUEUE_DEVICE, used);
	virtio_queue_enable(vdev, VIRTIO_IOMMU_REQQ);
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	assert(virtio_device_ready(vdev));
	avail_idx = used_seen = 0;
	bypass = true;		/* boot-bypass: a new device starts so */
	model_reset();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned int steps = 0;

	if (!loop_ready) {
		if (loop_init(&loop))
			abort();
		loop_ready = true;
	}
	memset(&mem, 0, sizeof(mem));
	mem.nr_regions = 1;
	mem.regions[0].size = RAM;
	mem.regions[0].hva = calloc(1, RAM);
	mem.ram_size = RAM;
	if (!mem.regions[0].hva)
		abort();
	dma_space_identity(&dma, &mem);
	bypass = true;
	bypass_config = take(&in, 1) & 1;
	setup();
	while (in.left && steps++ < 2000) {
		uint8_t v;

		if (!virtio_device_ready(vdev)) {
			/* A reset (or broken ring): the driver starts over, the model too. */
			virtio_iommu_destroy(s);
			setup();
		}
		switch (take(&in, 1) % 8) {
		case 0: case 1: case 2: case 3:
			op_request(&in);
			break;
		case 4: case 5:
			op_translate(&in);
			break;
		case 6:
			v = take(&in, 1) & 1;
			virtio_config_write(vdev, offsetof(struct virtio_iommu_config, bypass), &v, 1);
			bypass = v;
			break;
		case 7:
			virtio_set_status(vdev, 0);
			break;
		}
	}
	virtio_iommu_destroy(s);
	free(mem.regions[0].hva);
	return 0;
}
