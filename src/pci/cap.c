// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "pci/cap.h"

#define ALIGN4(x)	(((x) + 3U) & ~3U)

/* Keeps caps[] sorted by offset; lookups are by range. */
static int pci_cap_hook_add(struct pci_device *d, unsigned int off, unsigned int size,
			    const struct pci_cap_hook *hook, void *opaque)
{
	unsigned int i;

	if (!hook)
		return 0;
	if (d->nr_caps == PCI_MAX_CAPS)
		return -ENOSPC;
	for (i = d->nr_caps; i > 0 && d->caps[i - 1].start > off; i--)
		d->caps[i] = d->caps[i - 1];
	d->caps[i] = (struct pci_cap_entry){ off, off + size, hook, opaque };
	d->nr_caps++;
	return 0;
}

int pci_cap_add(struct pci_device *d, uint8_t id, unsigned int size,
		const struct pci_cap_hook *hook, void *opaque)
{
	struct pci_config *c = &d->cfg;
	unsigned int off = ALIGN4(d->cap_next);
	int ret;

	size = ALIGN4(size);
	if (size < PCI_CAP_SIZEOF || size > PCI_CFG_SPACE_SIZE ||
	    off + size > PCI_CFG_SPACE_SIZE)
		return -ENOSPC;
	ret = pci_cap_hook_add(d, off, size, hook, opaque);
	if (ret)
		return ret;
	pci_config_set8(c, off + PCI_CAP_LIST_ID, id);
	pci_config_set8(c, off + PCI_CAP_LIST_NEXT, 0);
	pci_config_set8(c, d->cap_last ? d->cap_last + PCI_CAP_LIST_NEXT : PCI_CAPABILITY_LIST,
			off);
	pci_config_set16(c, PCI_STATUS, pci_config_get16(c, PCI_STATUS) | PCI_STATUS_CAP_LIST);
	d->cap_last = off;
	d->cap_next = off + size;
	return off;
}

int pci_ext_cap_add(struct pci_device *d, uint16_t id, uint8_t version, unsigned int size,
		    const struct pci_cap_hook *hook, void *opaque)
{
	struct pci_config *c = &d->cfg;
	unsigned int off = ALIGN4(d->ext_cap_next);
	int ret;

	if (c->size != PCI_CFG_SPACE_EXP_SIZE)
		return -EINVAL;
	size = ALIGN4(size);
	if (size < 4 || size > PCI_CFG_SPACE_EXP_SIZE || off + size > PCI_CFG_SPACE_EXP_SIZE)
		return -ENOSPC;
	ret = pci_cap_hook_add(d, off, size, hook, opaque);
	if (ret)
		return ret;
	pci_config_set32(c, off, id | (uint32_t)(version & 0xf) << 16);
	if (d->ext_cap_last)
		pci_config_set32(c, d->ext_cap_last,
				 pci_config_get32(c, d->ext_cap_last) | (uint32_t)off << 20);
	d->ext_cap_last = off;
	d->ext_cap_next = off + size;
	return off;
}

unsigned int pci_cap_find(const struct pci_device *d, uint8_t id)
{
	const struct pci_config *c = &d->cfg;
	unsigned int off, n;

	if (!(pci_config_get16(c, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	off = pci_config_get8(c, PCI_CAPABILITY_LIST) & ~3U;
	/* At most 48 dword-aligned capabilities fit between 0x40 and 0x100. */
	for (n = 0; off >= PCI_STD_HEADER_SIZEOF && n < 48; n++) {
		if (pci_config_get8(c, off + PCI_CAP_LIST_ID) == id)
			return off;
		off = pci_config_get8(c, off + PCI_CAP_LIST_NEXT) & ~3U;
	}
	return 0;
}

unsigned int pci_ext_cap_find(const struct pci_device *d, uint16_t id)
{
	const struct pci_config *c = &d->cfg;
	unsigned int off = PCI_CFG_SPACE_SIZE, n;

	if (c->size != PCI_CFG_SPACE_EXP_SIZE)
		return 0;
	for (n = 0; off >= PCI_CFG_SPACE_SIZE && n < (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 4;
	     n++) {
		uint32_t h = pci_config_get32(c, off);

		if (!h)
			return 0;
		if (PCI_EXT_CAP_ID(h) == id)
			return off;
		off = PCI_EXT_CAP_NEXT(h);
	}
	return 0;
}

const struct pci_cap_entry *pci_cap_lookup(const struct pci_device *d, unsigned int off)
{
	unsigned int lo = 0, hi = d->nr_caps;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct pci_cap_entry *e = &d->caps[mid];

		if (off < e->start)
			hi = mid;
		else if (off >= e->end)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}
