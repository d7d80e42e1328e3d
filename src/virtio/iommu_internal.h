/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the virtio-iommu device (iommu.c) and its tables (iommu_domain.c:
 * domains, endpoints, translation) share. See iommu.h.
 */
#ifndef SRIOVM_VIRTIO_IOMMU_INTERNAL_H
#define SRIOVM_VIRTIO_IOMMU_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/uio.h>

#include "lib/dma.h"
#include "lib/range_map.h"
#include "virtio/iommu.h"

struct viommu_domain {
	uint32_t id;
	bool bypass;			/* ATTACH_F_BYPASS: identity, no mappings */
	unsigned int nr_eps;		/* attached endpoints; 0: it ceases to exist */
	struct range_map map;		/* IOVA -> GPA, flags VIRTIO_IOMMU_MAP_F_* */
};

struct virtio_iommu_endpoint {
	struct dma_space dma;		/* ops: the translation; opaque: this */
	struct virtio_iommu *iommu;
	const struct pci_device *fn;	/* NULL until bound: no ID, no access */
	struct viommu_domain *domain;	/* under iommu->lock */
	unsigned int gen;		/* fn->present_gen when attached */
};

struct virtio_iommu {
	struct virtio_device vdev;
	const struct guest_mem *mem;
	uint64_t input_end;		/* the input range's last address */
	_Atomic uint8_t bypass;		/* the config byte */

	/* Domains, attachments and mappings; translations take it for reading. */
	pthread_rwlock_t lock;
	void *domains;			/* tsearch tree of struct viommu_domain, by id */
	unsigned int nr_domains, nr_mappings;
	struct virtio_iommu_endpoint *eps[VIRTIO_IOMMU_MAX_ENDPOINTS];
	unsigned int nr_eps;
	_Atomic uint64_t gen;		/* every endpoint space's generation */

	/* Fault reports waiting for event buffers, oldest first. */
	pthread_mutex_t fault_lock;
	struct virtio_iommu_fault faults[VIRTIO_IOMMU_MAX_FAULTS];
	unsigned int fault_head, nr_faults;

	_Atomic uint64_t requests, bad_requests, faults_sent, faults_dropped;

	/* Under the request queue's lock, and under the event queue's. */
	struct iovec req_iov[VIRTIO_IOMMU_QUEUE_SIZE];
	struct iovec ev_iov[VIRTIO_IOMMU_QUEUE_SIZE];
};

/* iommu_domain.c: the tables. Requests hold the lock for writing. */
void viommu_tables_init(struct virtio_iommu *s);
void viommu_tables_fini(struct virtio_iommu *s);
/* Device reset: every domain and attachment gone. */
void viommu_tables_reset(struct virtio_iommu *s);
/* The endpoint whose function has requester ID id now, or NULL. */
struct virtio_iommu_endpoint *viommu_endpoint_find(struct virtio_iommu *s, uint32_t id);
/* VIRTIO_IOMMU_S_* of each request, its effect done. */
uint8_t viommu_attach(struct virtio_iommu *s, uint32_t domain, uint32_t endpoint, bool bypass);
uint8_t viommu_detach(struct virtio_iommu *s, uint32_t domain, uint32_t endpoint);
uint8_t viommu_map(struct virtio_iommu *s, uint32_t domain, uint64_t start, uint64_t end,
		   uint64_t phys, uint32_t flags);
uint8_t viommu_unmap(struct virtio_iommu *s, uint32_t domain, uint64_t start, uint64_t end);
/* Translations may have changed: long-lived views map again. */
void viommu_invalidate(struct virtio_iommu *s);

/* iommu.c: a refused access, reported on the event queue. Any thread. */
void viommu_report_fault(struct virtio_iommu *s, uint8_t reason, uint32_t flags,
			 uint32_t endpoint, uint64_t address);

extern const struct dma_space_ops viommu_dma_ops;

#endif
