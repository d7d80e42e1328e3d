// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "hw/debug_exit.h"

int debug_exit_status(uint32_t value)
{
	/* The process status keeps the low 8 bits, as with QEMU. */
	return (int)(((value << 1) | 1) & 0xff);
}

void debug_exit_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write)
{
	struct debug_exit *d = opaque;
	uint32_t v = 0;

	if (!is_write) {
		memset(data, 0xff, len);
		return;
	}
	memcpy(&v, data, len < sizeof(v) ? len : sizeof(v));
	d->sink.request(d->sink.opaque, POWER_EXIT, debug_exit_status(v));
}
