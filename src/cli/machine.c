// SPDX-License-Identifier: GPL-2.0
/* -m, -smp, -machine/-M, -accel, -enable-kvm and -cpu. */
#include <errno.h>
#include <string.h>

#include "cli/help.h"
#include "cli/internal.h"
#include "cli/size.h"

/* Far more than a test guest needs, and below what a host can back. */
#define CLI_MAX_RAM	SIZE_TiB
/* QEMU rounds -m up to 8 KiB; doing the same gives the guest the same RAM. */
#define CLI_RAM_ALIGN	8192ULL

int cli_opt_m(struct cli *c, const char *arg)
{
	static const char *const hotplug[] = { "slots", "maxmem" };
	const char *size;
	uint64_t bytes;
	struct kv kv;
	unsigned int i;
	int ret;

	ret = cli_kv_parse(c, &kv, c->opt, arg, "size");
	if (ret)
		return ret;
	for (i = 0; i < sizeof(hotplug) / sizeof(hotplug[0]); i++) {
		if (kv_has(&kv, hotplug[i])) {
			ret = cli_error(c, "%s: unsupported property '%s' (sriovm has no memory hotplug)",
					c->opt, hotplug[i]);
			goto out;
		}
	}
	size = kv_get_str(&kv, "size");
	ret = cli_kv_check_unused(c, &kv, c->opt);
	if (ret)
		goto out;
	if (!size) {
		ret = cli_error(c, "%s: no size given", c->opt);
		goto out;
	}
	ret = size_parse(size, SIZE_MiB, &bytes);
	if (ret) {
		ret = cli_error(c, "%s: invalid size '%s'%s", c->opt, size,
				ret == -ERANGE ? " (too large)" : "");
		goto out;
	}
	if (bytes < VM_MIN_RAM) {
		ret = cli_error(c, "%s: %s is below the minimum of %lluM", c->opt, size,
				VM_MIN_RAM >> 20);
		goto out;
	}
	if (bytes > CLI_MAX_RAM) {
		ret = cli_error(c, "%s: %s is above the maximum of %lluT", c->opt, size,
				CLI_MAX_RAM >> 40);
		goto out;
	}
	c->cfg->ram_size = (bytes + CLI_RAM_ALIGN - 1) & ~(CLI_RAM_ALIGN - 1);
out:
	kv_free(&kv);
	return ret;
}

/*
 * QEMU fills in what -smp leaves out: threads and sockets default to 1,
 * cores to what remains of cpus, and cpus to the product. sriovm has no CPU
 * hotplug, so maxcpus must equal cpus, and its CPUID describes the vCPUs as
 * cores of one socket with one thread each: another topology would be
 * silently changed, so it is refused.
 */
struct cli_smp {
	uint64_t cpus, sockets, cores, threads, maxcpus;
};

static int cli_smp_get(struct cli *c, struct kv *kv, struct cli_smp *s)
{
	struct {
		const char *key;
		uint64_t *val;
		uint64_t max;
	} keys[] = {
		{ "cpus", &s->cpus, VM_MAX_CPUS },
		{ "sockets", &s->sockets, VM_MAX_CPUS },
		{ "cores", &s->cores, VM_MAX_CPUS },
		{ "threads", &s->threads, VM_MAX_CPUS },
		/* Beyond VM_MAX_CPUS it still deserves the hotplug message. */
		{ "maxcpus", &s->maxcpus, UINT32_MAX },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ret = cli_kv_uint(c, kv, c->opt, keys[i].key, 1, keys[i].max, keys[i].val);
		if (ret < 0)
			return ret;
	}
	return cli_kv_check_unused(c, kv, c->opt);
}

