/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pci_platform over plain memory, for unit tests and fuzz targets: map()
 * keeps the decoded ranges (refusing overlaps as the bus does) and MSI
 * routes are real eventfds, so tests can count interrupts. Everything it
 * sees wrong (an unmap of nothing, a route freed twice) is counted in
 * errors, which tests assert to be zero.
 */
#ifndef SRIOVM_TESTS_PCI_FAKE_H
#define SRIOVM_TESTS_PCI_FAKE_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "pci/platform.h"

#define FAKE_MAX_RANGES	64
#define FAKE_MAX_ROUTES	64

struct fake_range {
	bool io;
	uint64_t base, size;
	bus_io_fn fn;
	void *opaque;
};

struct fake_route {
	bool used, set;
	int fd;
	uint64_t addr;
	uint32_t data;
};

struct fake_plat {
	struct pci_platform plat;
	unsigned int nr;
	struct fake_range ranges[FAKE_MAX_RANGES];
	unsigned int maps, unmaps, refused;
	struct fake_route routes[FAKE_MAX_ROUTES];
	unsigned int allocs, frees, sets;
	bool fail_alloc;
	unsigned int errors;
};

static inline int fake_map(void *opaque, bool io, uint64_t base, uint64_t size, bus_io_fn fn,
			   void *dev)
{
	struct fake_plat *f = opaque;
	uint64_t last = base + size - 1;
	unsigned int i;

	if (!size || last < base) {
		f->errors++;
		return -EINVAL;
	}
	for (i = 0; i < f->nr; i++) {
		const struct fake_range *r = &f->ranges[i];

		if (r->io == io && base <= r->base + (r->size - 1) && r->base <= last) {
			f->refused++;
			return -EBUSY;
		}
	}
	if (f->nr == FAKE_MAX_RANGES) {
		f->errors++;
		return -ENOMEM;
	}
	f->ranges[f->nr++] = (struct fake_range){ io, base, size, fn, dev };
	f->maps++;
	return 0;
}

static inline void fake_unmap(void *opaque, bool io, uint64_t base, void *dev)
{
	struct fake_plat *f = opaque;
	unsigned int i;

	for (i = 0; i < f->nr; i++) {
		if (f->ranges[i].io == io && f->ranges[i].base == base &&
		    f->ranges[i].opaque == dev) {
			f->ranges[i] = f->ranges[--f->nr];
			f->unmaps++;
			return;
		}
	}
	f->errors++;
}

static inline int fake_ioeventfd(void *opaque, uint64_t addr, unsigned int len, int fd,
				 bool assign)
{
	return 0;
}

static inline int fake_msi_alloc(void *opaque, int *fd)
{
	struct fake_plat *f = opaque;
	unsigned int i;

	if (f->fail_alloc)
		return -ENOSPC;
	for (i = 0; i < FAKE_MAX_ROUTES; i++) {
		struct fake_route *r = &f->routes[i];

		if (r->used)
			continue;
		r->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (r->fd < 0)
			return -errno;
		r->used = true;
		r->set = false;
		*fd = r->fd;
		f->allocs++;
		return i;
	}
	return -ENOSPC;
}

static inline int fake_msi_set(void *opaque, int route, uint64_t addr, uint32_t data)
{
	struct fake_plat *f = opaque;
	struct fake_route *r;

	if (route < 0 || route >= FAKE_MAX_ROUTES || !f->routes[route].used) {
		f->errors++;
		return -EINVAL;
	}
	r = &f->routes[route];
	r->set = true;
	r->addr = addr;
	r->data = data;
	f->sets++;
	return 0;
}

static inline void fake_msi_free(void *opaque, int route)
{
	struct fake_plat *f = opaque;

	if (route < 0 || route >= FAKE_MAX_ROUTES || !f->routes[route].used) {
		f->errors++;
		return;
	}
	close(f->routes[route].fd);
	f->routes[route].used = false;
	f->frees++;
}

static const struct pci_platform_ops fake_plat_ops = {
	.map = fake_map,
	.unmap = fake_unmap,
	.ioeventfd = fake_ioeventfd,
	.msi_alloc = fake_msi_alloc,
	.msi_set = fake_msi_set,
	.msi_free = fake_msi_free,
};

static inline void fake_plat_init(struct fake_plat *f)
{
	memset(f, 0, sizeof(*f));
	f->plat.ops = &fake_plat_ops;
	f->plat.opaque = f;
}

/* Closes the eventfds of routes still allocated. */
static inline void fake_plat_fini(struct fake_plat *f)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_ROUTES; i++)
		if (f->routes[i].used)
			close(f->routes[i].fd);
}

static inline struct fake_range *fake_find(struct fake_plat *f, bool io, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++) {
		struct fake_range *r = &f->ranges[i];

		if (r->io == io && addr >= r->base && addr - r->base < r->size)
			return r;
	}
	return NULL;
}

/* A guest access as the bus would dispatch it; false if nothing decodes addr. */
static inline bool fake_access(struct fake_plat *f, bool io, uint64_t addr, void *data,
			       unsigned int len, bool is_write)
{
	struct fake_range *r = fake_find(f, io, addr);

	if (!r || len - 1 > r->size - 1 - (addr - r->base))
		return false;
	r->fn(r->opaque, addr - r->base, data, len, is_write);
	return true;
}

static inline uint32_t fake_read32(struct fake_plat *f, uint64_t addr)
{
	uint32_t v = 0xffffffff;

	fake_access(f, false, addr, &v, 4, false);
	return v;
}

static inline void fake_write32(struct fake_plat *f, uint64_t addr, uint32_t v)
{
	fake_access(f, false, addr, &v, 4, true);
}

/* How many times the route's eventfd was signalled since the last call. */
static inline uint64_t fake_msi_count(struct fake_plat *f, int route)
{
	uint64_t n = 0;

	if (route < 0 || route >= FAKE_MAX_ROUTES || !f->routes[route].used)
		return 0;
	if (read(f->routes[route].fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

#endif
