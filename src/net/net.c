// SPDX-License-Identifier: GPL-2.0
/*
 * The backend interface: the set of -netdevs, the frontend binding and the
 * bounded receive queue every backend shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/iov.h"
#include "lib/log.h"
#include "net/backend.h"

struct net {
	unsigned int nr;
	struct net_backend **be;
	struct net_hub *hubs;
};

static const char *const net_kind_names[] = {
	[NETDEV_USER] = "user",
	[NETDEV_TAP] = "tap",
	[NETDEV_SOCKET] = "socket",
	[NETDEV_HUBPORT] = "hubport",
};

void net_err(const struct netdev_config *cfg, const char *fmt, ...)
{
	const char *kind = "?";
	char ctx[160];
	va_list ap;

	if ((unsigned int)cfg->kind < sizeof(net_kind_names) / sizeof(net_kind_names[0]))
		kind = net_kind_names[cfg->kind];
	snprintf(ctx, sizeof(ctx), "-netdev %s,id=%s", kind, cfg->id ? cfg->id : "");
	va_start(ap, fmt);
	log_verror(stderr, ctx, fmt, ap);
	va_end(ap);
}

bool net_hdr_wants_offload(const struct virtio_net_hdr_v1 *hdr)
{
	return hdr->flags || hdr->gso_type != VIRTIO_NET_HDR_GSO_NONE;
}

void net_backend_init(struct net_backend *be, const struct net_backend_ops *ops,
		      const struct netdev_config *cfg)
{
	be->ops = ops;
	be->cfg = cfg;
	pthread_mutex_init(&be->rxq_lock, NULL);
}

static void net_rxq_clear(struct net_backend *be)
{
	while (be->rxq_count) {
		free(be->rxq[be->rxq_head]);
		be->rxq[be->rxq_head] = NULL;
		be->rxq_head = (be->rxq_head + 1) % NET_RXQ_FRAMES;
		be->rxq_count--;
		be->rx_dropped++;
	}
	be->rxq_bytes = 0;
}

void net_backend_fini(struct net_backend *be)
{
	net_rxq_clear(be);
	pthread_mutex_destroy(&be->rxq_lock);
	free(be->id);
}

/* Under rxq_lock. */
static void net_rxq_push(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt)
{
	size_t len = iov_size(iov, iovcnt);
	struct net_rxq_frame *f;

	if (be->rxq_count == NET_RXQ_FRAMES || len > NET_RXQ_BYTES - be->rxq_bytes)
		goto drop;
	f = malloc(sizeof(*f) + len);
	if (!f)
		goto drop;
	f->len = iov_to_buf(iov, iovcnt, 0, f->data, len);
	be->rxq[(be->rxq_head + be->rxq_count) % NET_RXQ_FRAMES] = f;
	be->rxq_count++;
	be->rxq_bytes += len;
	return;
drop:
	be->rx_dropped++;
}

bool net_deliver(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt)
{
	bool more = true;

	pthread_mutex_lock(&be->rxq_lock);
	if (!be->fe) {
		/* No NIC (between boots): the frame falls off the wire. */
		be->rx_dropped++;
	} else if (!be->rx_stalled &&
		   be->fe->receive(be->fe_opaque, iov, iovcnt) != -EAGAIN) {
		be->rx_frames++;
	} else {
		/* Behind queued frames, or the NIC is full: keep the order. */
		be->rx_stalled = true;
		net_rxq_push(be, iov, iovcnt);
		more = false;
	}
	pthread_mutex_unlock(&be->rxq_lock);
	return more;
}

void net_link_changed(struct net_backend *be)
{
	pthread_mutex_lock(&be->rxq_lock);
	if (be->fe && be->fe->link_changed)
		be->fe->link_changed(be->fe_opaque);
	pthread_mutex_unlock(&be->rxq_lock);
}

bool net_rx_stalled(struct net_backend *be)
{
	bool stalled;

	pthread_mutex_lock(&be->rxq_lock);
	stalled = be->rx_stalled;
	pthread_mutex_unlock(&be->rxq_lock);
	return stalled;
}

void net_rx_ready(struct net_backend *be)
{
	bool resume = false;

	pthread_mutex_lock(&be->rxq_lock);
	while (be->fe && be->rxq_count) {
		struct net_rxq_frame *f = be->rxq[be->rxq_head];
		struct iovec iov = { .iov_base = f->data, .iov_len = f->len };

		if (be->fe->receive(be->fe_opaque, &iov, 1) == -EAGAIN)
			break;
		be->rx_frames++;
		be->rxq[be->rxq_head] = NULL;
		be->rxq_head = (be->rxq_head + 1) % NET_RXQ_FRAMES;
		be->rxq_count--;
		be->rxq_bytes -= f->len;
		free(f);
	}
	if (be->rx_stalled && !be->rxq_count) {
		be->rx_stalled = false;
		resume = true;
	}
	pthread_mutex_unlock(&be->rxq_lock);
	if (resume && be->ops->rx_resume)
		be->ops->rx_resume(be);
}

