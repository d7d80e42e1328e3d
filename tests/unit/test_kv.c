// SPDX-License-Identifier: GPL-2.0
/* QEMU's key=value option strings. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli/kv.h"

static struct kv kv;

static int teardown(void **state)
{
	kv_free(&kv);
	return 0;
}

static void assert_pair(unsigned int i, const char *key, const char *value)
{
	assert_true(i < kv.n);
	assert_string_equal(kv.pairs[i].key, key);
	assert_string_equal(kv.pairs[i].value, value);
}

/* A refused string: -EINVAL, a reason containing what, nothing left over. */
static void assert_refused(const char *str, const char *implied, const char *what)
{
	int ret = kv_parse(&kv, str, implied);

	if (ret != -EINVAL || !strstr(kv.why, what))
		print_error("kv_parse(\"%s\"): %d \"%s\", expected \"%s\"\n", str, ret, kv.why,
			    what);
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(kv.why, what));
	assert_null(kv.pairs);
	assert_null(kv.buf);
	assert_int_equal(kv.n, 0);
}

static void test_kv_pairs(void **state)
{
	assert_int_equal(kv_parse(&kv, "a=1,bb=22,c=three", NULL), 0);
	assert_int_equal(kv.n, 3);
	assert_pair(0, "a", "1");
	assert_pair(1, "bb", "22");
	assert_pair(2, "c", "three");
}

static void test_kv_implied_key(void **state)
{
	assert_int_equal(kv_parse(&kv, "virtio-net-pci,bus=b,addr=0x0.0x3,netdev=q,sriov-pf=f",
				  "driver"), 0);
	assert_int_equal(kv.n, 5);
	assert_pair(0, "driver", "virtio-net-pci");
	assert_pair(1, "bus", "b");
	assert_pair(2, "addr", "0x0.0x3");
	assert_pair(3, "netdev", "q");
	assert_pair(4, "sriov-pf", "f");
	assert_string_equal(kv_get_str(&kv, "driver"), "virtio-net-pci");
}

static void test_kv_implied_key_alone(void **state)
{
	assert_int_equal(kv_parse(&kv, "2G", "size"), 0);
	assert_int_equal(kv.n, 1);
	assert_pair(0, "size", "2G");
}

static void test_kv_implied_key_spelled_out(void **state)
{
	assert_int_equal(kv_parse(&kv, "size=2G,slots=1", "size"), 0);
	assert_pair(0, "size", "2G");
	assert_pair(1, "slots", "1");
}

static void test_kv_implied_key_only_first(void **state)
{
	assert_refused("a=1,foo", "driver", "'foo' needs a value");
}

static void test_kv_no_implied_key(void **state)
{
	assert_refused("foo", NULL, "'foo' needs a value");
	assert_refused("a=1,foo,b=2", NULL, "'foo' needs a value");
}

static void test_kv_implied_and_explicit(void **state)
{
	assert_refused("foo,driver=bar", "driver", "property 'driver' given twice");
}

static void test_kv_escaped_comma(void **state)
{
	assert_int_equal(kv_parse(&kv, "a=x,,y,b=2", NULL), 0);
	assert_int_equal(kv.n, 2);
	assert_pair(0, "a", "x,y");
	assert_pair(1, "b", "2");
}

static void test_kv_escaped_comma_implied(void **state)
{
	assert_int_equal(kv_parse(&kv, "my,,guest,,name", "guest"), 0);
	assert_int_equal(kv.n, 1);
	assert_pair(0, "guest", "my,guest,name");
}

static void test_kv_escaped_commas_in_a_row(void **state)
{
	assert_int_equal(kv_parse(&kv, "a=1,,,,2,b=,,", NULL), 0);
	assert_int_equal(kv.n, 2);
	assert_pair(0, "a", "1,,2");
	assert_pair(1, "b", ",");		/* an escaped comma at the end */
}

static void test_kv_escaped_comma_then_separator(void **state)
{
	assert_int_equal(kv_parse(&kv, "a=x,,,b=y", NULL), 0);
	assert_int_equal(kv.n, 2);
	assert_pair(0, "a", "x,");
	assert_pair(1, "b", "y");
}

static void test_kv_equals_in_value(void **state)
{
	assert_int_equal(kv_parse(&kv, "append=console=ttyS0,b==", NULL), 0);
	assert_pair(0, "append", "console=ttyS0");
	assert_pair(1, "b", "=");
}

