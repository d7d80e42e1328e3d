// SPDX-License-Identifier: GPL-2.0
/*
 * -netdev socket,id=X,listen=[HOST]:PORT | connect=HOST:PORT
 *
 * A TCP stream to another VMM (QEMU or sriovm). The framing is QEMU's, the
 * same in net/socket.c and net/stream.c: each frame is a 4-byte length in
 * network byte order followed by that many bytes of Ethernet frame, with
 * no virtio-net header on the wire (QEMU's NIC strips its header before a
 * backend without one). Here the header is dropped on send (a frame that
 * asks for offloads is refused) and a zeroed one prepended on receive.
 *
 * listen= accepts one peer at a time and accepts the next once it leaves;
 * while there is no peer the link is down and frames sent are dropped.
 * connect= connects at start-up; a refused connection is a start-up error,
 * as in QEMU. A length of 0 or above the largest frame closes the
 * connection: the stream cannot be resynchronised.
 *
 * Input is read on the main loop and reassembled there; when the frontend
 * is full the connection leaves the loop, so the peer's TCP is held back
 * rather than frames dropped. Output comes from any thread under the
 * socket's lock: a frame the kernel takes only in part keeps its tail here
 * and is finished when the socket is writable (a dup of the connection is
 * watched for EPOLLOUT, as the loop has one handler per fd); until then
 * new frames are dropped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/iov.h"
#include "lib/loop.h"
#include "net/backend.h"

#define SOCK_LEN_BYTES		4
#define SOCK_IBUF		65536
#define SOCK_READ_BUDGET	16	/* reads per wakeup: others get their turn */
#define SOCK_CONNECT_MS		10000

enum sock_parse {
	SOCK_MORE,		/* all input used */
	SOCK_STALL,		/* the frontend is full: stop reading */
	SOCK_BAD,		/* a length no frame has: close */
};

struct net_socket {
	struct net_backend be;
	struct loop *loop;
	bool listen;
	char where[40];		/* "listen=:5555" as the user wrote it */
	int listen_fd;
	int wake_fd;		/* net_rx_ready() -> main loop: read again */
	bool in_loop_wake;
	struct loop_handler listen_h, conn_h, out_h, wake_h;

	/*
	 * conn_fd and out_fd change on the main thread only, under lock;
	 * senders use them under lock. Output state under lock.
	 */
	pthread_mutex_t lock;
	int conn_fd;
	int out_fd;		/* dup of conn_fd for the EPOLLOUT watch */
	bool out_watched;
	uint8_t *obuf;		/* length + frame */
	size_t olen, ooff;
	bool connected;		/* atomically: read by net_link_up() */

	/* Main thread only. */
	bool listening;		/* listen_fd in the loop */
	bool reading;		/* conn_fd in the loop */
	uint8_t *ibuf;		/* read but not yet parsed: [ioff, ilen) */
	size_t ilen, ioff;
	uint8_t lenbuf[SOCK_LEN_BYTES];
	size_t have;		/* bytes of this frame so far, length included */
	uint32_t want;		/* its length, once all 4 bytes are in */
	uint8_t *fbuf;		/* zeroed header + the frame */
};

static enum sock_parse sock_parse(struct net_socket *s)
{
	while (s->ioff < s->ilen) {
		size_t avail = s->ilen - s->ioff, n, done;

		if (s->have < SOCK_LEN_BYTES) {
			n = SOCK_LEN_BYTES - s->have;
			if (n > avail)
				n = avail;
			memcpy(s->lenbuf + s->have, s->ibuf + s->ioff, n);
			s->have += n;
			s->ioff += n;
			if (s->have < SOCK_LEN_BYTES)
				break;
			s->want = (uint32_t)s->lenbuf[0] << 24 | (uint32_t)s->lenbuf[1] << 16 |
				  (uint32_t)s->lenbuf[2] << 8 | s->lenbuf[3];
			if (!s->want || s->want > NET_MAX_ETH_FRAME)
				return SOCK_BAD;
			continue;
		}
		done = s->have - SOCK_LEN_BYTES;
		n = s->want - done;
		if (n > avail)
			n = avail;
		memcpy(s->fbuf + NET_HDR_LEN + done, s->ibuf + s->ioff, n);
		s->have += n;
		s->ioff += n;
		if (s->have - SOCK_LEN_BYTES == s->want) {
			struct iovec iov = { .iov_base = s->fbuf,
					     .iov_len = NET_HDR_LEN + s->want };

			s->have = 0;
			if (!net_deliver(&s->be, &iov, 1))
				return SOCK_STALL;
		}
	}
	return SOCK_MORE;
}

