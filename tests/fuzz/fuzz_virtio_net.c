// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile driver and a busy backend against virtio-net through the
 * virtio core: status and feature writes in any order, queue setup with
 * any values, descriptors and ring entries anywhere in guest RAM, kicks,
 * frames of any length and header from the backend, resets. Guest RAM is
 * two small adjacent regions, each an exactly sized allocation, so ASan
 * reports any access outside them. After every step: a device that needs
 * reset is not ready, and a used index the device published is in guest
 * RAM.
 *
 * Input: a sequence of operations, each an opcode byte and its operands.
 */
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "fuzz_input.h"
#include "lib/dma.h"
#include "lib/guest_mem.h"
#include "virtio/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define R0_SIZE		0x8000u
#define R1_GPA		R0_SIZE
#define R1_SIZE		0x2000u
#define RAM_END		(R1_GPA + R1_SIZE)

static struct guest_mem mem;
static struct dma_space dma;
static struct loop loop;
static bool loop_ready;
static struct virtio_net *net;
static struct virtio_device *vdev;
static unsigned int sent, rx_ready;
static bool link = true;
static uint16_t avail_idx[2];
static uint8_t frame[NET_MAX_FRAME + 64];

static int be_send(void *be, const struct iovec *iov, unsigned int iovcnt)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	/* The contract of net_send(): a whole frame, header first. */
	assert(len >= NET_HDR_LEN && len <= NET_MAX_FRAME);
	sent++;
	return sent % 5 ? 0 : -EAGAIN;
}

static void be_rx_ready(void *be)
{
	rx_ready++;
}

static bool be_link_up(void *be)
{
	return link;
}

static const struct net_port_ops be_ops = {
	.send = be_send,
	.rx_ready = be_rx_ready,
	.link_up = be_link_up,
};

static unsigned int irqs;

static void t_notify(struct virtio_device *d, uint16_t vector)
{
	irqs++;
}

static const struct virtio_transport_ops transport = { .notify = t_notify };

static void loop_dispatch(void)
{
	struct epoll_event ev[4];
	int n, i;

	while ((n = epoll_wait(loop.epfd, ev, 4, 0)) > 0)
		for (i = 0; i < n; i++) {
			struct loop_handler *h = ev[i].data.ptr;

			h->fn(h, ev[i].events);
		}
}

static uint16_t used_before[2];

static void snapshot(void)
{
	unsigned int q;

	for (q = 0; q < 2; q++)
		used_before[q] = virtio_queue_get(vdev, q)->vq.used_idx;
}

/*
 * The guest may scribble over its own used ring, so the index in RAM is
 * checked only where the device just published one.
 */
static void check(void)
{
	unsigned int q;

	if (virtio_get_status(vdev) & VIRTIO_CONFIG_S_NEEDS_RESET)
		assert(!virtio_device_ready(vdev));
	for (q = 0; q < 2; q++) {
		struct virtio_queue *vq = virtio_queue_get(vdev, q);
		uint16_t idx;

		if (!vq->vq.enabled || vq->vq.used_idx == used_before[q])
			continue;
		memcpy(&idx, &vq->vq.used->idx, 2);
		assert(le16toh(idx) == vq->vq.used_idx);
	}
}

/* The usual bring-up, with what the input says. */
static void op_bringup(struct input *in)
{
	uint8_t b = take(in, 1);
	uint64_t f = virtio_device_features(vdev);
	unsigned int q;

	if (b & 1)
		f &= ~(1ULL << VIRTIO_NET_F_MRG_RXBUF);
	if (b & 2)
		f &= ~(1ULL << VIRTIO_RING_F_EVENT_IDX);
	if (b & 4)
		f &= ~(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	virtio_set_status(vdev, 0);
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	virtio_set_driver_features(vdev, f);
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK);
	for (q = 0; q < 2; q++) {
		uint16_t size = 1u << (take(in, 1) % 9);
		uint64_t base = 0x3000ull * q;

		memset(guest_mem_ptr(&mem, base, 0x3000), 0, 0x3000);
		virtio_queue_set_size(vdev, q, size);
		virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DESC, base);
		virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DRIVER, base + 0x1000);
		virtio_queue_set_addr(vdev, q, VIRTIO_QUEUE_DEVICE, base + 0x2000);
		virtio_queue_set_vector(vdev, q, q + 1);
		virtio_queue_enable(vdev, q);
		avail_idx[q] = 0;
	}
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

static void op_queue(struct input *in)
{
	unsigned int q = take(in, 1) % 3;

	switch (take(in, 1) % 5) {
	case 0:
		virtio_queue_set_size(vdev, q, take(in, 2));
		break;
	case 1:
		virtio_queue_set_addr(vdev, q, take(in, 1) % 3, take_gpa(in, RAM_END));
		break;
	case 2:
		virtio_queue_set_vector(vdev, q, take(in, 2));
		break;
	case 3:
		virtio_queue_enable(vdev, q);
		if (q < 2)
			avail_idx[q] = 0;
		break;
	case 4:
		(void)virtio_queue_size(vdev, q);
		(void)virtio_queue_addr(vdev, q, take(in, 1) % 3);
		break;
	}
}

static struct virtio_queue *queue_of(struct input *in)
{
	struct virtio_queue *vq = virtio_queue_get(vdev, take(in, 1) & 1);

	return vq->vq.enabled ? vq : NULL;
}

