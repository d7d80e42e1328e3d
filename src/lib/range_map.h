/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A map of disjoint address ranges [start, last] to a value each (an
 * IOMMU domain's mappings: IOVA range -> guest-physical address and
 * permissions). Lookups, inserts and removals are O(log n): a balanced
 * tree (glibc's tsearch, a red-black tree) ordered by range, in which a
 * range that overlaps a stored one compares equal to it. The number of
 * ranges is bounded, so that a guest cannot make it grow without limit.
 *
 * Not locked: the owner serialises changes, and lookups may run
 * concurrently with each other (tfind does not change the tree) but not
 * with a change.
 */
#ifndef SRIOVM_LIB_RANGE_MAP_H
#define SRIOVM_LIB_RANGE_MAP_H

#include <stdbool.h>
#include <stdint.h>

struct range_map_entry {
	uint64_t start, last;	/* inclusive */
	uint64_t target;	/* what start maps to; start + k maps to target + k */
	uint32_t flags;
};

struct range_map {
	void *root;		/* tsearch's */
	unsigned int nr, max;
};

void range_map_init(struct range_map *m, unsigned int max);
/* Removes every range. */
void range_map_clear(struct range_map *m);

/*
 * Adds [start, last] -> target. -EINVAL if last < start, -EEXIST if it
 * overlaps a range in the map, -ENOSPC if the map holds max already,
 * -ENOMEM.
 */
int range_map_insert(struct range_map *m, uint64_t start, uint64_t last, uint64_t target,
		     uint32_t flags);
/* The range holding addr, or NULL. */
const struct range_map_entry *range_map_find(const struct range_map *m, uint64_t addr);
/*
 * Removes every range inside [start, last] and returns how many, or
 * -ERANGE, removing nothing, if a range crosses start or last (removing
 * it would split it).
 */
int range_map_remove(struct range_map *m, uint64_t start, uint64_t last);

#endif
