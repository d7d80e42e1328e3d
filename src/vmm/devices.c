// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "vmm/devices.h"
#include "vmm/vm.h"

/* The device types: a new one is an entry here and a file of its own. */
static const struct vm_dev_model *const vm_dev_models[] = {
	[PCI_DEV_ROOT_PORT] = &vm_root_port_model,
	[PCI_DEV_VIRTIO_NET] = &vm_virtio_net_model,
	[PCI_DEV_VIRTIO_IOMMU] = &vm_virtio_iommu_model,
};

static const struct vm_dev_model *vm_dev_model_of(enum pci_dev_kind kind)
{
	if ((unsigned int)kind >= sizeof(vm_dev_models) / sizeof(vm_dev_models[0]))
		return NULL;
	return vm_dev_models[kind];
}

const char *vm_dev_name(const struct pci_dev_config *c, char *buf, size_t len)
{
	const struct vm_dev_model *m = vm_dev_model_of(c->kind);
	const char *kind = m ? m->name : "?";

	if (c->id)
		snprintf(buf, len, "-device %s,id=%s", kind, c->id);
	else if (c->kind == PCI_DEV_VIRTIO_NET && c->net.netdev)
		snprintf(buf, len, "-device %s,netdev=%s", kind, c->net.netdev);
	else
		snprintf(buf, len, "-device %s at %x.%x on %s", kind, c->slot, c->fn,
			 c->bus ? c->bus : "pcie.0");
	return buf;
}

