// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio core and virtio-net, driven as a guest driver and a transport
 * would: feature negotiation, status, config space, queue setup in fake
 * guest RAM, transmit and receive (mergeable or not), buffers running out,
 * a broken ring and reset; a backend over a real socketpair; resets racing
 * with a receiving backend thread.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/dma.h"
#include "lib/iov.h"
#include "virtio/net.h"
#include "virtio_guest.h"

#define RXQ_GPA		0x1000ULL
#define TXQ_GPA		0x8000ULL
#define RXBUF_GPA	0x20000ULL
#define TXBUF_GPA	0x80000ULL
#define IND_GPA		0xf0000ULL

#define F(bit)		(1ULL << (bit))
#define NET_FEATURES	(F(VIRTIO_F_VERSION_1) | F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS) | \
			 F(VIRTIO_NET_F_MRG_RXBUF) | F(VIRTIO_RING_F_EVENT_IDX) |		\
			 F(VIRTIO_RING_F_INDIRECT_DESC))
#define S_UP		(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER)

static const uint8_t test_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* The transport: counts interrupts per MSI-X vector. */
static atomic_uint irqs[4], irq_novec;

static void t_notify(struct virtio_device *vdev, uint16_t vector)
{
	if (vector < 4)
		atomic_fetch_add(&irqs[vector], 1);
	else
		atomic_fetch_add(&irq_novec, 1);
}

static const struct virtio_transport_ops transport = { .notify = t_notify };

/* A backend that keeps what it is sent. */
struct tbe {
	unsigned int sent, rx_ready;
	int send_ret;
	bool link;
	uint8_t last[NET_MAX_FRAME];
	size_t last_len;
};

static int tbe_send(void *opaque, const struct iovec *iov, unsigned int iovcnt)
{
	struct tbe *b = opaque;

	b->last_len = iov_to_buf(iov, iovcnt, 0, b->last, sizeof(b->last));
	b->sent++;
	return b->send_ret;
}

static void tbe_rx_ready(void *opaque)
{
	struct tbe *b = opaque;

	b->rx_ready++;
}

static bool tbe_link_up(void *opaque)
{
	struct tbe *b = opaque;

	return b->link;
}

static const struct net_port_ops tbe_ops = {
	.send = tbe_send,
	.rx_ready = tbe_rx_ready,
	.link_up = tbe_link_up,
};

static struct guest_mem mem;
static struct dma_space dma;
static struct loop loop;
static struct tbe be;
static struct virtio_net *net;
static struct virtio_device *vdev;
static struct fring rx, tx;

static void create_net(const struct net_port_ops *ops, void *data)
{
	struct virtio_net_params p = {
		.dma = &dma,
		.loop = &loop,
		.backend = ops,
		.backend_data = data,
	};

	memcpy(p.mac, test_mac, ETH_ALEN);
	assert_int_equal(virtio_net_create(&net, &p), 0);
	vdev = virtio_net_device(net);
	virtio_device_set_transport(vdev, &transport, NULL);
}

static int setup(void **state)
{
	unsigned int i;

	fg_init(&mem);
	dma_space_identity(&dma, &mem);
	assert_int_equal(loop_init(&loop), 0);
	memset(&be, 0, sizeof(be));
	be.link = true;
	for (i = 0; i < 4; i++)
		atomic_store(&irqs[i], 0);
	atomic_store(&irq_novec, 0);
	create_net(&tbe_ops, &be);
	return 0;
}

static int teardown(void **state)
{
	virtio_net_destroy(net);
	loop_destroy(&loop);
	fg_free(&mem);
	return 0;
}

static void queue_setup(struct fring *r, unsigned int q, uint64_t gpa, uint16_t size)
{
	fring_init(r, &mem, gpa, size);
	virtio_queue_set_size(vdev, q, size);
	virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DESC, r->desc);
	virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DRIVER, r->avail);
	virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DEVICE, r->used);
	virtio_queue_set_vector(vdev, q, q + 1);
	virtio_queue_enable(vdev, q);
	assert_true(virtio_queue_enabled(vdev, q));
}