/* Main thread. Back to listening (listen=), or link down for good (connect=). */
static void sock_disconnect(struct net_socket *s)
{
	if (s->reading) {
		loop_del(s->loop, s->conn_fd);
		s->reading = false;
	}
	pthread_mutex_lock(&s->lock);
	if (s->out_watched) {
		loop_del(s->loop, s->out_fd);
		s->out_watched = false;
	}
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->conn_fd >= 0)
		close(s->conn_fd);
	s->out_fd = s->conn_fd = -1;
	s->olen = s->ooff = 0;
	__atomic_store_n(&s->connected, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&s->lock);
	net_link_changed(&s->be);
	s->ilen = s->ioff = 0;
	s->have = 0;
	if (s->listen && !s->listening && !loop_add(s->loop, s->listen_fd, EPOLLIN, &s->listen_h))
		s->listening = true;
}

static void sock_bad_length(struct net_socket *s)
{
	net_err(s->be.cfg, "the peer sent a frame of %u bytes; connection closed", s->want);
	sock_disconnect(s);
}

/* Main thread, not reading, nothing queued: use what was read, then read on. */
static void sock_resume(struct net_socket *s)
{
	switch (sock_parse(s)) {
	case SOCK_BAD:
		sock_bad_length(s);
		return;
	case SOCK_STALL:
		return;
	case SOCK_MORE:
		break;
	}
	if (!loop_add(s->loop, s->conn_fd, EPOLLIN, &s->conn_h))
		s->reading = true;
}

static void sock_conn_event(struct loop_handler *h, uint32_t events)
{
	struct net_socket *s = container_of(h, struct net_socket, conn_h);
	unsigned int budget = SOCK_READ_BUDGET;
	ssize_t n;

	/* An event already fetched when the fd left the loop. */
	if (!s->reading)
		return;
	while (budget--) {
		if (s->ioff == s->ilen) {
			n = read(s->conn_fd, s->ibuf, SOCK_IBUF);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return;
			if (n <= 0) {
				/* The peer left (or the connection broke). */
				sock_disconnect(s);
				return;
			}
			s->ilen = (size_t)n;
			s->ioff = 0;
		}
		switch (sock_parse(s)) {
		case SOCK_BAD:
			sock_bad_length(s);
			return;
		case SOCK_STALL:
			loop_del(s->loop, s->conn_fd);
			s->reading = false;
			return;
		case SOCK_MORE:
			break;
		}
	}
}

static void sock_accept_event(struct loop_handler *h, uint32_t events)
{
	struct net_socket *s = container_of(h, struct net_socket, listen_h);
	int one = 1, fd, out;

	if (!s->listening)
		return;
	fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;		/* the peer gave up already, or no memory: retried */
	/* Frames, not a byte stream: send each at once (QEMU does the same). */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	out = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (out < 0) {
		close(fd);
		return;
	}
	/* One peer at a time: later ones wait in the backlog. */
	loop_del(s->loop, s->listen_fd);
	s->listening = false;
	pthread_mutex_lock(&s->lock);
	s->conn_fd = fd;
	s->out_fd = out;
	__atomic_store_n(&s->connected, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&s->lock);
	net_link_changed(&s->be);
	if (!net_rx_stalled(&s->be))
		sock_resume(s);
}

static void sock_wake_event(struct loop_handler *h, uint32_t events)
{
	struct net_socket *s = container_of(h, struct net_socket, wake_h);
	uint64_t v;

	if (read(s->wake_fd, &v, sizeof(v)) < 0) {
		/* nothing pending: a spurious wakeup */
	}
	if (s->conn_fd >= 0 && !s->reading && !net_rx_stalled(&s->be))
		sock_resume(s);
}

