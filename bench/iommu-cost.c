// SPDX-License-Identifier: GPL-2.0
/*
 * bench/iommu-cost: what translation costs sriovm itself, on the device
 * side: a virtio-iommu with one endpoint attached to a domain that holds
 * N live 4 KiB mappings (default 1024), then
 *   map+unmap   a MAP and an UNMAP of one page, each a request through the
 *               request queue as the guest's driver sends it (descriptors,
 *               available ring, notification, used ring)
 *   translate   dma_map() of a 1514-byte frame through the endpoint
 *   identity    the same through the identity space (no IOMMU)
 * in nanoseconds per operation, the median of 5 rounds of about 0.2 s.
 * bench/iommu runs it on the host and, in the rig, inside L1, where the
 * VMM runs during the network benchmarks. A benchmark, not a test.
 *
 *   iommu-cost [N]
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_iommu.h>

#include "lib/dma.h"
#include "lib/guest_mem.h"
#include "lib/loop.h"
#include "pci/pci.h"
#include "virtio/iommu.h"

#define RAM		0x4000000ULL	/* 64 MiB */
#define RING		0x0ULL
#define REQ		0x10000ULL
#define TARGET		0x100000ULL	/* where mappings point */
#define QSIZE		64
#define DOMAIN		1
#define FRAME		1514
#define ROUNDS		5

static struct guest_mem mem;
static struct dma_space identity;
static struct virtio_device *vdev;
static uint16_t avail_idx;
static unsigned long nmaps = 1024;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *gpa(uint64_t a)
{
	return guest_mem_ptr(&mem, a, 1);
}

/* One request: body readable, the 4-byte tail writable; its status. */
static uint8_t request(const void *body, uint32_t len)
{
	struct vring_desc *d = gpa(RING);
	struct vring_avail *av = gpa(RING + 16 * QSIZE);
	uint16_t head = (uint16_t)(2 * avail_idx % QSIZE);

	memcpy(gpa(REQ), body, len);
	d[head] = (struct vring_desc){ htole64(REQ), htole32(len), htole16(VRING_DESC_F_NEXT),
				       htole16((uint16_t)(head + 1)) };
	d[head + 1] = (struct vring_desc){ htole64(REQ + 0x100), htole32(4),
					   htole16(VRING_DESC_F_WRITE), 0 };
	av->ring[avail_idx % QSIZE] = htole16(head);
	__atomic_store_n(&av->idx, htole16(++avail_idx), __ATOMIC_RELEASE);
	virtio_queue_notify(vdev, VIRTIO_IOMMU_REQQ);
	return *(uint8_t *)gpa(REQ + 0x100);
}

static uint8_t map(uint64_t iova, uint64_t phys)
{
	struct virtio_iommu_req_map r = {
		.head.type = VIRTIO_IOMMU_T_MAP,
		.domain = htole32(DOMAIN),
		.virt_start = htole64(iova),
		.virt_end = htole64(iova + 4095),
		.phys_start = htole64(phys),
		.flags = htole32(VIRTIO_IOMMU_MAP_F_READ | VIRTIO_IOMMU_MAP_F_WRITE),
	};

	return request(&r, sizeof(r) - sizeof(r.tail));
}

static uint8_t unmap(uint64_t iova)
{
	struct virtio_iommu_req_unmap r = {
		.head.type = VIRTIO_IOMMU_T_UNMAP,
		.domain = htole32(DOMAIN),
		.virt_start = htole64(iova),
		.virt_end = htole64(iova + 4095),
	};

	return request(&r, sizeof(r) - sizeof(r.tail));
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ns per call of fn, median of ROUNDS rounds of about 0.2 s. */
static double measure(void (*fn)(unsigned long i, void *arg), void *arg)
{
	double r[ROUNDS], t0;
	unsigned long n, i = 0;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		t0 = now();
		for (n = 0; now() - t0 < 0.2; n++)
			fn(i++, arg);
		r[k] = (now() - t0) / n * 1e9;
	}
	qsort(r, ROUNDS, sizeof(r[0]), cmp);
	return r[ROUNDS / 2];
}

