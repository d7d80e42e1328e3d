/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every backend shares: the frontend it serves and the bounded queue
 * of frames that frontend could not take yet. Backends embed struct
 * net_backend and fill in its ops.
 *
 * Lock order, outermost first:
 *   1. the backend's own lock (user: the slirp mutex; socket: the output
 *      lock), never held while waiting;
 *   2. rxq_lock, the queue lock: held around every call to receive(), so
 *      net_detach() can wait for a running delivery;
 *   3. the frontend's receive lock, taken inside receive().
 * Hence a frontend calls net_send() and net_rx_ready() without its receive
 * lock, and never from inside receive().
 */
#ifndef SRIOVM_NET_BACKEND_H
#define SRIOVM_NET_BACKEND_H

#include <pthread.h>
#include <stdint.h>

#include "lib/kernel.h"
#include "net/net.h"

/* Receive queue bound: whichever comes first. */
#define NET_RXQ_FRAMES		256
#define NET_RXQ_BYTES		(1u << 20)

/* The Ethernet frame alone: what travels on a socket or through slirp. */
#define NET_MAX_ETH_FRAME	(NET_MAX_FRAME - NET_HDR_LEN)

struct net_backend_ops {
	/*
	 * A frame from the frontend, header first, its length already
	 * checked (more than NET_HDR_LEN, at most NET_MAX_FRAME). Any thread.
	 */
	int (*send)(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt,
		    size_t len);
	/*
	 * The queue drained (or the frontend left): a backend that stopped
	 * reading may read again. Any thread, no lock held; it only wakes
	 * the backend, which checks net_rx_stalled() itself.
	 */
	void (*rx_resume)(struct net_backend *be);
	bool (*link_up)(const struct net_backend *be);
	void (*destroy)(struct net_backend *be);
};

struct net_rxq_frame {
	size_t len;
	uint8_t data[];
};

struct net_backend {
	const struct net_backend_ops *ops;
	const struct netdev_config *cfg;
	char *id;

	pthread_mutex_t rxq_lock;
	/* Under rxq_lock. */
	const struct net_frontend_ops *fe;
	void *fe_opaque;
	struct net_rxq_frame *rxq[NET_RXQ_FRAMES];
	unsigned int rxq_head, rxq_count;
	size_t rxq_bytes;
	bool rx_stalled;	/* the frontend said -EAGAIN; queue until net_rx_ready() */
	unsigned long long rx_frames, rx_dropped;
	/* Any thread, atomically. */
	unsigned long long tx_frames, tx_dropped;
};

void net_backend_init(struct net_backend *be, const struct net_backend_ops *ops,
		      const struct netdev_config *cfg);
void net_backend_fini(struct net_backend *be);

/*
 * Hands a frame (header first) to the frontend, or queues it if the
 * frontend is stalled, or drops it (no frontend, queue full). Returns
 * false when the frame was queued or dropped for a full queue: a backend
 * that can, stops reading until its rx_resume().
 */
bool net_deliver(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt);
/* Tells the frontend that net_link_up() changed. */
void net_link_changed(struct net_backend *be);
/* Frames are waiting for the frontend: do not read more. */
bool net_rx_stalled(struct net_backend *be);

/* "sriovm: -netdev tap,id=t0: " and the message, on stderr. */
void net_err(const struct netdev_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The header asks for checksum or segmentation work a plain wire cannot do. */
bool net_hdr_wants_offload(const struct virtio_net_hdr_v1 *hdr);

int net_user_create(struct net_backend **bep, const struct netdev_config *cfg);
int net_tap_create(struct net_backend **bep, const struct netdev_config *cfg,
		   struct loop *loop);
int net_socket_create(struct net_backend **bep, const struct netdev_config *cfg,
		      struct loop *loop);

struct net_hub;
int net_hubport_create(struct net_backend **bep, const struct netdev_config *cfg,
		       struct net_hub **hubs);
void net_hubs_free(struct net_hub *hubs);

#endif
