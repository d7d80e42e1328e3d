// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-iommu driven as Linux's driver does: requests on the request
 * queue, each a readable part and a writable one ending in the status;
 * PROBE's properties; fault reports on the event queue; and the endpoints'
 * DMA spaces translating through what the requests built, chains that
 * cross mappings included.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <cmocka.h>

#include <linux/virtio_config.h>
#include <linux/virtio_iommu.h>

#include "lib/dma.h"
#include "lib/loop.h"
#include "pci_fixture.h"
#include "virtio/iommu.h"
#include "virtio/iommu_internal.h"
#include "virtio/virtqueue.h"
#include "virtio_guest.h"

#define REQQ_GPA	0x1000ULL
#define EVQ_GPA		0x8000ULL
#define REQ_GPA		0x10000ULL	/* a request's readable part */
#define RESP_GPA	0x11000ULL	/* its writable part */
#define EVBUF_GPA	0x12000ULL	/* event buffers, 32 bytes apart */
#define DATA_GPA	0x40000ULL	/* what mappings point at */

#define EP_A		PCI_DEVFN(2, 0)	/* endpoint IDs: bus 0, so the devfn */
#define EP_B		PCI_DEVFN(3, 0)
#define EP_VF		PCI_DEVFN(4, 0)

#define F(bit)		(1ULL << (bit))
#define FEATURES	(F(VIRTIO_F_VERSION_1) | F(VIRTIO_RING_F_EVENT_IDX) |		\
			 F(VIRTIO_RING_F_INDIRECT_DESC) | F(VIRTIO_IOMMU_F_INPUT_RANGE) |	\
			 F(VIRTIO_IOMMU_F_DOMAIN_RANGE) | F(VIRTIO_IOMMU_F_MAP_UNMAP) |	\
			 F(VIRTIO_IOMMU_F_PROBE) | F(VIRTIO_IOMMU_F_BYPASS_CONFIG))
#define S_UP		(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER)
#define PAGE		0x1000ULL

static struct guest_mem mem;
static struct dma_space dma;
static struct loop loop;
static struct virtio_iommu *iommu;
static struct virtio_device *vdev;
static struct fring rq, evq;
static struct pci_device fn_a, fn_b, fn_vf;
static struct virtio_iommu_endpoint *ep_a, *ep_b, *ep_vf;

static const struct pci_device_info fn_info = {
	.vendor = 0x1af4, .device = 0x1041, .class = 0x020000,
	.header_type = PCI_HEADER_TYPE_NORMAL,
};

static void queue_setup(struct fring *r, unsigned int q, uint64_t gpa)
{
	fring_init(r, &mem, gpa, 64);
	virtio_queue_set_size(vdev, q, 64);
	virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DESC, r->desc);
	virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DRIVER, r->avail);
	virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DEVICE, r->used);
	virtio_queue_enable(vdev, q);
	assert_true(virtio_queue_enabled(vdev, q));
}

