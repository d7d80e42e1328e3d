// SPDX-License-Identifier: GPL-2.0
#include "pci/cap.h"
#include "pci/pm.h"

#define PCI_PM_STATE_D0		0
#define PCI_PM_STATE_D3HOT	3

static void pci_pm_written(struct pci_device *d, unsigned int cap, unsigned int off,
			   unsigned int len, uint32_t old, void *opaque)
{
	unsigned int reg = cap + PCI_PM_CTRL;
	uint16_t ctrl = pci_config_get16(&d->cfg, reg);
	uint8_t was, now = ctrl & PCI_PM_CTRL_STATE_MASK;

	if (!pci_write_covers(off, len, reg))
		return;
	was = pci_old8(off, old, reg) & PCI_PM_CTRL_STATE_MASK;
	/* D1 and D2 are not supported: the write completes, the state stays. */
	if (now != PCI_PM_STATE_D0 && now != PCI_PM_STATE_D3HOT) {
		pci_config_set16(&d->cfg, reg, (ctrl & ~PCI_PM_CTRL_STATE_MASK) | was);
		return;
	}
	/* NoSoftReset: D3hot -> D0 keeps the configuration; only decode changes. */
	if (now != was)
		pci_decode_changed(d);
}

static const struct pci_cap_hook pci_pm_hook = {
	.written = pci_pm_written,
};

int pci_pm_add(struct pci_device *d)
{
	int off = pci_cap_add(d, PCI_CAP_ID_PM, PCI_PM_SIZEOF, &pci_pm_hook, NULL);

	if (off < 0)
		return off;
	pci_config_set16(&d->cfg, off + PCI_PM_PMC, 3);	/* version 3: PCI PM 1.2 */
	pci_config_set16(&d->cfg, off + PCI_PM_CTRL, PCI_PM_CTRL_NO_SOFT_RESET);
	pci_config_set_wmask(&d->cfg, off + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK, 2);
	d->pm_cap = off;
	return off;
}

bool pci_pm_d0(const struct pci_device *d)
{
	if (!d->pm_cap)
		return true;
	return (pci_config_get16(&d->cfg, d->pm_cap + PCI_PM_CTRL) &
		PCI_PM_CTRL_STATE_MASK) == PCI_PM_STATE_D0;
}
