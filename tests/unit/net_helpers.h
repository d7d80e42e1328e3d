/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the test_net_* programs: a fake frontend that records the frames
 * it gets, the event loop run in a thread, stderr capture, free ports.
 * Every wait is bounded, so a broken backend fails a test instead of
 * hanging it.
 */
#ifndef SRIOVM_TESTS_NET_HELPERS_H
#define SRIOVM_TESTS_NET_HELPERS_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/loop.h"
#include "net/net.h"
#include "vmm/config.h"

#define WAIT_MS		5000	/* generous: ASan builds are slow */
#define FAKE_MAX	2048

struct fake_fe {
	pthread_mutex_t lock;	/* the frontend's "rx lock" */
	pthread_cond_t cond;
	bool full;		/* answer -EAGAIN */
	int budget;		/* >= 0: take this many more, then full */
	unsigned int attempts;	/* receive() calls */
	bool in_receive;
	unsigned int delay_us;	/* time spent inside receive() */
	unsigned int n;
	atomic_uint link_events;	/* link_changed() calls */
	size_t len[FAKE_MAX];
	uint8_t *frame[FAKE_MAX];
};

static inline int fake_receive(void *opaque, const struct iovec *iov, unsigned int iovcnt)
{
	struct fake_fe *fe = opaque;
	size_t len = 0, off = 0;
	unsigned int i;
	uint8_t *p;

	pthread_mutex_lock(&fe->lock);
	fe->attempts++;
	fe->in_receive = true;
	if (fe->delay_us)
		usleep(fe->delay_us);
	fe->in_receive = false;
	if (fe->full || fe->budget == 0) {
		pthread_mutex_unlock(&fe->lock);
		return -EAGAIN;
	}
	if (fe->budget > 0)
		fe->budget--;
	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	p = malloc(len ? len : 1);
	for (i = 0; p && i < iovcnt; i++) {
		memcpy(p + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	if (p && fe->n < FAKE_MAX) {
		fe->frame[fe->n] = p;
		fe->len[fe->n] = len;
		fe->n++;
	} else {
		free(p);
	}
	pthread_cond_broadcast(&fe->cond);
	pthread_mutex_unlock(&fe->lock);
	return 0;
}

static inline void fake_link_changed(void *opaque)
{
	struct fake_fe *fe = opaque;

	atomic_fetch_add(&fe->link_events, 1);
}

static const struct net_frontend_ops fake_ops = {
	.receive = fake_receive,
	.link_changed = fake_link_changed,
};

static inline void fake_init(struct fake_fe *fe)
{
	memset(fe, 0, sizeof(*fe));
	pthread_mutex_init(&fe->lock, NULL);
	pthread_cond_init(&fe->cond, NULL);
	fe->budget = -1;
}

static inline void fake_reset(struct fake_fe *fe)
{
	unsigned int i;

	pthread_mutex_lock(&fe->lock);
	for (i = 0; i < fe->n; i++)
		free(fe->frame[i]);
	fe->n = 0;
	fe->attempts = 0;
	pthread_mutex_unlock(&fe->lock);
}

static inline void fake_fini(struct fake_fe *fe)
{
	fake_reset(fe);
	pthread_mutex_destroy(&fe->lock);
	pthread_cond_destroy(&fe->cond);
}

static inline void fake_set_full(struct fake_fe *fe, bool full, int budget)
{
	pthread_mutex_lock(&fe->lock);
	fe->full = full;
	fe->budget = budget;
	pthread_mutex_unlock(&fe->lock);
}

static inline unsigned int fake_count(struct fake_fe *fe)
{
	unsigned int n;

	pthread_mutex_lock(&fe->lock);
	n = fe->n;
	pthread_mutex_unlock(&fe->lock);
	return n;
}

static inline unsigned int fake_attempts(struct fake_fe *fe)
{
	unsigned int n;

	pthread_mutex_lock(&fe->lock);
	n = fe->attempts;
	pthread_mutex_unlock(&fe->lock);
	return n;
}

static inline void deadline_after(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Waits until at least n frames arrived; returns how many did. */
static inline unsigned int fake_wait(struct fake_fe *fe, unsigned int n, unsigned int ms)
{
	struct timespec ts;
	unsigned int got;

	deadline_after(&ts, ms);
	pthread_mutex_lock(&fe->lock);
	while (fe->n < n && pthread_cond_timedwait(&fe->cond, &fe->lock, &ts) != ETIMEDOUT)
		;
	got = fe->n;
	pthread_mutex_unlock(&fe->lock);
	return got;
}

/*
 * Waits for a frame, from index *from on, that match() accepts; returns its
 * index (and moves *from past it) or -1 on timeout.
 */
static inline int fake_find(struct fake_fe *fe, unsigned int *from,
			    bool (*match)(const uint8_t *f, size_t len, void *arg), void *arg,
			    unsigned int ms)
{
	struct timespec ts;
	int found = -1;

	deadline_after(&ts, ms);
	pthread_mutex_lock(&fe->lock);
	for (;;) {
		while (*from < fe->n) {
			unsigned int i = (*from)++;

			if (match(fe->frame[i], fe->len[i], arg)) {
				found = (int)i;
				goto out;
			}
		}
		if (pthread_cond_timedwait(&fe->cond, &fe->lock, &ts) == ETIMEDOUT)
			break;
	}
out:
	pthread_mutex_unlock(&fe->lock);
	return found;
}

/* The main loop, run by a thread of the test until test_loop_stop(). */
struct test_loop {
	struct loop loop;
	pthread_t thread;
	bool running;
	int quit_fd;
	struct loop_handler quit_h;
};

static inline void test_loop_quit_event(struct loop_handler *h, uint32_t events)
{
	struct test_loop *tl = (struct test_loop *)((char *)h - offsetof(struct test_loop, quit_h));
	uint64_t v;

	if (read(tl->quit_fd, &v, sizeof(v)) > 0)
		loop_quit(&tl->loop);
}

static inline int test_loop_init(struct test_loop *tl)
{
	int ret;

	memset(tl, 0, sizeof(*tl));
	ret = loop_init(&tl->loop);
	if (ret)
		return ret;
	tl->quit_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (tl->quit_fd < 0)
		return -errno;
	tl->quit_h.fn = test_loop_quit_event;
	return loop_add(&tl->loop, tl->quit_fd, EPOLLIN, &tl->quit_h);
}

static inline void *test_loop_thread(void *arg)
{
	struct test_loop *tl = arg;

	loop_run(&tl->loop);
	return NULL;
}

static inline int test_loop_start(struct test_loop *tl)
{
	int ret = pthread_create(&tl->thread, NULL, test_loop_thread, tl);

	tl->running = !ret;
	return -ret;
}

static inline void test_loop_stop(struct test_loop *tl)
{
	uint64_t one = 1;

	if (!tl->running)
		return;
	if (write(tl->quit_fd, &one, sizeof(one)) < 0)
		perror("test_loop_stop");
	pthread_join(tl->thread, NULL);
	tl->running = false;
}

static inline void test_loop_fini(struct test_loop *tl)
{
	test_loop_stop(tl);
	loop_del(&tl->loop, tl->quit_fd);
	close(tl->quit_fd);
	loop_destroy(&tl->loop);
}

/* stderr into a temporary file, to check what the user would read. */
struct err_capture {
	int saved;
	FILE *f;
};

static inline void capture_start(struct err_capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	c->saved = dup(STDERR_FILENO);
	if (c->f)
		dup2(fileno(c->f), STDERR_FILENO);
}

static inline void capture_end(struct err_capture *c, char *buf, size_t size)
{
	size_t n = 0;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	if (c->f) {
		rewind(c->f);
		n = fread(buf, 1, size - 1, c->f);
		fclose(c->f);
	}
	buf[n] = 0;
	/* Shown as well, so a failing test explains itself. */
	fputs(buf, stderr);
}

/* A TCP port on 127.0.0.1 that was free a moment ago. */
static inline uint16_t free_tcp_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	uint16_t port = 0;

	if (fd < 0)
		return 0;
	if (!bind(fd, (struct sockaddr *)&sin, sizeof(sin)) &&
	    !getsockname(fd, (struct sockaddr *)&sin, &sl))
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static inline int count_open_fds(void)
{
	char path[64];
	int n = 0, fd;

	for (fd = 0; fd < 4096; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!access(path, F_OK))
			n++;
	}
	return n;
}

/* Sends header + payload as one frame through the backend. */
static inline int send_frame(struct net_backend *be, const void *hdr, const void *frame,
			     size_t len)
{
	static const struct virtio_net_hdr_v1 zero;
	struct iovec iov[2] = {
		{ .iov_base = (void *)(hdr ? hdr : &zero), .iov_len = NET_HDR_LEN },
		{ .iov_base = (void *)frame, .iov_len = len },
	};

	return net_send(be, iov, 2);
}

static inline bool hdr_is_zero(const uint8_t *f)
{
	unsigned int i;

	for (i = 0; i < NET_HDR_LEN; i++)
		if (f[i])
			return false;
	return true;
}

/* An Ethernet frame of len bytes whose payload says which one it is. */
static inline void make_eth(uint8_t *f, size_t len, uint32_t tag)
{
	size_t i;

	memset(f, 0xff, 6);
	memcpy(f + 6, "\x52\x54\x00\x12\x34\x56", 6);
	f[12] = 0x88;		/* local experimental ethertype */
	f[13] = 0xb5;
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(tag * 7 + i);
	if (len >= 18) {
		f[14] = tag >> 24;
		f[15] = tag >> 16;
		f[16] = tag >> 8;
		f[17] = tag;
	}
}

static inline bool eth_is(const uint8_t *f, size_t len, uint32_t tag, size_t want_len)
{
	uint8_t *ref;
	bool ok;

	if (len != want_len)
		return false;
	ref = malloc(len);
	if (!ref)
		return false;
	make_eth(ref, len, tag);
	ok = !memcmp(ref, f, len);
	free(ref);
	return ok;
}

#endif
