/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the serial console: the terminal or file the guest's
 * output goes to, and stdin feeding its input. It outlives each VM, so a
 * guest reboot keeps the terminal as it is.
 *
 * Like QEMU's -nographic, Ctrl-A x quits and Ctrl-A Ctrl-A sends Ctrl-A.
 * stdin is put in raw mode only when it is a terminal, and restored on
 * every exit path; /dev/null, files and pipes are read as they are.
 */
#ifndef SRIOVM_VMM_CONSOLE_H
#define SRIOVM_VMM_CONSOLE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm/config.h"

struct serial;

/*
 * Input waits here until the guest's UART has room: escapes are handled
 * as bytes arrive (Ctrl-A x works even when the guest reads nothing), and
 * input typed during a reboot reaches the next boot.
 */
#define CONSOLE_INPUT_QUEUE	65536

struct console {
	int out_fd;		/* -1: output discarded */
	bool close_out;
	bool read_stdin;
	bool escape;		/* the previous input byte was Ctrl-A */
	volatile sig_atomic_t stopping;	/* no more blocking on output */
	pthread_t reader;
	bool reader_started;
	/* Lock order: sink_lock, then the serial's lock, then lock. */
	pthread_mutex_t sink_lock;	/* protects sink: detach waits for a kick */
	pthread_mutex_t lock;		/* protects the queue */
	pthread_cond_t space;		/* the reader waits here while it is full */
	struct serial *sink;
	uint8_t queue[CONSOLE_INPUT_QUEUE];
	unsigned int head, count;
	void (*quit)(void *opaque);
	void *quit_opaque;
};

/* Opens the serial's output (a -serial file); the terminal is not touched yet. */
int console_open(struct console *c, const struct vm_config *cfg, const char **why);
/*
 * Starts reading stdin (if the serial is on stdio), the terminal raw;
 * quit() runs on Ctrl-A x. On failure *why says which step failed.
 */
int console_start(struct console *c, void (*quit)(void *opaque), void *opaque,
		  const char **why);
/* Routes input to s; NULL detaches (before the serial goes away). */
void console_attach(struct console *c, struct serial *s);
/* serial_ops.rx_pull: takes queued input without blocking. */
unsigned int console_pull(void *console, uint8_t *buf, unsigned int max);
/*
 * Writes one byte of guest output. Waits while the terminal or pipe is
 * full, so nothing is lost, but gives up once console_interrupt() says the
 * VM is stopping: a stalled reader must not keep sriovm from exiting.
 */
void console_putc(struct console *c, uint8_t ch);
void console_interrupt(struct console *c);
void console_close(struct console *c);
/* Restores the terminal; safe to call from a signal handler and twice. */
void console_restore_tty(void);

#endif
