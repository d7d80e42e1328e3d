// SPDX-License-Identifier: GPL-2.0
/* -serial, -nographic and -display: where the guest's console goes. */
#include <errno.h>
#include <string.h>

#include "cli/internal.h"

/*
 * QEMU's -serial takes a character device spec, "backend[:options]". sriovm
 * has one serial port (COM1) and the backends below; "null" keeps the port
 * and drops its output in QEMU, "none" removes the port, and here both
 * mean the port's output goes nowhere.
 */
static bool cli_backend_is(const char *arg, size_t len, const char *name)
{
	return len == strlen(name) && !strncmp(arg, name, len);
}

int cli_opt_serial(struct cli *c, const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	struct vm_config *cfg = c->cfg;

	if (c->serial_set)
		return cli_error(c, "%s %s: only one serial port is supported", c->opt, arg);
	if (!len)
		return cli_error(c, "%s: no serial backend given", c->opt);

	if (cli_backend_is(arg, len, "file")) {
		if (!colon || !colon[1])
			return cli_error(c, "%s %s: no file name given", c->opt, arg);
		if (cli_set_str(c, &cfg->serial_path, colon + 1))
			return -ENOMEM;
		cfg->serial = SERIAL_FILE;
	} else if (!strcmp(arg, "stdio")) {
		cfg->serial = SERIAL_STDIO;
	} else if (!strcmp(arg, "none") || !strcmp(arg, "null")) {
		cfg->serial = SERIAL_NONE;
	} else if (cli_backend_is(arg, len, "stdio") || cli_backend_is(arg, len, "none") ||
		   cli_backend_is(arg, len, "null")) {
		return cli_error(c, "%s %s: '%.*s' takes no options", c->opt, arg, (int)len, arg);
	} else {
		return cli_error(c, "%s %s: unsupported serial backend '%.*s'", c->opt, arg,
				 (int)len, arg);
	}
	c->serial_set = true;
	return 0;
}

/*
 * sriovm never has a display and its serial port already defaults to
 * stdio, so -nographic only has to leave an explicit -serial alone.
 */
int cli_opt_nographic(struct cli *c, const char *arg)
{
	if (!c->serial_set)
		c->cfg->serial = SERIAL_STDIO;
	return 0;
}

int cli_opt_display(struct cli *c, const char *arg)
{
	const char *type;
	struct kv kv;
	int ret;

	ret = cli_kv_parse(c, &kv, c->opt, arg, "type");
	if (ret)
		return ret;
	type = kv_get_str(&kv, "type");
	if (!type)
		ret = cli_error(c, "%s: no display type given", c->opt);
	else if (strcmp(type, "none"))
		ret = cli_error(c, "%s %s: unsupported display (sriovm has none: use -display none "
				"or -nographic)", c->opt, type);
	else
		ret = cli_kv_check_unused(c, &kv, c->opt);
	kv_free(&kv);
	return ret;
}
