// SPDX-License-Identifier: GPL-2.0
/*
 * The backend interface through hub ports: forwarding among ports, the
 * receive queue with -EAGAIN and net_rx_ready(), drops when it is full,
 * attach and detach, and net_create()'s checks.
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

#define NPORTS	5

struct hub_fixture {
	struct test_loop tl;
	struct netdev_config nd[NPORTS];
	struct vm_config cfg;
	struct net *net;
	struct net_backend *be[NPORTS];
	struct fake_fe fe[NPORTS];
};

static const char *const port_ids[NPORTS] = { "p0", "p1", "p2", "q0", "q1" };

/* p0, p1, p2 on hub 0; q0, q1 on hub 7. */
static int hub_setup(void **state)
{
	struct hub_fixture *f = calloc(1, sizeof(*f));
	unsigned int i;

	if (!f || test_loop_init(&f->tl))
		return -1;
	for (i = 0; i < NPORTS; i++) {
		f->nd[i].kind = NETDEV_HUBPORT;
		f->nd[i].id = port_ids[i];
		f->nd[i].hubport.hubid = i < 3 ? 0 : 7;
	}
	f->cfg.nr_netdevs = NPORTS;
	f->cfg.netdevs = f->nd;
	if (net_create(&f->net, f->cfg.netdevs, f->cfg.nr_netdevs, &f->tl.loop))
		return -1;
	for (i = 0; i < NPORTS; i++) {
		f->be[i] = net_find(f->net, port_ids[i]);
		if (!f->be[i])
			return -1;
		fake_init(&f->fe[i]);
		if (net_attach(f->be[i], &fake_ops, &f->fe[i]))
			return -1;
	}
	*state = f;
	return 0;
}

static int hub_teardown(void **state)
{
	struct hub_fixture *f = *state;
	unsigned int i;

	for (i = 0; i < NPORTS; i++) {
		net_detach(f->be[i]);
		fake_fini(&f->fe[i]);
	}
	net_destroy(f->net);
	test_loop_fini(&f->tl);
	free(f);
	return 0;
}

static void test_hub_forwarding(void **state)
{
	struct hub_fixture *f = *state;
	struct virtio_net_hdr_v1 hdr = { .hdr_len = 0x1234, .num_buffers = 0x55 };
	uint8_t frame[100], big[NET_MAX_FRAME + 1] = { 0 };
	struct iovec iov[4];
	struct net_stats st;
	unsigned int i;

	assert_null(net_find(f->net, "nope"));
	assert_true(net_link_up(f->be[0]));

	/* From p0: p1 and p2 get it, header unchanged; p0 and hub 7 do not. */
	make_eth(frame, sizeof(frame), 1);
	assert_int_equal(send_frame(f->be[0], &hdr, frame, sizeof(frame)), 0);
	assert_int_equal(fake_count(&f->fe[0]), 0);
	for (i = 1; i < 3; i++) {
		assert_int_equal(fake_count(&f->fe[i]), 1);
		assert_int_equal(f->fe[i].len[0], NET_HDR_LEN + sizeof(frame));
		assert_memory_equal(f->fe[i].frame[0], &hdr, NET_HDR_LEN);
		assert_true(eth_is(f->fe[i].frame[0] + NET_HDR_LEN, sizeof(frame), 1,
				   sizeof(frame)));
	}
	assert_int_equal(fake_count(&f->fe[3]), 0);
	assert_int_equal(fake_count(&f->fe[4]), 0);

	/* From p2, scattered in odd pieces, header split too. */
	make_eth(frame, sizeof(frame), 2);
	iov[0] = (struct iovec){ &hdr, 5 };
	iov[1] = (struct iovec){ (uint8_t *)&hdr + 5, NET_HDR_LEN - 5 };
	iov[2] = (struct iovec){ frame, 1 };
	iov[3] = (struct iovec){ frame + 1, sizeof(frame) - 1 };
	assert_int_equal(net_send(f->be[2], iov, 4), 0);
	assert_int_equal(fake_count(&f->fe[0]), 1);
	assert_int_equal(fake_count(&f->fe[1]), 2);
	assert_int_equal(fake_count(&f->fe[2]), 1);
	assert_true(eth_is(f->fe[0].frame[0] + NET_HDR_LEN, f->fe[0].len[0] - NET_HDR_LEN, 2,
			   sizeof(frame)));

	/* The other hub is a separate wire. */
	assert_int_equal(send_frame(f->be[4], NULL, frame, 60), 0);
	assert_int_equal(fake_count(&f->fe[3]), 1);
	assert_int_equal(fake_count(&f->fe[0]), 1);
	assert_int_equal(fake_count(&f->fe[4]), 0);

	/* Shorter than a header, or longer than the largest frame: refused. */
	iov[0] = (struct iovec){ &hdr, NET_HDR_LEN - 1 };
	assert_int_equal(net_send(f->be[0], iov, 1), -EINVAL);
	iov[0] = (struct iovec){ big, sizeof(big) };
	assert_int_equal(net_send(f->be[0], iov, 1), -EINVAL);
	iov[0] = (struct iovec){ big, NET_MAX_FRAME };
	assert_int_equal(net_send(f->be[0], iov, 1), 0);
	assert_int_equal(fake_count(&f->fe[1]), 3);
	assert_int_equal(f->fe[1].len[2], NET_MAX_FRAME);

	net_get_stats(f->be[0], &st);
	assert_int_equal(st.tx_frames, 2);
	assert_int_equal(st.tx_dropped, 2);
	assert_int_equal(st.rx_frames, 1);
	net_get_stats(f->be[1], &st);
	assert_int_equal(st.rx_frames, 3);
	assert_int_equal(st.rx_dropped, 0);
}

