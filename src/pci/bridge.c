// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "pci/bridge.h"
#include "pci/pcie.h"
#include "pci/pm.h"

void pci_bridge_init(struct pci_device *d, struct pci_bus *secondary)
{
	struct pci_config *c = &d->cfg;

	memset(secondary, 0, sizeof(*secondary));
	secondary->self = d;
	d->secondary = secondary;

	/* Linux numbers the buses itself: there is no firmware. */
	pci_config_set_wmask(c, PCI_PRIMARY_BUS, 0xffffff, 3);
	/* I/O: a 16-bit window in 4 KiB units; the upper-16 registers read 0. */
	pci_config_set8(c, PCI_IO_BASE, PCI_IO_RANGE_TYPE_16);
	pci_config_set8(c, PCI_IO_LIMIT, PCI_IO_RANGE_TYPE_16);
	pci_config_set_wmask(c, PCI_IO_BASE, PCI_IO_RANGE_MASK & 0xff, 1);
	pci_config_set_wmask(c, PCI_IO_LIMIT, PCI_IO_RANGE_MASK & 0xff, 1);
	pci_config_set_w1cmask(c, PCI_SEC_STATUS, PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
			       PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
			       PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY, 2);
	/* Memory in 1 MiB units; prefetchable memory 64-bit. */
	pci_config_set_wmask(c, PCI_MEMORY_BASE, PCI_MEMORY_RANGE_MASK & 0xffff, 2);
	pci_config_set_wmask(c, PCI_MEMORY_LIMIT, PCI_MEMORY_RANGE_MASK & 0xffff, 2);
	pci_config_set16(c, PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_TYPE_64);
	pci_config_set16(c, PCI_PREF_MEMORY_LIMIT, PCI_PREF_RANGE_TYPE_64);
	pci_config_set_wmask(c, PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_MASK & 0xffff, 2);
	pci_config_set_wmask(c, PCI_PREF_MEMORY_LIMIT, PCI_PREF_RANGE_MASK & 0xffff, 2);
	pci_config_set_wmask(c, PCI_PREF_BASE_UPPER32, 0xffffffff, 4);
	pci_config_set_wmask(c, PCI_PREF_LIMIT_UPPER32, 0xffffffff, 4);
	/* No VGA forwarding; ISA mode is honoured (see pci_bridge_forwards()). */
	pci_config_set_wmask(c, PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
			     PCI_BRIDGE_CTL_ISA | PCI_BRIDGE_CTL_BUS_RESET, 2);
}

/* [base, last] inside the window [b, l]; an empty window (b > l) holds nothing. */
static bool pci_window_holds(uint64_t b, uint64_t l, uint64_t base, uint64_t last)
{
	return b <= l && base >= b && last <= l;
}

static bool pci_bridge_forwards_io(const struct pci_config *c, uint64_t base, uint64_t last)
{
	uint64_t b = (uint64_t)(pci_config_get8(c, PCI_IO_BASE) & PCI_IO_RANGE_MASK) << 8;
	uint64_t l = (uint64_t)(pci_config_get8(c, PCI_IO_LIMIT) & PCI_IO_RANGE_MASK) << 8 | 0xfff;

	if (!pci_window_holds(b, l, base, last))
		return false;
	/*
	 * ISA mode: the bridge keeps the top 768 bytes of every 1 KiB block
	 * (ISA aliases) on the primary side. A BAR is naturally aligned, so
	 * one no larger than 256 bytes sits in one 256-byte quarter.
	 */
	if (pci_config_get16(c, PCI_BRIDGE_CONTROL) & PCI_BRIDGE_CTL_ISA)
		return last - base < 0x100 && !(base & 0x300);
	return true;
}

static bool pci_bridge_forwards_mem(const struct pci_config *c, uint64_t base, uint64_t last)
{
	uint64_t mb = (uint64_t)(pci_config_get16(c, PCI_MEMORY_BASE) & 0xfff0) << 16;
	uint64_t ml = (uint64_t)(pci_config_get16(c, PCI_MEMORY_LIMIT) & 0xfff0) << 16 | 0xfffff;
	uint64_t pb = (uint64_t)pci_config_get32(c, PCI_PREF_BASE_UPPER32) << 32 |
		      (uint64_t)(pci_config_get16(c, PCI_PREF_MEMORY_BASE) & 0xfff0) << 16;
	uint64_t pl = (uint64_t)pci_config_get32(c, PCI_PREF_LIMIT_UPPER32) << 32 |
		      (uint64_t)(pci_config_get16(c, PCI_PREF_MEMORY_LIMIT) & 0xfff0) << 16 |
		      0xfffff;
	uint64_t lo_b, lo_l, hi_b, hi_l;

	/* A bridge forwards an address in either window, whatever the BAR's type. */
	if (pci_window_holds(mb, ml, base, last) || pci_window_holds(pb, pl, base, last))
		return true;
	if (mb > ml || pb > pl)
		return false;
	/* Both open: their union may still cover a range that straddles them. */
	if (mb <= pb) {
		lo_b = mb, lo_l = ml, hi_b = pb, hi_l = pl;
	} else {
		lo_b = pb, lo_l = pl, hi_b = mb, hi_l = ml;
	}
	return base >= lo_b && base <= lo_l && hi_b <= lo_l + 1 &&
	       last <= (hi_l > lo_l ? hi_l : lo_l);
}

bool pci_bridge_forwards(const struct pci_device *br, bool io, uint64_t base, uint64_t size)
{
	const struct pci_config *c = &br->cfg;
	uint16_t cmd = pci_config_get16(c, PCI_COMMAND);
	uint64_t last = base + size - 1;

	if (!size || last < base || !br->present || !pci_pm_d0(br))
		return false;
	if (io)
		return (cmd & PCI_COMMAND_IO) && pci_bridge_forwards_io(c, base, last);
	return (cmd & PCI_COMMAND_MEMORY) && pci_bridge_forwards_mem(c, base, last);
}

bool pci_bridge_reaches(const struct pci_device *br, uint8_t devfn)
{
	/*
	 * A PCIe downstream port has one device below it: other device
	 * numbers are Unsupported Requests, unless ARI forwarding makes the
	 * whole 8-bit devfn a function number.
	 */
	if (pcie_is_downstream_port(br) && !pcie_ari_forwarding(br))
		return PCI_SLOT(devfn) == 0;
	return true;
}

static int pci_bridge_reset_one(struct pci_device *d, unsigned int depth, void *arg)
{
	/* VFs follow their PF: its reset clears VF Enable and resets them. */
	if (!d->virtfn)
		pci_device_reset(d);
	return 0;
}

void pci_bridge_written(struct pci_device *d, unsigned int off, unsigned int len, uint32_t old)
{
	uint8_t now = pci_config_get8(&d->cfg, PCI_BRIDGE_CONTROL);

	if (!pci_write_covers(off, len, PCI_BRIDGE_CONTROL))
		return;
	/* Secondary bus reset: everything below returns to power-on state. */
	if ((now & PCI_BRIDGE_CTL_BUS_RESET) &&
	    !(pci_old8(off, old, PCI_BRIDGE_CONTROL) & PCI_BRIDGE_CTL_BUS_RESET))
		pci_bus_walk(d->secondary, 0, pci_bridge_reset_one, NULL);
}
