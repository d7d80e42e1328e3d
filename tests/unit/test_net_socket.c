// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev socket on 127.0.0.1 with the real event loop in a thread: a
 * listen/connect pair exchanging frames, QEMU's framing checked byte by
 * byte from a raw TCP peer (partial frames, bad lengths, partial writes),
 * backpressure instead of drops, and the start-up errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/backend.h"
#include "net_helpers.h"

struct sock_fixture {
	struct test_loop tl;
	struct netdev_config nd[2];
	struct vm_config cfg;
	struct net *net;
	uint16_t port;
	struct fake_fe fe[2];
};

static int sock_setup(void **state)
{
	struct sock_fixture *f = calloc(1, sizeof(*f));

	if (!f || test_loop_init(&f->tl))
		return -1;
	f->port = free_tcp_port();
	if (!f->port)
		return -1;
	fake_init(&f->fe[0]);
	fake_init(&f->fe[1]);
	*state = f;
	return 0;
}

static int sock_teardown(void **state)
{
	struct sock_fixture *f = *state;

	test_loop_stop(&f->tl);
	net_destroy(f->net);
	test_loop_fini(&f->tl);
	fake_fini(&f->fe[0]);
	fake_fini(&f->fe[1]);
	free(f);
	return 0;
}

static void listen_cfg(struct netdev_config *nd, const char *id, uint16_t port)
{
	memset(nd, 0, sizeof(*nd));
	nd->kind = NETDEV_SOCKET;
	nd->id = id;
	nd->socket.listen = true;
	nd->socket.addr = INADDR_LOOPBACK;
	nd->socket.port = port;
}

static void connect_cfg(struct netdev_config *nd, const char *id, uint16_t port)
{
	listen_cfg(nd, id, port);
	nd->socket.listen = false;
}

/* Creates f->nd[0..n), attaches f->fe[i], runs the loop. */
static struct net_backend *start(struct sock_fixture *f, unsigned int n)
{
	unsigned int i;

	f->cfg.nr_netdevs = n;
	f->cfg.netdevs = f->nd;
	assert_int_equal(net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(net_attach(net_find(f->net, f->nd[i].id), &fake_ops, &f->fe[i]),
				 0);
	assert_int_equal(test_loop_start(&f->tl), 0);
	return net_find(f->net, f->nd[0].id);
}

static bool wait_link(struct net_backend *be, bool up)
{
	unsigned int ms;

	for (ms = 0; ms < WAIT_MS; ms += 2) {
		if (net_link_up(be) == up)
			return true;
		usleep(2000);
	}
	return false;
}

static int raw_connect(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Reads exactly len bytes within the time limit. */
static bool read_all(int fd, void *buf, size_t len, unsigned int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		if (poll(&p, 1, (int)ms) != 1)
			return false;
		n = read(fd, (uint8_t *)buf + got, len - got);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* True if the peer closes the connection within the time limit. */
static bool sees_eof(int fd, unsigned int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t buf[256];
	ssize_t n;

	while (poll(&p, 1, (int)ms) == 1) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0)
			return false;
	}
	return false;
}

static void test_socket_pair(void **state)
{
	struct sock_fixture *f = *state;
	struct virtio_net_hdr_v1 csum = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM };
	static uint8_t frame[NET_MAX_FRAME - NET_HDR_LEN];
	struct net_backend *s0, *s1;
	struct net_stats st;
	unsigned int i;
	size_t len;

	listen_cfg(&f->nd[0], "s0", f->port);
	connect_cfg(&f->nd[1], "s1", f->port);
	s0 = start(f, 2);
	s1 = net_find(f->net, "s1");
	assert_true(net_link_up(s1));
	assert_true(wait_link(s0, true));