static void driver_start(uint64_t features)
{
	virtio_set_status(vdev, S_UP);
	assert_int_equal(virtio_set_driver_features(vdev, features), 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_true(virtio_get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK);
	queue_setup(&rq, VIRTIO_IOMMU_REQQ, REQQ_GPA);
	queue_setup(&evq, VIRTIO_IOMMU_EVENTQ, EVQ_GPA);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	assert_true(virtio_device_ready(vdev));
	fg_loop_dispatch(&loop);
}

static void fn_attach(struct pci_device *d, uint8_t devfn, struct virtio_iommu_endpoint **ep)
{
	pci_device_init(d, &fn_info);
	assert_int_equal(pci_bus_attach(&root.bus0, d, devfn), 0);
	assert_int_equal(virtio_iommu_endpoint_add(iommu, ep), 0);
	virtio_iommu_endpoint_bind(*ep, d);
}

static int setup(void **state)
{
	const struct virtio_iommu_params p = {
		.dma = &dma, .mem = &mem, .loop = &loop, .boot_bypass = true,
	};

	fg_init(&mem);
	dma_space_identity(&dma, &mem);
	assert_int_equal(loop_init(&loop), 0);
	pci_fixture_setup(false);
	assert_int_equal(virtio_iommu_create(&iommu, &p), 0);
	vdev = virtio_iommu_device(iommu);
	fn_attach(&fn_a, EP_A, &ep_a);
	fn_attach(&fn_b, EP_B, &ep_b);
	fn_attach(&fn_vf, EP_VF, &ep_vf);
	driver_start(FEATURES);
	return 0;
}

static int teardown(void **state)
{
	virtio_iommu_destroy(iommu);
	pci_fixture_teardown();
	loop_destroy(&loop);
	fg_free(&mem);
	return 0;
}

/*
 * One request: rd bytes at REQ_GPA, then wr writable bytes at RESP_GPA.
 * Returns the status the device wrote (0xff: none), *used the used length.
 */
static uint8_t request(const void *req, uint32_t rd, uint32_t wr, uint32_t *used)
{
	uint16_t head = rq.avail_idx % rq.size * 2 % rq.size;
	uint16_t seen = fring_used_idx(&rq);
	uint32_t u;

	memcpy(fg_ptr(&mem, REQ_GPA, rd), req, rd);
	memset(fg_ptr(&mem, RESP_GPA, wr), 0xff, wr);
	fdesc(&rq, head, REQ_GPA, rd, VRING_DESC_F_NEXT, head + 1);
	fdesc(&rq, head + 1, RESP_GPA, wr, VRING_DESC_F_WRITE, 0);
	fring_avail(&rq, head);
	virtio_queue_notify(vdev, VIRTIO_IOMMU_REQQ);
	assert_int_equal(fring_used_idx(&rq), (uint16_t)(seen + 1));
	assert_int_equal(fring_used_id(&rq, seen), head);
	u = fring_used_len(&rq, seen);
	if (used)
		*used = u;
	return u ? *(uint8_t *)fg_ptr(&mem, RESP_GPA + wr - 4, 1) : 0xff;
}

static uint8_t attach(uint32_t domain, uint32_t ep, uint32_t flags)
{
	struct virtio_iommu_req_attach r = {
		.head.type = VIRTIO_IOMMU_T_ATTACH,
		.domain = htole32(domain), .endpoint = htole32(ep), .flags = htole32(flags),
	};

	return request(&r, offsetof(struct virtio_iommu_req_attach, tail), 4, NULL);
}

static uint8_t detach(uint32_t domain, uint32_t ep)
{
	struct virtio_iommu_req_detach r = {
		.head.type = VIRTIO_IOMMU_T_DETACH,
		.domain = htole32(domain), .endpoint = htole32(ep),
	};

	return request(&r, offsetof(struct virtio_iommu_req_detach, tail), 4, NULL);
}

static uint8_t map(uint32_t domain, uint64_t start, uint64_t end, uint64_t phys, uint32_t flags)
{
	struct virtio_iommu_req_map r = {
		.head.type = VIRTIO_IOMMU_T_MAP, .domain = htole32(domain),
		.virt_start = htole64(start), .virt_end = htole64(end),
		.phys_start = htole64(phys), .flags = htole32(flags),
	};

	return request(&r, offsetof(struct virtio_iommu_req_map, tail), 4, NULL);
}

static uint8_t unmap(uint32_t domain, uint64_t start, uint64_t end)
{
	struct virtio_iommu_req_unmap r = {
		.head.type = VIRTIO_IOMMU_T_UNMAP, .domain = htole32(domain),
		.virt_start = htole64(start), .virt_end = htole64(end),
	};

	return request(&r, offsetof(struct virtio_iommu_req_unmap, tail), 4, NULL);
}

#define RW	(VIRTIO_IOMMU_MAP_F_READ | VIRTIO_IOMMU_MAP_F_WRITE)

/* One segment expected: its host address as guest RAM at gpa. */
static void assert_maps_to(struct virtio_iommu_endpoint *ep, uint64_t iova, uint64_t len,
			   unsigned int access, uint64_t gpa)
{
	struct iovec iov[4];

	assert_int_equal(dma_map(virtio_iommu_endpoint_dma(ep), iova, len, access, iov, 4), 1);
	assert_ptr_equal(iov[0].iov_base, guest_mem_ptr(&mem, gpa, len));
	assert_int_equal(iov[0].iov_len, len);
}

static int xlate(struct virtio_iommu_endpoint *ep, uint64_t iova, uint64_t len,
		 unsigned int access)
{
	struct iovec iov[4];

	return dma_map(virtio_iommu_endpoint_dma(ep), iova, len, access, iov, 4);
}

static void test_config(void **state)
{
	struct virtio_iommu_config c;

	assert_int_equal(virtio_device_features(vdev), FEATURES);
	virtio_config_read(vdev, 0, &c, sizeof(c));
	assert_int_equal(le64toh(c.page_size_mask), ~0xfffULL);
	assert_int_equal(le64toh(c.input_range.start), 0);
	assert_int_equal(le64toh(c.input_range.end), (1ULL << 39) - 1);
	assert_int_equal(le32toh(c.domain_range.start), 0);
	assert_int_equal(le32toh(c.domain_range.end), UINT32_MAX);
	assert_int_equal(le32toh(c.probe_size), VIRTIO_IOMMU_PROBE_SIZE);
	assert_int_equal(c.bypass, 1);
	/* Only bypass is writable, and only 0 or 1. */
	c.bypass = 7;
	virtio_config_write(vdev, offsetof(struct virtio_iommu_config, bypass), &c.bypass, 1);
	virtio_config_write(vdev, 0, &c, 8);
	virtio_config_read(vdev, 0, &c, sizeof(c));
	assert_int_equal(c.bypass, 1);
	assert_int_equal(le64toh(c.page_size_mask), ~0xfffULL);
}

static void test_attach_detach(void **state)
{
	struct virtio_iommu_req_attach r = {
		.head.type = VIRTIO_IOMMU_T_ATTACH, .endpoint = htole32(EP_A), .reserved = { 1 },
	};
	struct virtio_iommu_stats st;

	assert_int_equal(attach(1, 0x999, 0), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(attach(1, EP_A, 2), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(request(&r, offsetof(struct virtio_iommu_req_attach, tail), 4, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(attach(1, EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(attach(1, EP_A, 0), VIRTIO_IOMMU_S_OK);	/* again: no change */
	assert_int_equal(attach(1, EP_B, 0), VIRTIO_IOMMU_S_OK);
	/* Bypass or not is the domain's: a mismatch is refused. */
	assert_int_equal(attach(1, EP_B, VIRTIO_IOMMU_ATTACH_F_BYPASS), VIRTIO_IOMMU_S_INVAL);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.domains, 1);
	/* A move: EP_A leaves domain 1 for 2, domain 1 keeps EP_B. */
	assert_int_equal(attach(2, EP_A, 0), VIRTIO_IOMMU_S_OK);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.domains, 2);
	assert_int_equal(detach(1, EP_A), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(detach(2, 0x999), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(detach(2, EP_A), VIRTIO_IOMMU_S_OK);
	assert_int_equal(detach(1, EP_B), VIRTIO_IOMMU_S_OK);
	/* The last endpoint gone, so is the domain, and its mappings with it. */
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.domains, 0);
	assert_int_equal(map(1, 0, PAGE - 1, DATA_GPA, RW), VIRTIO_IOMMU_S_NOENT);
}

static void test_map_unmap(void **state)
{
	struct virtio_iommu_stats st;

	assert_int_equal(attach(5, EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(5, 0x100000, 0x101fff, DATA_GPA, RW), VIRTIO_IOMMU_S_OK);
	/* Misaligned start, end or target; past the input range; wrapping. */
	assert_int_equal(map(5, 0x200800, 0x200fff, DATA_GPA, RW), VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(map(5, 0x200000, 0x2007ff, DATA_GPA, RW), VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(map(5, 0x200000, 0x200fff, DATA_GPA + 8, RW), VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(map(5, 1ULL << 39, (1ULL << 39) + PAGE - 1, DATA_GPA, RW),
			 VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(map(5, 0x200000, 0x201fff, ~0xfffULL, RW), VIRTIO_IOMMU_S_RANGE);
	/* Overlaps, the MSI window, an unknown flag (MMIO is not offered), end < start. */
	assert_int_equal(map(5, 0x101000, 0x102fff, DATA_GPA, RW), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(map(5, 0xfee00000, 0xfee00fff, DATA_GPA, RW), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(map(5, 0x200000, 0x200fff, DATA_GPA, VIRTIO_IOMMU_MAP_F_MMIO),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(map(5, 0x201000, 0x200fff, DATA_GPA, RW), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(map(6, 0x200000, 0x200fff, DATA_GPA, RW), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(map(5, 0x102000, 0x102fff, DATA_GPA + 0x2000, VIRTIO_IOMMU_MAP_F_READ),
			 VIRTIO_IOMMU_S_OK);

	/* An UNMAP that would split a mapping removes nothing. */
	assert_int_equal(unmap(5, 0x100000, 0x100fff), VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(unmap(5, 0x101000, 0x102fff), VIRTIO_IOMMU_S_RANGE);
	assert_maps_to(ep_a, 0x100000, 16, DMA_READ, DATA_GPA);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.mappings, 2);
	/* Over unmapped space too; several mappings at once. */
	assert_int_equal(unmap(5, 0xf0000, 0x1fffff), VIRTIO_IOMMU_S_OK);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.mappings, 0);
	assert_int_equal(unmap(5, 0xf0000, 0x1fffff), VIRTIO_IOMMU_S_OK);
	assert_int_equal(unmap(9, 0, PAGE - 1), VIRTIO_IOMMU_S_NOENT);
	/* A bypass domain has no mappings to change. */
	assert_int_equal(attach(7, EP_B, VIRTIO_IOMMU_ATTACH_F_BYPASS), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(7, 0, PAGE - 1, DATA_GPA, RW), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(unmap(7, 0, PAGE - 1), VIRTIO_IOMMU_S_INVAL);
}

static void test_translate(void **state)
{
	struct iovec iov[4];

	assert_int_equal(attach(3, EP_A, 0), VIRTIO_IOMMU_S_OK);
	/* Two IOVA pages back to back, onto guest pages far apart. */
	assert_int_equal(map(3, 0x100000, 0x100fff, DATA_GPA + 0x5000, RW), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0x101000, 0x101fff, DATA_GPA, VIRTIO_IOMMU_MAP_F_WRITE),
			 VIRTIO_IOMMU_S_OK);
	assert_maps_to(ep_a, 0x100010, 0x100, DMA_READ | DMA_WRITE, DATA_GPA + 0x5010);
	/* A buffer across the two: two segments. */
	assert_int_equal(xlate(ep_a, 0x100f00, 0x200, DMA_WRITE), 2);
	assert_int_equal(dma_map(virtio_iommu_endpoint_dma(ep_a), 0x100f00, 0x200, DMA_WRITE,
				 iov, 4), 2);
	assert_ptr_equal(iov[0].iov_base, guest_mem_ptr(&mem, DATA_GPA + 0x5f00, 1));
	assert_int_equal(iov[0].iov_len, 0x100);
	assert_ptr_equal(iov[1].iov_base, guest_mem_ptr(&mem, DATA_GPA, 1));
	assert_int_equal(iov[1].iov_len, 0x100);
	assert_int_equal(dma_map(virtio_iommu_endpoint_dma(ep_a), 0x100f00, 0x200, DMA_WRITE,
				 iov, 1), -ENOBUFS);
	/* Reading a write-only mapping; past the last mapping; at 2^64 - 1. */
	assert_int_equal(xlate(ep_a, 0x101000, 4, DMA_READ), -EPERM);
	assert_int_equal(xlate(ep_a, 0x101ff0, 0x20, DMA_WRITE), -EFAULT);
	assert_int_equal(xlate(ep_a, UINT64_MAX, 2, DMA_READ), -EFAULT);
	/* EP_B, unattached, bypasses while bypass is 1. */
	assert_maps_to(ep_b, DATA_GPA, 64, DMA_READ, DATA_GPA);
}

static void test_copy_refused(void **state)
{
	uint8_t buf[0x20], before[0x20];

	assert_int_equal(attach(3, EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0x100000, 0x100fff, DATA_GPA, RW), VIRTIO_IOMMU_S_OK);
	memset(fg_ptr(&mem, DATA_GPA + 0xff0, 0x10), 0x11, 0x10);
	memcpy(before, fg_ptr(&mem, DATA_GPA + 0xff0, 0x10), 0x10);
	memset(buf, 0x22, sizeof(buf));
	/* Half mapped: nothing is written, nothing read. */
	assert_int_equal(dma_write(virtio_iommu_endpoint_dma(ep_a), 0x100ff0, buf, 0x20),
			 -EFAULT);
	assert_memory_equal(fg_ptr(&mem, DATA_GPA + 0xff0, 0x10), before, 0x10);
	assert_int_equal(dma_read(virtio_iommu_endpoint_dma(ep_a), 0x100ff0, buf, 0x20),
			 -EFAULT);
	assert_int_equal(buf[0], 0x22);
	assert_int_equal(dma_read(virtio_iommu_endpoint_dma(ep_a), 0x100ff0, buf, 0x10), 0);
	assert_int_equal(buf[0], 0x11);
}

/* Event buffers 0..n-1 posted at EVBUF_GPA + 32 * i. */
static void post_events(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint16_t d = evq.avail_idx % evq.size;

		memset(fg_ptr(&mem, EVBUF_GPA + 32 * d, 32), 0, 32);
		fdesc(&evq, d, EVBUF_GPA + 32 * d, sizeof(struct virtio_iommu_fault),
		      VRING_DESC_F_WRITE, 0);
		fring_avail(&evq, d);
	}
	virtio_queue_notify(vdev, VIRTIO_IOMMU_EVENTQ);
}

static struct virtio_iommu_fault event(uint16_t i)
{
	struct virtio_iommu_fault f;

	assert_int_equal(fring_used_len(&evq, i), sizeof(f));
	memcpy(&f, fg_ptr(&mem, EVBUF_GPA + 32 * fring_used_id(&evq, i), sizeof(f)), sizeof(f));
	return f;
}

static void test_faults(void **state)
{
	struct virtio_iommu_fault f;
	struct virtio_iommu_stats st;
	uint8_t zero = 0;

	assert_int_equal(attach(3, EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0x100000, 0x100fff, DATA_GPA, VIRTIO_IOMMU_MAP_F_READ),
			 VIRTIO_IOMMU_S_OK);
	/* Two faults before any event buffer: they wait. */
	assert_int_equal(xlate(ep_a, 0x500000, 4, DMA_WRITE), -EFAULT);
	assert_int_equal(xlate(ep_a, 0x100000, 4, DMA_WRITE), -EPERM);
	fg_loop_dispatch(&loop);
	assert_int_equal(fring_used_idx(&evq), 0);
	post_events(1);
	assert_int_equal(fring_used_idx(&evq), 1);
	f = event(0);
	assert_int_equal(f.reason, VIRTIO_IOMMU_FAULT_R_MAPPING);
	assert_int_equal(le32toh(f.flags), VIRTIO_IOMMU_FAULT_F_WRITE | VIRTIO_IOMMU_FAULT_F_ADDRESS);
	assert_int_equal(le32toh(f.endpoint), EP_A);
	assert_int_equal(le64toh(f.address), 0x500000);
	post_events(4);
	assert_int_equal(fring_used_idx(&evq), 2);
	assert_int_equal(le64toh(event(1).address), 0x100000);
	/* Unattached, bypass 0: a domain fault, no address. */
	virtio_config_write(vdev, offsetof(struct virtio_iommu_config, bypass), &zero, 1);
	assert_int_equal(xlate(ep_b, DATA_GPA, 4, DMA_READ), -EFAULT);
	fg_loop_dispatch(&loop);
	f = event(2);
	assert_int_equal(f.reason, VIRTIO_IOMMU_FAULT_R_DOMAIN);
	assert_int_equal(le32toh(f.endpoint), EP_B);
	assert_int_equal(le32toh(f.flags), VIRTIO_IOMMU_FAULT_F_READ);
	/* A bypass domain needs no mapping. */
	assert_int_equal(attach(4, EP_B, VIRTIO_IOMMU_ATTACH_F_BYPASS), VIRTIO_IOMMU_S_OK);
	assert_maps_to(ep_b, DATA_GPA, 4, DMA_READ, DATA_GPA);
	/* More than fit wait: the rest is dropped, and counted. */
	for (unsigned int i = 0; i < VIRTIO_IOMMU_MAX_FAULTS + 5; i++)
		xlate(ep_a, 0x600000, 4, DMA_READ);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.faults, 3);
	assert_int_equal(st.faults_dropped, 5);
}

static void test_probe(void **state)
{
	struct virtio_iommu_req_probe r = {
		.head.type = VIRTIO_IOMMU_T_PROBE, .endpoint = htole32(EP_A),
	};
	const uint32_t wr = VIRTIO_IOMMU_PROBE_SIZE + 4;
	struct virtio_iommu_probe_resv_mem p;
	uint32_t used;
	uint8_t *props;
	unsigned int i;

	assert_int_equal(request(&r, sizeof(r), wr, &used), VIRTIO_IOMMU_S_OK);
	assert_int_equal(used, wr);
	props = fg_ptr(&mem, RESP_GPA, wr);
	memcpy(&p, props, sizeof(p));
	assert_int_equal(le16toh(p.head.type), VIRTIO_IOMMU_PROBE_T_RESV_MEM);
	assert_int_equal(le16toh(p.head.length), 20);
	assert_int_equal(p.subtype, VIRTIO_IOMMU_RESV_MEM_T_MSI);
	assert_int_equal(le64toh(p.start), 0xfee00000);
	assert_int_equal(le64toh(p.end), 0xfeefffff);
	for (i = sizeof(p); i < wr - 4; i++)
		assert_int_equal(props[i], 0);
	/* Larger than probe_size: zero to the end too. */
	assert_int_equal(request(&r, sizeof(r), 2 * wr, &used), VIRTIO_IOMMU_S_OK);
	props = fg_ptr(&mem, RESP_GPA, 2 * wr);
	for (i = sizeof(p); i < 2 * wr - 4; i++)
		assert_int_equal(props[i], 0);
	/* No room for the property, no such endpoint. */
	assert_int_equal(request(&r, sizeof(r), 20, &used), VIRTIO_IOMMU_S_INVAL);
	r.endpoint = htole32(0x999);
	assert_int_equal(request(&r, sizeof(r), wr, &used), VIRTIO_IOMMU_S_NOENT);
}

static void test_malformed(void **state)
{
	const uint8_t unknown[8] = { 0x42 };
	struct virtio_iommu_req_map m = { .head.type = VIRTIO_IOMMU_T_MAP };
	uint32_t used;

	/* An unknown type, no room for a tail: the buffers back unwritten. */
	assert_int_equal(request(unknown, sizeof(unknown), 4, &used), 0xff);
	assert_int_equal(used, 0);
	assert_int_equal(request(&m, sizeof(m) - 4, 2, &used), 0xff);
	assert_int_equal(used, 0);
	/* A short body: INVAL in the tail. */
	assert_int_equal(request(&m, 8, 4, &used), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(used, 4);
	assert_true(virtio_device_ready(vdev));
}

static void test_vf_comes_back_unattached(void **state)
{
	uint8_t zero = 0;

	virtio_config_write(vdev, offsetof(struct virtio_iommu_config, bypass), &zero, 1);
	assert_int_equal(attach(3, EP_VF, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0, PAGE - 1, DATA_GPA, RW), VIRTIO_IOMMU_S_OK);
	assert_maps_to(ep_vf, 0, 4, DMA_READ, DATA_GPA);
	/* Disabled and enabled again (VF Enable): no longer attached. */
	pthread_mutex_lock(&root.lock);
	pci_device_set_present(&fn_vf, false);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(attach(3, EP_VF, 0), VIRTIO_IOMMU_S_NOENT);	/* absent */
	pthread_mutex_lock(&root.lock);
	pci_device_set_present(&fn_vf, true);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(xlate(ep_vf, 0, 4, DMA_READ), -EFAULT);
	/* Its old domain went with it; attached afresh it works. */
	assert_int_equal(detach(3, EP_VF), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(attach(3, EP_VF, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(xlate(ep_vf, 0, 4, DMA_READ), -EFAULT);	/* a new, empty domain */
}

static void test_reset(void **state)
{
	struct virtio_iommu_stats st;
	uint8_t zero = 0, v;

	virtio_config_write(vdev, offsetof(struct virtio_iommu_config, bypass), &zero, 1);
	assert_int_equal(attach(3, EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0, PAGE - 1, DATA_GPA, RW), VIRTIO_IOMMU_S_OK);
	virtio_set_status(vdev, 0);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.domains, 0);
	assert_int_equal(st.mappings, 0);
	/* Bypass keeps its value across a device reset. */
	virtio_config_read(vdev, offsetof(struct virtio_iommu_config, bypass), &v, 1);
	assert_int_equal(v, 0);
	assert_int_equal(xlate(ep_a, 0, 4, DMA_READ), -EFAULT);
}

static void test_mapping_bound(void **state)
{
	struct virtio_iommu_stats st;
	unsigned int i;
	uint8_t ret = 0;

	assert_int_equal(attach(3, EP_A, 0), VIRTIO_IOMMU_S_OK);
	/* As MAP requests would, a page each, without the ring's round trips. */
	pthread_rwlock_wrlock(&iommu->lock);
	for (i = 0; i < VIRTIO_IOMMU_MAX_MAPPINGS && !ret; i++)
		ret = viommu_map(iommu, 3, i * PAGE, i * PAGE + PAGE - 1, DATA_GPA, RW);
	pthread_rwlock_unlock(&iommu->lock);
	assert_int_equal(ret, VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 1ULL << 32, (1ULL << 32) + PAGE - 1, DATA_GPA, RW),
			 VIRTIO_IOMMU_S_NOMEM);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.mappings, VIRTIO_IOMMU_MAX_MAPPINGS);
	/* Lookups stay right among them all. */
	assert_maps_to(ep_a, 12345 * PAGE + 7, 8, DMA_READ, DATA_GPA + 7);
	/* A reset frees them. */
	virtio_set_status(vdev, 0);
	virtio_iommu_get_stats(iommu, &st);
	assert_int_equal(st.mappings, 0);
}

/* A virtqueue behind the IOMMU: a chain across two mappings, rings that go away. */
static void test_virtqueue(void **state)
{
	struct fring fr;
	struct virtq vq;
	struct virtq_elem e;
	struct iovec iov[8];

	assert_int_equal(attach(3, EP_A, 0), VIRTIO_IOMMU_S_OK);
	/* The rings at IOVA 0x200000 are guest pages 0x20000..; buffers split across two. */
	assert_int_equal(map(3, 0x200000, 0x203fff, 0x20000, RW), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0x300000, 0x300fff, DATA_GPA + 0x3000, RW), VIRTIO_IOMMU_S_OK);
	assert_int_equal(map(3, 0x301000, 0x301fff, DATA_GPA, RW), VIRTIO_IOMMU_S_OK);
	fring_init(&fr, &mem, 0x20000, 8);
	virtq_init(&vq, virtio_iommu_endpoint_dma(ep_a), 8);
	vq.size = 8;
	vq.desc_addr = 0x200000;
	vq.avail_addr = 0x200000 + (fr.avail - fr.desc);
	vq.used_addr = 0x200000 + (fr.used - fr.desc);
	assert_int_equal(virtq_enable(&vq), 0);
	fdesc(&fr, 0, 0x300800, 0x1000, VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 0);
	assert_int_equal(virtq_pop(&vq, &e, iov, 8), 1);
	assert_int_equal(e.wr_num, 2);
	assert_ptr_equal(e.wr[0].iov_base, guest_mem_ptr(&mem, DATA_GPA + 0x3800, 1));
	assert_ptr_equal(e.wr[1].iov_base, guest_mem_ptr(&mem, DATA_GPA, 1));
	virtq_push(&vq, e.head, 0x1000);
	assert_int_equal(fring_used_idx(&fr), 1);
	/* A buffer nothing maps: the chain is refused. */
	fdesc(&fr, 1, 0x400000, 0x100, VRING_DESC_F_WRITE, 0);
	fring_avail(&fr, 1);
	assert_int_equal(virtq_pop(&vq, &e, iov, 8), -EINVAL);
	/* The rings unmapped: the queue is lost, nothing more is written. */
	assert_int_equal(unmap(3, 0x200000, 0x203fff), VIRTIO_IOMMU_S_OK);
	assert_int_equal(virtq_avail_count(&vq), -EINVAL);
	virtq_push(&vq, 0, 0);
	assert_int_equal(fring_used_idx(&fr), 1);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config),
		T(test_attach_detach),
		T(test_map_unmap),
		T(test_translate),
		T(test_copy_refused),
		T(test_faults),
		T(test_probe),
		T(test_malformed),
		T(test_vf_comes_back_unattached),
		T(test_reset),
		T(test_mapping_bound),
		T(test_virtqueue),
	};

	return cmocka_run_group_tests_name("virtio_iommu", tests, NULL, NULL);
}
