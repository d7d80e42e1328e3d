// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev user with a real libslirp: DHCP and ARP answers to frames built
 * here, the configured network honoured, a host forward turning a host
 * connection into a SYN toward the guest, the receive queue, and the
 * start-up errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/backend.h"
#include "net_helpers.h"

#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

#define ETH_HLEN	14
#define BOOTP_FIXED	236	/* op .. file */
#define BOOTP_VEND	312	/* options, magic cookie first (RFC 2131 minimum) */

struct user_fixture {
	struct test_loop tl;
	struct netdev_config nd;
	struct vm_config cfg;
	struct net *net;
	struct net_backend *be;
	struct fake_fe fe;
};

static int user_setup(void **state)
{
	struct user_fixture *f = calloc(1, sizeof(*f));

	if (!f || test_loop_init(&f->tl))
		return -1;
	f->nd.kind = NETDEV_USER;
	f->nd.id = "n0";
	f->cfg.nr_netdevs = 1;
	f->cfg.netdevs = &f->nd;
	fake_init(&f->fe);
	*state = f;
	return 0;
}

static int user_teardown(void **state)
{
	struct user_fixture *f = *state;

	net_destroy(f->net);
	test_loop_fini(&f->tl);
	fake_fini(&f->fe);
	free(f);
	return 0;
}

static void user_start(struct user_fixture *f)
{
	assert_int_equal(net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop), 0);
	f->be = net_find(f->net, "n0");
	assert_non_null(f->be);
	assert_true(net_link_up(f->be));
	assert_int_equal(net_attach(f->be, &fake_ops, &f->fe), 0);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint16_t ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t build_dhcp_discover(uint8_t *f, uint32_t xid)
{
	uint8_t *ip = f + ETH_HLEN, *udp = ip + 20, *bp = udp + 8, *opt = bp + BOOTP_FIXED;
	size_t len = ETH_HLEN + 20 + 8 + BOOTP_FIXED + BOOTP_VEND;

	memset(f, 0, len);
	memset(f, 0xff, 6);
	memcpy(f + 6, guest_mac, 6);
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - ETH_HLEN));
	ip[8] = 64;
	ip[9] = 17;		/* UDP */
	put32(ip + 16, 0xffffffff);
	put16(ip + 10, ip_csum(ip, 20));
	put16(udp, 68);
	put16(udp + 2, 67);
	put16(udp + 4, (uint16_t)(len - ETH_HLEN - 20));
	bp[0] = 1;		/* BOOTREQUEST */
	bp[1] = 1;		/* Ethernet */
	bp[2] = 6;
	put32(bp + 4, xid);
	memcpy(bp + 28, guest_mac, 6);
	put32(opt, 0x63825363);
	opt[4] = 53;		/* DHCP message type */
	opt[5] = 1;
	opt[6] = 1;		/* DISCOVER */
	opt[7] = 255;
	return len;
}

struct dhcp_want {
	uint32_t xid;
	uint32_t yiaddr, server, dns;
};

/* A DHCP option's 4-byte value, or 0. */
static uint32_t dhcp_opt32(const uint8_t *opt, size_t len, uint8_t code)
{
	size_t i = 4;

	while (i + 2 <= len && opt[i] != 255) {
		if (opt[i] == 0) {
			i++;
			continue;
		}
		if (i + 2 + opt[i + 1] > len)
			return 0;
		if (opt[i] == code)
			return opt[i + 1] >= 4 ? get32(opt + i + 2) : opt[i + 2];
		i += 2 + opt[i + 1];
	}
	return 0;
}

static bool is_dhcp_offer(const uint8_t *f, size_t len, void *arg)
{
	const struct dhcp_want *w = arg;
	const uint8_t *e = f + NET_HDR_LEN, *ip = e + ETH_HLEN, *udp, *bp, *opt;
	size_t ihl, optlen;

	if (len < NET_HDR_LEN + ETH_HLEN + 20 + 8 + BOOTP_FIXED + 8 || !hdr_is_zero(f) ||
	    get16(e + 12) != 0x0800 || ip[9] != 17)
		return false;
	ihl = (ip[0] & 0xf) * 4;
	udp = ip + ihl;
	bp = udp + 8;
	opt = bp + BOOTP_FIXED;
	optlen = len - (size_t)(opt - f);
	if (get16(udp) != 67 || get16(udp + 2) != 68 || bp[0] != 2 || get32(bp + 4) != w->xid ||
	    memcmp(bp + 28, guest_mac, 6) || get32(opt) != 0x63825363)
		return false;
	/* The offer itself: message type 2, the address, the server, DNS. */
	return dhcp_opt32(opt, optlen, 53) == 2 && get32(bp + 16) == w->yiaddr &&
	       dhcp_opt32(opt, optlen, 54) == w->server && dhcp_opt32(opt, optlen, 6) == w->dns;
}