static void test_attach_detach(void **state)
{
	struct hub_fixture *f = *state;
	struct fake_fe other;
	struct net_stats st;
	uint8_t frame[60];

	fake_init(&other);
	make_eth(frame, sizeof(frame), 3);
	assert_int_equal(net_attach(f->be[1], &fake_ops, &other), -EBUSY);

	/* No frontend: frames fall off the wire, counted. */
	net_detach(f->be[1]);
	net_detach(f->be[1]);		/* harmless twice */
	assert_int_equal(send_frame(f->be[0], NULL, frame, sizeof(frame)), 0);
	net_get_stats(f->be[1], &st);
	assert_int_equal(st.rx_dropped, 1);
	assert_int_equal(fake_count(&f->fe[1]), 0);
	assert_int_equal(fake_count(&f->fe[2]), 1);

	assert_int_equal(net_attach(f->be[1], &fake_ops, &other), 0);
	assert_int_equal(send_frame(f->be[0], NULL, frame, sizeof(frame)), 0);
	assert_int_equal(fake_count(&other), 1);
	assert_int_equal(fake_count(&f->fe[1]), 0);
	net_detach(f->be[1]);
	assert_int_equal(net_attach(f->be[1], &fake_ops, &f->fe[1]), 0);
	fake_fini(&other);
}