	/* Both ways, sizes from tiny to the largest, in order, intact. */
	for (i = 0; i < 100; i++) {
		len = i == 99 ? sizeof(frame) : 14 + (i * 997) % 9000;
		make_eth(frame, len, i);
		assert_int_equal(send_frame(i & 1 ? s0 : s1, NULL, frame, len), 0);
	}
	assert_int_equal(fake_wait(&f->fe[0], 50, WAIT_MS), 50);
	assert_int_equal(fake_wait(&f->fe[1], 50, WAIT_MS), 50);
	for (i = 0; i < 100; i++) {
		struct fake_fe *fe = &f->fe[i & 1 ? 1 : 0];
		unsigned int k = i / 2;

		len = i == 99 ? sizeof(frame) : 14 + (i * 997) % 9000;
		assert_int_equal(fe->len[k], NET_HDR_LEN + len);
		assert_true(hdr_is_zero(fe->frame[k]));
		assert_true(eth_is(fe->frame[k] + NET_HDR_LEN, len, i, len));
	}
	/* An offload request cannot cross a plain wire. */
	assert_int_equal(send_frame(s1, &csum, frame, 60), -EINVAL);
	net_get_stats(s1, &st);
	assert_int_equal(st.tx_frames, 50);
	assert_int_equal(st.tx_dropped, 1);
	assert_int_equal(st.rx_frames, 50);
}

static void test_socket_framing(void **state)
{
	struct sock_fixture *f = *state;
	uint8_t frame[300], wire[2 * (4 + 300)], got[4 + 300];
	struct net_backend *s0;
	int fd;

	listen_cfg(&f->nd[0], "s0", f->port);
	s0 = start(f, 1);
	assert_false(net_link_up(s0));
	fd = raw_connect(f->port);
	assert_true(fd >= 0);
	assert_true(wait_link(s0, true));

	/* A frame in four pieces, the length itself split. */
	make_eth(frame, 100, 1);
	put_be32(wire, 100);
	memcpy(wire + 4, frame, 100);
	assert_int_equal(write(fd, wire, 1), 1);
	usleep(20000);
	assert_int_equal(write(fd, wire + 1, 5), 5);
	usleep(20000);
	assert_int_equal(write(fd, wire + 6, 50), 50);
	usleep(20000);
	assert_int_equal(fake_count(&f->fe[0]), 0);
	assert_int_equal(write(fd, wire + 56, 48), 48);
	assert_int_equal(fake_wait(&f->fe[0], 1, WAIT_MS), 1);
	assert_int_equal(f->fe[0].len[0], NET_HDR_LEN + 100);
	assert_true(hdr_is_zero(f->fe[0].frame[0]));
	assert_true(eth_is(f->fe[0].frame[0] + NET_HDR_LEN, 100, 1, 100));

	/* One write with a whole frame and the start of the next. */
	make_eth(frame, 60, 2);
	put_be32(wire, 60);
	memcpy(wire + 4, frame, 60);
	make_eth(frame, 300, 3);
	put_be32(wire + 64, 300);
	memcpy(wire + 68, frame, 300);
	assert_int_equal(write(fd, wire, 64 + 10), 64 + 10);
	assert_int_equal(fake_wait(&f->fe[0], 2, WAIT_MS), 2);
	usleep(20000);
	assert_int_equal(fake_count(&f->fe[0]), 2);
	assert_int_equal(write(fd, wire + 74, 294), 294);
	assert_int_equal(fake_wait(&f->fe[0], 3, WAIT_MS), 3);
	assert_true(eth_is(f->fe[0].frame[1] + NET_HDR_LEN, f->fe[0].len[1] - NET_HDR_LEN, 2, 60));
	assert_true(eth_is(f->fe[0].frame[2] + NET_HDR_LEN, f->fe[0].len[2] - NET_HDR_LEN, 3, 300));

	/* The other way: length in network byte order, no header. */
	make_eth(frame, 77, 4);
	assert_int_equal(send_frame(s0, NULL, frame, 77), 0);
	assert_true(read_all(fd, got, 4 + 77, WAIT_MS));
	assert_memory_equal(got, "\0\0\0\x4d", 4);
	assert_memory_equal(got + 4, frame, 77);
	close(fd);
	assert_true(wait_link(s0, false));
}