static void sock_rx_resume(struct net_backend *be)
{
	struct net_socket *s = container_of(be, struct net_socket, be);
	/* Fails only on a full counter: a wake-up is pending then. */
	eventfd_write(s->wake_fd, 1);
}

/* Under lock. 0: all out; -EAGAIN: some left; other: the connection broke. */
static int sock_flush(struct net_socket *s)
{
	ssize_t n;

	while (s->ooff < s->olen) {
		n = send(s->conn_fd, s->obuf + s->ooff, s->olen - s->ooff,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return -EAGAIN;
		if (n <= 0) {
			/* The reader sees the end and disconnects. */
			s->olen = s->ooff = 0;
			return n < 0 ? -errno : -EPIPE;
		}
		s->ooff += (size_t)n;
	}
	s->olen = s->ooff = 0;
	return 0;
}

static void sock_out_event(struct loop_handler *h, uint32_t events)
{
	struct net_socket *s = container_of(h, struct net_socket, out_h);

	pthread_mutex_lock(&s->lock);
	if (s->out_watched && sock_flush(s) != -EAGAIN) {
		loop_del(s->loop, s->out_fd);
		s->out_watched = false;
	}
	pthread_mutex_unlock(&s->lock);
}

static int sock_send(struct net_backend *be, const struct iovec *iov, unsigned int iovcnt,
		     size_t len)
{
	struct net_socket *s = container_of(be, struct net_socket, be);
	struct virtio_net_hdr_v1 hdr = { 0 };	/* net_send() checked the length */
	size_t flen = len - NET_HDR_LEN;
	int ret;

	iov_to_buf(iov, iovcnt, 0, &hdr, sizeof(hdr));
	if (net_hdr_wants_offload(&hdr))
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	ret = -EAGAIN;
	if (s->conn_fd < 0)
		goto out;		/* no peer: the frame falls off the wire */
	if (s->olen && sock_flush(s) == -EAGAIN)
		goto out;		/* the previous frame is not out yet */
	s->obuf[0] = flen >> 24;
	s->obuf[1] = flen >> 16;
	s->obuf[2] = flen >> 8;
	s->obuf[3] = flen;
	iov_to_buf(iov, iovcnt, NET_HDR_LEN, s->obuf + SOCK_LEN_BYTES, flen);
	s->olen = SOCK_LEN_BYTES + flen;
	s->ooff = 0;
	ret = sock_flush(s);
	if (ret == -EAGAIN) {
		if (!s->ooff) {
			s->olen = 0;	/* nothing went out: drop it whole */
			goto out;
		}
		/* Part of it is on the wire: the rest must follow. */
		if (!s->out_watched && !loop_add(s->loop, s->out_fd, EPOLLOUT, &s->out_h))
			s->out_watched = true;
		ret = 0;
	} else if (ret) {
		ret = -EAGAIN;
	}
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static bool sock_link_up(const struct net_backend *be)
{
	const struct net_socket *s = container_of(be, const struct net_socket, be);

	return __atomic_load_n(&s->connected, __ATOMIC_ACQUIRE);
}

static void sock_destroy(struct net_backend *be)
{
	struct net_socket *s = container_of(be, struct net_socket, be);

	if (s->reading)
		loop_del(s->loop, s->conn_fd);
	if (s->listening)
		loop_del(s->loop, s->listen_fd);
	if (s->out_watched)
		loop_del(s->loop, s->out_fd);
	if (s->in_loop_wake)
		loop_del(s->loop, s->wake_fd);
	if (s->conn_fd >= 0)
		close(s->conn_fd);
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	free(s->ibuf);
	free(s->obuf);
	free(s->fbuf);
	pthread_mutex_destroy(&s->lock);
	net_backend_fini(&s->be);
	free(s);
}

static const struct net_backend_ops sock_ops = {
	.send = sock_send,
	.rx_resume = sock_rx_resume,
	.link_up = sock_link_up,
	.destroy = sock_destroy,
};

static int sock_listen(struct net_socket *s, const struct netdev_config *cfg,
		       const struct sockaddr_in *sin)
{
	int one = 1, err;

	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0) {
		err = errno;
		net_err(cfg, "%s: cannot create a socket: %s", s->where, strerror(err));
		return -err;
	}
	/* A port left in TIME_WAIT by a previous run is free to use (QEMU too). */
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (const struct sockaddr *)sin, sizeof(*sin))) {
		err = errno;
		if (err == EADDRINUSE)
			net_err(cfg, "%s: port %u is in use", s->where, cfg->socket.port);
		else
			net_err(cfg, "%s: cannot bind: %s", s->where, strerror(err));
		return -err;
	}
	if (listen(s->listen_fd, 1)) {
		err = errno;
		net_err(cfg, "%s: cannot listen: %s", s->where, strerror(err));
		return -err;
	}
	err = -loop_add(s->loop, s->listen_fd, EPOLLIN, &s->listen_h);
	if (err) {
		net_err(cfg, "%s: %s", s->where, strerror(err));
		return -err;
	}
	s->listening = true;
	return 0;
}

