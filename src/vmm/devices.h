/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI devices of the command line, built for each boot in command-line
 * order from a table of models (one entry and one file a device type:
 * dev_root_port.c, dev_virtio_net.c), then joined to what they use (their
 * network backends).
 *
 * Composable SR-IOV (sriov-pf=, checked by the command line, which also
 * gives each PF its VFs in VF number order and their routing): each VF is
 * a full function of its PF's model with its own backend, built like any
 * device but not attached; once every device is built, each PF takes its
 * VFs (pci_sriov_add()) and its model learns it has them (a virtio device
 * offers VIRTIO_F_SR_IOV). The VFs live as long as the VM: the guest only
 * switches them on and off.
 */
#ifndef SRIOVM_VMM_DEVICES_H
#define SRIOVM_VMM_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pci.h"
#include "pci/sriov.h"
#include "vmm/config.h"

struct dma_space;
struct loop;
struct net;
struct vm;
struct vm_pci_dev;

/* What the devices are built on: a VM's, or a test's. */
struct vm_devices_env {
	const struct vm_config *cfg;
	struct pci_root *root;		/* host bridge attached, platform set */
	const struct dma_space *dma;	/* the devices' DMA address space */
	struct loop *loop;
	struct net *net;		/* the backends (net_create()) */
};

/* One device type; unset hooks do nothing. */
struct vm_dev_model {
	enum pci_dev_kind kind;
	const char *name;		/* "virtio-net-pci", as the command line */
	/* Its function does DMA: behind an IOMMU it is an endpoint (d->dma). */
	bool dma;
	/*
	 * Builds d's function (d->pci, and d->secondary for a bridge) from
	 * d->cfg, not attached, its DMA through d->dma; d->priv is the
	 * model's. express: it sits below a PCI Express port. Messages name
	 * the -device (vm_dev_error()).
	 */
	int (*create)(const struct vm_devices_env *env, struct vm_pci_dev *d, bool express);
	/* The function is now a PF with VFs (d->sriov set). 0 or vm_dev_error()'s. */
	int (*sriov_added)(struct vm_pci_dev *d);
	/* Once every device is built: joins d to what it uses (a backend). */
	int (*connect)(const struct vm_devices_env *env, struct vm_pci_dev *d);
	/* Before teardown: nothing reaches d from outside any more. */
	void (*disconnect)(struct vm_pci_dev *d);
	/* Releases what create() set up but d->priv itself (vCPUs stopped). */
	void (*destroy)(struct vm_pci_dev *d);
	/*
	 * An IOMMU's: built before the other devices and destroyed after
	 * them. endpoint_add() gives a DMA device d, before its create(),
	 * the address space it translates (d->dma); endpoint_bind() tells it
	 * which function d is, after.
	 */
	int (*endpoint_add)(struct vm_pci_dev *iommu, struct vm_pci_dev *d);
	void (*endpoint_bind)(struct vm_pci_dev *iommu, struct vm_pci_dev *d);
};

struct vm_pci_dev {
	const struct pci_dev_config *cfg;
	const struct vm_dev_model *model;
	void *priv;			/* the model's; freed after the PCI root */
	const struct dma_space *dma;	/* where its DMA goes: env->dma, or its IOMMU's */
	void *endpoint;			/* the IOMMU's for it, if behind one */
	struct pci_device *pci;		/* set by create() */
	struct pci_bus *secondary;	/* a bridge's bus below it */
	struct vm_pci_dev *pf;		/* a VF's PF */
	struct pci_sriov *sriov;	/* a PF's SR-IOV state, else NULL */
	bool built;
	bool connected;
};

extern const struct vm_dev_model vm_root_port_model;
extern const struct vm_dev_model vm_virtio_net_model;
extern const struct vm_dev_model vm_virtio_iommu_model;

struct virtio_net;
struct virtio_iommu;
/* The device model of a virtio-net-pci or virtio-iommu-pci (tests, diagnostics). */
struct virtio_net *vm_virtio_net_of(struct vm_pci_dev *d);
struct virtio_iommu *vm_virtio_iommu_of(struct vm_pci_dev *d);

/* How messages name a device: "-device virtio-net-pci,id=f", or by netdev or address. */
const char *vm_dev_name(const struct pci_dev_config *c, char *buf, size_t len);
/* "sriovm: -device virtio-net-pci,id=f: " and the message; returns -EINVAL. */
int vm_dev_error(const struct pci_dev_config *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Builds env->cfg's PCI devices below env->root and connects them. Messages
 * name the -device at fault. *devsp is set even on failure:
 * vm_pci_devices_destroy() and, after the PCI root is gone,
 * vm_pci_devices_free() release it either way.
 */
int vm_pci_devices_create(const struct vm_devices_env *env, struct vm_pci_dev **devsp);
/* Disconnects every device first, so that no frame arrives during teardown. */
void vm_pci_devices_destroy(const struct vm_config *cfg, struct vm_pci_dev *devs);
/* After the PCI root is gone: the devices' memory. */
void vm_pci_devices_free(const struct vm_config *cfg, struct vm_pci_dev *devs);

/* The same for a VM: its config, PCI root, DMA space, loop and backends. */
int vm_devices_create(struct vm *vm);
void vm_devices_destroy(struct vm *vm);
void vm_devices_free(struct vm *vm);

#endif
