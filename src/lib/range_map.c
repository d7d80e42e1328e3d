// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <search.h>
#include <stdlib.h>

#include "lib/range_map.h"

/* Overlapping ranges compare equal: stored ones never overlap each other. */
static int range_cmp(const void *a, const void *b)
{
	const struct range_map_entry *x = a, *y = b;

	if (x->last < y->start)
		return -1;
	if (x->start > y->last)
		return 1;
	return 0;
}

void range_map_init(struct range_map *m, unsigned int max)
{
	m->root = NULL;
	m->nr = 0;
	m->max = max;
}

void range_map_clear(struct range_map *m)
{
	tdestroy(m->root, free);
	m->root = NULL;
	m->nr = 0;
}

int range_map_insert(struct range_map *m, uint64_t start, uint64_t last, uint64_t target,
		     uint32_t flags)
{
	struct range_map_entry *e, **slot;

	if (last < start)
		return -EINVAL;
	if (m->nr >= m->max)
		return -ENOSPC;
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	*e = (struct range_map_entry){ start, last, target, flags };
	slot = tsearch(e, &m->root, range_cmp);
	if (!slot) {
		free(e);
		return -ENOMEM;
	}
	if (*slot != e) {
		free(e);
		return -EEXIST;
	}
	m->nr++;
	return 0;
}

static struct range_map_entry *range_map_overlap(const struct range_map *m, uint64_t start,
						 uint64_t last)
{
	const struct range_map_entry key = { .start = start, .last = last };
	struct range_map_entry *const *slot = tfind(&key, &m->root, range_cmp);

	return slot ? *slot : NULL;
}

const struct range_map_entry *range_map_find(const struct range_map *m, uint64_t addr)
{
	return range_map_overlap(m, addr, addr);
}

int range_map_remove(struct range_map *m, uint64_t start, uint64_t last)
{
	struct range_map_entry *e;
	int n = 0;

	if (last < start)
		return -EINVAL;
	/* Only the ranges holding either end can stick out of [start, last]. */
	e = range_map_overlap(m, start, start);
	if (e && e->start < start)
		return -ERANGE;
	e = range_map_overlap(m, last, last);
	if (e && e->last > last)
		return -ERANGE;
	while ((e = range_map_overlap(m, start, last))) {
		tdelete(e, &m->root, range_cmp);
		free(e);
		m->nr--;
		n++;
	}
	return n;
}
