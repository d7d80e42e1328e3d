// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev tap: an existing or new tap interface that sriovm opens itself.
 *
 * QEMU runs /etc/qemu-ifup and /etc/qemu-ifdown unless told script=no and
 * downscript=no. sriovm runs no scripts, so it accepts "no" (and QEMU's
 * other spelling, empty) and refuses a path rather than silently not
 * running it; without script= it runs none either, as --help says.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "cli/internal.h"

/* The kernel's rule for interface names (dev_valid_name()). */
static bool tap_ifname_valid(const char *name)
{
	if (!*name || strlen(name) >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++) {
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	}
	return true;
}

static int tap_script(struct cli *c, struct kv *kv, const char *ctx, const char *key)
{
	const char *v = kv_get_str(kv, key);

	if (v && *v && strcmp(v, "no"))
		return cli_error(c, "%s: %s=%s: sriovm runs no scripts (use %s=no and set the "
				 "tap up beforehand)", ctx, key, v, key);
	return 0;
}

int cli_netdev_tap(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd)
{
	static const char *const unsupported[] = {
		"fd", "fds", "queues", "br", "helper", "sndbuf", "vhost", "vhostfd", "vhostfds",
		"vhostforce", "poll-us", NULL
	};
	const char *ifname;
	int ret;

	ret = cli_kv_refuse(c, kv, ctx, unsupported,
			    "sriovm opens one tap queue itself, without vhost");
	if (ret)
		return ret;
	ret = tap_script(c, kv, ctx, "script");
	if (!ret)
		ret = tap_script(c, kv, ctx, "downscript");
	if (ret)
		return ret;
	nd->tap.vnet_hdr = true;
	ret = cli_kv_bool(c, kv, ctx, "vnet_hdr", &nd->tap.vnet_hdr);
	if (ret < 0)
		return ret;
	nd->tap.vnet_hdr_set = ret;
	ifname = kv_get_str(kv, "ifname");
	if (!ifname)
		return 0;
	if (!tap_ifname_valid(ifname))
		return cli_error(c, "%s: invalid ifname '%s' (1..%d characters, no '/', ':' or "
				 "spaces)", ctx, ifname, IFNAMSIZ - 1);
	return cli_set_str(c, &nd->tap.ifname, ifname);
}