static void test_rx_queue(void **state)
{
	struct hub_fixture *f = *state;
	struct fake_fe *fe = &f->fe[1];
	uint8_t frame[64];
	struct net_stats st;
	unsigned int i;

	/* p1's NIC has no buffers: the queue keeps the oldest 256. */
	fake_set_full(fe, true, -1);
	for (i = 0; i < NET_RXQ_FRAMES + 44; i++) {
		make_eth(frame, sizeof(frame), i);
		assert_int_equal(send_frame(f->be[0], NULL, frame, sizeof(frame)), 0);
	}
	/* Asked once; later frames queue behind without asking again. */
	assert_int_equal(fake_attempts(fe), 1);
	assert_int_equal(fake_count(fe), 0);
	net_get_stats(f->be[1], &st);
	assert_int_equal(st.rx_dropped, 44);
	assert_int_equal(st.rx_frames, 0);
	/* p2 was not held back by p1. */
	assert_int_equal(fake_count(&f->fe[2]), NET_RXQ_FRAMES + 44);

	/* Still full: nothing moves. */
	net_rx_ready(f->be[1]);
	assert_int_equal(fake_count(fe), 0);

	/* Room for 100: those leave in order, the rest stays. */
	fake_set_full(fe, false, 100);
	net_rx_ready(f->be[1]);
	assert_int_equal(fake_count(fe), 100);
	/* A new frame goes behind the queued ones, not past them. */
	make_eth(frame, sizeof(frame), 9999);
	assert_int_equal(send_frame(f->be[0], NULL, frame, sizeof(frame)), 0);
	assert_int_equal(fake_count(fe), 100);

	fake_set_full(fe, false, -1);
	net_rx_ready(f->be[1]);
	/* The 256 kept, in order, then 9999 (it had room: 100 had left). */
	assert_int_equal(fake_count(fe), NET_RXQ_FRAMES + 1);
	for (i = 0; i < NET_RXQ_FRAMES; i++) {
		assert_int_equal(fe->len[i], NET_HDR_LEN + sizeof(frame));
		assert_true(eth_is(fe->frame[i] + NET_HDR_LEN, sizeof(frame), i, sizeof(frame)));
	}
	assert_true(eth_is(fe->frame[NET_RXQ_FRAMES] + NET_HDR_LEN, sizeof(frame), 9999,
			   sizeof(frame)));
	net_get_stats(f->be[1], &st);
	assert_int_equal(st.rx_frames, NET_RXQ_FRAMES + 1);
	assert_int_equal(st.rx_dropped, 44);

	/* Drained: straight through again. */
	make_eth(frame, sizeof(frame), 10000);
	assert_int_equal(send_frame(f->be[0], NULL, frame, sizeof(frame)), 0);
	assert_int_equal(fake_count(fe), NET_RXQ_FRAMES + 2);
	/* The NIC was asked once per frame plus once per refusal (3), no more. */
	assert_int_equal(fake_attempts(fe), NET_RXQ_FRAMES + 2 + 3);
}

static void test_rx_queue_bytes(void **state)
{
	struct hub_fixture *f = *state;
	struct fake_fe *fe = &f->fe[3];
	static uint8_t frame[8192];
	unsigned int fit = NET_RXQ_BYTES / (NET_HDR_LEN + sizeof(frame)), i;
	struct net_stats st;

	fake_set_full(fe, true, -1);
	for (i = 0; i < 200; i++) {
		make_eth(frame, sizeof(frame), i);
		assert_int_equal(send_frame(f->be[4], NULL, frame, sizeof(frame)), 0);
	}
	assert_true(fit < 200 && fit < NET_RXQ_FRAMES);
	net_get_stats(f->be[3], &st);
	assert_int_equal(st.rx_dropped, 200 - fit);

	fake_set_full(fe, false, -1);
	net_rx_ready(f->be[3]);
	assert_int_equal(fake_count(fe), fit);
	for (i = 0; i < fit; i++)
		assert_true(eth_is(fe->frame[i] + NET_HDR_LEN, fe->len[i] - NET_HDR_LEN, i,
				   sizeof(frame)));

	/* Detaching drops what is queued, and the next NIC starts clean. */
	fake_set_full(fe, true, -1);
	for (i = 0; i < 10; i++)
		assert_int_equal(send_frame(f->be[4], NULL, frame, 60), 0);
	net_detach(f->be[3]);
	net_get_stats(f->be[3], &st);
	assert_int_equal(st.rx_dropped, 200 - fit + 10);
	fake_reset(fe);
	fake_set_full(fe, false, -1);
	assert_int_equal(net_attach(f->be[3], &fake_ops, fe), 0);
	net_rx_ready(f->be[3]);
	assert_int_equal(fake_count(fe), 0);
	assert_int_equal(send_frame(f->be[4], NULL, frame, 60), 0);
	assert_int_equal(fake_count(fe), 1);
}

