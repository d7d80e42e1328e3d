/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's key=value option strings, as in
 *	-device virtio-net-pci,bus=rp0,addr=0x0.0x3,netdev=n0,sriov-pf=f0
 *
 * Items are separated by ',' and ",," stands for a literal comma. The first
 * item may omit its key, which is then the option's implied key ("driver"
 * for -device, "size" for -m). An empty key, an item without '=' and a key
 * given twice are refused: QEMU's older parser took the last of duplicates
 * and read "foo" as "foo=on", both easy ways to mistype a line unnoticed.
 * The exception are list properties, which QEMU builds from a key given
 * several times (-netdev user,hostfwd=...,hostfwd=...): a caller names
 * them to kv_parse_repeat() and reads them with kv_get_next().
 *
 * The getters mark a key as used; after an option has fetched what it
 * understands, kv_unused() names the first key nobody asked for, so an
 * unknown property is refused by name instead of being ignored.
 */
#ifndef SRIOVM_CLI_KV_H
#define SRIOVM_CLI_KV_H

#include <stdbool.h>
#include <stdint.h>

struct kv_pair {
	const char *key;
	const char *value;
	bool used;
};

struct kv {
	struct kv_pair *pairs;
	unsigned int n;
	char *buf;		/* the unescaped text the pairs point into */
	char why[160];		/* after an error: what was wrong, naming the key */
};

/*
 * Splits str into kv. implied_key may be NULL (every item needs a key).
 * An empty str gives no pairs. Returns 0, -EINVAL (kv->why says why; nothing
 * is left allocated) or -ENOMEM.
 */
int kv_parse(struct kv *kv, const char *str, const char *implied_key);
/*
 * kv_parse(), except that the keys of repeatable (a NULL-terminated list,
 * or NULL) may be given any number of times.
 */
int kv_parse_repeat(struct kv *kv, const char *str, const char *implied_key,
		    const char *const *repeatable);
void kv_free(struct kv *kv);

/* Whether key is present; does not mark it used. */
bool kv_has(const struct kv *kv, const char *key);

/* The value of key (marked used), or NULL when absent. */
const char *kv_get_str(struct kv *kv, const char *key);

/*
 * The values of a repeated key in the order given: start with *pos = 0 and
 * call until NULL. Each value returned is marked used.
 */
const char *kv_get_next(struct kv *kv, const char *key, unsigned int *pos);

/*
 * These leave *val alone and return -ENOENT when key is absent, so a caller
 * sets its default first. A bad value gives -EINVAL (or -ERANGE for a
 * number outside min..max) with kv->why naming key and value.
 */
int kv_get_bool(struct kv *kv, const char *key, bool *val);
int kv_get_uint(struct kv *kv, const char *key, uint64_t min, uint64_t max, uint64_t *val);

/* The first key no getter asked for, or NULL. */
const char *kv_unused(const struct kv *kv);

#endif
