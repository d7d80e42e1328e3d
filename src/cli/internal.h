/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the option parsers of src/cli share: the parse state, the option
 * and device tables (which --help and "-device help" print), and helpers
 * that word errors the same way everywhere.
 */
#ifndef SRIOVM_CLI_INTERNAL_H
#define SRIOVM_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/kv.h"
#include "vmm/config.h"

struct cli {
	struct vm_config *cfg;
	FILE *out;
	FILE *err;
	char opt[24];		/* the option being parsed, "-m", for messages */
	bool serial_set;	/* -serial given: -nographic must not override it */
	const char *debug_exit_id;	/* its id=, owned: device ids are unique */
	/* Entries allocated in cfg->netdevs and cfg->pci_devs. */
	unsigned int netdev_cap, pci_cap;
	/*
	 * Per cfg->pci_devs entry: n for the NIC of the nth -nic, 0 for a
	 * -device. QEMU creates -nic NICs before any -device, which decides
	 * default MACs and addresses.
	 */
	unsigned int *pci_nic;
	unsigned int pci_nic_cap;
	unsigned int nr_nics;
	/* Per cfg->pci_devs entry: its PF's index for a VF (sriov-pf=), else -1. */
	int *sriov_pf_of;
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
	bool pci;		/* a PCI function: kind is its pci_dev_kind */
	enum pci_dev_kind kind;
	bool sriov;		/* may be composed into SR-IOV: takes sriov-pf= */
};

extern const struct cli_device cli_devices[];	/* ends with a NULL name */

/*
 * One -netdev type (also the TYPE of -nic). parse() fetches the properties
 * it knows from kv into nd, whose kind and id are set; ctx names the
 * option for messages ("-netdev user,id=n0").
 */
struct cli_netdev {
	const char *name;
	const char *help;	/* one line for "-netdev help" */
	const char *props;	/* property lines for "-netdev TYPE,help" */
	enum netdev_kind kind;
	int (*parse)(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd);
};

extern const struct cli_netdev cli_netdevs[];	/* ends with a NULL name */

/* Keys of -netdev and -nic that may be given more than once. */
extern const char *const cli_netdev_lists[];

/* Prints "sriovm: " and the message to c->err; returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
int cli_error(struct cli *c, const char *fmt, ...);
/* QEMU's "help" and "?" as an option value: list what is supported. */
bool cli_is_help(const char *s);
/* "-device help" (LIST) or "-device TYPE,...,help" (TYPE: *type_len is TYPE's length). */
enum cli_help { CLI_HELP_NONE, CLI_HELP_LIST, CLI_HELP_TYPE };
enum cli_help cli_help_form(const char *arg, size_t *type_len);

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
/*
 * An optional number or on/off property: 1 and *val set if given, 0 and
 * *val untouched if absent, or the error reported against ctx (-EINVAL).
 */
int cli_kv_uint(struct cli *c, struct kv *kv, const char *ctx, const char *key, uint64_t min,
		uint64_t max, uint64_t *val);
int cli_kv_bool(struct cli *c, struct kv *kv, const char *ctx, const char *key, bool *val);

/* Replaces the string *dst owns with a copy of src. */
int cli_set_str(struct cli *c, const char **dst, const char *src);

/*
 * Refuses the first key of names (NULL-terminated) that kv holds:
 * "ctx: unsupported property 'smb' (why)". For properties QEMU has and
 * sriovm does not, so that they are not called unknown.
 */
int cli_kv_refuse(struct cli *c, const struct kv *kv, const char *ctx,
		  const char *const *names, const char *why);

/* QEMU's rule for ids: a letter, then letters, digits, '-', '.', '_'. */
bool cli_id_valid(const char *id);
int cli_id_error(struct cli *c, const char *ctx, const char *id);

/*
 * Makes room for one more entry in *array (cap entries of size bytes, of
 * which n are used). Returns 0 or -ENOMEM after printing the error.
 */
