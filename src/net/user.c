// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev user,id=X[,net=A/M][,host=A][,dhcpstart=A][,dns=A][,restrict=on]
 *              [,hostfwd=tcp|udp:[HADDR]:HPORT-[GADDR]:GPORT]...
 *
 * User-mode networking by libslirp, with QEMU's defaults: 10.0.2.0/24,
 * the host (gateway, DHCP server) at .2, DNS at .3, DHCP from .15; no IPv6.
 * Debian 12's libslirp 4.7 is driven the old way: slirp_pollfds_fill() and
 * slirp_pollfds_poll() around our own poll(), timers through the
 * timer_new/timer_mod/timer_free callbacks.
 *
 * slirp runs in a thread of its own with its own poll loop. It is not
 * thread-safe, so one mutex covers every slirp call; the thread drops it
 * only while in poll(). net_send() from a vCPU thread takes it, feeds the
 * frame to slirp_input() and wakes the thread through an eventfd, since
 * the frame may have made slirp open a socket the poll set lacks.
 * Frames slirp sends to the guest are delivered under the mutex, which is
 * why it comes before the queue lock in the lock order. slirp cannot be
 * held back, so what the queue cannot hold is dropped (TCP retransmits).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include "lib/iov.h"
#include "net/backend.h"

struct user_timer {
	SlirpTimerCb cb;
	void *cb_opaque;
	bool armed;
	int64_t expire_ms;
	struct user_timer *next;
};

struct net_user {
	struct net_backend be;
	pthread_mutex_t lock;	/* every slirp call, and all below */
	Slirp *slirp;
	int wake_fd;
	pthread_t thread;
	bool thread_started;
	bool stop;
	struct pollfd *pfd;	/* rebuilt each round; the poll thread only */
	unsigned int npfd, pfd_cap;
	struct user_timer *timers;
	uint8_t *txbuf;		/* the frame for slirp_input(), contiguous */
};

static int64_t user_clock_ns(void *opaque)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void user_wake(struct net_user *u)
{
	/* Fails only on a full counter: a wake-up is pending then. */
	eventfd_write(u->wake_fd, 1);
}

/* slirp -> guest. Under the mutex, from the poll thread or net_send(). */
static ssize_t user_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_user *u = opaque;
	static const struct virtio_net_hdr_v1 zero_hdr;
	struct iovec iov[2] = {
		{ .iov_base = (void *)&zero_hdr, .iov_len = sizeof(zero_hdr) },
		{ .iov_base = (void *)buf, .iov_len = len },
	};

	if (len <= NET_MAX_ETH_FRAME)
		net_deliver(&u->be, iov, 2);
	return (ssize_t)len;
}

static void user_guest_error(const char *msg, void *opaque)
{
	/* A guest can make slirp say this at will: not worth the user's terminal. */
}

static void *user_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct net_user *u = opaque;
	struct user_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cb = cb;
	t->cb_opaque = cb_opaque;
	t->next = u->timers;
	u->timers = t;
	return t;
}

static void user_timer_free(void *timer, void *opaque)
{
	struct net_user *u = opaque;
	struct user_timer **pp;

	for (pp = &u->timers; *pp; pp = &(*pp)->next) {
		if (*pp == timer) {
			*pp = ((struct user_timer *)timer)->next;
			free(timer);
			return;
		}
	}
}

static void user_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct net_user *u = opaque;
	struct user_timer *t = timer;

	if (!t)
		return;
	t->expire_ms = expire_ms;
	t->armed = true;
	/* Called from net_send() too: the poll thread must see the new deadline. */
	user_wake(u);
}

static void user_register_poll_fd(int fd, void *opaque)
{
	/* The poll set is rebuilt from slirp_pollfds_fill() every round. */
}

static void user_unregister_poll_fd(int fd, void *opaque)
{
}

static void user_notify(void *opaque)
{
	user_wake(opaque);
}