static void test_kv_empty_string(void **state)
{
	assert_int_equal(kv_parse(&kv, "", "driver"), 0);
	assert_int_equal(kv.n, 0);
	assert_null(kv_get_str(&kv, "driver"));
	assert_null(kv_unused(&kv));
}

static void test_kv_empty_values(void **state)
{
	uint64_t u = 5;
	bool b = true;

	assert_int_equal(kv_parse(&kv, "a=,b=1,c=", NULL), 0);
	assert_int_equal(kv.n, 3);
	assert_pair(0, "a", "");
	assert_pair(2, "c", "");
	assert_string_equal(kv_get_str(&kv, "a"), "");
	assert_int_equal(kv_get_uint(&kv, "c", 0, 10, &u), -EINVAL);
	assert_int_equal(u, 5);
	assert_non_null(strstr(kv.why, "'c'"));
	kv_free(&kv);
	assert_int_equal(kv_parse(&kv, "x=", NULL), 0);
	assert_int_equal(kv_get_bool(&kv, "x", &b), -EINVAL);
	assert_true(b);
}

static void test_kv_empty_keys(void **state)
{
	assert_refused("=1", NULL, "empty property name");
	assert_refused("=1", "driver", "empty property name");
	assert_refused("a=1,=2", NULL, "empty property name in '=2'");
}

static void test_kv_empty_items(void **state)
{
	assert_refused("a=1,", NULL, "empty item");
	assert_refused(",a=1", NULL, "empty item");
	assert_refused(",a=1", "driver", "empty item");
	assert_refused("a=1,,,", NULL, "empty item");	/* "1," then a stray ',' */
	assert_refused(",", "driver", "empty item");
}

static void test_kv_duplicates(void **state)
{
	assert_refused("a=1,a=2", NULL, "property 'a' given twice");
	assert_refused("a=1,b=2,a=1", NULL, "property 'a' given twice");
	assert_refused("isa-debug-exit,iobase=1,iobase=2", "driver", "'iobase' given twice");
}

/* Keys are compared whole: a prefix is another key. */
static void test_kv_no_prefix_match(void **state)
{
	assert_int_equal(kv_parse(&kv, "iobase=1,io=2", NULL), 0);
	assert_true(kv_has(&kv, "io"));
	assert_false(kv_has(&kv, "i"));
	assert_false(kv_has(&kv, "iobase2"));
	assert_string_equal(kv_get_str(&kv, "io"), "2");
}

static void test_kv_bool(void **state)
{
	static const struct {
		const char *s;
		bool v;
	} t[] = {
		{ "on", true }, { "yes", true }, { "true", true },
		{ "off", false }, { "no", false }, { "false", false },
	};
	char buf[32];
	unsigned int i;
	bool b;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "x=%s", t[i].s);
		assert_int_equal(kv_parse(&kv, buf, NULL), 0);
		b = !t[i].v;
		assert_int_equal(kv_get_bool(&kv, "x", &b), 0);
		assert_int_equal(b, t[i].v);
		kv_free(&kv);
	}
}

static void test_kv_bool_bad(void **state)
{
	static const char *const bad[] = { "maybe", "ON", "1", "0", "y", "" };
	char buf[32];
	unsigned int i;
	bool b;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "flag=%s", bad[i]);
		assert_int_equal(kv_parse(&kv, buf, NULL), 0);
		b = true;
		assert_int_equal(kv_get_bool(&kv, "flag", &b), -EINVAL);
		assert_true(b);
		assert_non_null(strstr(kv.why, "'flag'"));
		kv_free(&kv);
	}
	assert_int_equal(kv_parse(&kv, "flag=maybe", NULL), 0);
	assert_int_equal(kv_get_bool(&kv, "flag", &b), -EINVAL);
	assert_string_equal(kv.why, "invalid value 'maybe' for 'flag' (expected on or off)");
}

static void test_kv_bool_absent(void **state)
{
	bool b = true;

	assert_int_equal(kv_parse(&kv, "a=on", NULL), 0);
	assert_int_equal(kv_get_bool(&kv, "b", &b), -ENOENT);
	assert_true(b);
}

static void test_kv_uint(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} t[] = {
		{ "0x501", 0x501 }, { "0X501", 0x501 }, { "1281", 1281 }, { "010", 8 },
		{ "0", 0 }, { "0xffff", 0xffff }, { "18446744073709551615", UINT64_MAX },
	};
	char buf[48];
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "n=%s", t[i].s);
		assert_int_equal(kv_parse(&kv, buf, NULL), 0);
		assert_int_equal(kv_get_uint(&kv, "n", 0, UINT64_MAX, &v), 0);
		assert_int_equal(v, t[i].v);
		kv_free(&kv);
	}
}

