// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev TYPE,id=ID,...: the backend table, what all types share (help,
 * id=, the list of netdevs) and the small hubport type. -nic builds its
 * backend through cli_netdev_add() too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/help.h"
#include "cli/internal.h"

const char *const cli_netdev_lists[] = { "hostfwd", NULL };

const struct cli_netdev cli_netdevs[] = {
	{ "user", "user-mode network (libslirp): NAT, DHCP, DNS",
	  "  net=ADDR[/MASK]  the guest's network (default 10.0.2.0/24); MASK is a\n"
	  "                   length 4..32 or dotted; without it, QEMU's classful one\n"
	  "  host=ADDR        the host's address in it (default .2)\n"
	  "  dhcpstart=ADDR   the first address DHCP hands out (default .15)\n"
	  "  dns=ADDR         the DNS server's address (default .3)\n"
	  "  restrict=on|off  on: the guest reaches nothing outside (default off)\n"
	  "  hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT\n"
	  "                   forward a host port to the guest; repeatable, at most 16\n",
	  NETDEV_USER, cli_netdev_user },
	{ "tap", "a host tap interface (sriovm runs no scripts)",
	  "  ifname=NAME      the tap interface (default: the kernel picks tapN)\n"
	  "  script=no, downscript=no\n"
	  "                   accepted; sriovm never runs scripts, also without them\n"
	  "                   (QEMU would run /etc/qemu-ifup): set the tap up beforehand\n"
	  "  vnet_hdr=on|off  virtio-net headers on the tap (default: on if the\n"
	  "                   kernel has them)\n",
	  NETDEV_TAP, cli_netdev_tap },
	{ "socket", "Ethernet frames over TCP, to another sriovm or QEMU",
	  "  listen=[HOST]:PORT  wait for one connection (HOST default: any)\n"
	  "  connect=HOST:PORT   connect to a listening one\n",
	  NETDEV_SOCKET, cli_netdev_socket },
	{ "stream", "the same, in QEMU 7.2's syntax",
	  "  server=on|off    on: listen, off: connect (default off)\n"
	  "  addr.type=inet   the only type\n"
	  "  addr.host=HOST   address to listen on (empty: any) or connect to\n"
	  "  addr.port=PORT\n",
	  NETDEV_SOCKET, cli_netdev_stream },
	{ "hubport", "a port of a hub in sriovm: each port gets what the others send",
	  "  hubid=N          the hub, 0..2147483647 (required)\n",
	  NETDEV_HUBPORT, cli_netdev_hubport },
	{ .name = NULL }
};

const struct cli_netdev *cli_netdev_find(const char *name)
{
	const struct cli_netdev *t;

	for (t = cli_netdevs; t->name; t++) {
		if (!strcmp(t->name, name))
			return t;
	}
	return NULL;
}

int cli_parse_ipv4(const char *s, uint32_t *addr)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -EINVAL;
	*addr = ntohl(in.s_addr);
	return 0;
}

void cli_netdev_release(struct netdev_config *nd)
{
	free((void *)nd->id);
	if (nd->kind == NETDEV_TAP)
		free((void *)nd->tap.ifname);
	memset(nd, 0, sizeof(*nd));
}

int cli_netdev_add(struct cli *c, struct kv *kv, const struct cli_netdev *t,
		   const char *ctx, const char *id)
{
	struct vm_config *cfg = c->cfg;
	struct netdev_config nd = { .kind = t->kind };
	unsigned int i;
	int ret;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		if (!strcmp(cfg->netdevs[i].id, id))
			return cli_error(c, "%s: another -netdev has id '%s' (netdev ids are "
					 "unique)", ctx, id);
	}
	if (cfg->nr_netdevs >= VM_MAX_NETDEVS)
		return cli_error(c, "%s: too many netdevs (at most %u)", ctx, VM_MAX_NETDEVS);
	ret = t->parse(c, kv, ctx, &nd);
	if (!ret)
		ret = cli_kv_check_unused(c, kv, ctx);
	if (!ret)
		ret = cli_set_str(c, &nd.id, id);
	if (!ret)
		ret = cli_grow(c, (void **)&cfg->netdevs, &c->netdev_cap, cfg->nr_netdevs,
			       sizeof(*cfg->netdevs));
	if (ret) {
		cli_netdev_release(&nd);
		return ret;
	}
	cfg->netdevs[cfg->nr_netdevs++] = nd;
	return 0;
}

/* A hub joins its ports; a NIC reaches one through netdev=. */
int cli_netdev_hubport(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd)
{
	uint64_t hubid;
	int ret;

	if (kv_has(kv, "netdev"))
		return cli_error(c, "%s: unsupported property 'netdev' (connect a hub port to a "
				 "NIC with the NIC's netdev=)", ctx);
	ret = kv_get_uint(kv, "hubid", 0, INT32_MAX, &hubid);
	if (ret == -ENOENT)
		return cli_error(c, "%s: no hubid= given", ctx);
	if (ret)
		return cli_kv_error(c, kv, ctx);
	nd->hubport.hubid = (unsigned int)hubid;
	return 0;
}

/* "-netdev help" and "-netdev TYPE,help". */
static int cli_netdev_opt_help(struct cli *c, const char *arg)
{
	const struct cli_netdev *t;
	size_t len = 0;

	switch (cli_help_form(arg, &len)) {
	case CLI_HELP_NONE:
		return 0;
	case CLI_HELP_LIST:
		help_netdevs(c->out);
		return 1;
	case CLI_HELP_TYPE:
		break;
	}
	for (t = cli_netdevs; t->name; t++) {
		if (strlen(t->name) == len && !strncmp(t->name, arg, len)) {
			help_netdev_props(c->out, t);
			return 1;
		}
	}
	return cli_error(c, "%s %.*s: unsupported netdev type", c->opt, (int)len, arg);
}

int cli_opt_netdev(struct cli *c, const char *arg)
{
	const struct cli_netdev *t;
	const char *type, *id;
	char ctx[128];
	struct kv kv;
	int ret;

	ret = cli_netdev_opt_help(c, arg);
	if (ret)
		return ret;
	ret = kv_parse_repeat(&kv, arg, "type", cli_netdev_lists);
	if (ret) {
		cli_error(c, "%s: %s", c->opt, kv.why);
		return ret;
	}
	type = kv_get_str(&kv, "type");
	if (!type || !*type) {
		ret = cli_error(c, "%s: no netdev type given", c->opt);
		goto out;
	}
	t = cli_netdev_find(type);
	if (!t) {
		ret = cli_error(c, "%s %s: unsupported netdev type", c->opt, type);
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "%s %s", c->opt, t->name);
	id = kv_get_str(&kv, "id");
	if (!id) {
		ret = cli_error(c, "%s: no id= given (devices name their -netdev with netdev=ID)",
				ctx);
		goto out;
	}
	if (!cli_id_valid(id)) {
		ret = cli_id_error(c, ctx, id);
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "%s %s,id=%s", c->opt, t->name, id);
	ret = cli_netdev_add(c, &kv, t, ctx, id);
out:
	kv_free(&kv);
	return ret;
}
