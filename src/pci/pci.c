// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "pci/bridge.h"
#include "pci/cap.h"
#include "pci/msix.h"
#include "pci/pci.h"
#include "pci/pcie.h"

void pci_root_init(struct pci_root *root)
{
	memset(root, 0, sizeof(*root));
	pthread_mutex_init(&root->lock, NULL);
	root->bus0.root = root;
}

static int pci_destroy_one(struct pci_device *d, unsigned int depth, void *arg)
{
	msix_destroy(d);
	return 0;
}

void pci_root_destroy(struct pci_root *root)
{
	pci_root_walk(root, pci_destroy_one, NULL);
	pthread_mutex_destroy(&root->lock);
}

void pci_root_set_platform(struct pci_root *root, const struct pci_platform *plat)
{
	root->plat = plat;
}

void pci_device_init(struct pci_device *d, const struct pci_device_info *info)
{
	struct pci_config *c = &d->cfg;

	memset(d, 0, sizeof(*d));
	pci_config_init(c, info->express ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE);
	d->name = info->name;
	d->ops = info->ops;
	d->priv = info->priv;
	d->present = true;
	d->cap_next = PCI_STD_HEADER_SIZEOF;
	d->ext_cap_next = PCI_CFG_SPACE_SIZE;

	pci_config_set16(c, PCI_VENDOR_ID, info->vendor);
	pci_config_set16(c, PCI_DEVICE_ID, info->device);
	pci_config_set32(c, PCI_CLASS_REVISION, info->class << 8 | info->revision);
	pci_config_set8(c, PCI_HEADER_TYPE, info->header_type & PCI_HEADER_TYPE_MASK);
	if ((info->header_type & PCI_HEADER_TYPE_MASK) == PCI_HEADER_TYPE_NORMAL) {
		pci_config_set16(c, PCI_SUBSYSTEM_VENDOR_ID, info->subsys_vendor);
		pci_config_set16(c, PCI_SUBSYSTEM_ID, info->subsys);
	}
	pci_config_set8(c, PCI_INTERRUPT_PIN, info->irq_pin <= 4 ? info->irq_pin : 0);

	pci_config_set_wmask(c, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			     PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
			     PCI_COMMAND_INTX_DISABLE, 2);
	/* Error bits a device model may set; the guest clears them. */
	pci_config_set_w1cmask(c, PCI_STATUS, PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
			       PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
			       PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY, 2);
	pci_config_set_wmask(c, PCI_CACHE_LINE_SIZE, 0xff, 1);
	pci_config_set_wmask(c, PCI_INTERRUPT_LINE, 0xff, 1);
}

static void pci_bus_set_root(struct pci_bus *bus, struct pci_root *root)
{
	unsigned int i;

	bus->root = root;
	for (i = 0; i < PCI_NR_DEVFN; i++) {
		struct pci_device *d = bus->devs[i];

		if (!d)
			continue;
		d->root = root;
		if (d->secondary)
			pci_bus_set_root(d->secondary, root);
	}
}

/*
 * Function 0 announces other functions with Header Type bit 7. Below a
 * PCIe root or downstream port every devfn can be a function of device 0
 * (ARI), so all of them count; elsewhere the functions of the same slot.
 */
static bool pci_bus_ari_style(const struct pci_bus *bus)
{
	return bus->self && pcie_is_downstream_port(bus->self);
}

static uint8_t pci_mf_head(const struct pci_bus *bus, uint8_t devfn)
{
	return pci_bus_ari_style(bus) ? 0 : PCI_DEVFN(PCI_SLOT(devfn), 0);
}

static void pci_set_multifunction(struct pci_device *d)
{
	uint8_t ht = pci_config_get8(&d->cfg, PCI_HEADER_TYPE) | PCI_HEADER_TYPE_MFD;

	pci_config_set8(&d->cfg, PCI_HEADER_TYPE, ht);
	d->cfg.init[PCI_HEADER_TYPE] |= PCI_HEADER_TYPE_MFD;
}

static void pci_update_multifunction(struct pci_bus *bus, uint8_t devfn)
{
	uint8_t head = pci_mf_head(bus, devfn);
	unsigned int i;

	if (devfn != head) {
		if (bus->devs[head])
			pci_set_multifunction(bus->devs[head]);
		return;
	}
	for (i = 0; i < PCI_NR_DEVFN; i++)
		if (i != head && bus->devs[i] && pci_mf_head(bus, i) == head) {
			pci_set_multifunction(bus->devs[head]);
			return;
		}
}

int pci_bus_attach(struct pci_bus *bus, struct pci_device *d, uint8_t devfn)
{
	if (bus->devs[devfn])
		return -EBUSY;
	d->devfn = devfn;
	d->bus = bus;
	d->root = bus->root;
	bus->devs[devfn] = d;
	if (d->secondary)
		pci_bus_set_root(d->secondary, bus->root);
	/* The values as built are the power-on values. */
	pci_config_save_init(&d->cfg);
	pci_update_multifunction(bus, devfn);
	return 0;
}

/*
 * Routing as bridges do: a request for the root bus is type 0 there; a
 * bridge whose secondary bus number matches turns it into type 0 on its
 * bus; one whose range [secondary, subordinate] holds it passes it on.
 * Nothing claims the rest (all-ones). The tree is finite, so is this.
 */
static struct pci_device *pci_bus_route(struct pci_bus *bus, uint8_t nr, uint8_t devfn)
{
	unsigned int i;

