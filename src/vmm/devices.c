// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/ids.h"
#include "vmm/devices.h"
#include "vmm/vm.h"

/* QEMU's default for virtio-net-pci: config, rx, tx and the control queue to come. */
#define VM_NIC_MSIX_VECTORS	4

static int nic_send(void *be, const struct iovec *iov, unsigned int iovcnt)
{
	return net_send(be, iov, iovcnt);
}

static void nic_rx_ready(void *be)
{
	net_rx_ready(be);
}

static bool nic_link_up(void *be)
{
	return net_link_up(be);
}

static const struct virtio_net_backend_ops nic_backend_ops = {
	.send = nic_send,
	.rx_ready = nic_rx_ready,
	.link_up = nic_link_up,
};

static const char *dev_kind_name(enum pci_dev_kind kind)
{
	return kind == PCI_DEV_ROOT_PORT ? "pcie-root-port" : "virtio-net-pci";
}

__attribute__((format(printf, 2, 3)))
static int dev_error(const struct pci_dev_config *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sriovm: -device %s%s%s: ", dev_kind_name(c->kind),
		c->id ? ",id=" : "", c->id ? c->id : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

/* The bus a device asked for: the root bus, or the one below a root port. */
static struct pci_bus *dev_bus(struct vm *vm, const struct pci_dev_config *c)
{
	unsigned int i;

	if (!c->bus)
		return &vm->pci.bus0;
	for (i = 0; i < vm->cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &vm->pci_devs[i];

		if (d->built && d->cfg->kind == PCI_DEV_ROOT_PORT && d->cfg->id &&
		    !strcmp(d->cfg->id, c->bus))
			return &d->rp.bus;
	}
	return NULL;
}

static int dev_root_port(struct vm *vm, struct vm_pci_dev *d)
{
	const struct pci_dev_config *c = d->cfg;
	int ret;

	ret = pci_root_port_init(&d->rp, c->id, c->root_port.slot, c->root_port.port);
	if (ret)
		return dev_error(c, "cannot build the port: %s", strerror(-ret));
	d->built = true;
	return 0;
}

static int dev_virtio_net(struct vm *vm, struct vm_pci_dev *d, bool express)
{
	const struct pci_dev_config *c = d->cfg;
	struct virtio_net_params p = {
		.mem = &vm->mem,
		.loop = vm->loop,
		.backend = &nic_backend_ops,
		.transport = &virtio_pci_transport_ops,
		.transport_data = &d->nic.vp,
	};
	const struct virtio_pci_info info = {
		.name = c->id ? c->id : "virtio-net-pci",
		.class = PCI_CLASS_NETWORK_ETHERNET,
		.express = express,
		.nr_vectors = VM_NIC_MSIX_VECTORS,
	};
	int ret;

	memcpy(p.mac, c->net.mac, sizeof(p.mac));
	if (c->net.netdev) {
		d->nic.be = net_find(vm->net, c->net.netdev);
		if (!d->nic.be)
			return dev_error(c, "netdev '%s' not found", c->net.netdev);
		p.backend_data = d->nic.be;
	} else {
		p.backend = NULL;
	}
	ret = virtio_net_create(&d->nic.net, &p);
	if (ret)
		return dev_error(c, "cannot create the device: %s", strerror(-ret));
	ret = virtio_pci_init(&d->nic.vp, virtio_net_device(d->nic.net), vm->loop, &info);
	if (ret) {
		virtio_net_destroy(d->nic.net);
		return dev_error(c, "cannot build the PCI function: %s", strerror(-ret));
	}
	d->built = true;
	return 0;
}

static int dev_attach_backend(struct vm_pci_dev *d)
{
	int ret;

	if (d->cfg->kind != PCI_DEV_VIRTIO_NET || !d->nic.be)
		return 0;
	ret = net_attach(d->nic.be, &virtio_net_frontend_ops, d->nic.net);
	if (ret)
		return dev_error(d->cfg, "netdev '%s': %s", d->cfg->net.netdev, strerror(-ret));
	d->nic.attached = true;
	/* The link may have changed between create and attach (a socket peer). */
	virtio_net_link_changed(d->nic.net);
	return 0;
}

int vm_devices_create(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	unsigned int i;
	int ret;

	if (!cfg->nr_pci_devs)
		return 0;
	vm->pci_devs = calloc(cfg->nr_pci_devs, sizeof(*vm->pci_devs));
	if (!vm->pci_devs) {
		fprintf(stderr, "sriovm: cannot create the devices: %s\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &vm->pci_devs[i];
		const struct pci_dev_config *c = &cfg->pci_devs[i];
		struct pci_bus *bus;
		struct pci_device *pd;

		d->cfg = c;
		bus = dev_bus(vm, c);
		if (!bus)
			return dev_error(c, "bus '%s' not found", c->bus);
		if (c->kind == PCI_DEV_ROOT_PORT) {
			ret = dev_root_port(vm, d);
			pd = &d->rp.dev;
		} else {
			/* Behind a PCIe port an endpoint; on the root bus, as on QEMU's q35, conventional. */
			ret = dev_virtio_net(vm, d, bus != &vm->pci.bus0);
			pd = &d->nic.vp.pci;
		}
		if (ret)
			return ret;
		ret = pci_bus_attach(bus, pd, PCI_DEVFN(c->slot, c->fn));
		if (ret)
			return dev_error(c, "address %02x.%x is taken", c->slot, c->fn);
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		ret = dev_attach_backend(&vm->pci_devs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

void vm_devices_destroy(struct vm *vm)
{
	unsigned int i;

	if (!vm->pci_devs)
		return;
	for (i = 0; i < vm->cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &vm->pci_devs[i];

		if (d->cfg && d->cfg->kind == PCI_DEV_VIRTIO_NET && d->nic.attached) {
			net_detach(d->nic.be);
			d->nic.attached = false;
		}
	}
	for (i = 0; i < vm->cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &vm->pci_devs[i];

		if (!d->built || d->cfg->kind != PCI_DEV_VIRTIO_NET)
			continue;
		virtio_pci_destroy(&d->nic.vp);
		virtio_net_destroy(d->nic.net);
	}
}

void vm_devices_free(struct vm *vm)
{
	free(vm->pci_devs);
	vm->pci_devs = NULL;
}
