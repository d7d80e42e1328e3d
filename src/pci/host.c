// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "lib/le.h"
#include "pci/host.h"

#define CF8_ENABLE		0x80000000U

void pci_host_bridge_init(struct pci_device *d)
{
	const struct pci_device_info info = {
		.name = "host bridge",
		.vendor = PCI_HOST_VENDOR,
		.device = PCI_HOST_DEVICE,
		.subsys_vendor = PCI_HOST_VENDOR,
		.subsys = PCI_SUBDEVICE_ID_QEMU,	/* QEMU's value: a VM */
		.class = PCI_CLASS_BRIDGE_HOST << 8,
		.header_type = PCI_HEADER_TYPE_NORMAL,
	};
	struct pci_config *c = &d->cfg;

	pci_device_init(d, &info);
	/* Memory and bus-master enables are writable but change nothing. */
	pci_config_set_wmask(c, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			     PCI_COMMAND_MASTER, 2);
	pci_config_set_wmask(c, PCI_LATENCY_TIMER, 0xff, 1);
	/* Nothing sets its error bits, and it has no interrupt. */
	pci_config_set_w1cmask(c, PCI_STATUS, 0, 2);
	pci_config_set_wmask(c, PCI_INTERRUPT_LINE, 0, 1);
}

void pci_host_cf8_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write)
{
	struct pci_root *root = opaque;
	uint32_t addr;

	if (offset < 4) {
		/* CONFIG_ADDRESS only latches whole-dword accesses. */
		if (offset != 0 || len != 4) {
			if (!is_write)
				le_store(data, len, ~0ULL);
			return;
		}
		pthread_mutex_lock(&root->lock);
		if (is_write)
			root->cf8 = (uint32_t)le_load(data, 4) & 0x80fffffcU;
		else
			le_store(data, 4, root->cf8);
		pthread_mutex_unlock(&root->lock);
		return;
	}

	pthread_mutex_lock(&root->lock);
	addr = root->cf8;
	pthread_mutex_unlock(&root->lock);
	if (!(addr & CF8_ENABLE) || offset + len > PCI_HOST_NR_PORTS) {
		if (!is_write)
			le_store(data, len, ~0ULL);
		return;
	}
	/* Byte lanes: CFC+n reaches register (CF8 & 0xfc) + n. */
	if (is_write)
		pci_root_config_write(root, addr >> 16 & 0xff, addr >> 8 & 0xff,
				      (addr & 0xfc) + (offset - 4), (uint32_t)le_load(data, len), len);
	else
		le_store(data, len, pci_root_config_read(root, addr >> 16 & 0xff, addr >> 8 & 0xff,
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
		pci_root_config_write(root, bus, devfn, reg, (uint32_t)le_load(data, len), len);
	else
		le_store(data, len, pci_root_config_read(root, bus, devfn, reg, len));
}