static const SlirpCb user_callbacks = {
	.send_packet = user_send_packet,
	.guest_error = user_guest_error,
	.clock_get_ns = user_clock_ns,
	.timer_new = user_timer_new,
	.timer_free = user_timer_free,
	.timer_mod = user_timer_mod,
	.register_poll_fd = user_register_poll_fd,
	.unregister_poll_fd = user_unregister_poll_fd,
	.notify = user_notify,
};

static int user_add_poll(int fd, int events, void *opaque)
{
	struct net_user *u = opaque;
	struct pollfd *p;
	unsigned int cap;
	short ev = 0;

	if (u->npfd == u->pfd_cap) {
		cap = u->pfd_cap ? u->pfd_cap * 2 : 16;
		p = realloc(u->pfd, cap * sizeof(*p));
		if (!p)
			return -1;	/* slirp skips a socket it has no index for */
		u->pfd = p;
		u->pfd_cap = cap;
	}
	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	if (events & SLIRP_POLL_ERR)
		ev |= POLLERR;
	if (events & SLIRP_POLL_HUP)
		ev |= POLLHUP;
	u->pfd[u->npfd].fd = fd;
	u->pfd[u->npfd].events = ev;
	u->pfd[u->npfd].revents = 0;
	return (int)u->npfd++;
}

static int user_get_revents(int idx, void *opaque)
{
	struct net_user *u = opaque;
	short rev;
	int ret = 0;

	if (idx < 0 || (unsigned int)idx >= u->npfd)
		return 0;
	rev = u->pfd[idx].revents;
	if (rev & POLLIN)
		ret |= SLIRP_POLL_IN;
	if (rev & POLLOUT)
		ret |= SLIRP_POLL_OUT;
	if (rev & POLLPRI)
		ret |= SLIRP_POLL_PRI;
	if (rev & POLLERR)
		ret |= SLIRP_POLL_ERR;
	if (rev & POLLHUP)
		ret |= SLIRP_POLL_HUP;
	return ret;
}

