// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev tap,id=X[,ifname=NAME][,vnet_hdr=on|off][,script=no,downscript=no]
 *
 * A Linux tap device (IFF_TAP | IFF_NO_PI). With vnet_hdr (on by default
 * when the kernel has it, as in QEMU) the header size is set to 12 bytes,
 * so a struct virtio_net_hdr_v1 crosses the tap unchanged in both
 * directions; without it the header is stripped on send and a zeroed one
 * prepended on receive.
 *
 * Reads happen on the main loop, the fd non-blocking, a bounded number of
 * frames per wakeup. When the frontend is full the fd leaves the loop, so
 * frames wait in the kernel's queue instead of being dropped here, and
 * returns to it when net_rx_ready() drains the queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "lib/iov.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "net/backend.h"

#define TAP_READ_BUDGET		64	/* frames per wakeup: others get their turn */
#define TAP_IOV_MAX		64

struct net_tap {
	struct net_backend be;
	struct loop *loop;
	int fd;
	int wake_fd;		/* net_rx_ready() -> main loop: read again */
	bool vnet_hdr;
	/* Main thread only. */
	bool reading;		/* fd is in the loop */
	bool in_loop_wake;
	bool broken;		/* read failed: never read again */
	struct loop_handler read_h;
	struct loop_handler wake_h;
	uint8_t *rbuf;		/* NET_MAX_FRAME */
	char ifname[IFNAMSIZ];
};

static int tap_send(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt,
		    size_t len)
{
	struct net_tap *t = container_of(be, struct net_tap, be);
	struct iovec local[TAP_IOV_MAX];
	struct virtio_net_hdr_v1 hdr = { 0 };	/* net_send() checked the length */
	size_t skip = 0;
	uint8_t *flat = NULL;
	unsigned int n;
	ssize_t w;

	if (!t->vnet_hdr) {
		iov_to_buf(iov, iovcnt, 0, &hdr, sizeof(hdr));
		/* Nobody on the other side would do the work: the frame is unusable. */
		if (net_hdr_wants_offload(&hdr))
			return -EINVAL;
		skip = NET_HDR_LEN;	/* the wire gets the frame alone */
	}
	n = iov_tail(local, TAP_IOV_MAX, iov, iovcnt, skip);
	len -= skip;
	if (iov_size(local, n) < len) {
		/* Too scattered for the stack array: flatten. */
		flat = malloc(len);
		if (!flat)
			return -EAGAIN;
		iov_to_buf(iov, iovcnt, skip, flat, len);
		local[0].iov_base = flat;
		local[0].iov_len = len;
		n = 1;
	}
	/* One write is one frame: concurrent senders need no lock. */
	do {
		w = writev(t->fd, local, (int)n);
	} while (w < 0 && errno == EINTR);
	free(flat);
	if (w >= 0)
		return 0;
	/* The kernel refused the header; or full, or the link down (EIO): lost. */
	return errno == EINVAL ? -EINVAL : -EAGAIN;
}

static void tap_read_event(struct loop_handler *h, uint32_t events)
{
	struct net_tap *t = container_of(h, struct net_tap, read_h);
	uint8_t *dst = t->vnet_hdr ? t->rbuf : t->rbuf + NET_HDR_LEN;
	size_t room = t->vnet_hdr ? NET_MAX_FRAME : NET_MAX_ETH_FRAME;
	unsigned int budget = TAP_READ_BUDGET;
	struct iovec iov;
	ssize_t n;

	/* An event already fetched when the fd left the loop. */
	if (!t->reading)
		return;
	while (budget--) {
		/* The kernel fills 10 header bytes and skips num_buffers. */
		memset(t->rbuf, 0, NET_HDR_LEN);
		n = read(t->fd, dst, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			/* The device is gone (EBADFD): stop, do not spin on it. */
			log_error(NULL, "-netdev tap,id=%s: %s: %s; no more input",
				t->be.id, t->ifname, strerror(errno));
			loop_del(t->loop, t->fd);
			t->reading = false;
			t->broken = true;
			return;
		}
		if (t->vnet_hdr && (size_t)n < NET_HDR_LEN)
			continue;
		iov.iov_base = t->rbuf;
		iov.iov_len = t->vnet_hdr ? (size_t)n : (size_t)n + NET_HDR_LEN;
		if (!net_deliver(&t->be, &iov, 1)) {
			loop_del(t->loop, t->fd);
			t->reading = false;
			return;
		}
	}
}

