/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network backends behind one small interface (-netdev user, tap, socket,
 * hubport). A backend exchanges frames with at most one frontend (a NIC
 * model). Every frame, in both directions, starts with a struct
 * virtio_net_hdr_v1 (12 bytes): backends that cannot use it (user, socket)
 * drop it on send and prepend a zeroed one on receive, tap with vnet_hdr=on
 * passes it through. So checksum and segmentation offloads slot in later
 * without changing this interface.
 *
 * Backends live for the whole run (a guest reboot keeps them, as QEMU's
 * do); NICs attach at each boot and detach when the VM is torn down.
 */
#ifndef SRIOVM_NET_NET_H
#define SRIOVM_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/virtio_net.h>

#include "net/config.h"

#define NET_HDR_LEN	sizeof(struct virtio_net_hdr_v1)
#define NET_MAX_FRAME	(65536 + NET_HDR_LEN)	/* header + Ethernet frame, largest */

struct loop;
struct net_backend;
struct net;

struct net_frontend_ops {
	/*
	 * A frame for the guest, from any thread. Returns 0 if it was taken
	 * (or dropped for a reason of the NIC's own, e.g. malformed), or
	 * -EAGAIN if the NIC has no receive buffer now: the backend then
	 * keeps the frame (bounded queue, oldest kept) and stops reading
	 * until the NIC calls net_rx_ready().
	 * It may run inside net_send() on the sending thread (a hub port's
	 * peers, slirp's ARP reply), so the NIC calls net_send() and
	 * net_rx_ready() without its receive lock, never from receive().
	 */
	int (*receive)(void *opaque, const struct iovec *iov, unsigned int iovcnt);
	/*
	 * Optional: net_link_up() changed (a socket peer came or went). Any
	 * thread, with the same guarantee about net_detach() as receive().
	 */
	void (*link_changed)(void *opaque);
};

/*
 * How a NIC model reaches its backend: net_backend_port calls net_send(),
 * net_rx_ready() and net_link_up() on the struct net_backend it is given;
 * a test may put a fake of its own in its place.
 */
struct net_port_ops {
	/* A frame (header first). Must not block; < 0: dropped. */
	int (*send)(void *be, const struct iovec *iov, unsigned int iovcnt);
	/* Receive buffers are available again after a receive() said -EAGAIN. */
	void (*rx_ready)(void *be);
	bool (*link_up)(void *be);
};
extern const struct net_port_ops net_backend_port;

/*
 * Creates the nr -netdevs of cfgs (in order; messages name the netdev at
 * fault: "sriovm: -netdev tap,id=t0: cannot create tap0: Operation not
 * permitted"). Returns 0 or -errno with nothing left behind.
 */
int net_create(struct net **netp, const struct netdev_config *cfgs, unsigned int nr,
	       struct loop *loop);
void net_destroy(struct net *net);
struct net_backend *net_find(struct net *net, const char *id);

/* One frontend per backend: -EBUSY if one is attached. */
int net_attach(struct net_backend *be, const struct net_frontend_ops *ops, void *opaque);
/* After it returns, ops->receive is not running and will not be called. */
void net_detach(struct net_backend *be);
/*
 * A frame from the guest. Never blocks: a backend that cannot take it
 * now drops it (as a wire does) and returns -EAGAIN; -EINVAL for a frame
 * it can never take (nothing after the header, longer than NET_MAX_FRAME,
 * offloads the backend cannot do). Any thread.
 */
int net_send(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt);
/* The NIC has receive buffers again: deliver what is queued, resume reading. */
void net_rx_ready(struct net_backend *be);
/* Link state as a NIC reports it (VIRTIO_NET_S_LINK_UP). */
bool net_link_up(const struct net_backend *be);

/* Counters, for tests and diagnostics. */
struct net_stats {
	unsigned long long rx_frames;	/* delivered to the frontend */
	unsigned long long rx_dropped;	/* no frontend, or the receive queue full */
	unsigned long long tx_frames;	/* taken by net_send() */
	unsigned long long tx_dropped;	/* refused by net_send() */
};
void net_get_stats(struct net_backend *be, struct net_stats *st);

#endif
