// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net device model. Frames keep the 12-byte virtio_net_hdr_v1 the
 * backend interface uses (VIRTIO_F_VERSION_1: the header always has
 * num_buffers), and the header may sit anywhere in a chain and span
 * descriptors (spec 5.1.6: any layout). A legacy driver (no VERSION_1)
 * without VIRTIO_NET_F_MRG_RXBUF has the 10-byte header without
 * num_buffers (spec 5.1.6.1, legacy interface).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_ids.h>

#include "lib/iov.h"
#include "lib/kernel.h"
#include "virtio/net.h"

/*
 * What the device offers. Checksum and segmentation offloads and the
 * control queue come in later: their bits go here, and what they allow in
 * the header goes into virtio_net_hdr_from_guest() / _to_guest().
 */
#define VIRTIO_NET_FEATURES	((1ULL << VIRTIO_F_VERSION_1) |			\
				 (1ULL << VIRTIO_NET_F_MAC) |			\
				 (1ULL << VIRTIO_NET_F_STATUS) |		\
				 (1ULL << VIRTIO_NET_F_MRG_RXBUF) |		\
				 (1ULL << VIRTIO_RING_F_EVENT_IDX) |		\
				 (1ULL << VIRTIO_RING_F_INDIRECT_DESC))

/* mac, status and max_virtqueue_pairs, as QEMU shows them. */
#define VIRTIO_NET_CONFIG_SIZE	offsetof(struct virtio_net_config, mtu)

/* The fields of that configuration: mac, status, max_virtqueue_pairs. */
static const uint8_t virtio_net_config_fields[] = {
	sizeof_field(struct virtio_net_config, mac),
	sizeof_field(struct virtio_net_config, status),
	sizeof_field(struct virtio_net_config, max_virtqueue_pairs),
	0
};

/* Shortest frame worth passing on: a header and an Ethernet header. */
#define VIRTIO_NET_MIN_FRAME	(NET_HDR_LEN + ETH_HLEN)

struct virtio_net {
	struct virtio_device vdev;
	uint8_t mac[ETH_ALEN];		/* the device's; under vdev.lock */
	uint8_t mac_default[ETH_ALEN];	/* mac= : what a reset restores */
	const struct net_port_ops *be_ops;
	void *be;
	atomic_bool link_up;		/* as last shown to the driver */

	/* Under the rx queue lock. */
	bool rx_waiting;		/* a receive() said -EAGAIN: rx_ready() is owed */
	struct iovec rx_iov[VIRTIO_NET_QUEUE_SIZE];	/* a frame's first buffer */
	struct iovec rx_more[VIRTIO_NET_QUEUE_SIZE];	/* its next buffers */

	/* Under the tx queue lock. */
	struct iovec tx_iov[VIRTIO_NET_QUEUE_SIZE];
	struct iovec tx_out[VIRTIO_NET_QUEUE_SIZE + 1];

	_Atomic uint64_t tx_frames, tx_dropped, tx_errors;
	_Atomic uint64_t rx_frames, rx_dropped, rx_errors;
};

static struct virtio_net *to_net(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_net, vdev);
}

