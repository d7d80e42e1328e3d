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
#include <stdbool.h>
#include <stdint.h>

#include "vmm/config.h"

struct serial;

struct console {
	int out_fd;		/* -1: output discarded */
	bool close_out;
	bool read_stdin;
	bool escape;		/* the previous input byte was Ctrl-A */
	pthread_t reader;
	bool reader_started;
	pthread_mutex_t lock;	/* protects sink against detach */
	struct serial *sink;
	void (*quit)(void *opaque);
	void *quit_opaque;
};

int console_open(struct console *c, const struct vm_config *cfg, const char **why);
/* Starts reading stdin (if the serial is on stdio); quit() runs on Ctrl-A x. */
int console_start(struct console *c, void (*quit)(void *opaque), void *opaque);
/* Routes input to s (NULL detaches; the caller has closed the old serial). */
void console_attach(struct console *c, struct serial *s);
void console_putc(struct console *c, uint8_t ch);
void console_close(struct console *c);
/* Restores the terminal; safe to call from a signal handler and twice. */
void console_restore_tty(void);

#endif
