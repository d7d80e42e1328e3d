// SPDX-License-Identifier: GPL-2.0
#include "lib/log.h"

void log_verror(FILE *out, const char *ctx, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ctx)
		fprintf(out, "sriovm: %s: %s\n", ctx, msg);
	else
		fprintf(out, "sriovm: %s\n", msg);
}

void log_error(const char *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verror(stderr, ctx, fmt, ap);
	va_end(ap);
}
