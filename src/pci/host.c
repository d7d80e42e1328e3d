// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "pci/host.h"

#define CF8_ENABLE		0x80000000U

void pci_host_bridge_init(struct pci_device *d)
{
	struct pci_config *c = &d->cfg;

	memset(d, 0, sizeof(*d));
	pci_config_init(c, PCI_CFG_SPACE_SIZE);
	d->name = "host bridge";
	pci_config_set16(c, PCI_VENDOR_ID, PCI_HOST_VENDOR);
	pci_config_set16(c, PCI_DEVICE_ID, PCI_HOST_DEVICE);
	pci_config_set16(c, PCI_CLASS_DEVICE, PCI_CLASS_BRIDGE_HOST);
	pci_config_set8(c, PCI_HEADER_TYPE, PCI_HEADER_TYPE_NORMAL);
	pci_config_set16(c, PCI_SUBSYSTEM_VENDOR_ID, PCI_HOST_VENDOR);
	pci_config_set16(c, PCI_SUBSYSTEM_ID, 0x1100);	/* QEMU's value: a VM */
	/* Memory and bus-master enables are writable but change nothing. */
	pci_config_set_wmask(c, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			     PCI_COMMAND_MASTER, 2);
	pci_config_set_wmask(c, PCI_CACHE_LINE_SIZE, 0xff, 1);
	pci_config_set_wmask(c, PCI_LATENCY_TIMER, 0xff, 1);
}

static uint32_t load_le(const void *data, unsigned int len)
{
	const uint8_t *p = data;
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < len && i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void store_le(void *data, unsigned int len, uint32_t v)
{
	uint8_t *p = data;
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = i < 4 ? v >> (8 * i) : 0xff;
}

void pci_host_cf8_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write)
{
	struct pci_root *root = opaque;
	uint32_t addr;

	if (offset < 4) {
		/* CONFIG_ADDRESS only latches whole-dword accesses. */
		if (offset != 0 || len != 4) {
			if (!is_write)
				store_le(data, len, 0xffffffff);
			return;
		}
		pthread_mutex_lock(&root->lock);
		if (is_write)
			root->cf8 = load_le(data, 4) & 0x80fffffcU;
		else
			store_le(data, 4, root->cf8);
		pthread_mutex_unlock(&root->lock);
		return;
	}

	pthread_mutex_lock(&root->lock);
	addr = root->cf8;
	pthread_mutex_unlock(&root->lock);
	if (!(addr & CF8_ENABLE) || offset + len > PCI_HOST_NR_PORTS) {
		if (!is_write)
			store_le(data, len, 0xffffffff);
		return;
	}
	/* Byte lanes: CFC+n reaches register (CF8 & 0xfc) + n. */
	if (is_write)
		pci_root_config_write(root, addr >> 16 & 0xff, addr >> 8 & 0xff,
				      (addr & 0xfc) + (offset - 4), load_le(data, len), len);
	else
		store_le(data, len, pci_root_config_read(root, addr >> 16 & 0xff, addr >> 8 & 0xff,
							 (addr & 0xfc) + (offset - 4), len));
}

void pci_host_ecam_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write)
{
	struct pci_root *root = opaque;
	uint8_t bus = offset >> 20 & 0xff, devfn = offset >> 12 & 0xff;
	unsigned int reg = offset & 0xfff;

	if (len > 4) {
		/* 8-byte ECAM accesses are not defined; treat as unclaimed. */
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write)
		pci_root_config_write(root, bus, devfn, reg, load_le(data, len), len);
	else
		store_le(data, len, pci_root_config_read(root, bus, devfn, reg, len));
}
