// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev hubport,id=X,hubid=N: the ports with one hubid form a hub, and a
 * frame a port's frontend sends reaches the frontend of every other port
 * of that hub, never its sender (QEMU's net/hub.c). Frames keep their
 * virtio-net header: every port speaks it.
 *
 * Hubs and their port lists are built at start-up and fixed afterwards,
 * so sending needs no hub lock; each delivery takes the receiving port's
 * queue lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/backend.h"

struct net_hubport;

struct net_hub {
	unsigned int id;
	unsigned int nr_ports;
	struct net_hubport **ports;
	struct net_hub *next;
};

struct net_hubport {
	struct net_backend be;
	struct net_hub *hub;
};

static int hubport_send(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt,
			size_t len)
{
	struct net_hubport *self = container_of(be, struct net_hubport, be);
	struct net_hub *hub = self->hub;
	unsigned int i;

	/* A port whose frontend is full queues or drops: a hub never waits. */
	for (i = 0; i < hub->nr_ports; i++)
		if (hub->ports[i] != self)
			net_deliver(&hub->ports[i]->be, iov, iovcnt);
	return 0;
}

static void hubport_destroy(struct net_backend *be)
{
	struct net_hubport *p = container_of(be, struct net_hubport, be);

	/* The hub's port array goes with the hub (net_hubs_free). */
	net_backend_fini(&p->be);
	free(p);
}

static const struct net_backend_ops hubport_ops = {
	.send = hubport_send,
	.destroy = hubport_destroy,
};

static struct net_hub *hub_get(struct net_hub **hubs, unsigned int id)
{
	struct net_hub *hub;

	for (hub = *hubs; hub; hub = hub->next)
		if (hub->id == id)
			return hub;
	hub = calloc(1, sizeof(*hub));
	if (!hub)
		return NULL;
	hub->id = id;
	hub->next = *hubs;
	*hubs = hub;
	return hub;
}

int net_hubport_create(struct net_backend **bep, const struct netdev_config *cfg,
		       struct net_hub **hubs)
{
	struct net_hubport *p, **ports;
	struct net_hub *hub;

	p = calloc(1, sizeof(*p));
	hub = hub_get(hubs, cfg->hubport.hubid);
	if (!p || !hub)
		goto nomem;
	ports = realloc(hub->ports, (hub->nr_ports + 1) * sizeof(*ports));
	if (!ports)
		goto nomem;
	hub->ports = ports;
	net_backend_init(&p->be, &hubport_ops, cfg);
	p->hub = hub;
	hub->ports[hub->nr_ports++] = p;
	*bep = &p->be;
	return 0;
nomem:
	/* An empty hub left behind is freed with the others. */
	free(p);
	net_err(cfg, "%s", strerror(ENOMEM));
	return -ENOMEM;
}

void net_hubs_free(struct net_hub *hubs)
{
	struct net_hub *next;

	for (; hubs; hubs = next) {
		next = hubs->next;
		free(hubs->ports);
		free(hubs);
	}
}