int cli_grow(struct cli *c, void **array, unsigned int *cap, unsigned int n, size_t size);

/* Strict dotted-quad IPv4 address into host byte order: 0 or -EINVAL. */
int cli_parse_ipv4(const char *s, uint32_t *addr);
/* XX:XX:XX:XX:XX:XX (or with '-'), QEMU's syntax: 0 or -EINVAL. */
int cli_parse_mac(const char *s, uint8_t mac[6]);
/* Checks and stores mac= of a NIC: a unicast, non-zero address. */
int cli_nic_mac(struct cli *c, struct kv *kv, const char *ctx, struct pci_dev_config *pd);

/*
 * Netdevs (netdev.c): builds the netdev TYPE with id from what is left in
 * kv and appends it to cfg->netdevs; refuses properties nobody fetched.
 */
const struct cli_netdev *cli_netdev_find(const char *name);
int cli_netdev_add(struct cli *c, struct kv *kv, const struct cli_netdev *t,
		   const char *ctx, const char *id);
void cli_netdev_release(struct netdev_config *nd);

/*
 * PCI devices (dev_pci.c): bus=, addr= and multifunction=, shared by every
 * PCI device type; appending a device (taking its strings; nic as in
 * struct cli); freeing one; naming one in messages.
 */
int cli_pci_props(struct cli *c, struct kv *kv, const char *ctx, struct pci_dev_config *pd);
int cli_pci_add(struct cli *c, struct pci_dev_config *pd, unsigned int nic);
/*
 * The end of a -device parser: refuses what kv has left, gives pd its id
 * (may be NULL) and adds it; pd is released whatever happens.
 */
int cli_pci_finish(struct cli *c, struct kv *kv, const char *ctx, const char *id,
		   struct pci_dev_config *pd);
void cli_pci_release(struct pci_dev_config *pd);
const char *cli_pci_name(const struct cli *c, unsigned int i, char *buf, size_t len);
const char *cli_pci_kind_name(enum pci_dev_kind kind);
/* The -device type of a PCI kind. */
const struct cli_device *cli_pci_kind(enum pci_dev_kind kind);
/*
 * QEMU creates -nic NICs first, then each -device in order: passes 0 and 1
 * over cfg->pci_devs visit device i in one of them.
 */
#define CLI_PCI_PASSES	2
bool cli_pci_in_pass(const struct cli *c, unsigned int i, unsigned int pass);

/* The checks that need the whole command line, in this order. */
int cli_finish_nics(struct cli *c);	/* dev_virtio_net.c: netdev=, MACs, iommu_platform= */
int cli_finish_admin_vq(struct cli *c);	/* dev_virtio_net.c: admin-vq=, after the SR-IOV layouts */
int cli_resolve_sriov(struct cli *c);	/* dev_sriov.c: what sriov-pf= names */
int cli_finish_pci(struct cli *c);	/* dev_pci.c: addresses and topology */
int cli_finish_sriov(struct cli *c);	/* dev_sriov.c: the VFs' layouts */

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
int cli_opt_netdev(struct cli *c, const char *arg);	/* netdev.c */
int cli_opt_nic(struct cli *c, const char *arg);	/* nic.c */

/* The -device parsers of cli_devices[]. */
int cli_dev_debug_exit(struct cli *c, struct kv *kv, const char *ctx, const char *id);
int cli_dev_root_port(struct cli *c, struct kv *kv, const char *ctx, const char *id);
int cli_dev_virtio_net(struct cli *c, struct kv *kv, const char *ctx, const char *id);
int cli_dev_virtio_iommu(struct cli *c, struct kv *kv, const char *ctx, const char *id);

/* The -netdev parsers of cli_netdevs[]. */
int cli_netdev_user(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd);
int cli_netdev_tap(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd);
int cli_netdev_socket(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd);
int cli_netdev_stream(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd);
int cli_netdev_hubport(struct cli *c, struct kv *kv, const char *ctx, struct netdev_config *nd);

#endif