/* The NIC hears of a peer coming and going, so it can report its link. */
static void test_socket_link_events(void **state)
{
	struct sock_fixture *f = *state;
	struct net_backend *s0;
	unsigned int ms;
	int fd;

	listen_cfg(&f->nd[0], "s0", f->port);
	s0 = start(f, 1);
	assert_false(net_link_up(s0));
	assert_int_equal(atomic_load(&f->fe[0].link_events), 0);
	fd = raw_connect(f->port);
	assert_true(fd >= 0);
	assert_true(wait_link(s0, true));
	for (ms = 0; ms < WAIT_MS && atomic_load(&f->fe[0].link_events) < 1; ms += 2)
		usleep(2000);
	assert_int_equal(atomic_load(&f->fe[0].link_events), 1);
	close(fd);
	assert_true(wait_link(s0, false));
	for (ms = 0; ms < WAIT_MS && atomic_load(&f->fe[0].link_events) < 2; ms += 2)
		usleep(2000);
	assert_int_equal(atomic_load(&f->fe[0].link_events), 2);
}

static void test_socket_bad_length(void **state)
{
	struct sock_fixture *f = *state;
	uint8_t wire[4 + 60], frame[60];
	struct net_backend *s0;
	struct err_capture cap;
	char msg[512];
	int fd;

	listen_cfg(&f->nd[0], "s0", f->port);
	s0 = start(f, 1);

	/* Length 0: closed; the next peer is accepted. */
	fd = raw_connect(f->port);
	assert_true(fd >= 0);
	assert_true(wait_link(s0, true));
	capture_start(&cap);
	assert_int_equal(write(fd, "\0\0\0\0", 4), 4);
	assert_true(sees_eof(fd, WAIT_MS));
	assert_true(wait_link(s0, false));
	capture_end(&cap, msg, sizeof(msg));
	assert_string_equal(msg, "sriovm: -netdev socket,id=s0: the peer sent a frame of 0 bytes; "
			    "connection closed\n");
	close(fd);

	fd = raw_connect(f->port);
	assert_true(fd >= 0);
	assert_true(wait_link(s0, true));
	make_eth(frame, 60, 5);
	put_be32(wire, 60);
	memcpy(wire + 4, frame, 60);
	assert_int_equal(write(fd, wire, sizeof(wire)), sizeof(wire));
	assert_int_equal(fake_wait(&f->fe[0], 1, WAIT_MS), 1);
	assert_true(eth_is(f->fe[0].frame[0] + NET_HDR_LEN, f->fe[0].len[0] - NET_HDR_LEN, 5, 60));

	/* Longer than any frame: closed too, nothing delivered. */
	capture_start(&cap);
	put_be32(wire, NET_MAX_FRAME - NET_HDR_LEN + 1);
	assert_int_equal(write(fd, wire, sizeof(wire)), sizeof(wire));
	assert_true(sees_eof(fd, WAIT_MS));
	assert_true(wait_link(s0, false));
	capture_end(&cap, msg, sizeof(msg));
	assert_non_null(strstr(msg, "of 65537 bytes; connection closed"));
	close(fd);
	assert_int_equal(fake_count(&f->fe[0]), 1);

	/* The largest frame is fine. */
	fd = raw_connect(f->port);
	assert_true(fd >= 0);
	put_be32(wire, NET_MAX_FRAME - NET_HDR_LEN);
	assert_int_equal(write(fd, wire, 4), 4);
	{
		static uint8_t big[NET_MAX_FRAME - NET_HDR_LEN];

		make_eth(big, sizeof(big), 6);
		assert_int_equal(write(fd, big, sizeof(big)), sizeof(big));
	}
	assert_int_equal(fake_wait(&f->fe[0], 2, WAIT_MS), 2);
	assert_int_equal(f->fe[0].len[1], NET_MAX_FRAME);
	close(fd);
}

struct writer {
	int fd;
	unsigned int n;
	size_t len;
	bool ok;
};

static void *writer_thread(void *arg)
{
	struct writer *w = arg;
	uint8_t *buf = malloc(4 + w->len);
	unsigned int i;

	w->ok = buf != NULL;
	for (i = 0; w->ok && i < w->n; i++) {
		put_be32(buf, (uint32_t)w->len);
		make_eth(buf + 4, w->len, i);
		w->ok = write(w->fd, buf, 4 + w->len) == (ssize_t)(4 + w->len);
	}
	free(buf);
	return NULL;
}

