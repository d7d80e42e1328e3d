/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-net (VIRTIO_ID_NET, spec 5.1): receive queue 0, transmit queue 1,
 * 256 entries each (QEMU's default). Frames travel to and from a network
 * backend with a struct virtio_net_hdr_v1 first, as in net/net.h; the
 * device reaches the backend through a struct net_port_ops (the real one:
 * net_backend_port) and receives through virtio_net_frontend_ops
 * (net_attach()).
 *
 * Threads: transmit runs where the tx queue is notified (I/O thread,
 * deferred work, or a vCPU), at most VIRTIO_NET_TX_BUDGET frames per
 * round; receive runs in whichever thread the backend calls from. Each
 * holds its queue lock; backend_ops->send() is called with the tx queue
 * lock held, rx_ready() without any lock of the device's.
 */
#ifndef SRIOVM_VIRTIO_NET_H
#define SRIOVM_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include <linux/if_ether.h>

#include "net/net.h"
#include "virtio/virtio.h"

#define VIRTIO_NET_RXQ		0
#define VIRTIO_NET_TXQ		1
#define VIRTIO_NET_NUM_QUEUES	2
#define VIRTIO_NET_QUEUE_SIZE	256
#define VIRTIO_NET_TX_BUDGET	128	/* frames per tx round: half a default ring */

struct virtio_net;

struct virtio_net_params {
	const struct dma_space *dma;
	struct loop *loop;
	uint8_t mac[ETH_ALEN];
	const struct net_port_ops *backend;	/* NULL: no -netdev */
	void *backend_data;
};

struct virtio_net_stats {
	uint64_t tx_frames;	/* handed to the backend */
	uint64_t tx_dropped;	/* refused by the backend, or none */
	uint64_t tx_errors;	/* malformed: too short, too long, bad header */
	uint64_t rx_frames;	/* delivered to the guest */
	uint64_t rx_dropped;	/* did not fit the guest's buffers */
	uint64_t rx_errors;	/* malformed from the backend */
};

int virtio_net_create(struct virtio_net **np, const struct virtio_net_params *p);
/* The backend must be detached (receive() no longer called). */
void virtio_net_destroy(struct virtio_net *n);
struct virtio_device *virtio_net_device(struct virtio_net *n);

/*
 * net_frontend_ops.receive: a frame for the guest, from any thread.
 * 0: delivered or dropped; -EAGAIN: no receive buffer (or the driver is
 * not running): rx_ready() follows when there is one.
 */
int virtio_net_receive(void *opaque, const struct iovec *iov, unsigned int iovcnt);
extern const struct net_frontend_ops virtio_net_frontend_ops;

/* The backend's link state may have changed: update status, config interrupt. */
void virtio_net_link_changed(struct virtio_net *n);
void virtio_net_get_stats(struct virtio_net *n, struct virtio_net_stats *st);

#endif
