// SPDX-License-Identifier: GPL-2.0
/* QEMU's size syntax: what it accepts, and what sriovm refuses. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cli/size.h"

struct size_good {
	const char *str;
	uint64_t unit;
	uint64_t bytes;
};

static const struct size_good size_good[] = {
	{ "0", 1, 0 },
	{ "512", 1, 512 },
	{ "007", 1, 7 },			/* decimal, as in QEMU: not octal */
	{ "512", SIZE_MiB, 512 * SIZE_MiB },	/* -m: a bare number is MiB */
	{ "512b", SIZE_MiB, 512 },
	{ "512B", 1, 512 },
	{ "4096k", 1, 4 * SIZE_MiB },
	{ "4096K", SIZE_MiB, 4 * SIZE_MiB },
	{ "512M", 1, 512 * SIZE_MiB },
	{ "512m", SIZE_MiB, 512 * SIZE_MiB },
	{ "2G", 1, 2 * SIZE_GiB },
	{ "2g", 1, 2 * SIZE_GiB },
	{ "1T", 1, SIZE_TiB },
	{ "1t", 1, SIZE_TiB },
	{ "1P", 1, 1ULL << 50 },
	{ "1p", 1, 1ULL << 50 },
	{ "1E", 1, 1ULL << 60 },
	{ "1e", 1, 1ULL << 60 },
	{ "15E", 1, 15ULL << 60 },
	{ "1.5G", 1, 3 * (SIZE_GiB / 2) },
	{ "1.5", SIZE_MiB, 3 * (SIZE_MiB / 2) },
	{ "1.25M", 1, 5 * (SIZE_MiB / 4) },
	{ "1.50k", 1, 1536 },			/* trailing zeros are harmless */
	{ "0.5k", 1, 512 },
	{ ".5k", 1, 512 },			/* QEMU takes a bare fraction */
	{ "1.k", 1, 1024 },			/* and a dot without digits */
	{ "1.", 1, 1 },
	{ "1.0", 1, 1 },
	{ "1.000", 1, 1 },
	{ "0.0009765625k", 1, 1 },		/* 2^-10 KiB */
	{ "1.00000095367431640625M", 1, SIZE_MiB + 1 },	/* 20 fraction digits */
	{ "0.001953125", SIZE_MiB, 2048 },
	{ "0x1000", 1, 4096 },
	{ "0X1f", 1, 31 },
	{ "0x10", SIZE_MiB, 16 * SIZE_MiB },
	{ "18446744073709551615", 1, UINT64_MAX },
	{ "0xffffffffffffffff", 1, UINT64_MAX },
	{ "15.9375E", 1, 0xff00000000000000ULL },
	{ "17179869183G", 1, 17179869183ULL << 30 },
};

struct size_bad {
	const char *str;
	uint64_t unit;
	int ret;
};

static const struct size_bad size_bad[] = {
	{ "", 1, -EINVAL },
	{ "-1", 1, -EINVAL },
	{ "-1M", SIZE_MiB, -EINVAL },
	{ "+1", 1, -EINVAL },
	{ " 1", 1, -EINVAL },
	{ "1 ", 1, -EINVAL },
	{ "1 G", 1, -EINVAL },
	{ "k", 1, -EINVAL },
	{ ".", 1, -EINVAL },
	{ ".k", 1, -EINVAL },
	{ "abc", 1, -EINVAL },
	{ "1x", 1, -EINVAL },
	{ "512MB", 1, -EINVAL },		/* QEMU refuses it too */
	{ "2GiB", 1, -EINVAL },
	{ "1e3", 1, -EINVAL },			/* 'e' is the exbi suffix, not an exponent */
	{ "1.2.3", 1, -EINVAL },
	{ "1..5", 1, -EINVAL },
	{ "1,5G", 1, -EINVAL },
	{ "1.5", 1, -EINVAL },			/* 1.5 bytes */
	{ "1.5b", SIZE_MiB, -EINVAL },
	{ "0.1k", 1, -EINVAL },			/* 102.4 bytes */
	{ "1.3G", 1, -EINVAL },			/* ...371.2 bytes: QEMU would round */
	{ "0.0000000000000000001E", 1, -EINVAL },
	{ "15.99999999999999999999E", 1, -EINVAL },
	{ "0x", 1, -EINVAL },
	{ "0xg", 1, -EINVAL },
	{ "0x-1", 1, -EINVAL },
	{ "0x 1", 1, -EINVAL },
	{ "0x1k", 1, -EINVAL },			/* hexadecimal takes no suffix */
	{ "0x1.5", 1, -EINVAL },		/* nor a fraction */
	{ "16E", 1, -ERANGE },
	{ "16.0E", 1, -ERANGE },
	{ "17179869184G", 1, -ERANGE },		/* 2^64 */
	{ "18446744073709551616", 1, -ERANGE },
	{ "99999999999999999999999999", 1, -ERANGE },
	{ "0x10000000000000000", 1, -ERANGE },
	{ "0x100000000000", SIZE_MiB, -ERANGE },	/* 2^44 MiB */
	{ "17592186044416", SIZE_MiB, -ERANGE },	/* 2^44 MiB */
	{ "1", 0, -EINVAL },			/* no unit is no size */
	{ "1", (1ULL << 60) + 1, -EINVAL },
};

static void test_size_good(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(size_good) / sizeof(size_good[0]); i++) {
		const struct size_good *t = &size_good[i];
		uint64_t v = 0xdead;
		int ret = size_parse(t->str, t->unit, &v);

		if (ret || v != t->bytes)
			print_error("size_parse(\"%s\", %llu): ret %d, %llu, expected %llu\n",
				    t->str, (unsigned long long)t->unit, ret,
				    (unsigned long long)v, (unsigned long long)t->bytes);
		assert_int_equal(ret, 0);
		assert_int_equal(v, t->bytes);
	}
}

static void test_size_bad(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(size_bad) / sizeof(size_bad[0]); i++) {
		const struct size_bad *t = &size_bad[i];
		uint64_t v = 0xdead;
		int ret = size_parse(t->str, t->unit, &v);

		if (ret != t->ret || v != 0xdead)
			print_error("size_parse(\"%s\", %llu): ret %d (%llu), expected %d\n",
				    t->str, (unsigned long long)t->unit, ret,
				    (unsigned long long)v, t->ret);
		assert_int_equal(ret, t->ret);
		assert_int_equal(v, 0xdead);	/* untouched on error */
	}
}

static void test_size_null(void **state)
{
	uint64_t v = 7;

	assert_int_equal(size_parse(NULL, 1, &v), -EINVAL);
	assert_int_equal(v, 7);
}

/* Every suffix, both cases, against its power of 1024. */
static void test_size_suffixes(void **state)
{
	static const char suffixes[] = "bkmgtpe";
	char buf[8];
	uint64_t v;
	int i;

	for (i = 0; suffixes[i]; i++) {
		snprintf(buf, sizeof(buf), "3%c", suffixes[i]);
		assert_int_equal(size_parse(buf, 1, &v), 0);
		assert_int_equal(v, 3ULL << (10 * i));
		snprintf(buf, sizeof(buf), "3%c", suffixes[i] - 'a' + 'A');
		assert_int_equal(size_parse(buf, SIZE_MiB, &v), 0);
		assert_int_equal(v, 3ULL << (10 * i));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_good),
		cmocka_unit_test(test_size_bad),
		cmocka_unit_test(test_size_null),
		cmocka_unit_test(test_size_suffixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