static void tap_wake_event(struct loop_handler *h, uint32_t events)
{
	struct net_tap *t = container_of(h, struct net_tap, wake_h);
	uint64_t v;

	if (read(t->wake_fd, &v, sizeof(v)) < 0) {
		/* nothing pending: a spurious wakeup */
	}
	if (!t->reading && !t->broken && !net_rx_stalled(&t->be) &&
	    !loop_add(t->loop, t->fd, EPOLLIN, &t->read_h))
		t->reading = true;
}

static void tap_rx_resume(struct net_backend *be)
{
	struct net_tap *t = container_of(be, struct net_tap, be);
	/* Fails only on a full counter: a wake-up is pending then. */
	eventfd_write(t->wake_fd, 1);
}

static void tap_destroy(struct net_backend *be)
{
	struct net_tap *t = container_of(be, struct net_tap, be);

	if (t->reading)
		loop_del(t->loop, t->fd);
	if (t->in_loop_wake)
		loop_del(t->loop, t->wake_fd);
	if (t->wake_fd >= 0)
		close(t->wake_fd);
	/* The device goes with its last fd: it was not made persistent. */
	if (t->fd >= 0)
		close(t->fd);
	free(t->rbuf);
	net_backend_fini(&t->be);
	free(t);
}

static const struct net_backend_ops tap_ops = {
	.send = tap_send,
	.rx_resume = tap_rx_resume,
	.destroy = tap_destroy,
};

static int tap_open(struct net_tap *t, const struct netdev_config *cfg)
{
	const char *name = cfg->tap.ifname;
	struct ifreq ifr = { 0 };
	unsigned int features = 0;
	int hdr_len = NET_HDR_LEN;
	bool vnet_hdr;

	if (name && (!*name || strlen(name) >= IFNAMSIZ)) {
		net_err(cfg, "ifname=%s: an interface name has 1 to %d characters",
			name, IFNAMSIZ - 1);
		return -EINVAL;
	}
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		int err = errno;

		net_err(cfg, "cannot open /dev/net/tun: %s", strerror(err));
		return -err;
	}
	if (ioctl(t->fd, TUNGETFEATURES, &features))
		features = 0;		/* very old kernels: no vnet header */
	if (cfg->tap.vnet_hdr_set) {
		vnet_hdr = cfg->tap.vnet_hdr;
		if (vnet_hdr && !(features & IFF_VNET_HDR)) {
			net_err(cfg, "vnet_hdr=on: the kernel's tun driver has no vnet header");
			return -EINVAL;
		}
	} else {
		vnet_hdr = features & IFF_VNET_HDR;
	}
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
	if (name)
		memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(t->fd, TUNSETIFF, &ifr)) {
		int err = errno;

		if (name)
			net_err(cfg, "cannot create %s: %s", name, strerror(err));
		else
			net_err(cfg, "cannot create a tap device: %s", strerror(err));
		return -err;
	}
	memcpy(t->ifname, ifr.ifr_name, IFNAMSIZ);
	t->ifname[IFNAMSIZ - 1] = 0;
	if (vnet_hdr && ioctl(t->fd, TUNSETVNETHDRSZ, &hdr_len)) {
		int err = errno;

		net_err(cfg, "%s: cannot set the vnet header size: %s", t->ifname,
			strerror(err));
		return -err;
	}
	t->vnet_hdr = vnet_hdr;
	return 0;
}

int net_tap_create(struct net_backend **bep, const struct netdev_config *cfg,
		   struct loop *loop)
{
	struct net_tap *t;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t) {
		net_err(cfg, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	net_backend_init(&t->be, &tap_ops, cfg);
	t->loop = loop;
	t->fd = -1;
	t->read_h.fn = tap_read_event;
	t->wake_h.fn = tap_wake_event;
	t->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	t->rbuf = malloc(NET_MAX_FRAME);
	if (t->wake_fd < 0 || !t->rbuf) {
		ret = t->rbuf ? -errno : -ENOMEM;
		net_err(cfg, "%s", strerror(-ret));
		goto fail;
	}
	ret = tap_open(t, cfg);
	if (ret)
		goto fail;
	ret = loop_add(loop, t->wake_fd, EPOLLIN, &t->wake_h);
	if (ret) {
		net_err(cfg, "cannot watch %s: %s", t->ifname, strerror(-ret));
		goto fail;
	}
	t->in_loop_wake = true;
	ret = loop_add(loop, t->fd, EPOLLIN, &t->read_h);
	if (ret) {
		net_err(cfg, "cannot watch %s: %s", t->ifname, strerror(-ret));
		goto fail;
	}
	t->reading = true;
	*bep = &t->be;
	return 0;
fail:
	tap_destroy(&t->be);
	return ret;
}
