// SPDX-License-Identifier: GPL-2.0
/* -device pcie-root-port: a PCI Express root port and the bus below it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pci/root_port.h"
#include "vmm/devices.h"

static int root_port_create(const struct vm_devices_env *env, struct vm_pci_dev *d,
			    bool express)
{
	const struct pci_dev_config *c = d->cfg;
	struct pci_root_port *rp;
	int ret;

	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return vm_dev_error(c, "cannot build the port: %s", strerror(ENOMEM));
	d->priv = rp;
	ret = pci_root_port_init(rp, c->id, c->root_port.slot, c->root_port.port);
	if (ret)
		return vm_dev_error(c, "cannot build the port: %s", strerror(-ret));
	d->pci = &rp->dev;
	d->secondary = &rp->bus;
	return 0;
}

const struct vm_dev_model vm_root_port_model = {
	.kind = PCI_DEV_ROOT_PORT,
	.name = "pcie-root-port",
	.create = root_port_create,
};