/* A full NIC holds the peer back through TCP: nothing is dropped. */
static void test_socket_backpressure(void **state)
{
	struct sock_fixture *f = *state;
	struct writer w = { .n = 2000, .len = 1000 };
	struct net_backend *s0;
	struct net_stats st;
	unsigned int i;
	pthread_t t;

	listen_cfg(&f->nd[0], "s0", f->port);
	s0 = start(f, 1);
	fake_set_full(&f->fe[0], true, -1);
	w.fd = raw_connect(f->port);
	assert_true(w.fd >= 0);
	assert_int_equal(pthread_create(&t, NULL, writer_thread, &w), 0);

	for (i = 0; i < WAIT_MS && !fake_attempts(&f->fe[0]); i++)
		usleep(1000);
	usleep(100000);
	/* One frame queued, the rest left in the socket. */
	assert_int_equal(fake_attempts(&f->fe[0]), 1);
	net_get_stats(s0, &st);
	assert_int_equal(st.rx_dropped, 0);

	/* Room for 10 at a time: net_rx_ready() over and over, as a NIC does. */
	fake_set_full(&f->fe[0], false, 10);
	net_rx_ready(s0);
	for (i = 0; i < 20000 && fake_count(&f->fe[0]) < w.n; i++) {
		usleep(500);
		fake_set_full(&f->fe[0], false, 10);
		net_rx_ready(s0);
	}
	pthread_join(t, NULL);
	assert_true(w.ok);
	assert_int_equal(fake_count(&f->fe[0]), w.n);
	for (i = 0; i < w.n; i++)
		assert_true(eth_is(f->fe[0].frame[i] + NET_HDR_LEN, f->fe[0].len[i] - NET_HDR_LEN, i,
				   w.len));
	net_get_stats(s0, &st);
	assert_int_equal(st.rx_dropped, 0);
	assert_int_equal(st.rx_frames, w.n);
	close(w.fd);
}

/* A peer that does not read: frames are dropped whole, never cut. */
static void test_socket_partial_write(void **state)
{
	struct sock_fixture *f = *state;
	static uint8_t frame[NET_MAX_FRAME - NET_HDR_LEN], got[NET_MAX_FRAME - NET_HDR_LEN];
	unsigned int sent = 0, refused = 0, i, tag;
	const size_t len = sizeof(frame);
	struct net_backend *s0;
	struct pollfd p;
	uint8_t lenb[4];
	int fd, sz = 4096;

	listen_cfg(&f->nd[0], "s0", f->port);
	s0 = start(f, 1);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* Small buffers, so the kernel soon takes frames only in part. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	{
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(f->port),
					   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	}
	assert_true(wait_link(s0, true));
	for (i = 0; i < 200 && refused < 3; i++) {
		make_eth(frame, len, i);
		if (send_frame(s0, NULL, frame, len) == 0) {
			sent++;
		} else {
			refused++;
		}
	}
	assert_true(refused > 0);	/* the buffers did fill */
	assert_true(sent > 0);
	/* Every frame taken arrives whole, and nothing else. */
	for (i = 0; i < sent; i++) {
		assert_true(read_all(fd, lenb, 4, WAIT_MS));
		assert_memory_equal(lenb, "\0\1\0\0", 4);
		assert_true(read_all(fd, got, len, WAIT_MS));
		tag = (uint32_t)got[14] << 24 | got[15] << 16 | got[16] << 8 | got[17];
		assert_true(eth_is(got, len, tag, len));
	}
	p.fd = fd;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 200), 0);
	/* And the link carries on. */
	make_eth(frame, 60, 77);
	assert_int_equal(send_frame(s0, NULL, frame, 60), 0);
	assert_true(read_all(fd, lenb, 4, WAIT_MS));
	assert_true(read_all(fd, got, 60, WAIT_MS));
	assert_true(eth_is(got, 60, 77, 60));
	close(fd);
}

