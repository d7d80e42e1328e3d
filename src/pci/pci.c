// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "pci/pci.h"

void pci_root_init(struct pci_root *root)
{
	memset(root, 0, sizeof(*root));
	pthread_mutex_init(&root->lock, NULL);
}

void pci_root_destroy(struct pci_root *root)
{
	pthread_mutex_destroy(&root->lock);
}

int pci_bus_attach(struct pci_bus *bus, struct pci_device *d, uint8_t devfn)
{
	if (bus->devs[devfn])
		return -EBUSY;
	d->devfn = devfn;
	d->bus = bus;
	bus->devs[devfn] = d;
	return 0;
}

static struct pci_device *pci_root_find(struct pci_root *root, uint8_t bus, uint8_t devfn)
{
	if (bus != root->bus0.number)
		return NULL;
	return root->bus0.devs[devfn];
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
	struct pci_device *d;
	uint32_t v = 0xffffffff;

	if (!pci_access_ok(off, len))
		return v;
	pthread_mutex_lock(&root->lock);
	d = pci_root_find(root, bus, devfn);
	if (d)
		v = pci_config_read(&d->cfg, off, len);
	pthread_mutex_unlock(&root->lock);
	return v;
}

void pci_root_config_write(struct pci_root *root, uint8_t bus, uint8_t devfn,
			   unsigned int off, uint32_t val, unsigned int len)
{
	struct pci_device *d;

	if (!pci_access_ok(off, len))
		return;
	pthread_mutex_lock(&root->lock);
	d = pci_root_find(root, bus, devfn);
	if (d) {
		pci_config_write(&d->cfg, off, val, len);
		if (d->ops && d->ops->config_written)
			d->ops->config_written(d, off, val, len);
	}
	pthread_mutex_unlock(&root->lock);
}