static void op_map_unmap(unsigned long i, void *arg)
{
	/* Above the live mappings, a page of its own each time. */
	uint64_t iova = 0x80000000ULL + (i % 4096) * 4096;

	if (map(iova, TARGET) || unmap(iova))
		abort();
}

static void op_translate(unsigned long i, void *arg)
{
	/* Within one page of the live mappings: one lookup, as for most frames. */
	uint64_t iova = (i % nmaps) * 4096 + 100;

	if (!dma_map_one(arg, iova, FRAME, DMA_READ))
		abort();
}

int main(int argc, char **argv)
{
	struct loop loop;
	struct virtio_iommu *s;
	struct virtio_iommu_endpoint *ep;
	struct pci_device fn;
	struct pci_bus bus;
	const struct pci_device_info info = { .header_type = PCI_HEADER_TYPE_NORMAL };
	unsigned long i;
	struct virtio_iommu_req_attach at = {
		.head.type = VIRTIO_IOMMU_T_ATTACH,
		.domain = htole32(DOMAIN),
	};
	double mu, tr, id;

	if (argc > 1)
		nmaps = strtoul(argv[1], NULL, 0);
	if (!nmaps || nmaps > 8192) {
		fprintf(stderr, "usage: iommu-cost [N]  (N live mappings, 1..8192)\n");
		return 2;
	}
	memset(&mem, 0, sizeof(mem));
	mem.nr_regions = 1;
	mem.regions[0].size = RAM;
	mem.regions[0].hva = calloc(1, RAM);
	mem.ram_size = RAM;
	if (!mem.regions[0].hva || loop_init(&loop))
		return 1;
	dma_space_identity(&identity, &mem);
	{
		const struct virtio_iommu_params p = {
			.dma = &identity, .mem = &mem, .loop = &loop, .boot_bypass = true,
		};

		if (virtio_iommu_create(&s, &p) || virtio_iommu_endpoint_add(s, &ep))
			return 1;
	}
	memset(&bus, 0, sizeof(bus));
	pci_device_init(&fn, &info);
	fn.bus = &bus;
	fn.devfn = 8;
	virtio_iommu_endpoint_bind(ep, &fn);
	vdev = virtio_iommu_device(s);
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	virtio_set_driver_features(vdev, virtio_device_features(vdev) &
				   ~(1ULL << VIRTIO_RING_F_EVENT_IDX));
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK);
	virtio_queue_set_size(vdev, VIRTIO_IOMMU_REQQ, QSIZE);
	virtio_queue_set_addr(vdev, VIRTIO_IOMMU_REQQ, VIRTIO_QUEUE_DESC, RING);
	virtio_queue_set_addr(vdev, VIRTIO_IOMMU_REQQ, VIRTIO_QUEUE_DRIVER, RING + 16 * QSIZE);
	virtio_queue_set_addr(vdev, VIRTIO_IOMMU_REQQ, VIRTIO_QUEUE_DEVICE, RING + 0x1000);
	virtio_queue_enable(vdev, VIRTIO_IOMMU_REQQ);
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	at.endpoint = htole32((uint32_t)fn.devfn);
	if (request(&at, sizeof(at) - sizeof(at.tail)))
		return 1;
	/* The live mappings: page i at IOVA i * 4 KiB, the frames' pages among them. */
	for (i = 0; i < nmaps; i++)
		if (map(i * 4096, TARGET + (i % 8192) * 4096))
			return 1;

	mu = measure(op_map_unmap, NULL);
	tr = measure(op_translate, (void *)virtio_iommu_endpoint_dma(ep));
	id = measure(op_translate, &identity);
	printf("iommu-cost: %lu live mappings: map+unmap %.0f ns, translate a %d-byte frame "
	       "%.0f ns, identity %.0f ns\n", nmaps, mu, FRAME, tr, id);
	virtio_iommu_destroy(s);
	loop_destroy(&loop);
	free(mem.regions[0].hva);
	return 0;
}
