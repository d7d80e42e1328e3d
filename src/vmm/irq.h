/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's interrupt routing table and the irqfds of MSI routes.
 *
 * KVM_SET_GSI_ROUTING replaces the whole table, so this module owns the
 * table: the in-kernel PIC/IOAPIC entries (GSI n -> IOAPIC pin n, and the
 * PIC for n < 16, as KVM sets them up by default and the MADT describes)
 * are sent again with every MSI change, so that the serial port on GSI 4
 * survives every route change a guest makes.
 */
#ifndef SRIOVM_VMM_IRQ_H
#define SRIOVM_VMM_IRQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define IRQ_NR_IOAPIC_PINS	24
#define IRQ_FIRST_MSI_GSI	IRQ_NR_IOAPIC_PINS

struct irq_msi_route {
	bool used;
	bool routed;		/* has a message: present in the KVM table */
	bool stale;		/* freed, its entry still in KVM's table until a commit */
	int fd;			/* irqfd */
	uint64_t addr;
	uint32_t data;
};

struct irq_chip {
	int vmfd;
	pthread_mutex_t lock;
	unsigned int max_gsi;		/* KVM's table size */
	unsigned int nr_routes, cap_routes;
	struct irq_msi_route *routes;	/* route n is GSI IRQ_FIRST_MSI_GSI + n */
	struct kvm_irq_routing *table;	/* scratch for commits */
};

int irq_init(struct irq_chip *ic, int vmfd, int kvmfd);
void irq_destroy(struct irq_chip *ic);
/* A new MSI route with its irqfd in *fd; no message until irq_msi_set(). */
int irq_msi_alloc(struct irq_chip *ic, int *fd);
int irq_msi_set(struct irq_chip *ic, int route, uint64_t addr, uint32_t data);
void irq_msi_free(struct irq_chip *ic, int route);

#endif