static void test_socket_no_peer(void **state)
{
	struct sock_fixture *f = *state;
	struct net_backend *s0;
	struct net_stats st;
	uint8_t frame[60];

	listen_cfg(&f->nd[0], "s0", f->port);
	f->nd[0].socket.addr = 0;	/* any address */
	s0 = start(f, 1);
	make_eth(frame, sizeof(frame), 1);
	assert_false(net_link_up(s0));
	assert_int_equal(send_frame(s0, NULL, frame, sizeof(frame)), -EAGAIN);
	net_get_stats(s0, &st);
	assert_int_equal(st.tx_dropped, 1);
	assert_int_equal(st.tx_frames, 0);
}

static void test_socket_port_in_use(void **state)
{
	struct sock_fixture *f = *state;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(f->port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct err_capture cap;
	char msg[512], want[256];
	int fd, ret;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 1), 0);

	listen_cfg(&f->nd[0], "s0", f->port);
	f->cfg.nr_netdevs = 1;
	f->cfg.netdevs = f->nd;
	capture_start(&cap);
	ret = net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, sizeof(msg));
	assert_int_equal(ret, -EADDRINUSE);
	assert_null(f->net);
	snprintf(want, sizeof(want),
		 "sriovm: -netdev socket,id=s0: listen=127.0.0.1:%u: port %u is in use\n",
		 f->port, f->port);
	assert_string_equal(msg, want);

	/* Any address too. */
	f->nd[0].socket.addr = 0;
	capture_start(&cap);
	ret = net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, sizeof(msg));
	assert_int_equal(ret, -EADDRINUSE);
	snprintf(want, sizeof(want), "listen=:%u: port %u is in use\n", f->port, f->port);
	assert_non_null(strstr(msg, want));
	close(fd);
}

static void test_socket_refused(void **state)
{
	struct sock_fixture *f = *state;
	struct err_capture cap;
	char msg[512], want[256];
	int ret;

	connect_cfg(&f->nd[0], "c0", f->port);
	f->cfg.nr_netdevs = 1;
	f->cfg.netdevs = f->nd;
	capture_start(&cap);
	ret = net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, sizeof(msg));
	assert_int_equal(ret, -ECONNREFUSED);
	assert_null(f->net);
	snprintf(want, sizeof(want),
		 "sriovm: -netdev socket,id=c0: connect=127.0.0.1:%u: cannot connect: "
		 "Connection refused\n", f->port);
	assert_string_equal(msg, want);
}

/* A later netdev failing undoes the earlier ones: ports and fds are free. */
static void test_socket_nothing_left(void **state)
{
	struct sock_fixture *f = *state;
	struct netdev_config nd[3];
	struct vm_config cfg = { .nr_netdevs = 3, .netdevs = nd };
	uint16_t dead = free_tcp_port();
	struct err_capture cap;
	struct net *net;
	char msg[512];
	int before, ret;

	assert_true(dead && dead != f->port);
	listen_cfg(&nd[0], "s0", f->port);
	memset(&nd[1], 0, sizeof(nd[1]));
	nd[1].kind = NETDEV_HUBPORT;
	nd[1].id = "h0";
	connect_cfg(&nd[2], "c0", dead);

	before = count_open_fds();
	capture_start(&cap);
	ret = net_create(&net, cfg.netdevs, cfg.nr_netdevs, &f->tl.loop);
	capture_end(&cap, msg, sizeof(msg));
	assert_int_equal(ret, -ECONNREFUSED);
	assert_int_equal(count_open_fds(), before);

	/* s0's port is free again: a second try binds it. */
	cfg.nr_netdevs = 2;
	assert_int_equal(net_create(&net, cfg.netdevs, cfg.nr_netdevs, &f->tl.loop), 0);
	net_destroy(net);
	assert_int_equal(count_open_fds(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_pair, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_framing, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_bad_length, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_backpressure, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_partial_write, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_no_peer, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_port_in_use, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_refused, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_link_events, sock_setup, sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_nothing_left, sock_setup, sock_teardown),
	};

	return cmocka_run_group_tests_name("net_socket", tests, NULL, NULL);
}
