// SPDX-License-Identifier: GPL-2.0
/*
 * The option loop: QEMU's spelling rules (-opt or --opt, the argument is
 * the next word), the option table, and the checks that need the whole
 * command line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "cli/internal.h"
#include "lib/log.h"

static int cli_opt_help(struct cli *c, const char *arg)
{
	help_usage(c->out);
	return 1;
}

static int cli_opt_version(struct cli *c, const char *arg)
{
	help_version(c->out);
	return 1;
}

/* In the order --help lists them. */
const struct cli_option cli_options[] = {
	{ "kernel", "PATH", "Linux bzImage to boot (required)", cli_opt_kernel },
	{ "initrd", "PATH", "initial ramdisk", cli_opt_initrd },
	{ "append", "STRING", "kernel command line", cli_opt_append },
	{ "m", "[size=]SIZE",
	  "guest RAM (default 512M; a bare number is MiB)", cli_opt_m },
	{ "smp", "[cpus=]N[,sockets=1,cores=N,threads=1,maxcpus=N]",
	  "vCPUs (1..64), as cores of one socket", cli_opt_smp },
	{ "machine", "[type=]q35[,accel=kvm]", "machine type: q35 is the only one", cli_opt_machine },
	{ "M", "q35", "same as -machine", cli_opt_machine },
	{ "accel", "[accel=]kvm", "accelerator: KVM is the only one", cli_opt_accel },
	{ "enable-kvm", NULL, "same as -accel kvm", cli_opt_enable_kvm },
	{ "cpu", "host", "CPU model: the host CPU is passed through", cli_opt_cpu },
	{ "device", "TYPE[,PROP=VALUE...]", "add a device (-device help lists the types)",
	  cli_opt_device },
	{ "netdev", "TYPE,id=ID[,PROP=VALUE...]",
	  "add a network backend (-netdev help lists the types)", cli_opt_netdev },
	{ "nic", "[TYPE][,model=virtio-net-pci][,mac=MAC][,id=ID][,PROP=VALUE...]",
	  "a NIC and its TYPE backend (default user); none: no NIC", cli_opt_nic },
	{ "serial", "stdio|file:PATH|none|null", "where COM1 goes (default stdio)",
	  cli_opt_serial },
	{ "nographic", NULL, "no display; COM1 on stdio unless -serial says",
	  cli_opt_nographic },
	{ "display", "none", "accepted: sriovm never has a display",
	  cli_opt_display },
	{ "name", "[guest=]NAME", "a name for the guest", cli_opt_name },
	{ "no-reboot", NULL, "exit instead of rebooting when the guest resets", cli_opt_no_reboot },
	{ "h", NULL, "print this help and exit", cli_opt_help },
	{ "help", NULL, "print this help and exit", cli_opt_help },
	{ "version", NULL, "print the version and exit", cli_opt_version },
	{ .name = NULL }
};

bool cli_is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "?");
}

enum cli_help cli_help_form(const char *arg, size_t *type_len)
{
	const char *last = strrchr(arg, ',');

	if (cli_is_help(arg))
		return CLI_HELP_LIST;
	if (!last || !cli_is_help(last + 1))
		return CLI_HELP_NONE;
	*type_len = strcspn(arg, ",");
	return CLI_HELP_TYPE;
}

