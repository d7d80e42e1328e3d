// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "vmm/irq.h"

/* The i8259 cascade input: no device interrupt arrives on it. */
#define PIC_CASCADE_PIN		2

static unsigned int irq_nr_chip_entries(void)
{
	return IRQ_NR_IOAPIC_PINS + 16 - 1;
}

/* Sends the whole table: chip entries, then every MSI route with a message. */
static int irq_commit(struct irq_chip *ic)
{
	struct kvm_irq_routing_entry *e = ic->table->entries;
	unsigned int n = 0, i;

	for (i = 0; i < IRQ_NR_IOAPIC_PINS; i++) {
		e[n++] = (struct kvm_irq_routing_entry){
			.gsi = i, .type = KVM_IRQ_ROUTING_IRQCHIP,
			.u.irqchip = { .irqchip = KVM_IRQCHIP_IOAPIC, .pin = i },
		};
		if (i >= 16 || i == PIC_CASCADE_PIN)
			continue;
		e[n++] = (struct kvm_irq_routing_entry){
			.gsi = i, .type = KVM_IRQ_ROUTING_IRQCHIP,
			.u.irqchip = {
				.irqchip = i < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE,
				.pin = i % 8,
			},
		};
	}
	for (i = 0; i < ic->nr_routes; i++) {
		const struct irq_msi_route *r = &ic->routes[i];

		if (!r->used || !r->routed)
			continue;
		e[n++] = (struct kvm_irq_routing_entry){
			.gsi = IRQ_FIRST_MSI_GSI + i, .type = KVM_IRQ_ROUTING_MSI,
			.u.msi = {
				.address_lo = (uint32_t)r->addr,
				.address_hi = (uint32_t)(r->addr >> 32),
				.data = r->data,
			},
		};
	}
	ic->table->nr = n;
	ic->table->flags = 0;
	if (ioctl(ic->vmfd, KVM_SET_GSI_ROUTING, ic->table) < 0)
		return -errno;
	for (i = 0; i < ic->nr_routes; i++)
		ic->routes[i].stale = false;
	return 0;
}

int irq_init(struct irq_chip *ic, int vmfd, int kvmfd)
{
	int max = ioctl(kvmfd, KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING);
	int ret;

	memset(ic, 0, sizeof(*ic));
	ic->vmfd = vmfd;
	pthread_mutex_init(&ic->lock, NULL);
	if (max <= IRQ_FIRST_MSI_GSI) {
		ret = -ENOTSUP;
		goto err;
	}
	ic->max_gsi = (unsigned int)max;
	ic->table = calloc(1, sizeof(*ic->table) +
			   (irq_nr_chip_entries() + ic->max_gsi) * sizeof(ic->table->entries[0]));
	if (!ic->table) {
		ret = -ENOMEM;
		goto err;
	}
	ret = irq_commit(ic);
	if (ret)
		goto err;
	return 0;
err:
	irq_destroy(ic);
	return ret;
}

static void irq_route_release(struct irq_chip *ic, struct irq_msi_route *r, unsigned int gsi)
{
	struct kvm_irqfd irqfd = { .fd = (uint32_t)r->fd, .gsi = gsi,
				   .flags = KVM_IRQFD_FLAG_DEASSIGN };

	ioctl(ic->vmfd, KVM_IRQFD, &irqfd);
	close(r->fd);
	memset(r, 0, sizeof(*r));
}

void irq_destroy(struct irq_chip *ic)
{
	unsigned int i;

	for (i = 0; i < ic->nr_routes; i++) {
		if (ic->routes[i].used)
			irq_route_release(ic, &ic->routes[i], IRQ_FIRST_MSI_GSI + i);
	}
	free(ic->routes);
	free(ic->table);
	ic->routes = NULL;
	ic->table = NULL;
	ic->nr_routes = ic->cap_routes = 0;
	pthread_mutex_destroy(&ic->lock);
}

static int irq_route_slot(struct irq_chip *ic)
{
	struct irq_msi_route *grown;
	unsigned int i, cap;

	for (i = 0; i < ic->nr_routes; i++) {
		if (!ic->routes[i].used)
			return (int)i;
	}
	/* KVM bounds the table's entries: the chip's and one per MSI route. */
	if (irq_nr_chip_entries() + ic->nr_routes >= ic->max_gsi)
		return -ENOSPC;
	if (ic->nr_routes == ic->cap_routes) {
		cap = ic->cap_routes ? ic->cap_routes * 2 : 64;
		grown = realloc(ic->routes, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + ic->cap_routes, 0, (cap - ic->cap_routes) * sizeof(*grown));
		ic->routes = grown;
		ic->cap_routes = cap;
	}
	return (int)ic->nr_routes++;
}

int irq_msi_alloc(struct irq_chip *ic, int *fd)
{
	struct kvm_irqfd irqfd = { 0 };
	struct irq_msi_route *r;
	int n, efd, ret;

	pthread_mutex_lock(&ic->lock);
	n = irq_route_slot(ic);
	if (n < 0)
		goto out;
	/* A reused slot must not raise its last owner's message. */
	if (ic->routes[n].stale) {
		ret = irq_commit(ic);
		if (ret) {
			n = ret;
			goto out;
		}
	}
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0) {
		n = -errno;
		goto out;
	}
	irqfd.fd = (uint32_t)efd;
	irqfd.gsi = IRQ_FIRST_MSI_GSI + (unsigned int)n;
	if (ioctl(ic->vmfd, KVM_IRQFD, &irqfd) < 0) {
		n = -errno;
		close(efd);
		goto out;
	}
	r = &ic->routes[n];
	*r = (struct irq_msi_route){ .used = true, .fd = efd };
	*fd = efd;
out:
	pthread_mutex_unlock(&ic->lock);
	return n;
}

static struct irq_msi_route *irq_route_get(struct irq_chip *ic, int route)
{
	if (route < 0 || (unsigned int)route >= ic->nr_routes || !ic->routes[route].used)
		return NULL;
	return &ic->routes[route];
}

int irq_msi_set(struct irq_chip *ic, int route, uint64_t addr, uint32_t data)
{
	struct irq_msi_route *r, old;
	int ret = 0;

	pthread_mutex_lock(&ic->lock);
	r = irq_route_get(ic, route);
	if (!r) {
		ret = -ENOENT;
		goto out;
	}
	if (r->routed && r->addr == addr && r->data == data)
		goto out;
	old = *r;
	r->addr = addr;
	r->data = data;
	r->routed = true;
	ret = irq_commit(ic);
	/* A message KVM refuses must not poison every later commit. */
	if (ret)
		*r = old;
out:
	pthread_mutex_unlock(&ic->lock);
	return ret;
}

void irq_msi_free(struct irq_chip *ic, int route)
{
	struct irq_msi_route *r;

	/*
	 * No commit: with its irqfd gone the stale entry cannot fire, and
	 * the next commit (a set, or this slot's reuse) drops it. Freeing a
	 * device's vectors thus costs no table rewrite each.
	 */
	pthread_mutex_lock(&ic->lock);
	r = irq_route_get(ic, route);
	if (r) {
		bool routed = r->routed;

		irq_route_release(ic, r, IRQ_FIRST_MSI_GSI + (unsigned int)route);
		r->stale = routed;
	}
	pthread_mutex_unlock(&ic->lock);
}
