// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev tap, in a network namespace of its own so the host's network is
 * never touched. Needs root (CAP_SYS_ADMIN for unshare, CAP_NET_ADMIN for
 * the tap): without it every test fails, saying so.
 *
 * The far side of the tap is a packet socket bound to the interface:
 * what it sends reaches the frontend, what the frontend sends reaches it.
 */
#include <errno.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <cmocka.h>

#include "net/backend.h"
#include "net_helpers.h"

static const char *netns_error;

struct tap_fixture {
	struct test_loop tl;
	struct netdev_config nd[2];
	struct vm_config cfg;
	struct net *net;
	struct net_backend *be;
	struct fake_fe fe;
	int pfd;		/* packet socket on the interface */
};

static int tap_setup(void **state)
{
	struct tap_fixture *f;

	if (netns_error)
		fail_msg("%s", netns_error);
	f = calloc(1, sizeof(*f));
	if (!f || test_loop_init(&f->tl))
		return -1;
	f->pfd = -1;
	fake_init(&f->fe);
	*state = f;
	return 0;
}

static int tap_teardown(void **state)
{
	struct tap_fixture *f = *state;

	if (!f)
		return 0;
	test_loop_stop(&f->tl);
	if (f->pfd >= 0)
		close(f->pfd);
	net_destroy(f->net);
	test_loop_fini(&f->tl);
	fake_fini(&f->fe);
	free(f);
	return 0;
}

static void tap_cfg(struct netdev_config *nd, const char *id, const char *ifname,
		    int vnet_hdr)
{
	memset(nd, 0, sizeof(*nd));
	nd->kind = NETDEV_TAP;
	nd->id = id;
	nd->tap.ifname = ifname;
	nd->tap.vnet_hdr_set = vnet_hdr >= 0;
	nd->tap.vnet_hdr = vnet_hdr > 0;
}

/* The one tapN of this namespace. */
static bool find_tap(char *name)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	bool found = false;

	for (i = ifs; i && i->if_index; i++) {
		if (!strncmp(i->if_name, "tap", 3)) {
			snprintf(name, IFNAMSIZ, "%s", i->if_name);
			found = true;
		}
	}
	if (ifs)
		if_freenameindex(ifs);
	return found;
}

static int iface_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

/* Creates the netdevs, brings the tap up, opens the packet socket, runs the loop. */
static void tap_start(struct tap_fixture *f, unsigned int n, const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	char name[IFNAMSIZ];
	int one = 1;

	f->cfg.nr_netdevs = n;
	f->cfg.netdevs = f->nd;
	assert_int_equal(net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop), 0);
	f->be = net_find(f->net, f->nd[0].id);
	assert_non_null(f->be);
	assert_true(net_link_up(f->be));
	assert_int_equal(net_attach(f->be, &fake_ops, &f->fe), 0);
	if (ifname)
		snprintf(name, sizeof(name), "%s", ifname);
	else
		assert_true(find_tap(name));
	assert_int_equal(iface_up(name), 0);
	sll.sll_ifindex = (int)if_nametoindex(name);
	assert_true(sll.sll_ifindex > 0);
	f->pfd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(f->pfd >= 0);
	assert_int_equal(bind(f->pfd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	assert_int_equal(setsockopt(f->pfd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)), 0);
	assert_int_equal(test_loop_start(&f->tl), 0);
}

/* Ours, not the kernel's IPv6 chatter on a fresh interface. */
static bool is_tagged(const uint8_t *f, size_t len, void *arg)
{
	const uint8_t *e = f + NET_HDR_LEN;

	return len >= NET_HDR_LEN + 18 && e[12] == 0x88 && e[13] == 0xb5 &&
	       (uint32_t)(e[14] << 24 | e[15] << 16 | e[16] << 8 | e[17]) == *(uint32_t *)arg;
}

/* The host side sends a frame into the tap; the frontend must get it. */
static void host_to_guest(struct tap_fixture *f, uint32_t tag, size_t len, unsigned int *from)
{
	uint8_t frame[1500];
	int i;

	make_eth(frame, len, tag);
	assert_int_equal(send(f->pfd, frame, len, 0), (ssize_t)len);
	i = fake_find(&f->fe, from, is_tagged, &tag, WAIT_MS);
	assert_true(i >= 0);
	/* Always a 12-byte header first, zero for a plain frame. */
	assert_int_equal(f->fe.len[i], NET_HDR_LEN + len);
	assert_true(hdr_is_zero(f->fe.frame[i]));
	assert_true(eth_is(f->fe.frame[i] + NET_HDR_LEN, len, tag, len));
}