static void test_kv_uint_not_a_number(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1k", "abc", "0x", "0xg", "08", "1.5", "1,,2",
	};
	char buf[32];
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "iobase=%s", bad[i]);
		assert_int_equal(kv_parse(&kv, buf, NULL), 0);
		v = 42;
		assert_int_equal(kv_get_uint(&kv, "iobase", 0, UINT64_MAX, &v), -EINVAL);
		assert_int_equal(v, 42);
		assert_non_null(strstr(kv.why, "for 'iobase' (expected a number)"));
		kv_free(&kv);
	}
}

static void test_kv_uint_range(void **state)
{
	uint64_t v = 42;

	assert_int_equal(kv_parse(&kv, "lo=1,hi=4,under=0,over=5,huge=18446744073709551616",
				  NULL), 0);
	assert_int_equal(kv_get_uint(&kv, "lo", 1, 4, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(kv_get_uint(&kv, "hi", 1, 4, &v), 0);
	assert_int_equal(v, 4);
	v = 42;
	assert_int_equal(kv_get_uint(&kv, "under", 1, 4, &v), -ERANGE);
	assert_string_equal(kv.why, "invalid value '0' for 'under' (expected 1..4)");
	assert_int_equal(kv_get_uint(&kv, "over", 1, 4, &v), -ERANGE);
	assert_string_equal(kv.why, "invalid value '5' for 'over' (expected 1..4)");
	assert_int_equal(kv_get_uint(&kv, "huge", 0, UINT64_MAX, &v), -ERANGE);
	assert_non_null(strstr(kv.why, "'huge'"));
	assert_int_equal(v, 42);
}

static void test_kv_uint_absent(void **state)
{
	uint64_t v = 0x501;

	assert_int_equal(kv_parse(&kv, "iosize=2", NULL), 0);
	assert_int_equal(kv_get_uint(&kv, "iobase", 0, 0xffff, &v), -ENOENT);
	assert_int_equal(v, 0x501);
}

static void test_kv_unused(void **state)
{
	uint64_t v;

	assert_int_equal(kv_parse(&kv, "isa-debug-exit,iobase=0xf4,foo=1,bar=2", "driver"), 0);
	assert_string_equal(kv_unused(&kv), "driver");
	kv_get_str(&kv, "driver");
	assert_string_equal(kv_unused(&kv), "iobase");
	assert_int_equal(kv_get_uint(&kv, "iobase", 0, 0xffff, &v), 0);
	assert_string_equal(kv_unused(&kv), "foo");
	/* Asking whether a key is there does not consume it. */
	assert_true(kv_has(&kv, "foo"));
	assert_string_equal(kv_unused(&kv), "foo");
	/* Asking for an absent key consumes nothing. */
	assert_null(kv_get_str(&kv, "iosize"));
	kv_get_str(&kv, "foo");
	assert_string_equal(kv_unused(&kv), "bar");
	kv_get_str(&kv, "bar");
	assert_null(kv_unused(&kv));
}

/* A value that failed to parse was still looked at: not "unknown". */
static void test_kv_bad_value_is_used(void **state)
{
	uint64_t v;

	assert_int_equal(kv_parse(&kv, "n=x", NULL), 0);
	assert_int_equal(kv_get_uint(&kv, "n", 0, 1, &v), -EINVAL);
	assert_null(kv_unused(&kv));
}

static void test_kv_free_twice(void **state)
{
	assert_int_equal(kv_parse(&kv, "a=1", NULL), 0);
	kv_free(&kv);
	kv_free(&kv);
	assert_int_equal(kv.n, 0);
}

/* The input is not modified: callers pass argv words. */
static void test_kv_input_untouched(void **state)
{
	const char *s = "a=x,,y,b=2";
	char copy[16];

	strcpy(copy, s);
	assert_int_equal(kv_parse(&kv, copy, NULL), 0);
	assert_string_equal(copy, s);
}

static const char *const lists[] = { "hostfwd", "guestfwd", NULL };

/* List properties: a key given several times, read in order. */
static void test_kv_repeat(void **state)
{
	unsigned int pos = 0;

	assert_int_equal(kv_parse_repeat(&kv, "user,hostfwd=a,id=n,hostfwd=b,,c,hostfwd=,guestfwd=g",
					 "type", lists), 0);
	assert_int_equal(kv.n, 6);
	assert_string_equal(kv_get_next(&kv, "hostfwd", &pos), "a");
	assert_string_equal(kv_get_next(&kv, "hostfwd", &pos), "b,c");
	assert_string_equal(kv_get_next(&kv, "hostfwd", &pos), "");
	assert_null(kv_get_next(&kv, "hostfwd", &pos));
	assert_null(kv_get_next(&kv, "hostfwd", &pos));		/* stays at the end */
	assert_string_equal(kv_unused(&kv), "type");
	kv_get_str(&kv, "type");
	assert_string_equal(kv_unused(&kv), "id");
	kv_get_str(&kv, "id");
	assert_string_equal(kv_unused(&kv), "guestfwd");
	pos = 0;
	assert_string_equal(kv_get_next(&kv, "guestfwd", &pos), "g");
	assert_null(kv_get_next(&kv, "guestfwd", &pos));
	assert_null(kv_unused(&kv));
}

/* kv_get_str() takes the first of a list; the others stay unused. */
static void test_kv_repeat_get_str(void **state)
{
	assert_int_equal(kv_parse_repeat(&kv, "hostfwd=a,hostfwd=b", NULL, lists), 0);
	assert_string_equal(kv_get_str(&kv, "hostfwd"), "a");
	assert_string_equal(kv_unused(&kv), "hostfwd");
	assert_false(kv.pairs[1].used);
}

/* Keys not on the list are still refused twice, the implied one too. */
static void test_kv_repeat_others_unique(void **state)
{
	assert_int_equal(kv_parse_repeat(&kv, "hostfwd=a,id=n,id=m", NULL, lists), -EINVAL);
	assert_string_equal(kv.why, "property 'id' given twice");
	assert_null(kv.pairs);
	assert_int_equal(kv_parse_repeat(&kv, "user,type=tap", "type", lists), -EINVAL);
	assert_string_equal(kv.why, "property 'type' given twice");
	/* Names are matched whole: "hostfwd2" is not on the list. */
	assert_int_equal(kv_parse_repeat(&kv, "hostfwd2=a,hostfwd2=b", NULL, lists), -EINVAL);
	assert_int_equal(kv_parse_repeat(&kv, "a=1,a=2", NULL, NULL), -EINVAL);
	assert_int_equal(kv_parse(&kv, "hostfwd=a,hostfwd=b", NULL), -EINVAL);
	assert_string_equal(kv.why, "property 'hostfwd' given twice");
}

/* kv_get_next() on a key given once, or not at all. */
static void test_kv_get_next_single(void **state)
{
	unsigned int pos = 0;

	assert_int_equal(kv_parse(&kv, "a=1,b=2", NULL), 0);
	assert_null(kv_get_next(&kv, "c", &pos));
	assert_int_equal(pos, 2);
	pos = 0;
	assert_string_equal(kv_get_next(&kv, "b", &pos), "2");
	assert_int_equal(pos, 2);
	assert_null(kv_get_next(&kv, "b", &pos));
	assert_string_equal(kv_unused(&kv), "a");
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_kv_pairs),
		T(test_kv_implied_key),
		T(test_kv_implied_key_alone),
		T(test_kv_implied_key_spelled_out),
		T(test_kv_implied_key_only_first),
		T(test_kv_no_implied_key),
		T(test_kv_implied_and_explicit),
		T(test_kv_escaped_comma),
		T(test_kv_escaped_comma_implied),
		T(test_kv_escaped_commas_in_a_row),
		T(test_kv_escaped_comma_then_separator),
		T(test_kv_equals_in_value),
		T(test_kv_empty_string),
		T(test_kv_empty_values),
		T(test_kv_empty_keys),
		T(test_kv_empty_items),
		T(test_kv_duplicates),
		T(test_kv_no_prefix_match),
		T(test_kv_bool),
		T(test_kv_bool_bad),
		T(test_kv_bool_absent),
		T(test_kv_uint),
		T(test_kv_uint_not_a_number),
		T(test_kv_uint_range),
		T(test_kv_uint_absent),
		T(test_kv_unused),
		T(test_kv_bad_value_is_used),
		T(test_kv_free_twice),
		T(test_kv_input_untouched),
		T(test_kv_repeat),
		T(test_kv_repeat_get_str),
		T(test_kv_repeat_others_unique),
		T(test_kv_get_next_single),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
