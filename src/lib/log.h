/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages for the user: "sriovm: CONTEXT: message", one line written at
 * once, so that the messages of several threads do not interleave. The
 * context names what the message is about as the command line spells it
 * ("-device virtio-net-pci,id=f", "-netdev tap,id=t0"), or is NULL.
 */
#ifndef SRIOVM_LIB_LOG_H
#define SRIOVM_LIB_LOG_H

#include <stdarg.h>
#include <stdio.h>

void log_verror(FILE *out, const char *ctx, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* On stderr. */
void log_error(const char *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
