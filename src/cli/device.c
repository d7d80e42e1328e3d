// SPDX-License-Identifier: GPL-2.0
/*
 * -device: the type table and what all types share (help, id=). A new
 * device type is one line in cli_devices[] and a parse function in its own
 * file.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "cli/help.h"
#include "cli/internal.h"

const struct cli_device cli_devices[] = {
	{ "isa-debug-exit", "QEMU's test exit port: writing v exits with status (v << 1) | 1",
	  "  iobase=N    first I/O port (default 0x501)\n"
	  "  iosize=N    number of I/O ports (default 0x2)\n",
	  cli_dev_debug_exit },
	{ .name = NULL }
};

static const struct cli_device *cli_device_find(const char *name, size_t len)
{
	const struct cli_device *d;

	for (d = cli_devices; d->name; d++) {
		if (strlen(d->name) == len && !strncmp(d->name, name, len))
			return d;
	}
	return NULL;
}


/* QEMU's rule for ids: a letter, then letters, digits, '-', '.', '_'. */
static bool cli_id_valid(const char *id)
{
	if (!isalpha((unsigned char)*id))
		return false;
	for (id++; *id; id++) {
		if (!isalnum((unsigned char)*id) && !strchr("-._", *id))
			return false;
	}
	return true;
}

/* "-device help" and "-device TYPE,help", as QEMU spells them. */
static int cli_device_help(struct cli *c, const char *arg)
{
	const char *last = strrchr(arg, ',');
	size_t len = strcspn(arg, ",");
	const struct cli_device *d;

	if (cli_is_help(arg)) {
		help_devices(c->out);
		return 1;
	}
	if (!last || !cli_is_help(last + 1))
		return 0;
	d = cli_device_find(arg, len);
	if (!d)
		return cli_error(c, "%s %.*s: unsupported device type", c->opt, (int)len, arg);
	help_device_props(c->out, d);
	return 1;
}

int cli_opt_device(struct cli *c, const char *arg)
{
	const struct cli_device *d;
	const char *driver, *id;
	char ctx[64];
	struct kv kv;
	int ret;

	ret = cli_device_help(c, arg);
	if (ret)
		return ret;
	ret = cli_kv_parse(c, &kv, c->opt, arg, "driver");
	if (ret)
		return ret;
	driver = kv_get_str(&kv, "driver");
	if (!driver || !*driver) {
		ret = cli_error(c, "%s: no device type given", c->opt);
		goto out;
	}
	d = cli_device_find(driver, strlen(driver));
	if (!d) {
		ret = cli_error(c, "%s %s: unsupported device type", c->opt, driver);
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "%s %s", c->opt, d->name);
	id = kv_get_str(&kv, "id");
	if (id && !cli_id_valid(id)) {
		ret = cli_error(c, "%s: invalid id '%s' (a letter, then letters, digits, "
				"'-', '.' or '_')", ctx, id);
		goto out;
	}
	ret = d->parse(c, &kv, ctx, id);
	if (!ret)
		ret = cli_kv_check_unused(c, &kv, ctx);
out:
	kv_free(&kv);
	return ret;
}