	for (i = 0; i < PCI_NR_DEVFN; i++) {
		struct pci_device *br = bus->devs[i];
		uint8_t sec, sub;

		if (!br || !br->present || !br->secondary)
			continue;
		sec = pci_config_get8(&br->cfg, PCI_SECONDARY_BUS);
		sub = pci_config_get8(&br->cfg, PCI_SUBORDINATE_BUS);
		if (nr == sec) {
			struct pci_device *d;

			if (!pci_bridge_reaches(br, devfn))
				return NULL;
			d = br->secondary->devs[devfn];
			return d && d->present ? d : NULL;
		}
		if (nr > sec && nr <= sub)
			return pci_bus_route(br->secondary, nr, devfn);
	}
	return NULL;
}

struct pci_device *pci_root_route(struct pci_root *root, uint8_t bus, uint8_t devfn)
{
	struct pci_device *d;

	if (bus == root->bus0.number) {
		d = root->bus0.devs[devfn];
		return d && d->present ? d : NULL;
	}
	return pci_bus_route(&root->bus0, bus, devfn);
}

/* The low len bytes of v: a 1- or 2-byte read of nothing is 0xff or 0xffff. */
static uint32_t pci_trim(uint32_t v, unsigned int len)
{
	return len && len < 4 ? v & ((1U << (8 * len)) - 1) : v;
}

static bool pci_access_ok(unsigned int off, unsigned int len)
{
	/* Naturally aligned 1, 2 or 4 byte accesses inside 4 KiB. */
	return (len == 1 || len == 2 || len == 4) && !(off & (len - 1)) &&
	       off + len <= PCI_CFG_SPACE_EXP_SIZE;
}

uint32_t pci_root_config_read(struct pci_root *root, uint8_t bus, uint8_t devfn,
			      unsigned int off, unsigned int len)
{
	const struct pci_cap_entry *e;
	struct pci_device *d;
	uint32_t v = 0xffffffff;

	if (!pci_access_ok(off, len))
		return pci_trim(v, len);
	pthread_mutex_lock(&root->lock);
	d = pci_root_route(root, bus, devfn);
	if (d) {
		e = pci_cap_lookup(d, off);
		if (e && e->hook->pre_read)
			e->hook->pre_read(d, e->start, off, len, e->opaque);
		v = pci_config_read(&d->cfg, off, len);
	}
	pthread_mutex_unlock(&root->lock);
	return pci_trim(v, len);
}

static void pci_device_config_write(struct pci_device *d, unsigned int off, uint32_t val,
				    unsigned int len)
{
	uint32_t old = pci_config_read(&d->cfg, off, len);
	const struct pci_cap_entry *e;

	pci_config_write(&d->cfg, off, val, len);
	if (off < PCI_STD_HEADER_SIZEOF) {
		/*
		 * Command, BARs, bridge bus numbers, windows, Bridge Control: a
		 * header write that changed no byte (read-only fields, a VF's
		 * BARs) changes no decode.
		 */
		if (pci_config_read(&d->cfg, off, len) != old)
			pci_decode_changed(d);
		if (d->secondary)
			pci_bridge_written(d, off, len, old);
	} else {
		e = pci_cap_lookup(d, off);
		if (e && e->hook->written)
			e->hook->written(d, e->start, off, len, old, e->opaque);
	}
}

void pci_root_config_write(struct pci_root *root, uint8_t bus, uint8_t devfn,
			   unsigned int off, uint32_t val, unsigned int len)
{
	struct pci_device *d;

	if (!pci_access_ok(off, len))
		return;
	pthread_mutex_lock(&root->lock);
	d = pci_root_route(root, bus, devfn);
	/* Hooks only mark decode dirty meanwhile; it is updated once, below. */
	root->in_write = true;
	if (d)
		pci_device_config_write(d, off, val, len);
	root->in_write = false;
	if (root->decode_dirty)
		pci_root_update_decode(root);
	pthread_mutex_unlock(&root->lock);
}

int pci_bus_walk(struct pci_bus *bus, unsigned int depth, pci_walk_fn fn, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < PCI_NR_DEVFN; i++) {
		struct pci_device *d = bus->devs[i];

		if (!d)
			continue;
		ret = fn(d, depth, arg);
		if (ret)
			return ret;
		if (d->secondary) {
			ret = pci_bus_walk(d->secondary, depth + 1, fn, arg);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int pci_root_walk(struct pci_root *root, pci_walk_fn fn, void *arg)
{
	return pci_bus_walk(&root->bus0, 0, fn, arg);
}

/*
 * Decode must follow d: now, or at the end of the config write in
 * progress (enabling 255 VFs is one decode pass, not 255).
 */
static void pci_decode_sync(struct pci_device *d)
{
	pci_decode_changed(d);
	if (d->root && !d->root->in_write)
		pci_root_update_decode(d->root);
}

void pci_function_reset(struct pci_device *d)
{
	unsigned int i;

	if (d->msix)
		msix_reset(d);
	pci_config_restore_init(&d->cfg);
	for (i = 0; i < d->nr_caps; i++) {
		const struct pci_cap_entry *e = &d->caps[i];

		if (e->hook->reset)
			e->hook->reset(d, e->start, e->opaque);
	}
	pci_decode_sync(d);
}

void pci_device_reset(struct pci_device *d)
{
	if (d->ops && d->ops->reset)
		d->ops->reset(d);
	else
		pci_function_reset(d);
}

void pci_device_set_present(struct pci_device *d, bool present)
{
	if (d->present == present)
		return;
	if (!present)
		pci_device_reset(d);
	else
		__atomic_add_fetch(&d->present_gen, 1, __ATOMIC_RELEASE);
	d->present = present;
	pci_decode_sync(d);
}

uint16_t pci_device_rid(const struct pci_device *d)
{
	const struct pci_bus *bus = d->bus;
	uint8_t nr;

	if (!bus)
		return 0;
	nr = bus->self ? pci_config_get8(&bus->self->cfg, PCI_SECONDARY_BUS) : bus->number;
	return (uint16_t)(nr << 8 | d->devfn);
}
