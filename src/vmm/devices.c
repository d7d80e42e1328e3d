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

/* "-device virtio-net-pci,id=f"; without an id, its netdev or its address. */
static const char *dev_name(const struct pci_dev_config *c, char *buf, size_t len)
{
	const char *kind = dev_kind_name(c->kind);

	if (c->id)
		snprintf(buf, len, "-device %s,id=%s", kind, c->id);
	else if (c->kind == PCI_DEV_VIRTIO_NET && c->net.netdev)
		snprintf(buf, len, "-device %s,netdev=%s", kind, c->net.netdev);
	else
		snprintf(buf, len, "-device %s at %x.%x on %s", kind, c->slot, c->fn,
			 c->bus ? c->bus : "pcie.0");
	return buf;
}

__attribute__((format(printf, 2, 3)))
static int dev_error(const struct pci_dev_config *c, const char *fmt, ...)
{
	char name[128], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write, so that it does not interleave with other threads' messages. */
	fprintf(stderr, "sriovm: %s: %s\n", dev_name(c, name, sizeof(name)), msg);
	return -EINVAL;
}

/* The bus a device asked for: the root bus, or the one below a root port. */
static struct pci_bus *dev_bus(const struct vm_devices_env *env, struct vm_pci_dev *devs,
			       const struct pci_dev_config *c)
{
	unsigned int i;

	if (!c->bus)
		return &env->root->bus0;
	for (i = 0; i < env->cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->built && d->cfg->kind == PCI_DEV_ROOT_PORT && d->cfg->id &&
		    !strcmp(d->cfg->id, c->bus))
			return &d->rp.bus;
	}
	return NULL;
}

static int dev_root_port(struct vm_pci_dev *d)
{
	const struct pci_dev_config *c = d->cfg;
	int ret;

	ret = pci_root_port_init(&d->rp, c->id, c->root_port.slot, c->root_port.port);
	if (ret)
		return dev_error(c, "cannot build the port: %s", strerror(-ret));
	d->built = true;
	return 0;
}

static int dev_virtio_net(const struct vm_devices_env *env, struct vm_pci_dev *d, bool express)
{
	const struct pci_dev_config *c = d->cfg;
	struct virtio_net_params p = {
		.mem = env->mem,
		.loop = env->loop,
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
		d->nic.be = net_find(env->net, c->net.netdev);
		if (!d->nic.be)
			return dev_error(c, "netdev '%s' not found", c->net.netdev);
		p.backend_data = d->nic.be;
	} else {
		p.backend = NULL;
	}
	ret = virtio_net_create(&d->nic.net, &p);
	if (ret)
		return dev_error(c, "cannot create the device: %s", strerror(-ret));
	ret = virtio_pci_init(&d->nic.vp, virtio_net_device(d->nic.net), env->loop, &info);
	if (ret) {
		virtio_net_destroy(d->nic.net);
		return dev_error(c, "cannot build the PCI function: %s", strerror(-ret));
	}
	d->built = true;
	return 0;
}

/*
 * Frames for a NIC whose driver is not running (a disabled VF: hiding it
 * reset its virtio device) are refused with -EAGAIN and held by the
 * backend in its bounded queue, as for any NIC before its driver starts.
 */
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

static bool dev_is_vf_of(const struct vm_pci_dev *d, const struct vm_pci_dev *pf)
{
	const struct pci_dev_config *c = d->cfg;

	return c->kind == PCI_DEV_VIRTIO_NET && c->net.sriov_pf && pf->cfg->id &&
	       !strcmp(c->net.sriov_pf, pf->cfg->id);
}

/*
 * PF pf takes the VFs that name it (the command line checked the layout;
 * this refuses what it would have). Offset and stride come from the VFs'
 * function numbers, VF k is the k-th by function number.
 */
static int dev_compose_sriov(const struct vm_devices_env *env, struct vm_pci_dev *devs,
			     struct vm_pci_dev *pf)
{
	unsigned int devfns[PCI_SRIOV_MAX_VFS], idx[PCI_SRIOV_MAX_VFS], order[PCI_SRIOV_MAX_VFS];
	struct pci_device *vfs[PCI_SRIOV_MAX_VFS];
	struct pci_device *pd = &pf->nic.vp.pci;
	struct pci_sriov_check chk;
	struct pci_sriov_info info = { 0 };
	char name[128];
	unsigned int i, k, nr = 0;
	int ret;