static int sock_connect(struct net_socket *s, const struct netdev_config *cfg,
			const struct sockaddr_in *sin)
{
	struct pollfd p;
	socklen_t sl = sizeof(int);
	int one = 1, err = 0, fd, n;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = errno;
		net_err(cfg, "%s: cannot create a socket: %s", s->where, strerror(err));
		return -err;
	}
	if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin))) {
		err = errno;
		if (err == EINPROGRESS) {
			/* Bounded: an unanswering host must not hang start-up. */
			p.fd = fd;
			p.events = POLLOUT;
			do {
				n = poll(&p, 1, SOCK_CONNECT_MS);
			} while (n < 0 && errno == EINTR);
			if (n == 0)
				err = ETIMEDOUT;
			else if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl))
				err = errno;
		}
	}
	if (err) {
		net_err(cfg, "%s: cannot connect: %s", s->where, strerror(err));
		close(fd);
		return -err;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->out_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (s->out_fd < 0) {
		err = errno;
		net_err(cfg, "%s: %s", s->where, strerror(err));
		close(fd);
		return -err;
	}
	s->conn_fd = fd;
	err = -loop_add(s->loop, s->conn_fd, EPOLLIN, &s->conn_h);
	if (err) {
		net_err(cfg, "%s: %s", s->where, strerror(err));
		return -err;
	}
	s->reading = true;
	s->connected = true;
	return 0;
}

int net_socket_create(struct net_backend **bep, const struct netdev_config *cfg,
		      struct loop *loop)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(cfg->socket.port),
		.sin_addr.s_addr = htonl(cfg->socket.addr),
	};
	char host[INET_ADDRSTRLEN] = "";
	struct net_socket *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s) {
		net_err(cfg, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	net_backend_init(&s->be, &sock_ops, cfg);
	pthread_mutex_init(&s->lock, NULL);
	s->loop = loop;
	s->listen = cfg->socket.listen;
	s->listen_fd = s->conn_fd = s->out_fd = -1;
	s->listen_h.fn = sock_accept_event;
	s->conn_h.fn = sock_conn_event;
	s->out_h.fn = sock_out_event;
	s->wake_h.fn = sock_wake_event;
	if (cfg->socket.addr || !s->listen)
		inet_ntop(AF_INET, &sin.sin_addr, host, sizeof(host));
	snprintf(s->where, sizeof(s->where), "%s=%s:%u", s->listen ? "listen" : "connect",
		 host, cfg->socket.port);

	s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->ibuf = malloc(SOCK_IBUF);
	s->obuf = malloc(SOCK_LEN_BYTES + NET_MAX_ETH_FRAME);
	s->fbuf = calloc(1, NET_MAX_FRAME);
	if (s->wake_fd < 0 || !s->ibuf || !s->obuf || !s->fbuf) {
		ret = s->wake_fd < 0 ? -errno : -ENOMEM;
		net_err(cfg, "%s", strerror(-ret));
		goto fail;
	}
	ret = loop_add(loop, s->wake_fd, EPOLLIN, &s->wake_h);
	if (ret) {
		net_err(cfg, "%s", strerror(-ret));
		goto fail;
	}
	s->in_loop_wake = true;
	ret = s->listen ? sock_listen(s, cfg, &sin) : sock_connect(s, cfg, &sin);
	if (ret)
		goto fail;
	*bep = &s->be;
	return 0;
fail:
	sock_destroy(&s->be);
	return ret;
}
