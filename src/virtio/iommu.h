/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-iommu (VIRTIO_ID_IOMMU, virtio 1.x section 5.13): the IOMMU the
 * guest programs through a request queue (ATTACH, DETACH, MAP, UNMAP,
 * PROBE) and hears faults from through an event queue.
 *
 * Each function behind it is an endpoint whose ID is its requester ID
 * (bus << 8 | devfn, as the ACPI VIOT table tells the guest) and whose DMA
 * address space (lib/dma.h) translates through the domain it is attached
 * to: a domain's mappings (IOVA range -> guest-physical address, READ
 * and/or WRITE) in a range map, O(log n) a lookup. An unattached endpoint
 * bypasses translation while the config's bypass byte is 1 (the state
 * after power-on, as QEMU's boot-bypass) and faults while it is 0; a
 * function that disappears (a disabled VF) comes back unattached.
 *
 * A refused access (nothing mapped, a mapping without the permission, an
 * unattached endpoint without bypass) touches no guest memory, returns
 * -EFAULT or -EPERM to the device, and queues a fault report for the
 * event queue. Domains, mappings and queued faults are bounded; a
 * request past a bound fails with the spec's status (NOMEM).
 *
 * Threads: requests run where the request queue is notified, translations
 * in any device thread; a read-write lock keeps the tables consistent,
 * and a generation counter tells users of long-lived views (virtqueue
 * rings) when a translation may have gone.
 */
#ifndef SRIOVM_VIRTIO_IOMMU_H
#define SRIOVM_VIRTIO_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_iommu.h>

#include "virtio/virtio.h"

struct dma_space;
struct guest_mem;
struct pci_device;

#define VIRTIO_IOMMU_REQQ		0
#define VIRTIO_IOMMU_EVENTQ		1
#define VIRTIO_IOMMU_NUM_QUEUES		2
#define VIRTIO_IOMMU_QUEUE_SIZE		256
#define VIRTIO_IOMMU_REQ_BUDGET		128	/* requests a round: half a ring */

#define VIRTIO_IOMMU_PAGE_SIZE		4096ULL	/* the granule */
#define VIRTIO_IOMMU_AW_BITS		39	/* QEMU's on q35 */
#define VIRTIO_IOMMU_PROBE_SIZE		512	/* QEMU's */
#define VIRTIO_IOMMU_MAX_ENDPOINTS	1024
#define VIRTIO_IOMMU_MAX_DOMAINS	4096
#define VIRTIO_IOMMU_MAX_MAPPINGS	65536	/* a domain's; vfio keeps to 65535 */
#define VIRTIO_IOMMU_MAX_ALL_MAPPINGS	(1U << 20)	/* all domains': ~100 MiB at most */
#define VIRTIO_IOMMU_MAX_FAULTS		64	/* reports waiting for event buffers */

/* x86's MSI window: interrupts, never DMA; reserved in every endpoint's PROBE. */
#define VIRTIO_IOMMU_MSI_START		0xfee00000ULL
#define VIRTIO_IOMMU_MSI_END		0xfeefffffULL

struct virtio_iommu_params {
	const struct dma_space *dma;	/* the IOMMU's own rings: not behind itself */
	const struct guest_mem *mem;	/* the RAM translations land in */
	struct loop *loop;
	unsigned int aw_bits;		/* input range [0, 2^aw_bits), 32..64; 0: 39 */
	bool boot_bypass;		/* the bypass byte after power-on */
};

struct virtio_iommu;
struct virtio_iommu_endpoint;

struct virtio_iommu_stats {
	uint64_t requests, bad_requests;	/* bad: refused with a status other than OK */
	uint64_t faults, faults_dropped;	/* reported; lost for want of room */
	unsigned int domains, mappings;		/* now */
};

int virtio_iommu_create(struct virtio_iommu **p, const struct virtio_iommu_params *params);
/* No device may translate any more (vCPUs and backends stopped). */
void virtio_iommu_destroy(struct virtio_iommu *s);
struct virtio_device *virtio_iommu_device(struct virtio_iommu *s);
void virtio_iommu_get_stats(struct virtio_iommu *s, struct virtio_iommu_stats *st);

/*
 * A new endpoint, unbound, and its DMA address space (valid until the
 * IOMMU is destroyed). Before the guest runs. -ENOSPC past
 * VIRTIO_IOMMU_MAX_ENDPOINTS.
 */
int virtio_iommu_endpoint_add(struct virtio_iommu *s, struct virtio_iommu_endpoint **epp);
const struct dma_space *virtio_iommu_endpoint_dma(struct virtio_iommu_endpoint *ep);
/* The function it is: its requester ID is the endpoint ID. Before the guest runs. */
void virtio_iommu_endpoint_bind(struct virtio_iommu_endpoint *ep, const struct pci_device *fn);

#endif
