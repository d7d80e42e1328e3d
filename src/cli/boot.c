// SPDX-License-Identifier: GPL-2.0
/* -kernel, -initrd, -append, -name and -no-reboot. */
#include <errno.h>

#include "cli/internal.h"

/*
 * QEMU takes -kernel, -initrd and -append as plain strings: no key=value
 * parsing, so a path or a kernel command line may hold commas. A repeated
 * option replaces the earlier one, as in QEMU.
 */
int cli_opt_kernel(struct cli *c, const char *arg)
{
	if (!*arg)
		return cli_error(c, "%s: empty path", c->opt);
	return cli_set_str(c, &c->cfg->kernel, arg);
}

int cli_opt_initrd(struct cli *c, const char *arg)
{
	if (!*arg)
		return cli_error(c, "%s: empty path", c->opt);
	return cli_set_str(c, &c->cfg->initrd, arg);
}

int cli_opt_append(struct cli *c, const char *arg)
{
	return cli_set_str(c, &c->cfg->append, arg);
}

/* QEMU's -name is key=value: "-name foo" is "-name guest=foo". */
int cli_opt_name(struct cli *c, const char *arg)
{
	const char *guest;
	struct kv kv;
	int ret;

	ret = cli_kv_parse(c, &kv, c->opt, arg, "guest");
	if (ret)
		return ret;
	guest = kv_get_str(&kv, "guest");
	ret = cli_kv_check_unused(c, &kv, c->opt);
	if (!ret && guest)
		ret = cli_set_str(c, &c->cfg->name, guest);
	kv_free(&kv);
	return ret;
}

int cli_opt_no_reboot(struct cli *c, const char *arg)
{
	c->cfg->no_reboot = true;
	return 0;
}