	for (i = 0; i < env->cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (!dev_is_vf_of(d, pf))
			continue;
		if (nr == PCI_SRIOV_MAX_VFS)
			return dev_error(pf->cfg, "more than %u VFs", PCI_SRIOV_MAX_VFS);
		if (dev_bus(env, devs, d->cfg) != pd->bus)
			return dev_error(d->cfg, "sriov-pf=%s: the VF is not on its PF's bus",
					 d->cfg->net.sriov_pf);
		devfns[nr] = PCI_DEVFN(d->cfg->slot, d->cfg->fn);
		idx[nr++] = i;
	}
	if (!nr)
		return 0;
	if (pci_sriov_layout(pd->devfn, devfns, nr, order, &chk))
		return dev_error(devs[idx[chk.bad < nr ? chk.bad : 0]].cfg, "sriov-pf=%s: %s",
				 pf->cfg->id, pci_sriov_strerror(chk.err));
	for (k = 0; k < nr; k++)
		vfs[k] = &devs[idx[order[k]]].nic.vp.pci;
	/* VF Device ID 0: VF 1's own, the modern virtio-net ID 0x1041 as the PF's. */
	info.offset = chk.offset;
	info.stride = chk.stride;
	ret = pci_sriov_check(pd, &info, vfs, nr, &chk);
	if (ret) {
		if (chk.err == PCI_SRIOV_ERR_PF)
			return dev_error(pf->cfg, "%s", pci_sriov_strerror(chk.err));
		return dev_error(devs[idx[order[chk.bad < nr ? chk.bad : 0]]].cfg,
				 "sriov-pf=%s: %s (PF %s)",
				 pf->cfg->id, pci_sriov_strerror(chk.err),
				 dev_name(pf->cfg, name, sizeof(name)));
	}
	pf->nic.sriov = calloc(1, sizeof(*pf->nic.sriov));
	if (!pf->nic.sriov)
		return dev_error(pf->cfg, "cannot add its VFs: %s", strerror(ENOMEM));
	ret = pci_sriov_add(pf->nic.sriov, pd, &info, vfs, nr);
	if (ret < 0)
		return dev_error(pf->cfg, "cannot add its VFs: %s", strerror(-ret));
	/* The transport feature of a PCI device with the capability (virtio 1.x 6). */
	virtio_device_offer(virtio_net_device(pf->nic.net), 1ULL << VIRTIO_F_SR_IOV);
	return 0;
}

int vm_pci_devices_create(const struct vm_devices_env *env, struct vm_pci_dev **devsp)
{
	const struct vm_config *cfg = env->cfg;
	struct vm_pci_dev *devs;
	unsigned int i;
	int ret;

	*devsp = NULL;
	if (!cfg->nr_pci_devs)
		return 0;
	devs = calloc(cfg->nr_pci_devs, sizeof(*devs));
	if (!devs) {
		fprintf(stderr, "sriovm: cannot create the devices: %s\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	*devsp = devs;
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];
		const struct pci_dev_config *c = &cfg->pci_devs[i];
		struct pci_bus *bus;
		struct pci_device *pd;

		d->cfg = c;
		bus = dev_bus(env, devs, c);
		if (!bus)
			return dev_error(c, "bus '%s' not found", c->bus);
		if (c->kind == PCI_DEV_ROOT_PORT) {
			ret = dev_root_port(d);
			pd = &d->rp.dev;
		} else {
			/* Behind a PCIe port an endpoint; on the root bus, as on QEMU's q35, conventional. */
			ret = dev_virtio_net(env, d, bus != &env->root->bus0);
			pd = &d->nic.vp.pci;
		}
		if (ret)
			return ret;
		/* A VF is attached by its PF, at the routing ID the PF gives it. */
		if (c->kind == PCI_DEV_VIRTIO_NET && c->net.sriov_pf) {
			d->nic.vf = true;
			continue;
		}
		ret = pci_bus_attach(bus, pd, PCI_DEVFN(c->slot, c->fn));
		if (ret)
			return dev_error(c, "address %02x.%x is taken", c->slot, c->fn);
	}
	/* VFs come before their PF: each PF finds them all built. */
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->cfg->kind != PCI_DEV_VIRTIO_NET || d->nic.vf)
			continue;
		ret = dev_compose_sriov(env, devs, d);
		if (ret)
			return ret;
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->cfg->kind == PCI_DEV_VIRTIO_NET && d->nic.vf && !d->nic.vp.pci.bus)
			return dev_error(d->cfg, "sriov-pf=%s: no PF has that id",
					 d->cfg->net.sriov_pf);
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		ret = dev_attach_backend(&devs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

void vm_pci_devices_destroy(const struct vm_config *cfg, struct vm_pci_dev *devs)
{
	unsigned int i;

	if (!devs)
		return;
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->cfg && d->cfg->kind == PCI_DEV_VIRTIO_NET && d->nic.attached) {
			net_detach(d->nic.be);
			d->nic.attached = false;
		}
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (!d->built || d->cfg->kind != PCI_DEV_VIRTIO_NET)
			continue;
		virtio_pci_destroy(&d->nic.vp);
		virtio_net_destroy(d->nic.net);
		d->built = false;
	}
}

void vm_pci_devices_free(const struct vm_config *cfg, struct vm_pci_dev *devs)
{
	unsigned int i;

	if (!devs)
		return;
	for (i = 0; i < cfg->nr_pci_devs; i++)
		if (devs[i].cfg && devs[i].cfg->kind == PCI_DEV_VIRTIO_NET)
			free(devs[i].nic.sriov);
	free(devs);
}

int vm_devices_create(struct vm *vm)
{
	const struct vm_devices_env env = {
		.cfg = vm->cfg,
		.root = &vm->pci,
		.mem = &vm->mem,
		.loop = vm->loop,
		.net = vm->net,
	};

	return vm_pci_devices_create(&env, &vm->pci_devs);
}

void vm_devices_destroy(struct vm *vm)
{
	vm_pci_devices_destroy(vm->cfg, vm->pci_devs);
}

void vm_devices_free(struct vm *vm)
{
	vm_pci_devices_free(vm->cfg, vm->pci_devs);
	vm->pci_devs = NULL;
}