int vm_dev_error(const struct pci_dev_config *c, const char *fmt, ...)
{
	char name[128];
	va_list ap;

	vm_dev_name(c, name, sizeof(name));
	va_start(ap, fmt);
	log_verror(stderr, name, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The bus a device asked for: the root bus, or the one below a bridge. */
static struct pci_bus *vm_dev_bus(const struct vm_devices_env *env, struct vm_pci_dev *devs,
				  const struct pci_dev_config *c)
{
	unsigned int i;

	if (!c->bus)
		return &env->root->bus0;
	for (i = 0; i < env->cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->built && d->secondary && d->cfg->id && !strcmp(d->cfg->id, c->bus))
			return d->secondary;
	}
	return NULL;
}

/*
 * PF pf takes the VFs the command line gave it, in VF number order with
 * their routing (First VF Offset and VF Stride from their addresses).
 * pci_sriov_add() checks again what the command line checked.
 */
static int vm_dev_compose_sriov(const struct vm_devices_env *env, struct vm_pci_dev *devs,
				struct vm_pci_dev *pf)
{
	const struct pci_dev_config *c = pf->cfg;
	const struct pci_sriov_info info = { .offset = c->sriov.offset, .stride = c->sriov.stride };
	struct pci_device *vfs[PCI_SRIOV_MAX_VFS];
	struct pci_sriov_verdict v;
	char name[128];
	unsigned int k;
	int ret;

	if (!c->sriov.nr)
		return 0;
	if (c->sriov.nr > PCI_SRIOV_MAX_VFS)
		return vm_dev_error(c, "more than %u VFs", PCI_SRIOV_MAX_VFS);
	for (k = 0; k < c->sriov.nr; k++) {
		struct vm_pci_dev *vf;
		unsigned int devfn;

		if (c->sriov.vf[k] >= env->cfg->nr_pci_devs)
			return vm_dev_error(c, "VF %u is not a device", k + 1);
		vf = &devs[c->sriov.vf[k]];
		if (!vf->cfg->sriov_pf || vf->pf || vf->model != pf->model)
			return vm_dev_error(vf->cfg, "not a VF of %s",
					    vm_dev_name(c, name, sizeof(name)));
		if (vm_dev_bus(env, devs, vf->cfg) != pf->pci->bus)
			return vm_dev_error(vf->cfg, "sriov-pf=%s: the VF is not on its PF's bus",
					    vf->cfg->sriov_pf);
		/* VF k answers at PF + offset + (k - 1) * stride: its own address. */
		devfn = pf->pci->devfn + c->sriov.offset + k * c->sriov.stride;
		if (devfn != (unsigned int)PCI_DEVFN(vf->cfg->slot, vf->cfg->fn))
			return vm_dev_error(vf->cfg, "sriov-pf=%s: VF %u is not at its routing ID "
					    "%02x.%x", vf->cfg->sriov_pf, k + 1,
					    PCI_SLOT(devfn & 0xff), PCI_FUNC(devfn & 0xff));
		vf->pf = pf;
		vfs[k] = vf->pci;
	}
	ret = pci_sriov_check(pf->pci, &info, vfs, c->sriov.nr, &v);
	if (ret) {
		if (v.err == PCI_SRIOV_ERR_PF)
			return vm_dev_error(c, "%s", pci_sriov_strerror(v.err));
		return vm_dev_error(devs[c->sriov.vf[v.bad < c->sriov.nr ? v.bad : 0]].cfg,
				    "sriov-pf=%s: %s (PF %s)", c->id, pci_sriov_strerror(v.err),
				    vm_dev_name(c, name, sizeof(name)));
	}
	pf->sriov = calloc(1, sizeof(*pf->sriov));
	if (!pf->sriov)
		return vm_dev_error(c, "cannot add its VFs: %s", strerror(ENOMEM));
	ret = pci_sriov_add(pf->sriov, pf->pci, &info, vfs, c->sriov.nr);
	if (ret < 0)
		return vm_dev_error(c, "cannot add its VFs: %s", strerror(-ret));
	return pf->model->sriov_added ? pf->model->sriov_added(pf) : 0;
}

static bool vm_dev_is_iommu(const struct vm_pci_dev *d)
{
	return d->model && d->model->endpoint_add;
}

/*
 * Each device, built and (a VF: by its PF) attached at its address; one
 * that does DMA behind iommu (if not NULL) as its endpoint.
 */
static int vm_dev_build(const struct vm_devices_env *env, struct vm_pci_dev *devs,
			struct vm_pci_dev *d, struct vm_pci_dev *iommu)
{
	const struct pci_dev_config *c = d->cfg;
	struct pci_bus *bus;
	int ret;

	bus = vm_dev_bus(env, devs, c);
	if (!bus)
		return vm_dev_error(c, "bus '%s' not found", c->bus);
	d->dma = env->dma;
	if (iommu && d->model->dma) {
		ret = iommu->model->endpoint_add(iommu, d);
		if (ret)
			return ret;
	}
	/* Behind a PCIe port an endpoint; on the root bus, as on QEMU's q35, conventional. */
	ret = d->model->create(env, d, bus != &env->root->bus0);
	if (ret)
		return ret;
	d->built = true;
	if (iommu && d->endpoint)
		iommu->model->endpoint_bind(iommu, d);
	if (c->sriov_pf)
		return 0;
	ret = pci_bus_attach(bus, d->pci, PCI_DEVFN(c->slot, c->fn));
	if (ret)
		return vm_dev_error(c, "address %02x.%x is taken", c->slot, c->fn);
	return 0;
}

int vm_pci_devices_create(const struct vm_devices_env *env, struct vm_pci_dev **devsp)
{
	const struct vm_config *cfg = env->cfg;
	struct vm_pci_dev *devs, *iommu = NULL;
	unsigned int i;
	int ret;

	*devsp = NULL;
	if (!cfg->nr_pci_devs)
		return 0;
	devs = calloc(cfg->nr_pci_devs, sizeof(*devs));
	if (!devs) {
		log_error(NULL, "cannot create the devices: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	*devsp = devs;
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		d->cfg = &cfg->pci_devs[i];
		d->model = vm_dev_model_of(d->cfg->kind);
		if (!d->model)
			return vm_dev_error(d->cfg, "no such device type (%d)", (int)d->cfg->kind);
		if (vm_dev_is_iommu(d))
			iommu = d;
	}
	/* The IOMMU first: the others' DMA goes through it from their start. */
	if (iommu) {
		ret = vm_dev_build(env, devs, iommu, NULL);
		if (ret)
			return ret;
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		if (&devs[i] == iommu)
			continue;
		ret = vm_dev_build(env, devs, &devs[i], iommu);
		if (ret)
			return ret;
	}
	/* VFs come before their PF: each PF finds them all built. */
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		ret = vm_dev_compose_sriov(env, devs, &devs[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->cfg->sriov_pf && !d->pf)
			return vm_dev_error(d->cfg, "sriov-pf=%s: no PF has that id",
					    d->cfg->sriov_pf);
		ret = d->model->connect ? d->model->connect(env, d) : 0;
		if (ret)
			return ret;
		d->connected = true;
	}
	return 0;
}

void vm_pci_devices_destroy(const struct vm_config *cfg, struct vm_pci_dev *devs)
{
	unsigned int i, pass;

	if (!devs)
		return;
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct vm_pci_dev *d = &devs[i];

		if (d->connected && d->model && d->model->disconnect)
			d->model->disconnect(d);
		d->connected = false;
	}
	/* An IOMMU last: the others translate through it until they are gone. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < cfg->nr_pci_devs; i++) {
			struct vm_pci_dev *d = &devs[i];

			if (!d->built || vm_dev_is_iommu(d) != (pass == 1))
				continue;
			if (d->model->destroy)
				d->model->destroy(d);
			d->built = false;
		}
	}
}

void vm_pci_devices_free(const struct vm_config *cfg, struct vm_pci_dev *devs)
{
	unsigned int i;

	if (!devs)
		return;
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		free(devs[i].sriov);
		free(devs[i].priv);
	}
	free(devs);
}

int vm_devices_create(struct vm *vm)
{
	const struct vm_devices_env env = {
		.cfg = vm->cfg,
		.root = &vm->pci,
		.dma = &vm->dma,
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