/* The frontend sends a frame; the host side must see exactly it. */
static void guest_to_host(struct tap_fixture *f, uint32_t tag, size_t len)
{
	struct pollfd p = { .fd = f->pfd, .events = POLLIN };
	uint8_t frame[1500], got[2048];
	struct sockaddr_ll from;
	socklen_t sl;
	ssize_t n;

	make_eth(frame, len, tag);
	assert_int_equal(send_frame(f->be, NULL, frame, len), 0);
	for (;;) {
		assert_int_equal(poll(&p, 1, WAIT_MS), 1);
		sl = sizeof(from);
		n = recvfrom(f->pfd, got, sizeof(got), 0, (struct sockaddr *)&from, &sl);
		assert_true(n > 0);
		if (from.sll_pkttype != PACKET_OUTGOING && (size_t)n == len &&
		    !memcmp(got, frame, len))
			return;
	}
}

/*
 * A checksum left to the other side: with vnet_hdr the header reaches the
 * kernel, which hands the frame on with the checksum still to do
 * (TP_STATUS_CSUMNOTREADY); without it the frame is refused. The kernel
 * wants csum_start past an IPv4 header's worth of network header.
 */
static void guest_to_host_csum(struct tap_fixture *f, uint32_t tag, bool vnet_hdr)
{
	struct virtio_net_hdr_v1 hdr = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
					 .csum_start = 34, .csum_offset = 6 };
	struct pollfd p = { .fd = f->pfd, .events = POLLIN };
	union {
		struct cmsghdr cm;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	uint8_t frame[100], got[2048];
	struct iovec iov = { got, sizeof(got) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct tpacket_auxdata aux;
	struct cmsghdr *cm;
	ssize_t n;

	make_eth(frame, sizeof(frame), tag);
	if (!vnet_hdr) {
		assert_int_equal(send_frame(f->be, &hdr, frame, sizeof(frame)), -EINVAL);
		return;
	}
	assert_int_equal(send_frame(f->be, &hdr, frame, sizeof(frame)), 0);
	for (;;) {
		assert_int_equal(poll(&p, 1, WAIT_MS), 1);
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(f->pfd, &mh, 0);
		assert_true(n > 0);
		if ((size_t)n != sizeof(frame) || memcmp(got, frame, sizeof(frame)))
			continue;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA) {
				memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
				assert_true(aux.tp_status & TP_STATUS_CSUMNOTREADY);
				return;
			}
		}
		fail_msg("no PACKET_AUXDATA");
	}
}

static void test_tap_named_no_vnet(void **state)
{
	struct tap_fixture *f = *state;
	struct virtio_net_hdr_v1 gso = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 };
	unsigned int from = 0;
	uint8_t frame[60];

	tap_cfg(&f->nd[0], "t0", "sr-tap0", 0);
	tap_start(f, 1, "sr-tap0");
	host_to_guest(f, 1, 60, &from);
	host_to_guest(f, 2, 1500, &from);
	guest_to_host(f, 3, 60);
	guest_to_host(f, 4, 1500);
	guest_to_host_csum(f, 6, false);
	/* Without a vnet header nobody would do the segmentation. */
	make_eth(frame, sizeof(frame), 5);
	assert_int_equal(send_frame(f->be, &gso, frame, sizeof(frame)), -EINVAL);

	/* Not persistent: the interface goes with the netdev. */
	test_loop_stop(&f->tl);
	net_destroy(f->net);
	f->net = NULL;
	assert_int_equal(if_nametoindex("sr-tap0"), 0);
}

static void test_tap_auto_name_default_vnet(void **state)
{
	struct tap_fixture *f = *state;
	unsigned int from = 0;
	char name[IFNAMSIZ];

	tap_cfg(&f->nd[0], "t1", NULL, -1);
	tap_start(f, 1, NULL);
	assert_true(find_tap(name));
	host_to_guest(f, 10, 60, &from);
	host_to_guest(f, 11, 1000, &from);
	guest_to_host(f, 12, 100);
	/* vnet_hdr unset: on, as the kernel has it. */
	guest_to_host_csum(f, 13, true);
	test_loop_stop(&f->tl);
	net_destroy(f->net);
	f->net = NULL;
	assert_int_equal(if_nametoindex(name), 0);
}