/* Device initialization as in spec 3.1.1, vectors: config 0, rx 1, tx 2. */
static void driver_start(uint64_t features, uint16_t qsize)
{
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_set_status(vdev, S_UP);
	assert_int_equal(virtio_set_driver_features(vdev, features), 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_true(virtio_get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK);
	virtio_set_config_vector(vdev, 0);
	queue_setup(&rx, VIRTIO_NET_RXQ, RXQ_GPA, qsize);
	queue_setup(&tx, VIRTIO_NET_TXQ, TXQ_GPA, qsize);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	assert_true(virtio_device_ready(vdev));
	fg_loop_dispatch(&loop);
}

static void fill(uint64_t gpa, uint8_t seed, size_t len)
{
	uint8_t *p = fg_ptr(&mem, gpa, len);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static bool check_fill(const uint8_t *p, uint8_t seed, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

/* A frame from the backend: header (given, or zero) then len payload bytes. */
static uint8_t frame_buf[NET_MAX_FRAME];

static int backend_frame(const struct virtio_net_hdr_v1 *hdr, uint8_t seed, size_t len)
{
	struct virtio_net_hdr_v1 zero = { 0 };
	struct iovec iov[3];
	size_t i;

	for (i = 0; i < len; i++)
		frame_buf[i] = (uint8_t)(seed + i * 7);
	/* Split oddly, as a backend's iovec may be. */
	iov[0].iov_base = (void *)(hdr ? hdr : &zero);
	iov[0].iov_len = NET_HDR_LEN;
	iov[1].iov_base = frame_buf;
	iov[1].iov_len = len < 3 ? len : 3;
	iov[2].iov_base = frame_buf + iov[1].iov_len;
	iov[2].iov_len = len - iov[1].iov_len;
	return virtio_net_receive(net, iov, 3);
}

static struct virtio_net_stats stats(void)
{
	struct virtio_net_stats st;

	virtio_net_get_stats(net, &st);
	return st;
}

static void test_features(void **state)
{
	uint8_t st;

	assert_int_equal(virtio_device_features(vdev), NET_FEATURES);
	assert_int_equal(virtio_num_queues(vdev), 2);

	/* A bit not offered: refused, and FEATURES_OK does not stick. */
	virtio_set_status(vdev, S_UP);
	assert_int_equal(virtio_set_driver_features(vdev, F(VIRTIO_F_VERSION_1) |
						     F(VIRTIO_NET_F_CSUM)), -EINVAL);
	assert_int_equal(virtio_driver_features(vdev), F(VIRTIO_F_VERSION_1));
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_int_equal(virtio_get_status(vdev), S_UP);
	/* Not even after a later valid write, until reset. */
	assert_int_equal(virtio_set_driver_features(vdev, F(VIRTIO_F_VERSION_1)), 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_false(virtio_get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK);

	/* Legacy (no VERSION_1): refused. */
	virtio_set_status(vdev, 0);
	assert_int_equal(virtio_get_status(vdev), 0);
	assert_int_equal(virtio_driver_features(vdev), 0);
	virtio_set_status(vdev, S_UP);
	assert_int_equal(virtio_set_driver_features(vdev, F(VIRTIO_NET_F_MAC)), 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_false(virtio_get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK);
	/* DRIVER_OK without FEATURES_OK: the device cannot run. */
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_DRIVER_OK);
	assert_true(virtio_get_status(vdev) & VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_false(virtio_device_ready(vdev));

	/* A valid set sticks, and is then fixed. */
	virtio_set_status(vdev, 0);
	assert_int_equal(virtio_get_status(vdev), 0);
	virtio_set_status(vdev, S_UP);
	assert_int_equal(virtio_set_driver_features(vdev, NET_FEATURES), 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	st = virtio_get_status(vdev);
	assert_int_equal(st, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	assert_int_equal(virtio_set_driver_features(vdev, F(VIRTIO_F_VERSION_1)), -EBUSY);
	assert_int_equal(virtio_driver_features(vdev), NET_FEATURES);
	assert_true(virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF));
	/* Status bits are not cleared by writing fewer; NEEDS_RESET is the device's. */
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_int_equal(virtio_get_status(vdev), st);
}

static void test_config(void **state)
{
	uint8_t cfg[16];
	uint16_t v16;
	uint8_t gen;

	memset(cfg, 0xff, sizeof(cfg));
	virtio_config_read(vdev, 0, cfg, 10);
	assert_memory_equal(cfg, test_mac, ETH_ALEN);
	assert_int_equal(cfg[6] | cfg[7] << 8, VIRTIO_NET_S_LINK_UP);
	assert_int_equal(cfg[8] | cfg[9] << 8, 1);	/* max_virtqueue_pairs */
	virtio_config_read(vdev, 6, &v16, 2);
	assert_int_equal(le16toh(v16), VIRTIO_NET_S_LINK_UP);
	/* Past the end reads 0; writes change nothing. */
	memset(cfg, 0xff, sizeof(cfg));
	virtio_config_read(vdev, 9, cfg, 2);
	assert_int_equal(cfg[0] | cfg[1], 0);
	virtio_config_read(vdev, 0x1000, cfg, 4);
	assert_int_equal(cfg[0], 0);
	memset(cfg, 0, 6);
	virtio_config_write(vdev, 0, cfg, 6);
	virtio_config_read(vdev, 0, cfg, 6);
	assert_memory_equal(cfg, test_mac, ETH_ALEN);

	/* Link change before DRIVER_OK: no interrupt, but a new generation. */
	gen = virtio_config_generation(vdev);
	be.link = false;
	virtio_net_link_changed(net);
	assert_int_equal(atomic_load(&irqs[0]), 0);
	virtio_config_read(vdev, 6, &v16, 2);
	assert_int_equal(v16, 0);
	assert_int_not_equal(virtio_config_generation(vdev), gen);
	gen = virtio_config_generation(vdev);
	virtio_config_read(vdev, 6, &v16, 2);
	assert_int_equal(virtio_config_generation(vdev), gen);

	/* With the driver running: a config interrupt on its vector, ISR bit 1. */
	driver_start(NET_FEATURES, 256);
	assert_int_equal(virtio_isr_read(vdev), 0);
	be.link = true;
	virtio_net_link_changed(net);
	assert_int_equal(atomic_load(&irqs[0]), 1);
	virtio_net_link_changed(net);		/* no change, no interrupt */
	assert_int_equal(atomic_load(&irqs[0]), 1);
	assert_int_equal(virtio_isr_read(vdev), VIRTIO_ISR_CONFIG);
	assert_int_equal(virtio_isr_read(vdev), 0);
	virtio_config_read(vdev, 6, &v16, 2);
	assert_int_equal(le16toh(v16), VIRTIO_NET_S_LINK_UP);
	assert_int_not_equal(virtio_config_generation(vdev), gen);
}

static void test_queue_config(void **state)
{
	uint64_t gpa;

	assert_int_equal(virtio_queue_size(vdev, 0), 256);
	assert_int_equal(virtio_queue_size(vdev, 2), 0);	/* no such queue */
	assert_int_equal(virtio_queue_vector(vdev, 1), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(virtio_config_vector(vdev), VIRTIO_MSI_NO_VECTOR);
	virtio_queue_set_size(vdev, 0, 128);
	assert_int_equal(virtio_queue_size(vdev, 0), 128);
	virtio_queue_set_size(vdev, 0, 100);
	virtio_queue_set_size(vdev, 0, 512);
	virtio_queue_set_size(vdev, 0, 0);
	assert_int_equal(virtio_queue_size(vdev, 0), 128);
	virtio_queue_set_addr(vdev, 0, VIRTIO_QUEUE_DRIVER, 0x123456789aULL);
	assert_int_equal(virtio_queue_addr(vdev, 0, VIRTIO_QUEUE_DRIVER), 0x123456789aULL);
	virtio_queue_set_addr(vdev, 5, VIRTIO_QUEUE_DRIVER, 1);
	assert_int_equal(virtio_queue_addr(vdev, 5, VIRTIO_QUEUE_DRIVER), 0);
	virtio_queue_set_vector(vdev, 9, 3);
	assert_int_equal(virtio_queue_vector(vdev, 9), VIRTIO_MSI_NO_VECTOR);
	virtio_queue_enable(vdev, 9);
	virtio_queue_notify(vdev, 9);

	driver_start(NET_FEATURES, 64);
	assert_int_equal(virtio_queue_size(vdev, 1), 64);
	assert_int_equal(virtio_queue_vector(vdev, 1), 2);
	/* Fixed while enabled. */
	gpa = virtio_queue_addr(vdev, 1, VIRTIO_QUEUE_DESC);
	virtio_queue_set_addr(vdev, 1, VIRTIO_QUEUE_DESC, 0x5000);
	virtio_queue_set_size(vdev, 1, 32);
	assert_int_equal(virtio_queue_addr(vdev, 1, VIRTIO_QUEUE_DESC), gpa);
	assert_int_equal(virtio_queue_size(vdev, 1), 64);

	/* Reset: everything back. */
	virtio_set_status(vdev, 0);
	assert_int_equal(virtio_get_status(vdev), 0);
	assert_false(virtio_queue_enabled(vdev, 0));
	assert_int_equal(virtio_queue_size(vdev, 1), 256);
	assert_int_equal(virtio_queue_addr(vdev, 1, VIRTIO_QUEUE_DESC), 0);
	assert_int_equal(virtio_queue_vector(vdev, 1), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(virtio_config_vector(vdev), VIRTIO_MSI_NO_VECTOR);

	/* A ring outside RAM: the device needs a reset, the queue stays off. */
	virtio_set_status(vdev, S_UP);
	virtio_queue_set_size(vdev, 0, 16);
	virtio_queue_set_addr(vdev, 0, VIRTIO_QUEUE_DESC, FG_END);
	virtio_queue_enable(vdev, 0);
	assert_false(virtio_queue_enabled(vdev, 0));
	assert_true(virtio_get_status(vdev) & VIRTIO_CONFIG_S_NEEDS_RESET);
	virtio_set_status(vdev, 0);
	assert_int_equal(virtio_get_status(vdev), 0);
}

/* A transmit chain at descriptor i: hdr+frame split as given. */
static void tx_chain(uint16_t i, const uint32_t *lens, unsigned int n, uint64_t gpa)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		fdesc(&tx, i + k, gpa, lens[k], k + 1 < n ? VRING_DESC_F_NEXT : 0, i + k + 1);
		gpa += lens[k];
	}
	fring_avail(&tx, i);
}

static void test_tx(void **state)
{
	static const uint32_t one[] = { NET_HDR_LEN + 60 };
	static const uint32_t split[] = { 5, 7, 20, 40 };	/* header across two */
	static const uint32_t runt[] = { NET_HDR_LEN + ETH_HLEN - 1 };
	struct virtio_net_hdr_v1 *hdr;

	driver_start(NET_FEATURES, 256);
	memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
	fill(TXBUF_GPA + NET_HDR_LEN, 1, 60);
	tx_chain(0, one, 1, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 1);
	assert_int_equal(be.last_len, NET_HDR_LEN + 60);
	assert_true(check_fill(be.last + NET_HDR_LEN, 1, 60));
	assert_int_equal(fring_used_idx(&tx), 1);
	assert_int_equal(fring_used_id(&tx, 0), 0);
	assert_int_equal(fring_used_len(&tx, 0), 0);
	assert_int_equal(atomic_load(&irqs[2]), 1);
	assert_int_equal(virtio_isr_read(vdev), VIRTIO_ISR_QUEUE);

	/* Header in two descriptors, frame in two more (any layout). */
	memset(fg_ptr(&mem, TXBUF_GPA + 0x1000, NET_HDR_LEN), 0, NET_HDR_LEN);
	fill(TXBUF_GPA + 0x1000 + NET_HDR_LEN, 2, 60);
	tx_chain(1, split, 4, TXBUF_GPA + 0x1000);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 2);
	assert_int_equal(be.last_len, NET_HDR_LEN + 60);
	assert_true(check_fill(be.last + NET_HDR_LEN, 2, 60));

	/* Through an indirect table. */
	fdesc_at(&mem, IND_GPA, 0, TXBUF_GPA + 0x1000, 12, VRING_DESC_F_NEXT, 1);
	fdesc_at(&mem, IND_GPA, 1, TXBUF_GPA + 0x1000 + 12, 60, 0, 0);
	fdesc(&tx, 10, IND_GPA, 32, VRING_DESC_F_INDIRECT, 0);
	fring_avail(&tx, 10);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 3);
	assert_true(check_fill(be.last + NET_HDR_LEN, 2, 60));

	/* Malformed: a runt, and offload flags never negotiated. Returned, not sent. */
	tx_chain(20, runt, 1, TXBUF_GPA + 0x2000);
	hdr = fg_ptr(&mem, TXBUF_GPA + 0x3000, NET_HDR_LEN);
	memset(hdr, 0, NET_HDR_LEN);
	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	tx_chain(21, one, 1, TXBUF_GPA + 0x3000);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 3);
	assert_int_equal(stats().tx_errors, 2);
	assert_int_equal(stats().tx_frames, 3);
	assert_int_equal(fring_used_idx(&tx), 5);
	assert_int_equal(fring_used_id(&tx, 4), 21);
	assert_true(virtio_device_ready(vdev));

	/* The backend drops: counted, buffer returned. */
	be.send_ret = -EAGAIN;
	tx_chain(30, one, 1, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(stats().tx_dropped, 1);
	assert_int_equal(fring_used_idx(&tx), 6);
}

static void test_tx_too_long(void **state)
{
	uint32_t lens[2] = { NET_HDR_LEN + 40000, NET_MAX_FRAME - NET_HDR_LEN - 40000 + 1 };

	driver_start(NET_FEATURES, 256);
	memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
	tx_chain(0, lens, 2, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 0);
	assert_int_equal(stats().tx_errors, 1);
	/* One byte less is the largest frame. */
	lens[1]--;
	tx_chain(2, lens, 2, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 1);
	assert_int_equal(be.last_len, NET_MAX_FRAME);
}

static void test_tx_budget(void **state)
{
	static const uint32_t one[] = { NET_HDR_LEN + 60 };
	unsigned int i;

	driver_start(NET_FEATURES, 256);
	memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
	for (i = 0; i < 200; i++)
		tx_chain(i, one, 1, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	/* One round, then the rest behind other loop work. */
	assert_int_equal(be.sent, VIRTIO_NET_TX_BUDGET);
	assert_int_equal(fring_used_idx(&tx), VIRTIO_NET_TX_BUDGET);
	fg_loop_dispatch(&loop);
	assert_int_equal(be.sent, 200);
	assert_int_equal(fring_used_idx(&tx), 200);
}

/* Receive buffers: n chains of len bytes each, in desc slots first.. */
static void rx_bufs(uint16_t first, unsigned int n, uint32_t len)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		uint16_t d = first + k;

		fdesc(&rx, d, RXBUF_GPA + 0x1000ULL * d, len, VRING_DESC_F_WRITE, 0);
		fring_avail(&rx, d);
	}
}

static void test_rx(void **state)
{
	struct virtio_net_hdr_v1 hdr = { 0 };
	struct virtio_net_hdr_v1 *g;
	const uint8_t *p;

	driver_start(NET_FEATURES & ~F(VIRTIO_NET_F_MRG_RXBUF), 256);
	/* A buffer whose header is split over two descriptors. */
	fdesc(&rx, 0, RXBUF_GPA, 10, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	fdesc(&rx, 1, RXBUF_GPA + 10, 1516, VRING_DESC_F_WRITE, 0);
	fring_avail(&rx, 0);
	memset(fg_ptr(&mem, RXBUF_GPA, 1526), 0xee, 1526);
	hdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;	/* meaningless to this driver */
	hdr.num_buffers = htole16(7);
	assert_int_equal(backend_frame(&hdr, 3, 100), 0);
	assert_int_equal(fring_used_idx(&rx), 1);
	assert_int_equal(fring_used_id(&rx, 0), 0);
	assert_int_equal(fring_used_len(&rx, 0), NET_HDR_LEN + 100);
	g = fg_ptr(&mem, RXBUF_GPA, NET_HDR_LEN);
	assert_int_equal(g->flags, 0);
	assert_int_equal(le16toh(g->num_buffers), 1);	/* 1 without MRG_RXBUF */
	p = fg_ptr(&mem, RXBUF_GPA + NET_HDR_LEN, 101);
	assert_true(check_fill(p, 3, 100));
	assert_int_equal(p[100], 0xee);
	assert_int_equal(atomic_load(&irqs[1]), 1);
	assert_int_equal(stats().rx_frames, 1);

	/* Too big for the chain without mergeable buffers: dropped, buffer kept. */
	rx_bufs(2, 1, 1526);
	assert_int_equal(backend_frame(NULL, 4, 1515), 0);
	assert_int_equal(stats().rx_dropped, 1);
	assert_int_equal(fring_used_idx(&rx), 1);
	fring_set_used_event(&rx, 1);		/* interrupt for the next one */
	assert_int_equal(backend_frame(NULL, 4, 1514), 0);
	assert_int_equal(fring_used_idx(&rx), 2);
	assert_int_equal(fring_used_id(&rx, 1), 2);

	/* Malformed from the backend: a runt, a partial checksum, GSO. */
	rx_bufs(3, 1, 1526);
	assert_int_equal(backend_frame(NULL, 4, ETH_HLEN - 1), 0);
	hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	assert_int_equal(backend_frame(&hdr, 4, 100), 0);
	hdr.flags = 0;
	hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	assert_int_equal(backend_frame(&hdr, 4, 100), 0);
	assert_int_equal(stats().rx_errors, 3);
	assert_int_equal(fring_used_idx(&rx), 2);
	assert_int_equal(atomic_load(&irqs[1]), 2);
}

static void test_rx_mergeable(void **state)
{
	struct virtio_net_hdr_v1 *g;
	unsigned int i;
	uint8_t *out;

	driver_start(NET_FEATURES, 256);
	rx_bufs(0, 4, 1000);
	assert_int_equal(backend_frame(NULL, 5, 2500), 0);
	/* 12 + 2500 bytes: 1000 + 1000 + 512, published together. */
	assert_int_equal(fring_used_idx(&rx), 3);
	assert_int_equal(fring_used_len(&rx, 0), 1000);
	assert_int_equal(fring_used_len(&rx, 1), 1000);
	assert_int_equal(fring_used_len(&rx, 2), 512);
	g = fg_ptr(&mem, RXBUF_GPA, NET_HDR_LEN);
	assert_int_equal(le16toh(g->num_buffers), 3);
	assert_int_equal(atomic_load(&irqs[1]), 1);
	out = malloc(2500);
	for (i = 0; i < 3; i++) {
		uint16_t id = fring_used_id(&rx, i);
		size_t off = i ? 0 : NET_HDR_LEN;
		size_t len = fring_used_len(&rx, i) - off;

		memcpy(out + (i ? 988 + 1000 * (i - 1) : 0),
		       fg_ptr(&mem, RXBUF_GPA + 0x1000ULL * id + off, len), len);
	}
	assert_true(check_fill(out, 5, 2500));
	free(out);

	/* One buffer left, the next frame needs three: it waits, nothing used. */
	assert_int_equal(backend_frame(NULL, 6, 2500), -EAGAIN);
	assert_int_equal(fring_used_idx(&rx), 3);
	assert_int_equal(be.rx_ready, 0);
	/* The driver must kick for the next buffer it adds. */
	assert_true(vring_need_event(fring_avail_event(&rx), 5, 4));
	rx_bufs(4, 2, 1000);
	virtio_queue_notify(vdev, VIRTIO_NET_RXQ);
	assert_int_equal(be.rx_ready, 1);
	assert_int_equal(backend_frame(NULL, 6, 2500), 0);
	assert_int_equal(fring_used_idx(&rx), 6);
	assert_int_equal(fring_used_id(&rx, 3), 3);	/* the one given back first */
	assert_int_equal(fring_used_id(&rx, 4), 4);
	assert_int_equal(le16toh(((struct virtio_net_hdr_v1 *)
				  fg_ptr(&mem, RXBUF_GPA + 0x3000, 12))->num_buffers), 3);
	/* Not waiting any more: another kick owes nothing. */
	virtio_queue_notify(vdev, VIRTIO_NET_RXQ);
	assert_int_equal(be.rx_ready, 1);

	/* The largest frame over 1000-byte buffers: 66 of them. */
	rx_bufs(10, 70, 1000);
	assert_int_equal(backend_frame(NULL, 7, NET_MAX_FRAME - NET_HDR_LEN), 0);
	assert_int_equal(fring_used_idx(&rx), 6 + 66);
	assert_int_equal(le16toh(((struct virtio_net_hdr_v1 *)
				  fg_ptr(&mem, RXBUF_GPA + 0xa000, 12))->num_buffers), 66);
}

static void test_rx_waits(void **state)
{
	/* Before DRIVER_OK frames wait in the backend. */
	assert_int_equal(backend_frame(NULL, 1, 60), -EAGAIN);
	driver_start(NET_FEATURES, 256);
	assert_int_equal(be.rx_ready, 1);	/* at DRIVER_OK */
	/* No buffers yet. */
	assert_int_equal(backend_frame(NULL, 1, 60), -EAGAIN);
	rx_bufs(0, 1, 1526);
	virtio_queue_notify(vdev, VIRTIO_NET_RXQ);
	assert_int_equal(be.rx_ready, 2);
	assert_int_equal(backend_frame(NULL, 1, 60), 0);
	assert_int_equal(fring_used_idx(&rx), 1);

	/* Interrupts suppressed by used_event: used, but no interrupt. */
	fring_set_used_event(&rx, 10);
	rx_bufs(1, 1, 1526);
	assert_int_equal(backend_frame(NULL, 1, 60), 0);
	assert_int_equal(fring_used_idx(&rx), 2);
	assert_int_equal(atomic_load(&irqs[1]), 1);
}

static void test_broken_and_reset(void **state)
{
	static const uint32_t one[] = { NET_HDR_LEN + 60 };

	driver_start(NET_FEATURES, 256);
	rx_bufs(0, 2, 1526);
	/* A looping transmit chain. */
	fdesc(&tx, 0, TXBUF_GPA, 72, VRING_DESC_F_NEXT, 0);
	fring_avail(&tx, 0);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_true(virtio_get_status(vdev) & VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_false(virtio_device_ready(vdev));
	assert_int_equal(atomic_load(&irqs[0]), 1);
	assert_int_equal(virtio_isr_read(vdev), VIRTIO_ISR_CONFIG);
	assert_int_equal(be.sent, 0);
	assert_int_equal(fring_used_idx(&tx), 0);
	/* Dead until reset: no receive, kicks ignored, one interrupt only. */
	assert_int_equal(backend_frame(NULL, 1, 60), -EAGAIN);
	assert_int_equal(fring_used_idx(&rx), 0);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(atomic_load(&irqs[0]), 1);

	virtio_set_status(vdev, 0);
	assert_int_equal(virtio_get_status(vdev), 0);
	assert_int_equal(virtio_isr_read(vdev), 0);
	driver_start(NET_FEATURES, 256);
	/* The frame held since the breakage is asked for again. */
	assert_int_equal(be.rx_ready, 1);
	memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
	tx_chain(0, one, 1, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 1);

	/* A merged receive buffer too small for the header: broken as well. */
	fdesc(&rx, 0, RXBUF_GPA, 8, VRING_DESC_F_WRITE, 0);
	fring_avail(&rx, 0);
	assert_int_equal(backend_frame(NULL, 1, 60), -EAGAIN);
	assert_true(virtio_get_status(vdev) & VIRTIO_CONFIG_S_NEEDS_RESET);
}

static void test_tx_before_driver_ok(void **state)
{
	static const uint32_t one[] = { NET_HDR_LEN + 60 };

	/* Buffers and a kick before DRIVER_OK: sent once the driver is up. */
	virtio_set_status(vdev, S_UP);
	assert_int_equal(virtio_set_driver_features(vdev, NET_FEATURES), 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK);
	queue_setup(&rx, VIRTIO_NET_RXQ, RXQ_GPA, 256);
	queue_setup(&tx, VIRTIO_NET_TXQ, TXQ_GPA, 256);
	memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
	tx_chain(0, one, 1, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(be.sent, 0);
	virtio_set_status(vdev, S_UP | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	fg_loop_dispatch(&loop);
	assert_int_equal(be.sent, 1);
}

/*
 * A backend over a socketpair, as -netdev socket does: frames travel
 * without the virtio header; a thread reads the socket and delivers,
 * holding a frame and sleeping while the NIC says -EAGAIN.
 */
struct sp_backend {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stalled, stop;
	unsigned int stalls;
};

static int sp_send(void *opaque, const struct iovec *iov, unsigned int iovcnt)
{
	struct sp_backend *b = opaque;
	struct iovec out[VIRTIO_NET_QUEUE_SIZE + 1];
	struct msghdr msg = { .msg_iov = out };

	msg.msg_iovlen = iov_tail(out, VIRTIO_NET_QUEUE_SIZE + 1, iov, iovcnt, NET_HDR_LEN);
	return sendmsg(b->fd, &msg, MSG_DONTWAIT) < 0 ? -errno : 0;
}

static void sp_rx_ready(void *opaque)
{
	struct sp_backend *b = opaque;

	pthread_mutex_lock(&b->lock);
	b->stalled = false;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

static bool sp_link_up(void *opaque)
{
	return true;
}

static const struct net_port_ops sp_ops = {
	.send = sp_send,
	.rx_ready = sp_rx_ready,
	.link_up = sp_link_up,
};

static void *sp_thread(void *arg)
{
	struct sp_backend *b = arg;
	static uint8_t buf[NET_MAX_FRAME];

	for (;;) {
		struct pollfd pfd = { .fd = b->fd, .events = POLLIN };
		struct iovec iov[2];
		ssize_t n;

		pthread_mutex_lock(&b->lock);
		if (b->stop) {
			pthread_mutex_unlock(&b->lock);
			return NULL;
		}
		pthread_mutex_unlock(&b->lock);
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = recv(b->fd, buf + NET_HDR_LEN, sizeof(buf) - NET_HDR_LEN, 0);
		if (n <= 0)
			continue;
		memset(buf, 0, NET_HDR_LEN);
		iov[0].iov_base = buf;
		iov[0].iov_len = NET_HDR_LEN;
		iov[1].iov_base = buf + NET_HDR_LEN;
		iov[1].iov_len = n;
		/* Under the backend lock, so rx_ready cannot slip in between. */
		pthread_mutex_lock(&b->lock);
		while (!b->stop && virtio_net_receive(net, iov, 2) == -EAGAIN) {
			b->stalled = true;
			b->stalls++;
			while (b->stalled && !b->stop)
				pthread_cond_wait(&b->cond, &b->lock);
		}
		pthread_mutex_unlock(&b->lock);
	}
}

static bool wait_used(struct fring *r, uint16_t idx)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (fring_used_idx(r) == idx)
			return true;
		usleep(1000);
	}
	return false;
}

static void test_socketpair(void **state)
{
	static const uint32_t one[] = { NET_HDR_LEN + 200 };
	struct sp_backend b;
	uint8_t got[300];
	int sv[2];
	unsigned int k;

	virtio_net_destroy(net);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	memset(&b, 0, sizeof(b));
	b.fd = sv[0];
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.cond, NULL);
	create_net(&sp_ops, &b);
	assert_int_equal(pthread_create(&b.thread, NULL, sp_thread, &b), 0);
	/* Without event index: an interrupt for every frame. */
	driver_start(NET_FEATURES & ~F(VIRTIO_RING_F_EVENT_IDX), 256);

	/* Guest to wire. */
	memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
	fill(TXBUF_GPA + NET_HDR_LEN, 9, 200);
	tx_chain(0, one, 1, TXBUF_GPA);
	virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	assert_int_equal(recv(sv[1], got, sizeof(got), MSG_DONTWAIT), 200);
	assert_true(check_fill(got, 9, 200));

	/* Wire to guest: three frames, one buffer; the rest wait for buffers. */
	rx_bufs(0, 1, 1526);
	for (k = 0; k < 3; k++) {
		uint8_t f[100];
		unsigned int i;

		for (i = 0; i < sizeof(f); i++)
			f[i] = (uint8_t)(k * 50 + i * 7);
		assert_int_equal(send(sv[1], f, sizeof(f), 0), sizeof(f));
	}
	assert_true(wait_used(&rx, 1));
	usleep(50000);
	assert_int_equal(fring_used_idx(&rx), 1);
	pthread_mutex_lock(&b.lock);
	assert_true(b.stalled);
	pthread_mutex_unlock(&b.lock);
	rx_bufs(1, 2, 1526);
	virtio_queue_notify(vdev, VIRTIO_NET_RXQ);
	assert_true(wait_used(&rx, 3));
	for (k = 0; k < 3; k++) {
		uint16_t id = fring_used_id(&rx, k);

		assert_int_equal(fring_used_len(&rx, k), NET_HDR_LEN + 100);
		assert_true(check_fill(fg_ptr(&mem, RXBUF_GPA + 0x1000ULL * id + NET_HDR_LEN, 100),
				       (uint8_t)(k * 50), 100));
	}
	assert_int_equal(atomic_load(&irqs[1]), 3);

	pthread_mutex_lock(&b.lock);
	b.stop = true;
	pthread_cond_signal(&b.cond);
	pthread_mutex_unlock(&b.lock);
	pthread_join(b.thread, NULL);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Resets racing with a backend thread that delivers frames and with
 * transmit kicks from another thread: nothing may crash, hang, or touch a
 * ring of a queue being reset.
 */
static atomic_bool race_stop;

static void *race_rx(void *arg)
{
	while (!atomic_load(&race_stop))
		backend_frame(NULL, 1, 60);
	return NULL;
}

static void *race_tx(void *arg)
{
	while (!atomic_load(&race_stop))
		virtio_queue_notify(vdev, VIRTIO_NET_TXQ);
	return NULL;
}

static void test_reset_race(void **state)
{
	pthread_t trx, ttx;
	unsigned int round, i;

	atomic_store(&race_stop, false);
	driver_start(NET_FEATURES, 64);
	assert_int_equal(pthread_create(&trx, NULL, race_rx, NULL), 0);
	assert_int_equal(pthread_create(&ttx, NULL, race_tx, NULL), 0);
	for (round = 0; round < 200; round++) {
		/* The guest refills while frames pour in, then resets. */
		for (i = 0; i < 32; i++) {
			fdesc(&rx, i, RXBUF_GPA + 0x1000ULL * i, 1526, VRING_DESC_F_WRITE, 0);
			fring_avail(&rx, i);
			fdesc(&tx, i, TXBUF_GPA, NET_HDR_LEN + 60, 0, 0);
			fring_avail(&tx, i);
		}
		virtio_queue_notify(vdev, VIRTIO_NET_RXQ);
		/* Every other round, let some work happen before the reset. */
		for (i = 0; (round & 1) && i < 2000; i++) {
			if (fring_used_idx(&rx) && fring_used_idx(&tx))
				break;
			usleep(10);
		}
		virtio_set_status(vdev, 0);
		assert_int_equal(virtio_get_status(vdev), 0);
		memset(fg_ptr(&mem, TXBUF_GPA, NET_HDR_LEN), 0, NET_HDR_LEN);
		driver_start(NET_FEATURES, 64);
	}
	atomic_store(&race_stop, true);
	pthread_join(trx, NULL);
	pthread_join(ttx, NULL);
	assert_true(virtio_device_ready(vdev));
	assert_true(stats().rx_frames > 0);
	assert_true(be.sent > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_mergeable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_before_driver_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socketpair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_race, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
