/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address-range dispatch for port I/O and MMIO exits. A device registers
 * [base, base + size) with a handler that sees offsets into its range.
 * Lookups are a binary search over sorted, non-overlapping ranges.
 */
#ifndef SRIOVM_BUS_BUS_H
#define SRIOVM_BUS_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*bus_io_fn)(void *opaque, uint64_t offset, void *data, unsigned int len,
			  bool is_write);

struct bus_range {
	uint64_t base;
	uint64_t size;
	bus_io_fn fn;
	void *opaque;
};

struct bus {
	pthread_rwlock_t lock;
	struct bus_range *ranges;
	unsigned int nr, cap;
};

void bus_init(struct bus *bus);
void bus_destroy(struct bus *bus);
/* -EBUSY if the range overlaps a registered one, -EINVAL if empty or wrapping. */
int bus_register(struct bus *bus, uint64_t base, uint64_t size, bus_io_fn fn, void *opaque);
/* Removes the range that starts at base and belongs to opaque; -ENOENT if none. */
int bus_unregister(struct bus *bus, uint64_t base, void *opaque);
/*
 * Dispatches an access that lies wholly inside one range. Returns false if
 * nothing claims it; the caller then reads all-ones and drops writes, as an
 * unclaimed PCI/ISA cycle does.
 */
bool bus_access(struct bus *bus, uint64_t addr, void *data, unsigned int len, bool is_write);

#endif