int net_attach(struct net_backend *be, const struct net_frontend_ops *ops, void *opaque)
{
	int ret = 0;

	pthread_mutex_lock(&be->rxq_lock);
	if (be->fe) {
		ret = -EBUSY;
	} else {
		be->fe = ops;
		be->fe_opaque = opaque;
	}
	pthread_mutex_unlock(&be->rxq_lock);
	return ret;
}

void net_detach(struct net_backend *be)
{
	bool resume;

	/* Taking the lock waits for a delivery in progress. */
	pthread_mutex_lock(&be->rxq_lock);
	be->fe = NULL;
	be->fe_opaque = NULL;
	/* Frames for this NIC are stale for the next one (a new boot). */
	net_rxq_clear(be);
	resume = be->rx_stalled;
	be->rx_stalled = false;
	pthread_mutex_unlock(&be->rxq_lock);
	if (resume && be->ops->rx_resume)
		be->ops->rx_resume(be);
}

int net_send(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt)
{
	size_t len = iov_size(iov, iovcnt);
	int ret;

	/* A header with no frame is no frame (a socket peer would read length 0 as the end). */
	if (len <= NET_HDR_LEN || len > NET_MAX_FRAME)
		ret = -EINVAL;
	else
		ret = be->ops->send(be, iov, iovcnt, len);
	__atomic_add_fetch(ret ? &be->tx_dropped : &be->tx_frames, 1, __ATOMIC_RELAXED);
	return ret;
}

bool net_link_up(const struct net_backend *be)
{
	return be->ops->link_up ? be->ops->link_up(be) : true;
}

void net_get_stats(struct net_backend *be, struct net_stats *st)
{
	pthread_mutex_lock(&be->rxq_lock);
	st->rx_frames = be->rx_frames;
	st->rx_dropped = be->rx_dropped;
	pthread_mutex_unlock(&be->rxq_lock);
	st->tx_frames = __atomic_load_n(&be->tx_frames, __ATOMIC_RELAXED);
	st->tx_dropped = __atomic_load_n(&be->tx_dropped, __ATOMIC_RELAXED);
}

struct net_backend *net_find(struct net *net, const char *id)
{
	unsigned int i;

	if (!net || !id)
		return NULL;
	for (i = 0; i < net->nr; i++)
		if (!strcmp(net->be[i]->id, id))
			return net->be[i];
	return NULL;
}

static int net_create_one(struct net *net, const struct netdev_config *cfg, struct loop *loop)
{
	struct net_backend *be = NULL;
	int ret;

	if (!cfg->id || !*cfg->id) {
		net_err(cfg, "an id= is needed");
		return -EINVAL;
	}
	if (net_find(net, cfg->id)) {
		net_err(cfg, "duplicate id %s", cfg->id);
		return -EINVAL;
	}
	switch (cfg->kind) {
	case NETDEV_USER:
		ret = net_user_create(&be, cfg);
		break;
	case NETDEV_TAP:
		ret = net_tap_create(&be, cfg, loop);
		break;
	case NETDEV_SOCKET:
		ret = net_socket_create(&be, cfg, loop);
		break;
	case NETDEV_HUBPORT:
		ret = net_hubport_create(&be, cfg, &net->hubs);
		break;
	default:
		net_err(cfg, "unknown netdev type %d", (int)cfg->kind);
		return -EINVAL;
	}
	if (ret)
		return ret;
	be->id = strdup(cfg->id);
	if (!be->id) {
		be->ops->destroy(be);
		net_err(cfg, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	net->be[net->nr++] = be;
	return 0;
}

int net_create(struct net **netp, const struct netdev_config *cfgs, unsigned int nr,
	       struct loop *loop)
{
	struct net *net;
	unsigned int i;
	int ret;

	*netp = NULL;
	net = calloc(1, sizeof(*net));
	if (!net)
		return -ENOMEM;
	if (nr) {
		net->be = calloc(nr, sizeof(*net->be));
		if (!net->be) {
			free(net);
			return -ENOMEM;
		}
	}
	for (i = 0; i < nr; i++) {
		ret = net_create_one(net, &cfgs[i], loop);
		if (ret) {
			net_destroy(net);
			return ret;
		}
	}
	*netp = net;
	return 0;
}

void net_destroy(struct net *net)
{
	unsigned int i;

	if (!net)
		return;
	/*
	 * No NIC is attached and no thread sends any more (the VM is gone):
	 * undo in reverse order of creation.
	 */
	for (i = net->nr; i-- > 0;)
		net->be[i]->ops->destroy(net->be[i]);
	net_hubs_free(net->hubs);
	free(net->be);
	free(net);
}

static int net_port_send(void *be, const struct iovec *iov, unsigned int iovcnt)
{
	return net_send(be, iov, iovcnt);
}

static void net_port_rx_ready(void *be)
{
	net_rx_ready(be);
}

static bool net_port_link_up(void *be)
{
	return net_link_up(be);
}

const struct net_port_ops net_backend_port = {
	.send = net_port_send,
	.rx_ready = net_port_rx_ready,
	.link_up = net_port_link_up,
};
