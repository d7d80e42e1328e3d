// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hw/serial.h"
#include "vmm/console.h"

#define CTRL_A		0x01

static struct termios saved_tty;
static volatile sig_atomic_t tty_is_raw;

void console_restore_tty(void)
{
	if (tty_is_raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
		tty_is_raw = 0;
	}
}

static int console_raw_tty(void)
{
	struct termios raw;

	/* tcgetattr fails on pipes, files and /dev/null: nothing to do there. */
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty))
		return 0;
	raw = saved_tty;
	cfmakeraw(&raw);
	/* Keep output post-processing so host-side messages stay readable. */
	raw.c_oflag |= OPOST | ONLCR;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		return -errno;
	tty_is_raw = 1;
	atexit(console_restore_tty);
	return 0;
}

int console_open(struct console *c, const struct vm_config *cfg, const char **why)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->sink_lock, NULL);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->space, NULL);
	c->out_fd = -1;
	switch (cfg->serial) {
	case SERIAL_STDIO:
		c->out_fd = STDOUT_FILENO;
		c->read_stdin = true;
		break;
	case SERIAL_FILE:
		c->out_fd = open(cfg->serial_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (c->out_fd < 0) {
			*why = "cannot open the -serial file";
			return -errno;
		}
		c->close_out = true;
		break;
	case SERIAL_NONE:
		break;
	}
	return 0;
}

#define CONSOLE_POLL_MS		100

void console_putc(struct console *c, uint8_t ch)
{
	struct pollfd p = { .fd = c->out_fd, .events = POLLOUT };
	ssize_t n;

	if (c->out_fd < 0)
		return;
	for (;;) {
		/* poll first: a blocking write would ignore the stop request. */
		n = poll(&p, 1, CONSOLE_POLL_MS);
		if (n > 0) {
			if (p.revents & (POLLERR | POLLNVAL))
				return;
			n = write(c->out_fd, &ch, 1);
			if (n == 1 || (n < 0 && errno != EINTR && errno != EAGAIN))
				return;		/* written, or the output is gone */
		} else if (n < 0 && errno != EINTR) {
			return;
		}
		if (c->stopping)
			return;
	}
}

void console_interrupt(struct console *c)
{
	c->stopping = 1;
}

unsigned int console_pull(void *opaque, uint8_t *buf, unsigned int max)
{
	struct console *c = opaque;
	unsigned int n = 0;

	/* Called under the serial lock; the queue lock nests inside it. */
	pthread_mutex_lock(&c->lock);
	while (n < max && c->count) {
		buf[n++] = c->queue[c->head];
		c->head = (c->head + 1) % CONSOLE_INPUT_QUEUE;
		c->count--;
	}
	if (n)
		pthread_cond_signal(&c->space);
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* Queues one byte, waiting while the queue is full (pipes lose nothing). */
static void console_enqueue(struct console *c, uint8_t ch)
{
	pthread_mutex_lock(&c->lock);
	while (c->count == CONSOLE_INPUT_QUEUE)
		pthread_cond_wait(&c->space, &c->lock);
	c->queue[(c->head + c->count) % CONSOLE_INPUT_QUEUE] = ch;
	c->count++;
	pthread_mutex_unlock(&c->lock);
}

/* Handles escapes; returns false for a byte that is not guest input. */
static bool console_input(struct console *c, uint8_t ch)
{
	if (c->escape) {
		c->escape = false;
		if (ch == 'x' || ch == 'X') {
			c->quit(c->quit_opaque);
			return false;
		}
		return ch == CTRL_A;	/* other escapes are not bound */
	}
	if (ch == CTRL_A) {
		c->escape = true;
		return false;
	}
	return true;
}

/* Tells the attached UART that input is waiting. */
static void console_kick(struct console *c)
{
	/* Held across the kick, so a detaching VM waits for it to finish. */
	pthread_mutex_lock(&c->sink_lock);
	if (c->sink)
		serial_rx_kick(c->sink);
	pthread_mutex_unlock(&c->sink_lock);
}

static void *console_reader(void *arg)
{
	struct console *c = arg;
	uint8_t buf[256];
	ssize_t n, i;

	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* EOF or error: the guest just gets no more input */
		for (i = 0; i < n; i++) {
			if (console_input(c, buf[i]))
				console_enqueue(c, buf[i]);
			/* Each byte: a full queue must not hide a later Ctrl-A x. */
			console_kick(c);
		}
	}
	return NULL;
}

int console_start(struct console *c, void (*quit)(void *opaque), void *opaque,
		  const char **why)
{
	sigset_t all, old;
	int ret;

	c->quit = quit;
	c->quit_opaque = opaque;
	if (!c->read_stdin)
		return 0;
	ret = console_raw_tty();
	if (ret) {
		*why = "cannot put the terminal in raw mode";
		return ret;
	}
	*why = "cannot start the console";
	/* Signals are for the main thread's signalfd, never for the reader. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = -pthread_create(&c->reader, NULL, console_reader, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!ret)
		c->reader_started = true;
	return ret;
}

void console_attach(struct console *c, struct serial *s)
{
	pthread_mutex_lock(&c->sink_lock);
	c->sink = s;
	c->stopping = 0;
	pthread_mutex_unlock(&c->sink_lock);
	/* Input typed while no VM was attached (a reboot) goes to this one. */
	if (s)
		serial_rx_kick(s);
}

void console_close(struct console *c)
{
	/* The reader may sit in read(); the process exit ends it. */
	if (c->close_out && c->out_fd >= 0)
		close(c->out_fd);
	c->out_fd = -1;
	console_restore_tty();
}
