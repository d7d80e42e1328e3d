// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev socket,listen=|connect= and its QEMU 7.2 spelling -netdev stream:
 * Ethernet frames over one TCP connection, each behind a 4-byte length, as
 * QEMU sends them. Both give the same struct netdev_config.
 *
 * A host is an IPv4 address or a name resolved to one (QEMU does the same
 * with gethostbyname()); an empty host means any address for a listener.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/internal.h"

static int socket_host(struct cli *c, const char *ctx, const char *key, const char *host,
		       bool listen, uint32_t *addr)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int ret;

	if (!*host) {
		if (!listen)
			return cli_error(c, "%s: %s: no host to connect to", ctx, key);
		*addr = 0;	/* INADDR_ANY */
		return 0;
	}
	if (isdigit((unsigned char)*host)) {
		if (cli_parse_ipv4(host, addr))
			return cli_error(c, "%s: %s: '%s' is not an IPv4 address", ctx, key, host);
		return 0;
	}
	ret = getaddrinfo(host, NULL, &hints, &res);
	if (ret)
		return cli_error(c, "%s: %s: cannot resolve '%s' (%s)", ctx, key, host,
				 gai_strerror(ret));
	*addr = ntohl(((const struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr);
	freeaddrinfo(res);
	return 0;
}

static int socket_port(struct cli *c, const char *ctx, const char *key, const char *s,
		       uint16_t *port)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*s) || strlen(s) > 5)
		goto bad;
	n = strtoul(s, &end, 10);
	if (*end || n < 1 || n > 65535)
		goto bad;
	*port = (uint16_t)n;
	return 0;
bad:
	return cli_error(c, "%s: %s: invalid port '%s' (expected 1..65535)", ctx, key, s);
}

/* listen=[HOST]:PORT or connect=HOST:PORT. */
static int socket_host_port(struct cli *c, const char *ctx, const char *key, const char *v,
			    struct netdev_config *nd)
{
	const char *colon = strchr(v, ':');
	char *host;
	int ret;

	if (!colon)
		return cli_error(c, "%s: %s=%s: expected %s", ctx, key, v,
				 nd->socket.listen ? "[HOST]:PORT" : "HOST:PORT");
	host = strndup(v, (size_t)(colon - v));
	if (!host) {
		cli_error(c, "%s: out of memory", ctx);
		return -ENOMEM;
	}
	ret = socket_host(c, ctx, key, host, nd->socket.listen, &nd->socket.addr);
	free(host);
	if (ret)
		return ret;
	return socket_port(c, ctx, key, colon + 1, &nd->socket.port);
}

int cli_netdev_socket(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd)
{
	static const char *const unsupported[] = { "fd", "mcast", "udp", "localaddr", NULL };
	const char *listen, *connect;
	int ret;

	ret = cli_kv_refuse(c, kv, ctx, unsupported,
			    "sriovm's socket netdev is one TCP connection");
	if (ret)
		return ret;
	listen = kv_get_str(kv, "listen");
	connect = kv_get_str(kv, "connect");
	if (listen && connect)
		return cli_error(c, "%s: listen= and connect= exclude each other", ctx);
	if (!listen && !connect)
		return cli_error(c, "%s: needs listen=[HOST]:PORT or connect=HOST:PORT", ctx);
	nd->socket.listen = listen;
	return socket_host_port(c, ctx, listen ? "listen" : "connect", listen ? listen : connect,
				nd);
}

/* -netdev stream,server=on|off,addr.type=inet,addr.host=H,addr.port=P */
int cli_netdev_stream(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd)
{
	static const char *const unsupported[] = {
		"reconnect", "reconnect-ms", "addr.numeric", "addr.to", "addr.ipv4", "addr.ipv6",
		"addr.keep-alive", "addr.mptcp", NULL
	};
	const char *type, *host, *port;
	bool server = false;
	int ret;

	ret = cli_kv_refuse(c, kv, ctx, unsupported,
			    "sriovm's stream netdev is one plain TCP connection");
	if (ret)
		return ret;
	ret = cli_kv_bool(c, kv, ctx, "server", &server);
	if (ret < 0)
		return ret;
	type = kv_get_str(kv, "addr.type");
	if (!type)
		return cli_error(c, "%s: no addr.type given (addr.type=inet)", ctx);
	if (strcmp(type, "inet"))
		return cli_error(c, "%s: addr.type=%s: unsupported address type (only inet)", ctx,
				 type);
	host = kv_get_str(kv, "addr.host");
	port = kv_get_str(kv, "addr.port");
	if (!host)
		return cli_error(c, "%s: no addr.host given", ctx);
	if (!port)
		return cli_error(c, "%s: no addr.port given", ctx);
	nd->socket.listen = server;
	ret = socket_host(c, ctx, "addr.host", host, server, &nd->socket.addr);
	if (!ret)
		ret = socket_port(c, ctx, "addr.port", port, &nd->socket.port);
	return ret;
}
