// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "pci/cap.h"
#include "pci/msix.h"

#define MSIX_ENTRY_DWORDS	(PCI_MSIX_ENTRY_SIZE / 4)

struct msix_route {
	int route;		/* -1: none allocated */
	int fd;
	bool set;		/* msi_set() done with addr/data */
	uint64_t addr;
	uint32_t data;
};

struct msix {
	pthread_mutex_t lock;	/* everything below; inside root->lock */
	struct pci_device *dev;
	unsigned int cap, nr;
	unsigned int table_bar, pba_bar;
	uint32_t table_off, pba_off;
	bool enabled, fmask;	/* Message Control, as last written */
	uint32_t *table;	/* nr entries of 4 dwords */
	uint64_t *pba;
	struct msix_route *routes;
};

static unsigned int msix_pba_size(unsigned int nr)
{
	return (nr + 63) / 64 * 8;
}

static const struct pci_platform *msix_plat(const struct msix *m)
{
	return m->dev->root ? m->dev->root->plat : NULL;
}

static bool msix_masked(const struct msix *m, unsigned int v)
{
	return m->fmask || (m->table[v * MSIX_ENTRY_DWORDS + 3] & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static bool msix_pending(const struct msix *m, unsigned int v)
{
	return m->pba[v / 64] >> (v % 64) & 1;
}

static void msix_set_pending(struct msix *m, unsigned int v, bool on)
{
	if (on)
		m->pba[v / 64] |= 1ULL << (v % 64);
	else
		m->pba[v / 64] &= ~(1ULL << (v % 64));
}

static void msix_route_free(struct msix *m, unsigned int v)
{
	const struct pci_platform *plat = msix_plat(m);
	struct msix_route *r = &m->routes[v];

	if (r->route >= 0 && plat)
		plat->ops->msi_free(plat->opaque, r->route);
	r->route = -1;
	r->fd = -1;
	r->set = false;
}

/* A route carrying vector v's current message, allocated on first need. */
static bool msix_route_sync(struct msix *m, unsigned int v)
{
	const struct pci_platform *plat = msix_plat(m);
	const uint32_t *e = &m->table[v * MSIX_ENTRY_DWORDS];
	struct msix_route *r = &m->routes[v];
	uint64_t addr = (uint64_t)e[1] << 32 | e[0];
	uint32_t data = e[2];

	if (!plat)
		return false;
	if (r->route < 0) {
		int fd = -1, route = plat->ops->msi_alloc(plat->opaque, &fd);

		if (route < 0)
			return false;
		r->route = route;
		r->fd = fd;
		r->set = false;
	}
	if (!r->set || r->addr != addr || r->data != data) {
		r->set = false;
		if (plat->ops->msi_set(plat->opaque, r->route, addr, data))
			return false;
		r->set = true;
		r->addr = addr;
		r->data = data;
	}
	return true;
}

/* Sends vector v (deliverable); one that cannot go now stays pending. */
static void msix_fire(struct msix *m, unsigned int v)
{
	if (!msix_route_sync(m, v)) {
		msix_set_pending(m, v, true);
		return;
	}
	/* A full counter has an interrupt on its way already. */
	eventfd_write(m->routes[v].fd, 1);
}

/* After a change that may unmask vector v or change its message. */
static void msix_vector_update(struct msix *m, unsigned int v)
{
	if (!m->enabled || msix_masked(m, v))
		return;
	if (msix_pending(m, v)) {
		msix_set_pending(m, v, false);
		msix_fire(m, v);
	} else {
		msix_route_sync(m, v);
	}
}

static void msix_control_update(struct msix *m, bool enabled, bool fmask)
{
	bool was = m->enabled;
	unsigned int v;

	m->enabled = enabled;
	m->fmask = fmask;
	if (!enabled) {
		if (was) {
			for (v = 0; v < m->nr; v++)
				msix_route_free(m, v);
			memset(m->pba, 0, msix_pba_size(m->nr));
		}
		return;
	}
	for (v = 0; v < m->nr; v++)
		msix_vector_update(m, v);
}

static void msix_written(struct pci_device *d, unsigned int cap, unsigned int off,
			 unsigned int len, uint32_t old, void *opaque)
{
	struct msix *m = opaque;
	uint16_t ctl = pci_config_get16(&d->cfg, cap + PCI_MSIX_FLAGS);

	if (!pci_write_covers(off, len, cap + PCI_MSIX_FLAGS + 1))
		return;
	pthread_mutex_lock(&m->lock);
	msix_control_update(m, ctl & PCI_MSIX_FLAGS_ENABLE, ctl & PCI_MSIX_FLAGS_MASKALL);
	pthread_mutex_unlock(&m->lock);
}

static const struct pci_cap_hook msix_hook = {
	.written = msix_written,
};

static bool msix_bar_ok(const struct pci_device *d, unsigned int bar, uint64_t off,
			uint64_t size)
{
	const struct pci_bar_desc *desc;

	if (bar >= PCI_STD_NUM_BARS)
		return false;
	desc = &d->bars[bar].desc;
	return desc->size && !(desc->flags & PCI_BASE_ADDRESS_SPACE_IO) && !(off & 7) &&
	       off <= desc->size && size <= desc->size - off;
}

static void msix_free(struct msix *m)
{
	if (!m)
		return;
	free(m->table);
	free(m->pba);
	free(m->routes);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

int msix_add(struct pci_device *d, unsigned int nr, unsigned int table_bar, uint32_t table_off,
	     unsigned int pba_bar, uint32_t pba_off)
{
	uint64_t tsize = (uint64_t)nr * PCI_MSIX_ENTRY_SIZE, psize = msix_pba_size(nr);
	struct pci_config *c = &d->cfg;
	struct msix *m;
	unsigned int v;
	int off;

	if (d->msix)
		return -EBUSY;
	if (!nr || nr > MSIX_MAX_VECTORS || !msix_bar_ok(d, table_bar, table_off, tsize) ||
	    !msix_bar_ok(d, pba_bar, pba_off, psize))
		return -EINVAL;
	if (table_bar == pba_bar && table_off < pba_off + psize && pba_off < table_off + tsize)
		return -EINVAL;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	m->table = calloc(nr, PCI_MSIX_ENTRY_SIZE);
	m->pba = calloc(1, psize);
	m->routes = calloc(nr, sizeof(*m->routes));
	if (!m->table || !m->pba || !m->routes) {
		msix_free(m);
		return -ENOMEM;
	}
	off = pci_cap_add(d, PCI_CAP_ID_MSIX, PCI_CAP_MSIX_SIZEOF, &msix_hook, m);
	if (off < 0) {
		msix_free(m);
		return off;
	}
	m->dev = d;
	m->cap = off;
	m->nr = nr;
	m->table_bar = table_bar;
	m->table_off = table_off;
	m->pba_bar = pba_bar;
	m->pba_off = pba_off;
	for (v = 0; v < nr; v++) {
		m->table[v * MSIX_ENTRY_DWORDS + 3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
		m->routes[v].route = -1;
		m->routes[v].fd = -1;
	}
	pci_config_set16(c, off + PCI_MSIX_FLAGS, nr - 1);
	pci_config_set_wmask(c, off + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE |
			     PCI_MSIX_FLAGS_MASKALL, 2);
	pci_config_set32(c, off + PCI_MSIX_TABLE, table_off | table_bar);
	pci_config_set32(c, off + PCI_MSIX_PBA, pba_off | pba_bar);
	d->msix = m;
	return off;
}

int msix_notify(struct pci_device *d, unsigned int vector)
{
	struct msix *m = d->msix;

	if (!m || vector >= m->nr)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (m->enabled) {
		if (msix_masked(m, vector))
			msix_set_pending(m, vector, true);
		else
			msix_fire(m, vector);
	}
	pthread_mutex_unlock(&m->lock);
	return 0;
}

bool msix_enabled(struct pci_device *d)
{
	struct msix *m = d->msix;
	bool on;

	if (!m)
		return false;
	pthread_mutex_lock(&m->lock);
	on = m->enabled;
	pthread_mutex_unlock(&m->lock);
	return on;
}

unsigned int msix_nr_vectors(const struct pci_device *d)
{
	return d->msix ? d->msix->nr : 0;
}

static uint32_t msix_table_read(const struct msix *m, uint64_t off)
{
	return m->table[off / 4];
}

static void msix_table_write(struct msix *m, uint64_t off, uint32_t val)
{
	unsigned int v = off / PCI_MSIX_ENTRY_SIZE;

	switch (off % PCI_MSIX_ENTRY_SIZE) {
	case PCI_MSIX_ENTRY_LOWER_ADDR:
		val &= ~3U;	/* a dword address */
		break;
	case PCI_MSIX_ENTRY_VECTOR_CTRL:
		val &= PCI_MSIX_ENTRY_CTRL_MASKBIT;	/* the rest is reserved */
		break;
	}
	m->table[off / 4] = val;
	msix_vector_update(m, v);
}

static uint32_t msix_pba_read(const struct msix *m, uint64_t off)
{
	return m->pba[off / 8] >> (off % 8 * 8);
}

static uint32_t msix_load_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void msix_store_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

bool msix_bar_io(struct pci_device *d, unsigned int bar, uint64_t off, void *data,
		 unsigned int len, bool is_write)
{
	struct msix *m = d->msix;
	uint64_t tsize, base;
	bool table;
	unsigned int i;

	if (!m)
		return false;
	tsize = (uint64_t)m->nr * PCI_MSIX_ENTRY_SIZE;
	if (bar == m->table_bar && off >= m->table_off && off - m->table_off < tsize) {
		table = true;
		base = m->table_off;
	} else if (bar == m->pba_bar && off >= m->pba_off &&
		   off - m->pba_off < msix_pba_size(m->nr)) {
		table = false;
		base = m->pba_off;
	} else {
		return false;
	}
	/* Only aligned dwords and qwords are defined. */
	if ((len != 4 && len != 8) || (off & (len - 1))) {
		if (!is_write)
			memset(data, 0xff, len);
		return true;
	}
	off -= base;
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < len; i += 4) {
		uint8_t *p = (uint8_t *)data + i;

		if (table && is_write)
			msix_table_write(m, off + i, msix_load_le32(p));
		else if (table)
			msix_store_le32(p, msix_table_read(m, off + i));
		else if (!is_write)	/* the PBA is read-only */
			msix_store_le32(p, msix_pba_read(m, off + i));
	}
	pthread_mutex_unlock(&m->lock);
	return true;
}

void msix_reset(struct pci_device *d)
{
	struct msix *m = d->msix;
	unsigned int v;

	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	for (v = 0; v < m->nr; v++)
		msix_route_free(m, v);
	m->enabled = false;
	m->fmask = false;
	memset(m->table, 0, (size_t)m->nr * PCI_MSIX_ENTRY_SIZE);
	for (v = 0; v < m->nr; v++)
		m->table[v * MSIX_ENTRY_DWORDS + 3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
	memset(m->pba, 0, msix_pba_size(m->nr));
	pthread_mutex_unlock(&m->lock);
}

void msix_destroy(struct pci_device *d)
{
	struct msix *m = d->msix;
	unsigned int v;

	if (!m)
		return;
	for (v = 0; v < m->nr; v++)
		msix_route_free(m, v);
	d->msix = NULL;
	msix_free(m);
}