static void publish(struct virtio_queue *vq, uint16_t head)
{
	unsigned int q = vq - virtio_queue_get(vdev, 0);
	uint16_t v = htole16(head);

	guest_mem_write(&mem, vq->vq.avail_addr + 4 + 2ull * (avail_idx[q] & (vq->vq.size - 1)),
			&v, 2);
	avail_idx[q]++;
	v = htole16(avail_idx[q]);
	guest_mem_write(&mem, vq->vq.avail_addr + 2, &v, 2);
}

static void op_desc(struct input *in)
{
	struct virtio_queue *vq = queue_of(in);
	unsigned int i = take(in, 1);
	struct vring_desc d;
	uint64_t table;

	if (!vq)
		return;
	table = i & 0x80 ? take_gpa(in, RAM_END) : vq->vq.desc_addr;
	i %= vq->vq.size;
	d.addr = htole64(take_gpa(in, RAM_END));
	d.len = htole32(take(in, 1) & 0x80 ? take(in, 4) : take(in, 2) & 0x7ff);
	d.flags = htole16(take(in, 1) & 7);
	d.next = htole16(take(in, 1));
	guest_mem_write(&mem, table + 16ull * i, &d, sizeof(d));
}

static void op_avail(struct input *in)
{
	struct virtio_queue *vq = queue_of(in);
	uint8_t h = take(in, 1);

	if (vq)
		publish(vq, h & 0x80 ? h : h % vq->vq.size);
}

/* Well-formed buffers: tx frames (header, frame) or rx buffers. */
static void op_buffers(struct input *in)
{
	struct virtio_queue *vq = queue_of(in);
	unsigned int n = take(in, 1) % 8 + 1, k;
	bool rx = vq == virtio_queue_get(vdev, VIRTIO_NET_RXQ);

	if (!vq)
		return;
	for (k = 0; k < n; k++) {
		/* The slot of the entry about to be published: usually free. */
		uint16_t i = avail_idx[rx ? VIRTIO_NET_RXQ : VIRTIO_NET_TXQ] & (vq->vq.size - 1);
		uint64_t buf = 0x6000 + 0x400ull * (take(in, 1) % 12);
		struct vring_desc d = {
			.addr = htole64(buf),
			.len = htole32(rx ? 0x400 : NET_HDR_LEN + 14 + take(in, 1) * 3),
			.flags = htole16(rx ? VRING_DESC_F_WRITE : 0),
		};

		if (!rx)
			memset(guest_mem_ptr(&mem, buf, NET_HDR_LEN), 0, NET_HDR_LEN);
		guest_mem_write(&mem, vq->vq.desc_addr + 16ull * i, &d, sizeof(d));
		publish(vq, i);
	}
}

static void op_frame(struct input *in)
{
	uint32_t len = take(in, 1) & 0x80 ? take(in, 3) % (NET_MAX_FRAME + 64) :
		       take(in, 2) % 2048;
	struct virtio_net_hdr_v1 hdr = { 0 };
	struct iovec iov[2];
	uint8_t b = take(in, 1);

	if (b & 0x80) {
		hdr.flags = b & 7;
		hdr.gso_type = take(in, 1);
	}
	iov[0].iov_base = &hdr;
	iov[0].iov_len = len < NET_HDR_LEN ? len : NET_HDR_LEN;
	iov[1].iov_base = frame;
	iov[1].iov_len = len - iov[0].iov_len;
	memset(frame, b, iov[1].iov_len);
	(void)virtio_net_receive(net, iov, 2);
}

static void op_config(struct input *in)
{
	static const unsigned int lens[] = { 1, 2, 4, 8 };
	unsigned int off = take(in, 1) % 16, len = lens[take(in, 1) % 4];
	uint8_t buf[8] = { 0 };

	if (take(in, 1) & 1)
		virtio_config_write(vdev, off, buf, len);
	else
		virtio_config_read(vdev, off, buf, len);
}

static void run(struct input *in)
{
	while (in->left) {
		snapshot();
		switch (take(in, 1) % 16) {
		case 0:
			virtio_set_status(vdev, take(in, 1));
			break;
		case 1:
			virtio_set_driver_features(vdev, (uint64_t)take(in, 4) << 32 | take(in, 4));
			break;
		case 2:
			op_bringup(in);
			break;
		case 3:
			op_queue(in);
			break;
		case 4:
			op_desc(in);
			break;
		case 5:
			op_avail(in);
			break;
		case 6:
			op_buffers(in);
			break;
		case 7:
		case 8:
			virtio_queue_notify(vdev, take(in, 1) % 3);
			break;
		case 9:
			op_frame(in);
			break;
		case 10:
			loop_dispatch();
			break;
		case 11:
			op_config(in);
			break;
		case 12:
			(void)virtio_isr_read(vdev);
			(void)virtio_config_generation(vdev);
			virtio_set_config_vector(vdev, take(in, 2));
			break;
		case 13:
			fuzz_op_write(in, &mem, RAM_END, 16);
			break;
		case 14:
			link = !link;
			virtio_net_link_changed(net);
			break;
		case 15:
			virtio_set_status(vdev, 0);
			assert(virtio_get_status(vdev) == 0);
			break;
		}
		check();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_net_params p = {
		.dma = &dma,
		.loop = &loop,
		.mac = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
		.backend = &be_ops,
	};
	struct input in = { data, size };

	if (!loop_ready) {
		if (loop_init(&loop))
			abort();
		loop_ready = true;
	}
	fuzz_mem_init(&mem, &dma, R0_SIZE, R1_SIZE);
	link = true;
	if (virtio_net_create(&net, &p))
		abort();
	vdev = virtio_net_device(net);
	virtio_device_set_transport(vdev, &transport, NULL);
	run(&in);
	virtio_net_destroy(net);
	fuzz_mem_free(&mem);
	return 0;
}
