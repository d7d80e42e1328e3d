// SPDX-License-Identifier: GPL-2.0
/*
 * -device virtio-iommu-pci: the virtio-iommu on the modern virtio-pci
 * transport, on the root bus; every function that does DMA is one of its
 * endpoints (the ACPI VIOT table says so to the guest).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dma.h"
#include "pci/ids.h"
#include "virtio/iommu.h"
#include "virtio/pci.h"
#include "vmm/devices.h"

/* Config changes and the event queue; the request queue is polled by Linux. */
#define VIRTIO_IOMMU_PCI_VECTORS	3
/* QEMU's class for it (PCI_CLASS_OTHERS): no PCI class names an IOMMU. */
#define VIRTIO_IOMMU_PCI_CLASS		0x00ff

struct vm_virtio_iommu {
	char name[96];		/* in messages: "-device virtio-iommu-pci" */
	struct virtio_iommu *iommu;
	struct virtio_pci vp;
};

static struct vm_virtio_iommu *to_viommu(struct vm_pci_dev *d)
{
	return d->priv;
}

static int virtio_iommu_pci_create(const struct vm_devices_env *env, struct vm_pci_dev *d,
				   bool express)
{
	const struct pci_dev_config *c = d->cfg;
	const struct virtio_iommu_params p = {
		.dma = d->dma,		/* its own rings: not behind itself */
		.mem = env->dma->mem,
		.loop = env->loop,
		.aw_bits = c->iommu.aw_bits,
		.boot_bypass = c->iommu.boot_bypass,
	};
	struct virtio_pci_info info = {
		.class = VIRTIO_IOMMU_PCI_CLASS,
		.express = express,
		.nr_vectors = VIRTIO_IOMMU_PCI_VECTORS,
		/* Linux spins until a request is answered: answer in its vCPU. */
		.sync_queues = 1ULL << VIRTIO_IOMMU_REQQ,
	};
	struct vm_virtio_iommu *v;
	int ret;

	v = calloc(1, sizeof(*v));
	if (!v)
		return vm_dev_error(c, "cannot create the device: %s", strerror(ENOMEM));
	d->priv = v;
	info.name = vm_dev_name(c, v->name, sizeof(v->name));
	ret = virtio_iommu_create(&v->iommu, &p);
	if (ret)
		return vm_dev_error(c, "cannot create the device: %s", strerror(-ret));
	ret = virtio_pci_init(&v->vp, virtio_iommu_device(v->iommu), env->loop, &info);
	if (ret) {
		virtio_iommu_destroy(v->iommu);
		v->iommu = NULL;
		return vm_dev_error(c, "cannot build the PCI function: %s", strerror(-ret));
	}
	d->pci = &v->vp.pci;
	return 0;
}

static void virtio_iommu_pci_destroy(struct vm_pci_dev *d)
{
	struct vm_virtio_iommu *v = to_viommu(d);

	virtio_pci_destroy(&v->vp);
	virtio_iommu_destroy(v->iommu);
	v->iommu = NULL;
}

static int virtio_iommu_pci_endpoint_add(struct vm_pci_dev *iommu, struct vm_pci_dev *d)
{
	struct virtio_iommu_endpoint *ep;
	int ret = virtio_iommu_endpoint_add(to_viommu(iommu)->iommu, &ep);

	if (ret)
		return vm_dev_error(d->cfg, "cannot put it behind the virtio-iommu-pci: %s",
				    ret == -ENOSPC ? "it has no room for more endpoints" :
				    strerror(-ret));
	d->endpoint = ep;
	d->dma = virtio_iommu_endpoint_dma(ep);
	return 0;
}

static void virtio_iommu_pci_endpoint_bind(struct vm_pci_dev *iommu, struct vm_pci_dev *d)
{
	virtio_iommu_endpoint_bind(d->endpoint, d->pci);
}

struct virtio_iommu *vm_virtio_iommu_of(struct vm_pci_dev *d)
{
	return d->model == &vm_virtio_iommu_model ? to_viommu(d)->iommu : NULL;
}

const struct vm_dev_model vm_virtio_iommu_model = {
	.kind = PCI_DEV_VIRTIO_IOMMU,
	.name = "virtio-iommu-pci",
	.create = virtio_iommu_pci_create,
	.destroy = virtio_iommu_pci_destroy,
	.endpoint_add = virtio_iommu_pci_endpoint_add,
	.endpoint_bind = virtio_iommu_pci_endpoint_bind,
};
