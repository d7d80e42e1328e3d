// SPDX-License-Identifier: GPL-2.0
/* The range map (IOMMU mappings): overlaps refused, lookups, unmaps that would split. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/range_map.h"

static void test_insert_find(void **state)
{
	struct range_map m;
	const struct range_map_entry *e;

	range_map_init(&m, 8);
	assert_int_equal(range_map_insert(&m, 0x1000, 0x1fff, 0x50000, 3), 0);
	assert_int_equal(range_map_insert(&m, 0x3000, 0x3fff, 0x70000, 1), 0);
	/* Any overlap, touching either end or covering, is refused. */
	assert_int_equal(range_map_insert(&m, 0x1fff, 0x2fff, 0, 0), -EEXIST);
	assert_int_equal(range_map_insert(&m, 0x0, 0x1000, 0, 0), -EEXIST);
	assert_int_equal(range_map_insert(&m, 0x0, 0xffff, 0, 0), -EEXIST);
	assert_int_equal(range_map_insert(&m, 0x2000, 0x2fff, 0x60000, 2), 0);
	assert_int_equal(range_map_insert(&m, 5, 4, 0, 0), -EINVAL);
	assert_int_equal(m.nr, 3);

	assert_null(range_map_find(&m, 0xfff));
	e = range_map_find(&m, 0x1000);
	assert_non_null(e);
	assert_int_equal(e->target, 0x50000);
	assert_int_equal(e->flags, 3);
	assert_int_equal(range_map_find(&m, 0x2abc)->target, 0x60000);
	assert_int_equal(range_map_find(&m, 0x3fff)->start, 0x3000);
	assert_null(range_map_find(&m, 0x4000));
	/* The whole 64-bit space is one range too. */
	range_map_clear(&m);
	assert_int_equal(range_map_insert(&m, 0, UINT64_MAX, 0, 0), 0);
	assert_non_null(range_map_find(&m, UINT64_MAX));
	range_map_clear(&m);
	assert_int_equal(m.nr, 0);
}

static void test_bound(void **state)
{
	struct range_map m;
	unsigned int i;

	range_map_init(&m, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(range_map_insert(&m, i * 0x1000, i * 0x1000 + 0xfff, 0, 0), 0);
	assert_int_equal(range_map_insert(&m, 0x10000, 0x10fff, 0, 0), -ENOSPC);
	assert_int_equal(range_map_remove(&m, 0, 0xfff), 1);
	assert_int_equal(range_map_insert(&m, 0x10000, 0x10fff, 0, 0), 0);
	range_map_clear(&m);
}

static void test_remove(void **state)
{
	struct range_map m;

	range_map_init(&m, 16);
	assert_int_equal(range_map_insert(&m, 0x1000, 0x1fff, 0, 0), 0);
	assert_int_equal(range_map_insert(&m, 0x2000, 0x3fff, 0, 0), 0);
	assert_int_equal(range_map_insert(&m, 0x8000, 0x8fff, 0, 0), 0);
	/* A range that would be split: nothing removed. */
	assert_int_equal(range_map_remove(&m, 0x1000, 0x2fff), -ERANGE);
	assert_int_equal(range_map_remove(&m, 0x1800, 0x1fff), -ERANGE);
	assert_int_equal(m.nr, 3);
	/* Unmapped parts are fine; several ranges at once. */
	assert_int_equal(range_map_remove(&m, 0x0, 0x3fff), 2);
	assert_null(range_map_find(&m, 0x1000));
	assert_non_null(range_map_find(&m, 0x8000));
	assert_int_equal(range_map_remove(&m, 0x0, 0x7fff), 0);
	assert_int_equal(range_map_remove(&m, 0, UINT64_MAX), 1);
	assert_int_equal(m.nr, 0);
	range_map_clear(&m);
}

/* Random inserts and removals against a plain page bitmap. */
#define PAGES	512

static void test_random(void **state)
{
	static int owner[PAGES];	/* start page of the range holding a page, or -1 */
	struct range_map m;
	unsigned int i, p, n, k;
	int ret;

	srand(7);
	range_map_init(&m, PAGES);
	for (i = 0; i < PAGES; i++)
		owner[i] = -1;
	for (i = 0; i < 20000; i++) {
		p = (unsigned int)rand() % PAGES;
		n = 1 + (unsigned int)rand() % 8;
		if (p + n > PAGES)
			n = PAGES - p;
		if (rand() & 1) {
			bool free_all = true;

			for (k = p; k < p + n; k++)
				free_all &= owner[k] < 0;
			ret = range_map_insert(&m, p * 4096ULL, (p + n) * 4096ULL - 1, p, 0);
			assert_int_equal(ret, free_all ? 0 : -EEXIST);
			if (!ret)
				for (k = p; k < p + n; k++)
					owner[k] = (int)p;
		} else {
			bool split = (owner[p] >= 0 && owner[p] != (int)p) ||
				     (p + n < PAGES && owner[p + n - 1] >= 0 &&
				      owner[p + n] == owner[p + n - 1]);

			ret = range_map_remove(&m, p * 4096ULL, (p + n) * 4096ULL - 1);
			if (split) {
				assert_int_equal(ret, -ERANGE);
			} else {
				assert_true(ret >= 0);
				for (k = p; k < p + n; k++)
					owner[k] = -1;
			}
		}
		k = (unsigned int)rand() % PAGES;
		if (owner[k] < 0)
			assert_null(range_map_find(&m, k * 4096ULL + 5));
		else
			assert_int_equal(range_map_find(&m, k * 4096ULL + 5)->target, owner[k]);
	}
	range_map_clear(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_find),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("range_map", tests, NULL, NULL);
}