static void stat_inc(_Atomic uint64_t *c)
{
	atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* The header the driver's buffers carry, by the features it accepted. */
static size_t virtio_net_hdr_len(struct virtio_net *n)
{
	if (virtio_has_feature(&n->vdev, VIRTIO_F_VERSION_1) ||
	    virtio_has_feature(&n->vdev, VIRTIO_NET_F_MRG_RXBUF))
		return sizeof(struct virtio_net_hdr_v1);
	return sizeof(struct virtio_net_hdr);
}

/*
 * A transmit header from the driver, checked against the features it
 * accepted. Without VIRTIO_NET_F_CSUM and the HOST_* offloads the driver
 * must send flags 0 and GSO_NONE (spec 5.1.6.2.1); the other fields then
 * mean nothing and go out as 0.
 */
static int virtio_net_hdr_from_guest(struct virtio_net *n, struct virtio_net_hdr_v1 *hdr)
{
	if (hdr->flags || hdr->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return -EINVAL;
	memset(hdr, 0, sizeof(*hdr));
	return 0;
}

/*
 * A receive header from the backend, made fit for the driver: without
 * VIRTIO_NET_F_GUEST_CSUM and the GUEST_* offloads the driver can take
 * neither a partial checksum nor a GSO frame; DATA_VALID it would ignore.
 * num_buffers is set by the caller.
 */
static int virtio_net_hdr_to_guest(struct virtio_net *n, struct virtio_net_hdr_v1 *hdr)
{
	if ((hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	    hdr->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return -EINVAL;
	memset(hdr, 0, sizeof(*hdr));
	return 0;
}

static void virtio_net_tx_one(struct virtio_net *n, const struct virtq_elem *e)
{
	struct virtio_net_hdr_v1 hdr = { 0 };
	size_t hlen = virtio_net_hdr_len(n);
	unsigned int cnt;

	if (e->rd_len < hlen + ETH_HLEN || e->rd_len - hlen > NET_MAX_FRAME - NET_HDR_LEN) {
		stat_inc(&n->tx_errors);
		return;
	}
	/* A copy: the guest may rewrite the header while we look at it. */
	iov_to_buf(e->rd, e->rd_num, 0, &hdr, hlen);
	if (virtio_net_hdr_from_guest(n, &hdr)) {
		stat_inc(&n->tx_errors);
		return;
	}
	if (!n->be_ops) {
		stat_inc(&n->tx_dropped);
		return;
	}
	n->tx_out[0].iov_base = &hdr;
	n->tx_out[0].iov_len = NET_HDR_LEN;
	cnt = iov_tail(n->tx_out + 1, VIRTIO_NET_QUEUE_SIZE, e->rd, e->rd_num, hlen);
	if (n->be_ops->send(n->be, n->tx_out, cnt + 1) < 0)
		stat_inc(&n->tx_dropped);
	else
		stat_inc(&n->tx_frames);
}

/* virtio_queue_serve()'s answer: one frame out, nothing written back. */
static uint32_t virtio_net_tx_answer(void *opaque, const struct virtq_elem *e)
{
	virtio_net_tx_one(opaque, e);
	return 0;
}

/*
 * Transmits what the driver made available, VIRTIO_NET_TX_BUDGET frames
 * at most; the rest waits behind other work in the loop thread.
 */
static void virtio_net_tx(struct virtio_net *n)
{
	virtio_queue_serve(&n->vdev, VIRTIO_NET_TXQ, n->tx_iov, VIRTIO_NET_QUEUE_SIZE,
			   VIRTIO_NET_TX_BUDGET, "tx queue", virtio_net_tx_answer, n);
}

/*
 * The next receive buffer: 1, or -EAGAIN with kicks enabled when the ring
 * is empty, or -EINVAL.
 */
static int virtio_net_rx_pop(struct virtq *vq, struct virtq_elem *e, struct iovec *iov)
{
	for (;;) {
		int ret = virtq_pop(vq, e, iov, VIRTIO_NET_QUEUE_SIZE);

		if (ret)
			return ret < 0 ? -EINVAL : 1;
		/* Ask for a kick, unless buffers came meanwhile. */
		if (!virtq_enable_notify(vq))
			return -EAGAIN;
	}
}

/*
 * Without VIRTIO_NET_F_MRG_RXBUF a frame must fit one chain (spec
 * 5.1.6.3.1); its header is the driver's (hlen bytes), the frame from the
 * backend has the 12-byte one.
 */
static int virtio_net_rx_single(struct virtio_net *n, struct virtq *vq,
				struct virtio_net_hdr_v1 *hdr, const struct iovec *iov,
				unsigned int iovcnt, size_t len)
{
	size_t hlen = virtio_net_hdr_len(n), glen = len - NET_HDR_LEN + hlen;
	struct virtq_elem e;
	int ret;

	ret = virtio_net_rx_pop(vq, &e, n->rx_iov);
	if (ret < 0)
		return ret;
	if (e.wr_len < glen) {
		/* Dropped; the buffer waits for a frame that fits. */
		virtq_unpop(vq, 1);
		stat_inc(&n->rx_dropped);
		return 0;
	}
	hdr->num_buffers = htole16(1);
	iov_from_buf(e.wr, e.wr_num, 0, hdr, hlen);
	iov_copy(e.wr, e.wr_num, hlen, iov, iovcnt, NET_HDR_LEN, len - NET_HDR_LEN);
	virtq_push(vq, e.head, (uint32_t)glen);
	return 1;
}

/*
 * With VIRTIO_NET_F_MRG_RXBUF a frame spreads over as many chains as it
 * needs; the header (12 bytes, legacy or not) goes into the first and
 * counts them in num_buffers, and all are published together. If the ring runs dry midway the chains
 * go back and the frame waits (-EAGAIN).
 */
static int virtio_net_rx_merge(struct virtio_net *n, struct virtq *vq,
			       struct virtio_net_hdr_v1 *hdr, const struct iovec *iov,
			       unsigned int iovcnt, size_t len)
{
	struct virtq_elem first, e;
	unsigned int nbufs = 1;
	size_t off, put;
	int ret;

	ret = virtio_net_rx_pop(vq, &first, n->rx_iov);
	if (ret < 0)
		return ret;
	/* Every buffer holds at least a header (spec 5.1.6.3.1). */
	if (first.wr_len < NET_HDR_LEN) {
		virtq_unpop(vq, 1);
		return -EINVAL;
	}
	put = iov_copy(first.wr, first.wr_num, NET_HDR_LEN, iov, iovcnt, NET_HDR_LEN,
		       len - NET_HDR_LEN);
	off = NET_HDR_LEN + put;
	virtq_fill(vq, 0, first.head, off);
	while (off < len) {
		if (nbufs == vq->size) {
			/* More buffers than the ring holds: it cannot ever fit. */
			virtq_unpop(vq, nbufs);
			stat_inc(&n->rx_dropped);
			return 0;
		}
		ret = virtio_net_rx_pop(vq, &e, n->rx_more);
		if (ret < 0) {
			virtq_unpop(vq, nbufs);
			return ret;
		}
		put = iov_copy(e.wr, e.wr_num, 0, iov, iovcnt, off, len - off);
		off += put;
		virtq_fill(vq, nbufs++, e.head, put);
	}
	hdr->num_buffers = htole16(nbufs);
	iov_from_buf(first.wr, first.wr_num, 0, hdr, NET_HDR_LEN);
	virtq_flush(vq, nbufs);
	return 1;
}

int virtio_net_receive(void *opaque, const struct iovec *iov, unsigned int iovcnt)
{
	struct virtio_net *n = opaque;
	struct virtio_queue *rxq = virtio_queue_get(&n->vdev, VIRTIO_NET_RXQ);
	struct virtio_net_hdr_v1 hdr;
	size_t len = iov_size(iov, iovcnt);
	int ret;

	if (len < VIRTIO_NET_MIN_FRAME || len > NET_MAX_FRAME) {
		stat_inc(&n->rx_errors);
		return 0;
	}
	iov_to_buf(iov, iovcnt, 0, &hdr, NET_HDR_LEN);
	pthread_mutex_lock(&rxq->lock);
	if (!virtio_device_ready(&n->vdev) || !rxq->vq.enabled) {
		/* Held by the backend until the driver runs (activate). */
		ret = -EAGAIN;
		goto wait;
	}
	if (virtio_net_hdr_to_guest(n, &hdr)) {
		stat_inc(&n->rx_errors);
		ret = 0;
		goto out;
	}
	if (virtio_has_feature(&n->vdev, VIRTIO_NET_F_MRG_RXBUF))
		ret = virtio_net_rx_merge(n, &rxq->vq, &hdr, iov, iovcnt, len);
	else
		ret = virtio_net_rx_single(n, &rxq->vq, &hdr, iov, iovcnt, len);
	if (ret == -EAGAIN)
		goto wait;
	if (ret < 0) {
		virtio_device_broken(&n->vdev, "rx queue: malformed descriptor chain");
		/* Kept by the backend until the driver resets and runs again. */
		ret = -EAGAIN;
		goto wait;
	}
	/* Not waiting for buffers: the driver need not kick for them. */
	virtq_disable_notify(&rxq->vq);
	if (ret > 0) {
		stat_inc(&n->rx_frames);
		virtio_queue_interrupt(&n->vdev, VIRTIO_NET_RXQ);
		ret = 0;
	}
	goto out;
wait:
	n->rx_waiting = true;
out:
	pthread_mutex_unlock(&rxq->lock);
	return ret;
}

static void virtio_net_link_event(void *opaque)
{
	virtio_net_link_changed(opaque);
}

const struct net_frontend_ops virtio_net_frontend_ops = {
	.receive = virtio_net_receive,
	.link_changed = virtio_net_link_event,
};

/*
 * Takes the debt of an rx_ready() under the rx lock, so that it cannot
 * race with a receive() about to say -EAGAIN, and pays it without.
 */
static void virtio_net_rx_resume(struct virtio_net *n, bool stop_kicks)
{
	struct virtio_queue *rxq = virtio_queue_get(&n->vdev, VIRTIO_NET_RXQ);
	bool waiting;

	pthread_mutex_lock(&rxq->lock);
	if (stop_kicks && rxq->vq.enabled)
		virtq_disable_notify(&rxq->vq);
	waiting = n->rx_waiting;
	n->rx_waiting = false;
	pthread_mutex_unlock(&rxq->lock);
	if (waiting && n->be_ops)
		n->be_ops->rx_ready(n->be);
}

static void virtio_net_queue_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_net *n = to_net(vdev);

	if (q == VIRTIO_NET_RXQ)
		virtio_net_rx_resume(n, true);
	else if (q == VIRTIO_NET_TXQ)
		virtio_net_tx(n);
}

static int virtio_net_activate(struct virtio_device *vdev)
{
	struct virtio_net *n = to_net(vdev);

	/* Frames held while the driver was away; buffers queued before DRIVER_OK. */
	virtio_net_rx_resume(n, false);
	virtio_queue_reschedule(vdev, VIRTIO_NET_TXQ);
	return 0;
}

static uint64_t virtio_net_features(struct virtio_device *vdev)
{
	return VIRTIO_NET_FEATURES;
}

static void virtio_net_config_read(struct virtio_device *vdev, unsigned int offset, void *data,
				   unsigned int len)
{
	struct virtio_net *n = to_net(vdev);
	struct virtio_net_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.mac, n->mac, ETH_ALEN);
	cfg.status = htole16(atomic_load(&n->link_up) ? VIRTIO_NET_S_LINK_UP : 0);
	cfg.max_virtqueue_pairs = htole16(1);
	memcpy(data, (uint8_t *)&cfg + offset, len);
}

/*
 * A legacy driver sets the MAC by writing it into the configuration, byte
 * by byte (Linux's virtnet_set_mac_address() without VERSION_1 or
 * CTRL_MAC_ADDR; QEMU takes it the same way); a modern one cannot (spec
 * 5.1.4: mac is read-only for it), and the rest is read-only for both.
 * Reset brings back mac=.
 */
static void virtio_net_config_write(struct virtio_device *vdev, unsigned int offset,
				    const void *data, unsigned int len)
{
	struct virtio_net *n = to_net(vdev);
	unsigned int end = offset + len;

	if (!virtio_is_legacy(vdev) || offset >= ETH_ALEN)
		return;
	memcpy(n->mac + offset, data, (end > ETH_ALEN ? ETH_ALEN : end) - offset);
}

static void virtio_net_reset(struct virtio_device *vdev)
{
	struct virtio_net *n = to_net(vdev);

	memcpy(n->mac, n->mac_default, ETH_ALEN);
}

static const struct virtio_dev_ops virtio_net_ops = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.queue_max_size = VIRTIO_NET_QUEUE_SIZE,
	.config_size = VIRTIO_NET_CONFIG_SIZE,
	.config_fields = virtio_net_config_fields,
	.features = virtio_net_features,
	.config_read = virtio_net_config_read,
	.config_write = virtio_net_config_write,
	.activate = virtio_net_activate,
	.queue_notify = virtio_net_queue_notify,
	.reset = virtio_net_reset,
};

static bool virtio_net_backend_link(struct virtio_net *n)
{
	/* No backend: the link is up, as QEMU shows it. */
	return !n->be_ops || !n->be_ops->link_up || n->be_ops->link_up(n->be);
}

int virtio_net_create(struct virtio_net **np, const struct virtio_net_params *p)
{
	struct virtio_net *n;
	int ret;

	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	memcpy(n->mac, p->mac, ETH_ALEN);
	memcpy(n->mac_default, p->mac, ETH_ALEN);
	n->be_ops = p->backend;
	n->be = p->backend_data;
	atomic_init(&n->link_up, virtio_net_backend_link(n));
	ret = virtio_device_init(&n->vdev, &virtio_net_ops, VIRTIO_NET_NUM_QUEUES, p->dma,
				 p->loop);
	if (ret) {
		free(n);
		return ret;
	}
	*np = n;
	return 0;
}

void virtio_net_destroy(struct virtio_net *n)
{
	if (!n)
		return;
	virtio_device_destroy(&n->vdev);
	free(n);
}

struct virtio_device *virtio_net_device(struct virtio_net *n)
{
	return &n->vdev;
}

void virtio_net_link_changed(struct virtio_net *n)
{
	bool up = virtio_net_backend_link(n);

	if (atomic_exchange(&n->link_up, up) != up)
		virtio_config_changed(&n->vdev);
}

void virtio_net_get_stats(struct virtio_net *n, struct virtio_net_stats *st)
{
	st->tx_frames = atomic_load(&n->tx_frames);
	st->tx_dropped = atomic_load(&n->tx_dropped);
	st->tx_errors = atomic_load(&n->tx_errors);
	st->rx_frames = atomic_load(&n->rx_frames);
	st->rx_dropped = atomic_load(&n->rx_dropped);
	st->rx_errors = atomic_load(&n->rx_errors);
}
