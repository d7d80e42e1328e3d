// SPDX-License-Identifier: GPL-2.0
/* QEMU-style key=value option strings; see kv.h. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kv.h"

__attribute__((format(printf, 2, 3)))
static int kv_fail(struct kv *kv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kv->why, sizeof(kv->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Copies one item from *src into dst, turning ",," into ',', and steps over
 * the ',' that ends it; *more says whether there was one (so another item
 * follows, even an empty one). Returns the item's end in dst.
 */
static char *kv_unescape_item(const char **src, char *dst, bool *more)
{
	const char *s = *src;

	*more = false;
	for (; *s; s++) {
		if (*s == ',') {
			if (s[1] != ',') {
				*more = true;
				s++;
				break;
			}
			s++;
		}
		*dst++ = *s;
	}
	*dst = '\0';
	*src = s;
	return dst;
}

static bool kv_is_repeatable(const char *key, const char *const *repeatable)
{
	for (; repeatable && *repeatable; repeatable++) {
		if (!strcmp(key, *repeatable))
			return true;
	}
	return false;
}

static int kv_add(struct kv *kv, char *item, bool first, const char *implied_key,
		  const char *const *repeatable)
{
	char *eq = strchr(item, '=');
	unsigned int i;

	if (!*item)
		return kv_fail(kv, "empty item (a stray ',')");
	if (!eq) {
		if (!first || !implied_key)
			return kv_fail(kv, "'%s' needs a value ('%s=...')", item, item);
		kv->pairs[kv->n].key = implied_key;
		kv->pairs[kv->n].value = item;
	} else {
		*eq = '\0';
		if (!*item)
			return kv_fail(kv, "empty property name in '=%s'", eq + 1);
		kv->pairs[kv->n].key = item;
		kv->pairs[kv->n].value = eq + 1;
	}
	for (i = 0; i < kv->n; i++) {
		if (!strcmp(kv->pairs[i].key, kv->pairs[kv->n].key) &&
		    !kv_is_repeatable(kv->pairs[i].key, repeatable))
			return kv_fail(kv, "property '%s' given twice", kv->pairs[i].key);
	}
	kv->pairs[kv->n++].used = false;
	return 0;
}

int kv_parse(struct kv *kv, const char *str, const char *implied_key)
{
	return kv_parse_repeat(kv, str, implied_key, NULL);
}

int kv_parse_repeat(struct kv *kv, const char *str, const char *implied_key,
		    const char *const *repeatable)
{
	size_t len = strlen(str), max_items = 1;
	const char *s;
	bool more;
	char *dst;
	int ret;

	memset(kv, 0, sizeof(*kv));
	if (!len)
		return 0;
	/* Every item but the last ends in a comma: an upper bound. */
	for (s = str; *s; s++)
		max_items += *s == ',';
	kv->buf = malloc(len + 1);
	kv->pairs = calloc(max_items, sizeof(*kv->pairs));
	if (!kv->buf || !kv->pairs) {
		ret = -ENOMEM;
		snprintf(kv->why, sizeof(kv->why), "out of memory");
		goto err;
	}

	/*
	 * Unescaping only shrinks an item, and each item's separator makes
	 * room for its terminating NUL: len + 1 bytes hold them all.
	 */
	s = str;
	dst = kv->buf;
	do {
		char *item = dst;

		dst = kv_unescape_item(&s, item, &more) + 1;
		ret = kv_add(kv, item, kv->n == 0, implied_key, repeatable);
		if (ret)
			goto err;
	} while (more);
	return 0;
err:
	kv_free(kv);
	return ret;
}

void kv_free(struct kv *kv)
{
	free(kv->pairs);
	free(kv->buf);
	kv->pairs = NULL;
	kv->buf = NULL;
	kv->n = 0;
}

static struct kv_pair *kv_find(const struct kv *kv, const char *key)
{
	unsigned int i;

	for (i = 0; i < kv->n; i++) {
		if (!strcmp(kv->pairs[i].key, key))
			return &kv->pairs[i];
	}
	return NULL;
}

bool kv_has(const struct kv *kv, const char *key)
{
	return kv_find(kv, key) != NULL;
}

const char *kv_get_str(struct kv *kv, const char *key)
{
	struct kv_pair *p = kv_find(kv, key);

	if (!p)
		return NULL;
	p->used = true;
	return p->value;
}

const char *kv_get_next(struct kv *kv, const char *key, unsigned int *pos)
{
	for (; *pos < kv->n; (*pos)++) {
		struct kv_pair *p = &kv->pairs[*pos];

		if (!strcmp(p->key, key)) {
			p->used = true;
			(*pos)++;
			return p->value;
		}
	}
	return NULL;
}

int kv_get_bool(struct kv *kv, const char *key, bool *val)
{
	static const char *const yes[] = { "on", "yes", "true" };
	static const char *const no[] = { "off", "no", "false" };
	const char *v = kv_get_str(kv, key);
	unsigned int i;

	if (!v)
		return -ENOENT;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(v, yes[i])) {
			*val = true;
			return 0;
		}
		if (!strcmp(v, no[i])) {
			*val = false;
			return 0;
		}
	}
	return kv_fail(kv, "invalid value '%s' for '%s' (expected on or off)", v, key);
}

/*
 * Numbers in C syntax (decimal, 0x hex, 0 octal), as QEMU reads integer
 * properties. Unlike strtoull we refuse a sign and leading spaces: "-1"
 * would otherwise wrap to the largest value.
 */
int kv_get_uint(struct kv *kv, const char *key, uint64_t min, uint64_t max, uint64_t *val)
{
	const char *v = kv_get_str(kv, key);
	unsigned long long n;
	char *end;

	if (!v)
		return -ENOENT;
	if (!isdigit((unsigned char)v[0]))
		goto nan;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (*end)
		goto nan;
	if (errno == ERANGE || n < min || n > max) {
		kv_fail(kv, "invalid value '%s' for '%s' (expected %llu..%llu)", v, key,
			(unsigned long long)min, (unsigned long long)max);
		return -ERANGE;
	}
	*val = n;
	return 0;
nan:
	return kv_fail(kv, "invalid value '%s' for '%s' (expected a number)", v, key);
}

const char *kv_unused(const struct kv *kv)
{
	unsigned int i;

	for (i = 0; i < kv->n; i++) {
		if (!kv->pairs[i].used)
			return kv->pairs[i].key;
	}
	return NULL;
}
