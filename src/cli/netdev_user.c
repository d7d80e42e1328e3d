// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev user: libslirp's IPv4 network with QEMU's defaults and checks.
 *
 * net=ADDR/LEN or net=ADDR/MASK sets the network; without a mask QEMU
 * picks one from the address (its table, odd corners included: 192.0.2.0
 * gets /28, 224.0.0.0 /24) so that a QEMU line gives the same network.
 * host, dhcpstart and dns default to .2, .15 and .3 of the network.
 * Like QEMU, host and dhcpstart must lie in it, dns only with restrict=on
 * (libslirp answers the DNS address wherever it is), and the three differ.
 * sriovm adds: a dotted mask must be contiguous, and a hostfwd guest
 * address must lie in the network, as nothing else can answer.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/internal.h"

#define USER_NET	0x0a000200U	/* 10.0.2.0/24 */
#define USER_MASK	0xffffff00U
#define USER_HOST	0x0202U		/* offsets into the network */
#define USER_DHCP	0x020fU
#define USER_DNS	0x0203U

#define HOSTFWD_SYNTAX	"[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT"

struct user_net {
	uint32_t net, mask;
	unsigned int len;		/* prefix length, for messages */
	char str[24];			/* "10.0.2.0/24", for messages */
};

static const char *ipv4_str(uint32_t addr, char buf[INET_ADDRSTRLEN])
{
	struct in_addr in = { .s_addr = htonl(addr) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* QEMU's mask for net=ADDR without one. */
static uint32_t user_classful_mask(uint32_t a)
{
	if (!(a & 0x80000000U))
		return 0xff000000U;		/* class A */
	if ((a & 0xfff00000U) == 0xac100000U)
		return 0xfff00000U;		/* 172.16.0.0/12 */
	if ((a & 0xc0000000U) == 0x80000000U)
		return 0xffff0000U;		/* class B */
	if ((a & 0xffff0000U) == 0xc0a80000U)
		return 0xffff0000U;		/* 192.168.0.0/16 */
	if ((a & 0xffff0000U) == 0xc6120000U)
		return 0xfffe0000U;		/* 198.18.0.0/15 */
	if ((a & 0xe0000000U) == 0xe0000000U)
		return 0xffffff00U;
	return 0xfffffff0U;
}

static bool user_mask_len(uint32_t mask, unsigned int *len)
{
	unsigned int n = 0;

	while (n < 32 && (mask & (0x80000000U >> n)))
		n++;
	*len = n;
	return n == 32 || !(mask << n);	/* contiguous */
}

static int user_parse_net(struct cli *c, const char *ctx, const char *v, struct user_net *un)
{
	const char *slash = strchr(v, '/');
	char addr[INET_ADDRSTRLEN];
	size_t alen = slash ? (size_t)(slash - v) : strlen(v);
	char buf[INET_ADDRSTRLEN];
	unsigned int len = 0;
	const char *m;

	if (alen >= sizeof(addr))
		goto bad;
	memcpy(addr, v, alen);
	addr[alen] = '\0';
	if (cli_parse_ipv4(addr, &un->net))
		goto bad;
	m = slash ? slash + 1 : NULL;
	if (!m) {
		un->mask = user_classful_mask(un->net);
	} else if (*m && strspn(m, "0123456789") == strlen(m)) {
		unsigned long n = strtoul(m, NULL, 10);

		len = n > 32 ? 0 : (unsigned int)n;
		if (len < 4)
			return cli_error(c, "%s: net=%s: the prefix length must be 4..32", ctx, v);
		un->mask = 0xffffffffU << (32 - len);
	} else if (cli_parse_ipv4(m, &un->mask)) {
		goto bad;
	}
	if (!user_mask_len(un->mask, &len))
		return cli_error(c, "%s: net=%s: the netmask is not contiguous", ctx, v);
	if (len < 4)
		return cli_error(c, "%s: net=%s: the prefix length must be 4..32", ctx, v);
	un->net &= un->mask;
	un->len = len;
	snprintf(un->str, sizeof(un->str), "%s/%u", ipv4_str(un->net, buf), len);
	return 0;
bad:
	return cli_error(c, "%s: invalid value '%s' for 'net' (expected ADDR[/MASK], e.g. "
			 "10.0.2.0/24 or 10.0.2.0/255.255.255.0)", ctx, v);
}

/* An address property: absent leaves *addr at its default. */
static int user_addr(struct cli *c, struct kv *kv, const char *ctx, const char *key,
		     uint32_t *addr)
{
	const char *v = kv_get_str(kv, key);

	if (v && cli_parse_ipv4(v, addr))
		return cli_error(c, "%s: invalid value '%s' for '%s' (expected an IPv4 address)",
				 ctx, v, key);
	return 0;
}

static bool user_in_net(const struct user_net *un, uint32_t addr)
{
	return (addr & un->mask) == un->net;
}

/* A port of hostfwd: decimal, min..65535. */
static bool user_port(const char *s, size_t len, unsigned int min, uint16_t *port)
{
	unsigned int n = 0;
	size_t i;

	if (!len || len > 5)
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		n = n * 10 + (unsigned int)(s[i] - '0');
	}
	if (n < min || n > 65535)
		return false;
	*port = (uint16_t)n;
	return true;
}

/* An address of hostfwd, s[0..len): empty is 0. */
static bool user_fwd_addr(const char *s, size_t len, uint32_t *addr)
{
	char buf[INET_ADDRSTRLEN];

	*addr = 0;
	if (!len)
		return true;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return !cli_parse_ipv4(buf, addr);
}

static int user_hostfwd(struct cli *c, const char *ctx, const char *rule,
			const struct user_net *un, struct netdev_hostfwd *fw)
{
	const char *p = rule, *colon, *dash, *why;
	char buf[INET_ADDRSTRLEN];

	why = "no ':' after the protocol";
	colon = strchr(p, ':');
	if (!colon)
		goto bad;
	if ((colon - p == 3 && !strncmp(p, "udp", 3)))
		fw->udp = true;
	else if (colon - p == 4 && !strncmp(p, "unix", 4))
		return cli_error(c, "%s: hostfwd=%s: unix sockets are not supported (tcp or udp)",
				 ctx, rule);
	else if (colon != p && (colon - p != 3 || strncmp(p, "tcp", 3)))
		return cli_error(c, "%s: hostfwd=%s: unknown protocol '%.*s' (tcp or udp)", ctx,
				 rule, (int)(colon - p), p);
	p = colon + 1;
	why = "no ':' before the host port";
	colon = strchr(p, ':');
	dash = strchr(p, '-');
	if (!colon || (dash && dash < colon))
		goto bad;
	why = "bad host address";
	if (!user_fwd_addr(p, (size_t)(colon - p), &fw->host_addr))
		goto bad;
	p = colon + 1;
	why = "no '-' after the host port";
	if (!dash)
		goto bad;
	why = "bad host port";
	if (!user_port(p, (size_t)(dash - p), 0, &fw->host_port))
		goto bad;
	p = dash + 1;
	why = "no ':' before the guest port";
	colon = strchr(p, ':');
	if (!colon)
		goto bad;
	why = "bad guest address";
	if (!user_fwd_addr(p, (size_t)(colon - p), &fw->guest_addr))
		goto bad;
	p = colon + 1;
	why = "bad guest port";
	if (!user_port(p, strlen(p), 1, &fw->guest_port))
		goto bad;
	if (fw->guest_addr && !user_in_net(un, fw->guest_addr))
		return cli_error(c, "%s: hostfwd=%s: guest address %s is not in net %s", ctx, rule,
				 ipv4_str(fw->guest_addr, buf), un->str);
	return 0;
bad:
	return cli_error(c, "%s: invalid hostfwd '%s': %s (expected " HOSTFWD_SYNTAX ")", ctx,
			 rule, why);
}

static int user_hostfwds(struct cli *c, struct kv *kv, const char *ctx,
			 const struct user_net *un, struct netdev_config *nd)
{
	unsigned int pos = 0, i, n = 0;
	struct netdev_hostfwd *fw;
	const char *rule;
	int ret;

	while ((rule = kv_get_next(kv, "hostfwd", &pos))) {
		if (n == NETDEV_MAX_HOSTFWD)
			return cli_error(c, "%s: more than %u hostfwd rules", ctx,
					 NETDEV_MAX_HOSTFWD);
		fw = &nd->user.hostfwd[n];
		ret = user_hostfwd(c, ctx, rule, un, fw);
		if (ret)
			return ret;
		/* Two listeners on one port: the second bind() would fail. */
		for (i = 0; i < n; i++) {
			const struct netdev_hostfwd *o = &nd->user.hostfwd[i];

			if (o->udp == fw->udp && o->host_port == fw->host_port &&
			    (o->host_addr == fw->host_addr || !o->host_addr || !fw->host_addr))
				return cli_error(c, "%s: hostfwd=%s: %s host port %u is forwarded "
						 "twice", ctx, rule, fw->udp ? "udp" : "tcp",
						 fw->host_port);
		}
		n++;
	}
	nd->user.nr_hostfwd = n;
	return 0;
}

int cli_netdev_user(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd)
{
	static const char *const unsupported[] = {
		"ipv4", "ipv6", "ip", "ipv6-net", "ipv6-prefix", "ipv6-prefixlen", "ipv6-host",
		"ipv6-dns", "hostname", "domainname", "dnssearch", "tftp", "tftp-server-name",
		"bootfile", "smb", "smbserver", "guestfwd", NULL
	};
	struct user_net un = { .net = USER_NET, .mask = USER_MASK, .len = 24,
			       .str = "10.0.2.0/24" };
	char a[INET_ADDRSTRLEN];
	uint32_t host, dhcp, dns;
	const char *net;
	bool restrict_ = false;
	int ret;

	ret = cli_kv_refuse(c, kv, ctx, unsupported,
			    "sriovm's user network has IPv4, DHCP, DNS and hostfwd");
	if (ret)
		return ret;
	net = kv_get_str(kv, "net");
	if (net) {
		ret = user_parse_net(c, ctx, net, &un);
		if (ret)
			return ret;
	}
	host = un.net | (USER_HOST & ~un.mask);
	dhcp = un.net | (USER_DHCP & ~un.mask);
	dns = un.net | (USER_DNS & ~un.mask);
	ret = cli_kv_bool(c, kv, ctx, "restrict", &restrict_);
	if (ret < 0)
		return ret;
	if (user_addr(c, kv, ctx, "host", &host) || user_addr(c, kv, ctx, "dns", &dns) ||
	    user_addr(c, kv, ctx, "dhcpstart", &dhcp))
		return -EINVAL;

	if (!user_in_net(&un, host))
		return cli_error(c, "%s: host address %s is not in net %s", ctx,
				 ipv4_str(host, a), un.str);
	if (restrict_ && !user_in_net(&un, dns))
		return cli_error(c, "%s: dns address %s is not in net %s (restrict=on)", ctx,
				 ipv4_str(dns, a), un.str);
	if (dns == host)
		return cli_error(c, "%s: dns and host address are both %s", ctx, ipv4_str(dns, a));
	if (!user_in_net(&un, dhcp))
		return cli_error(c, "%s: dhcpstart address %s is not in net %s", ctx,
				 ipv4_str(dhcp, a), un.str);
	if (dhcp == host || dhcp == dns)
		return cli_error(c, "%s: dhcpstart address %s is the %s address", ctx,
				 ipv4_str(dhcp, a), dhcp == host ? "host" : "dns");

	ret = user_hostfwds(c, kv, ctx, &un, nd);
	if (ret)
		return ret;
	nd->user.net = un.net;
	nd->user.mask = un.mask;
	nd->user.host = host;
	nd->user.dhcpstart = dhcp;
	nd->user.dns = dns;
	nd->user.restrict_ = restrict_;
	return 0;
}