static void expect_offer(struct user_fixture *f, uint32_t xid, uint32_t yiaddr,
			 uint32_t server, uint32_t dns)
{
	struct dhcp_want w = { xid, yiaddr, server, dns };
	uint8_t frame[1024];
	unsigned int from = 0;
	size_t len;

	len = build_dhcp_discover(frame, xid);
	assert_int_equal(send_frame(f->be, NULL, frame, len), 0);
	assert_true(fake_find(&f->fe, &from, is_dhcp_offer, &w, WAIT_MS) >= 0);
}

static void test_user_dhcp(void **state)
{
	struct user_fixture *f = *state;

	user_start(f);
	expect_offer(f, 0x12345678, IP4(10, 0, 2, 15), IP4(10, 0, 2, 2), IP4(10, 0, 2, 3));
}

static void test_user_custom_net(void **state)
{
	struct user_fixture *f = *state;

	f->nd.user.net = IP4(192, 168, 76, 0);
	f->nd.user.mask = 0xffffff00;
	f->nd.user.dhcpstart = IP4(192, 168, 76, 100);
	f->nd.user.dns = IP4(192, 168, 76, 53);
	user_start(f);
	expect_offer(f, 0xabcdef01, IP4(192, 168, 76, 100), IP4(192, 168, 76, 2),
		     IP4(192, 168, 76, 53));
}

static size_t build_arp_request(uint8_t *f, uint32_t sip, uint32_t tip)
{
	uint8_t *a = f + ETH_HLEN;

	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, guest_mac, 6);
	put16(f + 12, 0x0806);
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1);	/* request */
	memcpy(a + 8, guest_mac, 6);
	put32(a + 14, sip);
	put32(a + 24, tip);
	return 60;		/* padded to Ethernet's minimum */
}

static bool is_arp_reply_from_host(const uint8_t *f, size_t len, void *arg)
{
	const uint8_t *e = f + NET_HDR_LEN, *a = e + ETH_HLEN;

	return len >= NET_HDR_LEN + ETH_HLEN + 28 && hdr_is_zero(f) &&
	       !memcmp(e, guest_mac, 6) && get16(e + 12) == 0x0806 && get16(a + 6) == 2 &&
	       get32(a + 14) == IP4(10, 0, 2, 2) && !memcmp(a + 18, guest_mac, 6) &&
	       get32(a + 24) == IP4(10, 0, 2, 15);
}

static void test_user_arp(void **state)
{
	struct user_fixture *f = *state;
	unsigned int from = 0;
	struct net_stats st;
	uint8_t frame[60];
	int i;

	user_start(f);
	build_arp_request(frame, IP4(10, 0, 2, 15), IP4(10, 0, 2, 2));
	assert_int_equal(send_frame(f->be, NULL, frame, sizeof(frame)), 0);
	i = fake_find(&f->fe, &from, is_arp_reply_from_host, NULL, WAIT_MS);
	assert_true(i >= 0);

	/* The NIC is full: the reply waits in the queue for net_rx_ready(). */
	fake_set_full(&f->fe, true, -1);
	assert_int_equal(send_frame(f->be, NULL, frame, sizeof(frame)), 0);
	for (i = 0; i < WAIT_MS && !fake_attempts(&f->fe); i++)
		usleep(1000);
	assert_int_equal(fake_count(&f->fe), from);
	fake_set_full(&f->fe, false, -1);
	net_rx_ready(f->be);
	assert_true(fake_find(&f->fe, &from, is_arp_reply_from_host, NULL, WAIT_MS) >= 0);
	net_get_stats(f->be, &st);
	assert_int_equal(st.rx_dropped, 0);

	/* Offloads slirp cannot finish are refused. */
	{
		struct virtio_net_hdr_v1 gso = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 };

		assert_int_equal(send_frame(f->be, &gso, frame, sizeof(frame)), -EINVAL);
	}
}

struct syn_want {
	uint32_t dst;
	uint16_t dport;
};

static bool is_syn_to_guest(const uint8_t *f, size_t len, void *arg)
{
	const struct syn_want *w = arg;
	const uint8_t *e = f + NET_HDR_LEN, *ip = e + ETH_HLEN, *tcp;

	if (len < NET_HDR_LEN + ETH_HLEN + 40 || get16(e + 12) != 0x0800 || ip[9] != 6)
		return false;
	tcp = ip + (ip[0] & 0xf) * 4;
	if ((size_t)(tcp + 20 - f) > len)
		return false;
	/* SYN without ACK: a connection opening toward the guest. */
	return !memcmp(e, guest_mac, 6) && get32(ip + 16) == w->dst &&
	       get16(tcp + 2) == w->dport && (tcp[13] & 0x12) == 0x02;
}

