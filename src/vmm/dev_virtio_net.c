// SPDX-License-Identifier: GPL-2.0
/*
 * -device virtio-net-pci: a virtio-net device on the modern virtio-pci
 * transport, joined to its -netdev.
 *
 * Frames for a NIC whose driver is not running (a disabled VF: hiding it
 * reset its virtio device) are refused with -EAGAIN and held by the
 * backend in its bounded queue, as for any NIC before its driver starts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "pci/ids.h"
#include "virtio/net.h"
#include "virtio/pci.h"
#include "vmm/devices.h"

/* QEMU's default for virtio-net-pci: config, rx, tx and the control queue to come. */
#define VIRTIO_NET_PCI_VECTORS	4

struct vm_virtio_net {
	char name[96];		/* in messages: "-device virtio-net-pci,id=f" */
	struct virtio_net *net;
	struct net_backend *be;	/* NULL: no netdev */
	bool attached;
	struct virtio_pci vp;
};

static struct vm_virtio_net *to_nic(struct vm_pci_dev *d)
{
	return d->priv;
}

static int virtio_net_pci_create(const struct vm_devices_env *env, struct vm_pci_dev *d,
				 bool express)
{
	const struct pci_dev_config *c = d->cfg;
	struct virtio_net_params p = {
		.dma = d->dma,
		.loop = env->loop,
		.backend = &net_backend_port,
	};
	struct virtio_pci_info info = {
		.class = PCI_CLASS_NETWORK_ETHERNET,
		.express = express,
		.nr_vectors = VIRTIO_NET_PCI_VECTORS,
	};
	struct vm_virtio_net *nic;
	int ret;

	nic = calloc(1, sizeof(*nic));
	if (!nic)
		return vm_dev_error(c, "cannot create the device: %s", strerror(ENOMEM));
	d->priv = nic;
	info.name = vm_dev_name(c, nic->name, sizeof(nic->name));
	memcpy(p.mac, c->net.mac, sizeof(p.mac));
	if (c->net.netdev) {
		nic->be = net_find(env->net, c->net.netdev);
		if (!nic->be)
			return vm_dev_error(c, "netdev '%s' not found", c->net.netdev);
		p.backend_data = nic->be;
	} else {
		p.backend = NULL;
	}
	ret = virtio_net_create(&nic->net, &p);
	if (ret)
		return vm_dev_error(c, "cannot create the device: %s", strerror(-ret));
	/* Behind an IOMMU the driver must program it: never DMA it did not map. */
	if (c->net.iommu_platform)
		virtio_device_require(virtio_net_device(nic->net), 1ULL << VIRTIO_F_ACCESS_PLATFORM);
	ret = virtio_pci_init(&nic->vp, virtio_net_device(nic->net), env->loop, &info);
	if (ret) {
		virtio_net_destroy(nic->net);
		nic->net = NULL;
		return vm_dev_error(c, "cannot build the PCI function: %s", strerror(-ret));
	}
	d->pci = &nic->vp.pci;
	return 0;
}

/*
 * The transport feature of a PCI device with the capability (virtio 1.x
 * 6), and the administration queue for its VFs (admin-vq=).
 */
static int virtio_net_pci_sriov_added(struct vm_pci_dev *d)
{
	struct vm_virtio_net *nic = to_nic(d);
	int ret;

	virtio_device_offer(virtio_net_device(nic->net), 1ULL << VIRTIO_F_SR_IOV);
	if (!d->cfg->net.admin_vq)
		return 0;
	ret = virtio_pci_add_admin(&nic->vp);
	return ret ? vm_dev_error(d->cfg, "cannot add its admin queue: %s", strerror(-ret)) : 0;
}

static int virtio_net_pci_connect(const struct vm_devices_env *env, struct vm_pci_dev *d)
{
	struct vm_virtio_net *nic = to_nic(d);
	int ret;

	if (!nic->be)
		return 0;
	ret = net_attach(nic->be, &virtio_net_frontend_ops, nic->net);
	if (ret)
		return vm_dev_error(d->cfg, "netdev '%s': %s", d->cfg->net.netdev,
				    strerror(-ret));
	nic->attached = true;
	/* The link may have changed between create and attach (a socket peer). */
	virtio_net_link_changed(nic->net);
	return 0;
}

static void virtio_net_pci_disconnect(struct vm_pci_dev *d)
{
	struct vm_virtio_net *nic = to_nic(d);

	if (nic->attached)
		net_detach(nic->be);
	nic->attached = false;
}

static void virtio_net_pci_destroy(struct vm_pci_dev *d)
{
	struct vm_virtio_net *nic = to_nic(d);

	virtio_pci_destroy(&nic->vp);
	virtio_net_destroy(nic->net);
	nic->net = NULL;
}

struct virtio_net *vm_virtio_net_of(struct vm_pci_dev *d)
{
	return d->model == &vm_virtio_net_model ? to_nic(d)->net : NULL;
}

const struct vm_dev_model vm_virtio_net_model = {
	.kind = PCI_DEV_VIRTIO_NET,
	.name = "virtio-net-pci",
	.dma = true,
	.create = virtio_net_pci_create,
	.sriov_added = virtio_net_pci_sriov_added,
	.connect = virtio_net_pci_connect,
	.disconnect = virtio_net_pci_disconnect,
	.destroy = virtio_net_pci_destroy,
};
