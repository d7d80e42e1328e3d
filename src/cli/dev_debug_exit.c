// SPDX-License-Identifier: GPL-2.0
/*
 * -device isa-debug-exit[,iobase=N][,iosize=N]
 *
 * QEMU's properties are 32-bit with defaults 0x501 and 0x02; iosize is the
 * size of the port range (writes of 1 to 4 bytes anywhere in it exit), not
 * an access width, and QEMU checks neither. sriovm requires the range to
 * lie in the 64 KiB port space and to hold at least one port: an empty one
 * (QEMU accepts iosize=0) would be a device no guest can reach.
 */
#include <errno.h>

#include "cli/internal.h"

#define DEBUG_EXIT_PORTS	0x10000ULL

int cli_dev_debug_exit(struct cli *c, struct kv *kv, const char *ctx, const char *id)
{
	struct debug_exit_config *dx = &c->cfg->debug_exit;
	uint64_t iobase = 0x501, iosize = 0x02;

	if (dx->present)
		return cli_error(c, "%s: only one such device is supported", ctx);
	if (cli_kv_uint(c, kv, ctx, "iobase", 0, DEBUG_EXIT_PORTS - 1, &iobase) < 0 ||
	    cli_kv_uint(c, kv, ctx, "iosize", 1, DEBUG_EXIT_PORTS - 1, &iosize) < 0)
		return -EINVAL;
	if (iobase + iosize > DEBUG_EXIT_PORTS)
		return cli_error(c, "%s: ports 0x%llx..0x%llx go past the last I/O port 0xffff",
				 ctx, (unsigned long long)iobase,
				 (unsigned long long)(iobase + iosize - 1));
	if (id && cli_set_str(c, &c->debug_exit_id, id))
		return -ENOMEM;
	dx->present = true;
	dx->iobase = (uint16_t)iobase;
	dx->iosize = (uint16_t)iosize;
	return 0;
}