/* Under the mutex. The poll timeout in ms: slirp's, or the earliest timer's. */
static int user_timeout(struct net_user *u, uint32_t slirp_ms)
{
	int64_t now = user_clock_ns(NULL) / 1000000, best = -1, d;
	struct user_timer *t;

	if (slirp_ms != UINT32_MAX)
		best = slirp_ms > INT_MAX ? INT_MAX : slirp_ms;
	for (t = u->timers; t; t = t->next) {
		if (!t->armed)
			continue;
		d = t->expire_ms - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return (int)best;
}

/* Under the mutex. A callback may free or re-arm timers: rescan after each. */
static void user_run_timers(struct net_user *u)
{
	int64_t now = user_clock_ns(NULL) / 1000000;
	struct user_timer *t;

again:
	for (t = u->timers; t; t = t->next) {
		if (t->armed && t->expire_ms <= now) {
			t->armed = false;
			t->cb(t->cb_opaque);
			goto again;
		}
	}
}

static void *user_thread(void *arg)
{
	struct net_user *u = arg;
	uint32_t slirp_ms;
	unsigned int i;
	uint64_t v;
	int n, timeout;

	pthread_mutex_lock(&u->lock);
	while (!u->stop) {
		u->npfd = 0;
		/* Index 0: the wakeup; slirp's sockets follow. */
		if (user_add_poll(u->wake_fd, SLIRP_POLL_IN, u) < 0) {
			pthread_mutex_unlock(&u->lock);
			usleep(10000);	/* no memory: try again shortly */
			pthread_mutex_lock(&u->lock);
			continue;
		}
		slirp_ms = UINT32_MAX;
		slirp_pollfds_fill(u->slirp, &slirp_ms, user_add_poll, u);
		timeout = user_timeout(u, slirp_ms);
		pthread_mutex_unlock(&u->lock);

		n = poll(u->pfd, u->npfd, timeout);

		pthread_mutex_lock(&u->lock);
		if (n < 0) {
			/* EINTR: nothing is ready; report no error to slirp. */
			for (i = 0; i < u->npfd; i++)
				u->pfd[i].revents = 0;
		}
		if (u->pfd[0].revents & POLLIN) {
			if (read(u->wake_fd, &v, sizeof(v)) < 0) {
				/* drained by an earlier round */
			}
		}
		slirp_pollfds_poll(u->slirp, n < 0 && errno != EINTR, user_get_revents, u);
		user_run_timers(u);
	}
	pthread_mutex_unlock(&u->lock);
	return NULL;
}

static int user_send(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt,
		     size_t len)
{
	struct net_user *u = container_of(be, struct net_user, be);
	struct virtio_net_hdr_v1 hdr = { 0 };	/* net_send() checked the length */
	size_t flen = len - NET_HDR_LEN;

	iov_to_buf(iov, iovcnt, 0, &hdr, sizeof(hdr));
	/* slirp checks every checksum itself: it cannot finish a partial one. */
	if (net_hdr_wants_offload(&hdr))
		return -EINVAL;
	pthread_mutex_lock(&u->lock);
	iov_to_buf(iov, iovcnt, NET_HDR_LEN, u->txbuf, flen);
	slirp_input(u->slirp, u->txbuf, (int)flen);
	pthread_mutex_unlock(&u->lock);
	/* The frame may have opened a socket: poll it. */
	user_wake(u);
	return 0;
}

static void user_destroy(struct net_backend *be)
{
	struct net_user *u = container_of(be, struct net_user, be);
	struct user_timer *t;

	if (u->thread_started) {
		pthread_mutex_lock(&u->lock);
		u->stop = true;
		pthread_mutex_unlock(&u->lock);
		user_wake(u);
		pthread_join(u->thread, NULL);
	}
	if (u->slirp)
		slirp_cleanup(u->slirp);
	while ((t = u->timers)) {
		u->timers = t->next;
		free(t);
	}
	if (u->wake_fd >= 0)
		close(u->wake_fd);
	free(u->pfd);
	free(u->txbuf);
	pthread_mutex_destroy(&u->lock);
	net_backend_fini(&u->be);
	free(u);
}

static const struct net_backend_ops user_ops = {
	.send = user_send,
	.destroy = user_destroy,
};

static const char *user_ip(uint32_t a, char *buf)
{
	snprintf(buf, INET_ADDRSTRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
	return buf;
}

/* The rule as it would be written: "tcp::5555-:22". */
static void user_hostfwd_str(const struct netdev_hostfwd *f, char *buf, size_t size)
{
	char h[INET_ADDRSTRLEN] = "", g[INET_ADDRSTRLEN] = "";

	if (f->host_addr)
		user_ip(f->host_addr, h);
	if (f->guest_addr)
		user_ip(f->guest_addr, g);
	snprintf(buf, size, "%s:%s:%u-%s:%u", f->udp ? "udp" : "tcp", h, f->host_port, g,
		 f->guest_port);
}

/* QEMU's rules: every address of the virtual network lies inside it. */
static int user_check_addr(const struct netdev_config *cfg, const char *what, uint32_t a,
			   uint32_t net, uint32_t mask)
{
	char buf[INET_ADDRSTRLEN];

	if ((a & mask) != net || a == net || a == (net | ~mask)) {
		net_err(cfg, "%s=%s is not a host address of the network", what,
			user_ip(a, buf));
		return -EINVAL;
	}
	return 0;
}

static int user_config(SlirpConfig *sc, const struct netdev_config *cfg)
{
	uint32_t net = cfg->user.net, mask = cfg->user.mask;
	uint32_t host = cfg->user.host, dhcp = cfg->user.dhcpstart, dns = cfg->user.dns;
	char buf[INET_ADDRSTRLEN];
	int ret;

	/* Unset fields (0) take QEMU's defaults, relative to the network. */
	if (!net && !mask) {
		net = 0x0a000200;	/* 10.0.2.0 */
		mask = 0xffffff00;	/* /24 */
	}
	if (~mask & (~mask + 1)) {
		net_err(cfg, "net=: mask %s is not a prefix", user_ip(mask, buf));
		return -EINVAL;
	}
	if (net & ~mask) {
		net_err(cfg, "net=%s: the address has bits outside the mask",
			user_ip(net, buf));
		return -EINVAL;
	}
	if (!host)
		host = net | 2;
	if (!dhcp)
		dhcp = net | 15;
	if (!dns)
		dns = net | 3;
	ret = user_check_addr(cfg, "host", host, net, mask);
	if (!ret)
		ret = user_check_addr(cfg, "dhcpstart", dhcp, net, mask);
	/* As QEMU and the command line: an outside DNS only when not restricted. */
	if (!ret && cfg->user.restrict_)
		ret = user_check_addr(cfg, "dns", dns, net, mask);
	if (ret)
		return ret;

	memset(sc, 0, sizeof(*sc));
	sc->version = 4;
	sc->restricted = cfg->user.restrict_;
	sc->in_enabled = true;
	sc->vnetwork.s_addr = htonl(net);
	sc->vnetmask.s_addr = htonl(mask);
	sc->vhost.s_addr = htonl(host);
	sc->vdhcp_start.s_addr = htonl(dhcp);
	sc->vnameserver.s_addr = htonl(dns);
	sc->in6_enabled = false;
	return 0;
}

static int user_add_hostfwds(struct net_user *u, const struct netdev_config *cfg,
			     uint32_t dhcp_start)
{
	struct in_addr ha, ga;
	unsigned int i;
	char rule[64];
	int err;

	if (cfg->user.nr_hostfwd > NETDEV_MAX_HOSTFWD) {
		net_err(cfg, "too many hostfwd rules");
		return -EINVAL;
	}
	for (i = 0; i < cfg->user.nr_hostfwd; i++) {
		const struct netdev_hostfwd *f = &cfg->user.hostfwd[i];

		user_hostfwd_str(f, rule, sizeof(rule));
		ha.s_addr = htonl(f->host_addr);
		/* As QEMU: no guest address means the first DHCP address. */
		ga.s_addr = f->guest_addr ? htonl(f->guest_addr) : dhcp_start;
		errno = 0;
		if (slirp_add_hostfwd(u->slirp, f->udp, ha, f->host_port, ga, f->guest_port) < 0) {
			err = errno ? errno : EINVAL;
			if (err == EADDRINUSE)
				net_err(cfg, "hostfwd %s: port %u is in use", rule, f->host_port);
			else
				net_err(cfg, "hostfwd %s: cannot forward: %s", rule, strerror(err));
			return -err;
		}
	}
	return 0;
}

int net_user_create(struct net_backend **bep, const struct netdev_config *cfg)
{
	struct net_user *u;
	sigset_t all, old;
	SlirpConfig sc;
	int ret;

	u = calloc(1, sizeof(*u));
	if (!u) {
		net_err(cfg, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	net_backend_init(&u->be, &user_ops, cfg);
	pthread_mutex_init(&u->lock, NULL);
	u->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	u->txbuf = malloc(NET_MAX_ETH_FRAME);
	if (u->wake_fd < 0 || !u->txbuf) {
		ret = u->wake_fd < 0 ? -errno : -ENOMEM;
		net_err(cfg, "%s", strerror(-ret));
		goto fail;
	}
	ret = user_config(&sc, cfg);
	if (ret)
		goto fail;
	u->slirp = slirp_new(&sc, &user_callbacks, u);
	if (!u->slirp) {
		ret = -ENOMEM;
		net_err(cfg, "cannot start slirp");
		goto fail;
	}
	ret = user_add_hostfwds(u, cfg, sc.vdhcp_start.s_addr);
	if (ret)
		goto fail;
	/* Signals are for the main thread's signalfd, never for this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = -pthread_create(&u->thread, NULL, user_thread, u);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		net_err(cfg, "cannot start the slirp thread: %s", strerror(-ret));
		goto fail;
	}
	u->thread_started = true;
	*bep = &u->be;
	return 0;
fail:
	user_destroy(&u->be);
	return ret;
}