static void test_tap_vnet_on(void **state)
{
	struct tap_fixture *f = *state;
	unsigned int from = 0;

	tap_cfg(&f->nd[0], "t2", "sr-tap2", 1);
	tap_start(f, 1, "sr-tap2");
	host_to_guest(f, 20, 64, &from);
	guest_to_host(f, 21, 64);
	guest_to_host_csum(f, 22, true);
}

/* A full frontend leaves frames in the tap's own queue: none dropped. */
static void test_tap_backpressure(void **state)
{
	struct tap_fixture *f = *state;
	unsigned int from = 0, i, tag, base;
	struct net_stats st;
	uint8_t frame[100];

	tap_cfg(&f->nd[0], "t3", "sr-tap3", -1);
	tap_start(f, 1, "sr-tap3");
	fake_set_full(&f->fe, true, -1);
	/* The kernel's own frames may have come already. */
	base = fake_attempts(&f->fe);
	for (i = 0; i < 100; i++) {
		make_eth(frame, sizeof(frame), 1000 + i);
		assert_int_equal(send(f->pfd, frame, sizeof(frame), 0), (ssize_t)sizeof(frame));
	}
	for (i = 0; i < WAIT_MS && fake_attempts(&f->fe) == base; i++)
		usleep(1000);
	usleep(50000);
	/* Refused once; the rest wait in the tap, not read. */
	assert_int_equal(fake_attempts(&f->fe), base + 1);
	fake_set_full(&f->fe, false, -1);
	net_rx_ready(f->be);
	for (i = 0; i < 100; i++) {
		tag = 1000 + i;
		assert_true(fake_find(&f->fe, &from, is_tagged, &tag, WAIT_MS) >= 0);
	}
	net_get_stats(f->be, &st);
	assert_int_equal(st.rx_dropped, 0);
}

static void test_tap_errors(void **state)
{
	struct tap_fixture *f = *state;
	struct err_capture cap;
	char msg[512];
	int before, ret;

	/* The second one cannot have the name: the first is undone too. */
	tap_cfg(&f->nd[0], "a", "sr-dup", -1);
	tap_cfg(&f->nd[1], "b", "sr-dup", -1);
	f->cfg.nr_netdevs = 2;
	f->cfg.netdevs = f->nd;
	before = count_open_fds();
	capture_start(&cap);
	ret = net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, sizeof(msg));
	assert_int_equal(ret, -EBUSY);
	assert_null(f->net);
	assert_string_equal(msg, "sriovm: -netdev tap,id=b: cannot create sr-dup: "
			    "Device or resource busy\n");
	assert_int_equal(if_nametoindex("sr-dup"), 0);
	assert_int_equal(count_open_fds(), before);

	tap_cfg(&f->nd[0], "c", "a-name-far-too-long", -1);
	f->cfg.nr_netdevs = 1;
	capture_start(&cap);
	ret = net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, sizeof(msg));
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(msg, "-netdev tap,id=c: ifname=a-name-far-too-long:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap_named_no_vnet, tap_setup, tap_teardown),
		cmocka_unit_test_setup_teardown(test_tap_auto_name_default_vnet, tap_setup,
						tap_teardown),
		cmocka_unit_test_setup_teardown(test_tap_vnet_on, tap_setup, tap_teardown),
		cmocka_unit_test_setup_teardown(test_tap_backpressure, tap_setup, tap_teardown),
		cmocka_unit_test_setup_teardown(test_tap_errors, tap_setup, tap_teardown),
	};
	static char why[256];

	/* Before any thread: every thread of the test lives in the new namespace. */
	if (unshare(CLONE_NEWNET)) {
		snprintf(why, sizeof(why), "unshare(CLONE_NEWNET): %s: the tap tests need root "
			 "(CAP_SYS_ADMIN and CAP_NET_ADMIN)", strerror(errno));
		netns_error = why;
	}
	return cmocka_run_group_tests_name("net_tap", tests, NULL, NULL);
}