struct sender {
	struct net_backend *be;
	bool stop;		/* atomically */
	unsigned int sent;
};

static void *sender_thread(void *arg)
{
	struct sender *s = arg;
	uint8_t frame[60];

	make_eth(frame, sizeof(frame), 0);
	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
		send_frame(s->be, NULL, frame, sizeof(frame));
		s->sent++;
	}
	return NULL;
}

/* After net_detach() returns, receive() neither runs nor will run. */
static void test_detach_waits(void **state)
{
	struct hub_fixture *f = *state;
	struct fake_fe *fe = &f->fe[1];
	struct sender s = { .be = f->be[0] };
	unsigned int round, calls;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, sender_thread, &s), 0);
	for (round = 0; round < 20; round++) {
		pthread_mutex_lock(&fe->lock);
		fe->delay_us = 200;
		pthread_mutex_unlock(&fe->lock);
		/* Let deliveries start. */
		while (fake_attempts(fe) < 3)
			usleep(100);
		net_detach(f->be[1]);
		pthread_mutex_lock(&fe->lock);
		assert_false(fe->in_receive);
		calls = fe->attempts;
		pthread_mutex_unlock(&fe->lock);
		usleep(2000);
		assert_int_equal(fake_attempts(fe), calls);
		fake_reset(fe);
		assert_int_equal(net_attach(f->be[1], &fake_ops, fe), 0);
	}
	__atomic_store_n(&s.stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	assert_true(s.sent > 0);
	pthread_mutex_lock(&fe->lock);
	fe->delay_us = 0;
	pthread_mutex_unlock(&fe->lock);
}

static void test_create_errors(void **state)
{
	struct netdev_config nd[3] = {
		{ .kind = NETDEV_HUBPORT, .id = "a" },
		{ .kind = NETDEV_HUBPORT, .id = "b" },
		{ .kind = NETDEV_HUBPORT, .id = "a" },
	};
	struct vm_config cfg = { .nr_netdevs = 3, .netdevs = nd };
	struct err_capture cap;
	struct test_loop tl;
	struct net *net = (struct net *)&cfg;
	char msg[512];

	assert_int_equal(test_loop_init(&tl), 0);
	capture_start(&cap);
	assert_int_equal(net_create(&net, cfg.netdevs, cfg.nr_netdevs, &tl.loop), -EINVAL);
	capture_end(&cap, msg, sizeof(msg));
	assert_null(net);
	assert_string_equal(msg, "sriovm: -netdev hubport,id=a: duplicate id a\n");

	nd[2].id = NULL;
	capture_start(&cap);
	assert_int_equal(net_create(&net, cfg.netdevs, cfg.nr_netdevs, &tl.loop), -EINVAL);
	capture_end(&cap, msg, sizeof(msg));
	assert_non_null(strstr(msg, "id= is needed"));

	/* None at all: an empty set. */
	cfg.nr_netdevs = 0;
	assert_int_equal(net_create(&net, cfg.netdevs, cfg.nr_netdevs, &tl.loop), 0);
	assert_non_null(net);
	assert_null(net_find(net, "a"));
	net_destroy(net);
	net_destroy(NULL);
	test_loop_fini(&tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hub_forwarding, hub_setup, hub_teardown),
		cmocka_unit_test_setup_teardown(test_attach_detach, hub_setup, hub_teardown),
		cmocka_unit_test_setup_teardown(test_rx_queue, hub_setup, hub_teardown),
		cmocka_unit_test_setup_teardown(test_rx_queue_bytes, hub_setup, hub_teardown),
		cmocka_unit_test_setup_teardown(test_detach_waits, hub_setup, hub_teardown),
		cmocka_unit_test(test_create_errors),
	};

	return cmocka_run_group_tests_name("net_hub", tests, NULL, NULL);
}