int cli_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verror(c->err, NULL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int cli_kv_parse(struct cli *c, struct kv *kv, const char *ctx, const char *str,
		 const char *implied_key)
{
	int ret = kv_parse(kv, str, implied_key);

	if (ret)
		cli_error(c, "%s: %s", ctx, kv->why);
	return ret;
}

int cli_kv_check_unused(struct cli *c, const struct kv *kv, const char *ctx)
{
	const char *key = kv_unused(kv);

	if (key)
		return cli_error(c, "%s: unknown property '%s'", ctx, key);
	return 0;
}

int cli_kv_error(struct cli *c, const struct kv *kv, const char *ctx)
{
	return cli_error(c, "%s: %s", ctx, kv->why);
}

int cli_kv_uint(struct cli *c, struct kv *kv, const char *ctx, const char *key, uint64_t min,
		uint64_t max, uint64_t *val)
{
	int ret = kv_get_uint(kv, key, min, max, val);

	if (ret == -ENOENT)
		return 0;
	return ret ? cli_kv_error(c, kv, ctx) : 1;
}

int cli_kv_bool(struct cli *c, struct kv *kv, const char *ctx, const char *key, bool *val)
{
	int ret = kv_get_bool(kv, key, val);

	if (ret == -ENOENT)
		return 0;
	return ret ? cli_kv_error(c, kv, ctx) : 1;
}

int cli_kv_refuse(struct cli *c, const struct kv *kv, const char *ctx,
		  const char *const *names, const char *why)
{
	for (; *names; names++) {
		if (kv_has(kv, *names))
			return cli_error(c, "%s: unsupported property '%s' (%s)", ctx, *names, why);
	}
	return 0;
}

bool cli_id_valid(const char *id)
{
	if (!isalpha((unsigned char)*id))
		return false;
	for (id++; *id; id++) {
		if (!isalnum((unsigned char)*id) && !strchr("-._", *id))
			return false;
	}
	return true;
}

int cli_id_error(struct cli *c, const char *ctx, const char *id)
{
	return cli_error(c, "%s: invalid id '%s' (a letter, then letters, digits, "
			 "'-', '.' or '_')", ctx, id);
}

int cli_grow(struct cli *c, void **array, unsigned int *cap, unsigned int n, size_t size)
{
	unsigned int new_cap = *cap ? *cap * 2 : 8;
	void *p;

	if (n < *cap)
		return 0;
	p = reallocarray(*array, new_cap, size);
	if (!p) {
		cli_error(c, "%s: out of memory", c->opt);
		return -ENOMEM;
	}
	/* The new entries are zero, so a half-built one never holds garbage. */
	memset((char *)p + (size_t)*cap * size, 0, (size_t)(new_cap - *cap) * size);
	*array = p;
	*cap = new_cap;
	return 0;
}

int cli_set_str(struct cli *c, const char **dst, const char *src)
{
	char *s = strdup(src);

	if (!s) {
		cli_error(c, "%s: out of memory", c->opt);
		return -ENOMEM;
	}
	free((void *)*dst);
	*dst = s;
	return 0;
}

void cli_free(struct vm_config *cfg)
{
	const char **strs[] = {
		&cfg->kernel, &cfg->initrd, &cfg->append, &cfg->name, &cfg->serial_path,
	};
	size_t i;

	unsigned int j;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free((void *)*strs[i]);
		*strs[i] = NULL;
	}
	for (j = 0; j < cfg->nr_netdevs; j++)
		cli_netdev_release(&cfg->netdevs[j]);
	free(cfg->netdevs);
	cfg->netdevs = NULL;
	cfg->nr_netdevs = 0;
	for (j = 0; j < cfg->nr_pci_devs; j++)
		cli_pci_release(&cfg->pci_devs[j]);
	free(cfg->pci_devs);
	cfg->pci_devs = NULL;
	cfg->nr_pci_devs = 0;
}

static void cli_defaults(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = VM_DEFAULT_RAM;
	cfg->ncpus = 1;
	cfg->serial = SERIAL_STDIO;
	cfg->debug_exit.iobase = 0x501;
	cfg->debug_exit.iosize = 0x02;
}

/* QEMU takes both -opt and --opt, and nothing like --opt=value. */
static const struct cli_option *cli_find(const char *word)
{
	const struct cli_option *o;
	const char *name = word + 1;

	if (name[0] == '-')
		name++;
	for (o = cli_options; o->name; o++) {
		if (!strcmp(o->name, name))
			return o;
	}
	return NULL;
}

/*
 * The checks that need the whole command line: QEMU resolves netdev= only
 * once every -netdev exists, places -nic NICs before any -device, and
 * builds a PF only after its VFs (sriov-pf=), which come first.
 */
static int cli_finish(struct cli *c)
{
	int ret;

	if (!c->cfg->kernel)
		return cli_error(c, "no -kernel given (sriovm boots a Linux bzImage directly)");
	ret = cli_finish_nics(c);
	if (!ret)
		ret = cli_resolve_sriov(c);
	if (!ret)
		ret = cli_finish_pci(c);
	if (!ret)
		ret = cli_finish_sriov(c);
	if (!ret)
		ret = cli_finish_admin_vq(c);
	return ret;
}

int cli_parse(int argc, char **argv, struct vm_config *cfg, FILE *out, FILE *err)
{
	struct cli c = { .cfg = cfg, .out = out, .err = err };
	const struct cli_option *o;
	const char *arg;
	int i, ret;

	cli_defaults(cfg);
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1]) {
			ret = cli_error(&c, "'%s': unexpected argument (options start with '-'; "
					"sriovm takes no disk image)", argv[i]);
			goto fail;
		}
		o = cli_find(argv[i]);
		if (!o) {
			ret = cli_error(&c, "%s: unsupported option", argv[i]);
			goto fail;
		}
		snprintf(c.opt, sizeof(c.opt), "-%s", o->name);
		arg = NULL;
		if (o->arg) {
			if (i + 1 >= argc) {
				ret = cli_error(&c, "%s: missing argument", c.opt);
				goto fail;
			}
			arg = argv[++i];
		}
		ret = o->parse(&c, arg);
		if (ret)
			goto fail;
	}
	ret = cli_finish(&c);
	if (ret)
		goto fail;
	goto out;
fail:
	cli_free(cfg);
out:
	free((void *)c.debug_exit_id);
	free(c.pci_nic);
	free(c.sriov_pf_of);
	return ret;
}
