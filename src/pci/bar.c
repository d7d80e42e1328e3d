// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "pci/bar.h"
#include "pci/bridge.h"
#include "pci/msix.h"
#include "pci/pm.h"
#include "pci/sriov.h"

#define PCI_IO_SPACE_END	0xffff		/* x86 port space */
#define PCI_BAR_IO_MAX		256		/* PCI 3.0: per I/O BAR */
#define PCI_BAR_MEM_MIN		16

static unsigned int pci_nr_bars(const struct pci_device *d)
{
	uint8_t ht = pci_config_get8(&d->cfg, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;

	return ht == PCI_HEADER_TYPE_BRIDGE ? 2 : PCI_STD_NUM_BARS;
}

static bool pci_bar_is_io(const struct pci_bar *bar)
{
	return bar->desc.flags & PCI_BASE_ADDRESS_SPACE_IO;
}

static bool pci_bar_is_64(const struct pci_bar *bar)
{
	return !pci_bar_is_io(bar) && (bar->desc.flags & PCI_BASE_ADDRESS_MEM_TYPE_64);
}

/* The upper half of a 64-bit BAR. */
static bool pci_bar_is_upper(const struct pci_device *d, unsigned int i)
{
	return i > 0 && d->bars[i - 1].desc.size && pci_bar_is_64(&d->bars[i - 1]);
}

static bool pci_bar_desc_ok(const struct pci_bar_desc *desc)
{
	uint64_t size = desc->size;

	if (!size || (size & (size - 1)))
		return false;
	if (desc->flags & PCI_BASE_ADDRESS_SPACE_IO)
		return desc->flags == PCI_BASE_ADDRESS_SPACE_IO && size >= 4 &&
		       size <= PCI_BAR_IO_MAX;
	if (desc->flags & ~(PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH))
		return false;
	if (size < PCI_BAR_MEM_MIN)
		return false;
	if (desc->flags & PCI_BASE_ADDRESS_MEM_TYPE_64)
		return size <= 1ULL << 63;
	return size <= 1ULL << 31;
}

int pci_bar_add(struct pci_device *d, unsigned int i, const struct pci_bar_desc *desc)
{
	struct pci_config *c = &d->cfg;
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * i;
	struct pci_bar *bar;
	uint64_t mask;
	bool is64;

	if (i >= pci_nr_bars(d) || !pci_bar_desc_ok(desc))
		return -EINVAL;
	is64 = !(desc->flags & PCI_BASE_ADDRESS_SPACE_IO) &&
	       (desc->flags & PCI_BASE_ADDRESS_MEM_TYPE_64);
	if (is64 && i + 1 >= pci_nr_bars(d))
		return -EINVAL;
	if (d->bars[i].desc.size || pci_bar_is_upper(d, i) || (is64 && d->bars[i + 1].desc.size))
		return -EBUSY;

	bar = &d->bars[i];
	memset(bar, 0, sizeof(*bar));
	bar->desc = *desc;
	bar->dev = d;
	bar->index = i;

	/* Sizing: the address bits below the size are read-only zeros. */
	mask = ~(desc->size - 1);
	pci_config_set32(c, reg, desc->flags);
	if (desc->flags & PCI_BASE_ADDRESS_SPACE_IO) {
		pci_config_set_wmask(c, reg, (uint32_t)mask & PCI_BASE_ADDRESS_IO_MASK, 4);
	} else {
		pci_config_set_wmask(c, reg, (uint32_t)mask & PCI_BASE_ADDRESS_MEM_MASK, 4);
		if (is64) {
			pci_config_set32(c, reg + 4, 0);
			pci_config_set_wmask(c, reg + 4, mask >> 32, 4);
		}
	}
	return 0;
}

uint64_t pci_bar_address(const struct pci_device *d, unsigned int i)
{
	const struct pci_bar *bar = &d->bars[i];
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * i;
	uint32_t lo = pci_config_get32(&d->cfg, reg);

	if (!bar->desc.size)
		return 0;
	if (pci_bar_is_io(bar))
		return lo & PCI_BASE_ADDRESS_IO_MASK;
	if (pci_bar_is_64(bar))
		return (uint64_t)pci_config_get32(&d->cfg, reg + 4) << 32 |
		       (lo & PCI_BASE_ADDRESS_MEM_MASK);
	return lo & PCI_BASE_ADDRESS_MEM_MASK;
}

bool pci_bar_mapped(const struct pci_device *d, unsigned int i, uint64_t *base)
{
	if (i >= PCI_STD_NUM_BARS || !d->bars[i].mapped)
		return false;
	if (base)
		*base = d->bars[i].base;
	return true;
}

/*
 * A range the guest may really mean. Address 0 is "unassigned"; the
 * all-ones sizing pattern of the low dword puts the last byte at
 * 0xffffffff, of the high dword the base at 0xffffffff00000000 and up
 * (beyond any physical address): both are a BAR being sized, not placed.
 */
static bool pci_bar_range_ok(const struct pci_bar *bar, uint64_t base)
{
	uint64_t size = bar->desc.size, last = base + size - 1;

	if (!base || last < base || (base & (size - 1)))
		return false;
	if (pci_bar_is_io(bar))
		return last <= PCI_IO_SPACE_END;
	if (last == 0xffffffffULL)
		return false;
	if (pci_bar_is_64(bar))
		return (base >> 32) != 0xffffffffU;
	return last < 0xffffffffULL;
}

static bool pci_bar_effective(struct pci_device *d, unsigned int i, uint64_t *basep)
{
	struct pci_bar *bar = &d->bars[i];
	bool io = pci_bar_is_io(bar);
	struct pci_bus *bus;
	uint64_t base;

	if (!bar->desc.size || !d->present || !pci_pm_d0(d))
		return false;
	/* A VF's BARs live in its PF's SR-IOV capability, not in its header. */
	if (d->virtfn) {
		if (!pci_sriov_vf_bar_base(d, i, &base))
			return false;
	} else {
		uint16_t cmd = pci_config_get16(&d->cfg, PCI_COMMAND);

		if (!(cmd & (io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY)))
			return false;
		base = pci_bar_address(d, i);
	}
	if (!pci_bar_range_ok(bar, base))
		return false;
	for (bus = d->bus; bus && bus->self; bus = bus->self->bus)
		if (!pci_bridge_forwards(bus->self, io, base, bar->desc.size))
			return false;
	*basep = base;
	return true;
}

/*
 * Every BAR access lands here, [off, off + len) inside the BAR (decode
 * or pci_bar_access() checked it): MSI-X first, then the owner.
 */
static void pci_bar_io(void *opaque, uint64_t off, void *data, unsigned int len, bool is_write)
{
	struct pci_bar *bar = opaque;
	struct pci_device *d = bar->dev;

	if (d->msix && msix_bar_io(d, bar->index, off, data, len, is_write))
		return;
	if (bar->desc.io)
		bar->desc.io(bar->desc.opaque, off, data, len, is_write);
	else if (!is_write)
		memset(data, 0, len);
}

int pci_bar_access(struct pci_device *d, unsigned int i, uint64_t off, void *data,
		   unsigned int len, bool is_write)
{
	struct pci_bar *bar;

	if (i >= PCI_STD_NUM_BARS || pci_bar_is_upper(d, i))
		return -EINVAL;
	bar = &d->bars[i];
	/* Written so that no sum can overflow: off and len come from the guest. */
	if (!bar->desc.size || pci_bar_is_io(bar) || len > bar->desc.size ||
	    off > bar->desc.size - len)
		return -EINVAL;
	pci_bar_io(bar, off, data, len, is_write);
	return 0;
}

static int pci_decode_unmap(struct pci_device *d, unsigned int depth, void *arg)
{
	const struct pci_platform *plat = arg;
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct pci_bar *bar = &d->bars[i];
		uint64_t base;

		if (!bar->mapped)
			continue;
		if (pci_bar_effective(d, i, &base) && base == bar->base)
			continue;
		plat->ops->unmap(plat->opaque, pci_bar_is_io(bar), bar->base, bar);
		bar->mapped = false;
		if (bar->desc.unmapped)
			bar->desc.unmapped(bar->desc.opaque, i, bar->base, bar->desc.size);
	}
	return 0;
}

static int pci_decode_map(struct pci_device *d, unsigned int depth, void *arg)
{
	const struct pci_platform *plat = arg;
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct pci_bar *bar = &d->bars[i];
		uint64_t base;

		if (bar->mapped || !pci_bar_effective(d, i, &base))
			continue;
		/* Refused (an overlap): stays undecoded, tried again next time. */
		if (plat->ops->map(plat->opaque, pci_bar_is_io(bar), base, bar->desc.size,
				   pci_bar_io, bar))
			continue;
		bar->mapped = true;
		bar->base = base;
		if (bar->desc.mapped)
			bar->desc.mapped(bar->desc.opaque, i, base, bar->desc.size);
	}
	return 0;
}

void pci_root_update_decode(struct pci_root *root)
{
	root->decode_dirty = false;
	if (!root->plat)
		return;
	/* Unmaps first, so a BAR moving onto another's old place can map. */
	pci_root_walk(root, pci_decode_unmap, (void *)root->plat);
	pci_root_walk(root, pci_decode_map, (void *)root->plat);
}
