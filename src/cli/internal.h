/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the option parsers of src/cli share: the parse state, the option
 * and device tables (which --help and "-device help" print), and helpers
 * that word errors the same way everywhere.
 */
#ifndef SRIOVM_CLI_INTERNAL_H
#define SRIOVM_CLI_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/kv.h"
#include "vmm/config.h"

struct cli {
	struct vm_config *cfg;
	FILE *out;
	FILE *err;
	char opt[24];		/* the option being parsed, "-m", for messages */
	bool serial_set;	/* -serial given: -nographic must not override it */
};

/*
 * One option. parse() returns 0 to go on, 1 when it printed help and the
 * program should exit successfully, or a -errno after printing an error.
 */
struct cli_option {
	const char *name;	/* without the dash */
	const char *arg;	/* the argument, as --help shows it; NULL: none */
	const char *help;	/* one line for --help */
	int (*parse)(struct cli *c, const char *arg);
};

extern const struct cli_option cli_options[];	/* ends with a NULL name */

/*
 * One -device type. parse() fetches the properties it knows from kv (what
 * is left afterwards is refused as unknown) and fills c->cfg; ctx is
 * "-device NAME" for messages, id the device's id= or NULL.
 */
struct cli_device {
	const char *name;
	const char *help;	/* one line for "-device help" */
	const char *props;	/* property lines for "-device NAME,help" */
	int (*parse)(struct cli *c, struct kv *kv, const char *ctx, const char *id);
};

extern const struct cli_device cli_devices[];	/* ends with a NULL name */

/* Prints "sriovm: " and the message to c->err; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
int cli_error(struct cli *c, const char *fmt, ...);
/* QEMU's "help" and "?" as an option value: list what is supported. */
bool cli_is_help(const char *s);

/* kv_parse() with the error, if any, reported against ctx. */
int cli_kv_parse(struct cli *c, struct kv *kv, const char *ctx, const char *str,
		 const char *implied_key);
/* Refuses the first property nobody fetched: "ctx: unknown property 'foo'". */
int cli_kv_check_unused(struct cli *c, const struct kv *kv, const char *ctx);
/*
 * Reports a failed kv_get_*() (not -ENOENT) against ctx. Like every user
 * error it returns -EINVAL, out-of-range values included.
 */
int cli_kv_error(struct cli *c, const struct kv *kv, const char *ctx);

/* Replaces the string *dst owns with a copy of src. */
int cli_set_str(struct cli *c, const char **dst, const char *src);

/* The parsers of cli_options[], by file. */
int cli_opt_m(struct cli *c, const char *arg);		/* machine.c */
int cli_opt_smp(struct cli *c, const char *arg);
int cli_opt_machine(struct cli *c, const char *arg);
int cli_opt_accel(struct cli *c, const char *arg);
int cli_opt_enable_kvm(struct cli *c, const char *arg);
int cli_opt_cpu(struct cli *c, const char *arg);
int cli_opt_kernel(struct cli *c, const char *arg);	/* boot.c */
int cli_opt_initrd(struct cli *c, const char *arg);
int cli_opt_append(struct cli *c, const char *arg);
int cli_opt_name(struct cli *c, const char *arg);
int cli_opt_no_reboot(struct cli *c, const char *arg);
int cli_opt_serial(struct cli *c, const char *arg);	/* console.c */
int cli_opt_nographic(struct cli *c, const char *arg);
int cli_opt_display(struct cli *c, const char *arg);
int cli_opt_device(struct cli *c, const char *arg);	/* device.c */

/* The -device parsers of cli_devices[]. */
int cli_dev_debug_exit(struct cli *c, struct kv *kv, const char *ctx, const char *id);

#endif