int cli_opt_smp(struct cli *c, const char *arg)
{
	struct cli_smp s = { 0 };
	uint64_t product;
	struct kv kv;
	int ret;

	ret = cli_kv_parse(c, &kv, c->opt, arg, "cpus");
	if (ret)
		return ret;
	ret = cli_smp_get(c, &kv, &s);
	kv_free(&kv);
	if (ret)
		return ret;
	if (!s.cpus && !s.sockets && !s.cores && !s.threads && !s.maxcpus)
		return cli_error(c, "%s: no number of vCPUs given", c->opt);

	if (!s.threads)
		s.threads = 1;
	if (!s.sockets)
		s.sockets = 1;
	if (!s.cores) {
		uint64_t n = s.cpus ? s.cpus : s.maxcpus;

		s.cores = n ? n / (s.sockets * s.threads) : 1;
		if (!s.cores)
			s.cores = 1;
	}
	product = s.sockets * s.cores * s.threads;
	if (!s.cpus)
		s.cpus = s.maxcpus ? s.maxcpus : product;

	if (s.maxcpus && s.maxcpus != s.cpus)
		return cli_error(c, "%s: maxcpus=%llu differs from cpus=%llu "
				 "(sriovm has no CPU hotplug)", c->opt,
				 (unsigned long long)s.maxcpus, (unsigned long long)s.cpus);
	if (product != s.cpus)
		return cli_error(c, "%s: sockets (%llu) * cores (%llu) * threads (%llu) = %llu, "
				 "not cpus (%llu)", c->opt,
				 (unsigned long long)s.sockets, (unsigned long long)s.cores,
				 (unsigned long long)s.threads, (unsigned long long)product,
				 (unsigned long long)s.cpus);
	if (s.cpus > VM_MAX_CPUS)
		return cli_error(c, "%s: %llu vCPUs: at most %u are supported", c->opt,
				 (unsigned long long)s.cpus, VM_MAX_CPUS);
	if (s.sockets != 1 || s.threads != 1)
		return cli_error(c, "%s: sockets=%llu,threads=%llu: sriovm presents its vCPUs as "
				 "cores of one socket (sockets=1,threads=1)", c->opt,
				 (unsigned long long)s.sockets, (unsigned long long)s.threads);
	c->cfg->ncpus = (unsigned int)s.cpus;
	return 0;
}


static int cli_check_accel(struct cli *c, const char *ctx, const char *accel)
{
	if (strcmp(accel, "kvm"))
		return cli_error(c, "%s: unsupported accelerator '%s' (sriovm only runs on KVM)",
				 ctx, accel);
	return 0;
}

int cli_opt_machine(struct cli *c, const char *arg)
{
	const char *type, *accel;
	struct kv kv;
	int ret;

	ret = cli_kv_parse(c, &kv, c->opt, arg, "type");
	if (ret)
		return ret;
	type = kv_get_str(&kv, "type");
	if (type && cli_is_help(type)) {
		help_machines(c->out);
		ret = 1;
		goto out;
	}
	/*
	 * Without a type QEMU would pick its default "pc"; sriovm has only
	 * its own machine, so "-machine accel=kvm" means that one.
	 */
	if (type && strcmp(type, "q35")) {
		ret = cli_error(c, "%s %s: unsupported machine type (sriovm's machine is q35)",
				c->opt, type);
		goto out;
	}
	accel = kv_get_str(&kv, "accel");
	if (accel) {
		ret = cli_check_accel(c, c->opt, accel);
		if (ret)
			goto out;
	}
	ret = cli_kv_check_unused(c, &kv, c->opt);
out:
	kv_free(&kv);
	return ret;
}

int cli_opt_accel(struct cli *c, const char *arg)
{
	const char *accel;
	struct kv kv;
	int ret;

	ret = cli_kv_parse(c, &kv, c->opt, arg, "accel");
	if (ret)
		return ret;
	accel = kv_get_str(&kv, "accel");
	if (!accel)
		ret = cli_error(c, "%s: no accelerator given", c->opt);
	else
		ret = cli_check_accel(c, c->opt, accel);
	if (!ret)
		ret = cli_kv_check_unused(c, &kv, c->opt);
	kv_free(&kv);
	return ret;
}

int cli_opt_enable_kvm(struct cli *c, const char *arg)
{
	return 0;	/* what sriovm always does */
}

/*
 * QEMU's -cpu is "model[,feature...]" with +feat, -feat and feat=value
 * items. sriovm hands the guest the host's CPUID as KVM reports it, so
 * only "host" without changes describes what the guest gets.
 */
int cli_opt_cpu(struct cli *c, const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);

	if (!len)
		return cli_error(c, "%s: no CPU model given (use -cpu host)", c->opt);
	if (len != 4 || strncmp(arg, "host", 4))
		return cli_error(c, "%s %.*s: unsupported CPU model (sriovm passes the host "
				 "CPU through: use -cpu host)", c->opt, (int)len, arg);
	if (comma) {
		const char *feat = comma + 1;
		const char *end = strchr(feat, ',');

		return cli_error(c, "%s host: unsupported CPU feature '%.*s' (the host CPU is "
				 "passed through unchanged)", c->opt,
				 (int)(end ? (size_t)(end - feat) : strlen(feat)), feat);
	}
	return 0;
}
