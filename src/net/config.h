/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a -netdev asks for, checked and typed by the command line: the
 * backends' part of the machine description, which net/ builds from.
 */
#ifndef SRIOVM_NET_CONFIG_H
#define SRIOVM_NET_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/*
 * -netdev TYPE,id=ID,... (and the netdev half of -nic). Addresses are host
 * byte order; strings are owned by the config (cli_free()).
 */
enum netdev_kind {
	NETDEV_USER,		/* libslirp */
	NETDEV_TAP,
	NETDEV_SOCKET,		/* socket,listen=|connect= and stream,... */
	NETDEV_HUBPORT,
};

#define NETDEV_MAX_HOSTFWD	16

struct netdev_hostfwd {
	bool udp;
	uint32_t host_addr;	/* 0: any */
	uint16_t host_port;
	uint32_t guest_addr;	/* 0: the first DHCP address */
	uint16_t guest_port;
};

struct netdev_config {
	enum netdev_kind kind;
	const char *id;
	union {
		struct {
			uint32_t net, mask;	/* default 10.0.2.0/24 */
			uint32_t host;		/* default .2 */
			uint32_t dhcpstart;	/* default .15 */
			uint32_t dns;		/* default .3 */
			bool restrict_;		/* restrict=on: no outside access */
			unsigned int nr_hostfwd;
			struct netdev_hostfwd hostfwd[NETDEV_MAX_HOSTFWD];
		} user;
		struct {
			const char *ifname;	/* NULL: the kernel picks tapN */
			bool vnet_hdr;		/* default on when the kernel has it */
			bool vnet_hdr_set;	/* vnet_hdr= given explicitly */
		} tap;
		struct {
			bool listen;		/* listen= (server) or connect= (client) */
			uint32_t addr;		/* host byte order; listen: 0 = any */
			uint16_t port;
		} socket;
		struct {
			unsigned int hubid;
		} hubport;
	};
};

#endif