static void test_user_hostfwd(void **state)
{
	struct user_fixture *f = *state;
	struct syn_want w = { IP4(10, 0, 2, 15), 2222 };
	uint16_t port = free_tcp_port();
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	unsigned int from = 0;
	uint8_t frame[60];
	int fd;

	assert_true(port != 0);
	f->nd.user.nr_hostfwd = 1;
	f->nd.user.hostfwd[0] = (struct netdev_hostfwd){
		.host_addr = INADDR_LOOPBACK, .host_port = port, .guest_port = 2222,
	};
	user_start(f);
	/* slirp learns the guest's MAC from its ARP request. */
	build_arp_request(frame, IP4(10, 0, 2, 15), IP4(10, 0, 2, 2));
	assert_int_equal(send_frame(f->be, NULL, frame, sizeof(frame)), 0);
	assert_true(fake_find(&f->fe, &from, is_arp_reply_from_host, NULL, WAIT_MS) >= 0);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_true(fake_find(&f->fe, &from, is_syn_to_guest, &w, WAIT_MS) >= 0);
	close(fd);
}

/* net_create() of the fixture's config, its stderr into msg. */
static int user_create_err(struct user_fixture *f, char *msg, size_t size)
{
	struct err_capture cap;
	int ret;

	capture_start(&cap);
	ret = net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, size);
	return ret;
}

static void test_user_hostfwd_in_use(void **state)
{
	struct user_fixture *f = *state;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char msg[512], want[256];
	uint16_t port;
	int fd, before;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 1), 0);
	{
		socklen_t sl = sizeof(sin);

		assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	}
	port = ntohs(sin.sin_port);
	f->nd.user.nr_hostfwd = 2;
	f->nd.user.hostfwd[0] = (struct netdev_hostfwd){
		.udp = true, .host_port = free_tcp_port(), .guest_port = 53,
	};
	f->nd.user.hostfwd[1] = (struct netdev_hostfwd){ .host_port = port, .guest_port = 22 };

	before = count_open_fds();
	assert_int_equal(user_create_err(f, msg, sizeof(msg)), -EADDRINUSE);
	assert_null(f->net);
	snprintf(want, sizeof(want), "sriovm: -netdev user,id=n0: hostfwd tcp::%u-:22: "
		 "port %u is in use\n", port, port);
	assert_string_equal(msg, want);
	/* The first forward's socket went with the rest. */
	assert_int_equal(count_open_fds(), before);
	close(fd);
}

static void test_user_bad_config(void **state)
{
	struct user_fixture *f = *state;
	char msg[512];

	f->nd.user.dhcpstart = IP4(10, 0, 3, 15);
	assert_int_equal(user_create_err(f, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "sriovm: -netdev user,id=n0: dhcpstart=10.0.3.15 is not a "
			    "host address of the network\n");

	f->nd.user.dhcpstart = 0;
	f->nd.user.net = IP4(10, 1, 0, 0);
	f->nd.user.mask = 0xff00ff00;
	assert_int_equal(user_create_err(f, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "not a prefix"));
}

/* dns= outside the network is fine unless restrict=on (QEMU's rule, the CLI's too). */
static void test_user_dns_outside(void **state)
{
	struct user_fixture *f = *state;
	char msg[512];

	f->nd.user.dns = IP4(8, 8, 8, 8);
	assert_int_equal(net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop), 0);
	net_destroy(f->net);
	f->net = NULL;
	f->nd.user.restrict_ = true;
	assert_int_equal(user_create_err(f, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "dns=8.8.8.8 is not a host address"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_dhcp, user_setup, user_teardown),
		cmocka_unit_test_setup_teardown(test_user_custom_net, user_setup, user_teardown),
		cmocka_unit_test_setup_teardown(test_user_arp, user_setup, user_teardown),
		cmocka_unit_test_setup_teardown(test_user_hostfwd, user_setup, user_teardown),
		cmocka_unit_test_setup_teardown(test_user_hostfwd_in_use, user_setup,
						user_teardown),
		cmocka_unit_test_setup_teardown(test_user_bad_config, user_setup, user_teardown),
		cmocka_unit_test_setup_teardown(test_user_dns_outside, user_setup, user_teardown),
	};

	return cmocka_run_group_tests_name("net_user", tests, NULL, NULL);
}
