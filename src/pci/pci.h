/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI functions, buses and the root complex. A bus is 256 devfn slots; a
 * function that is absent reads all-ones and ignores writes, whatever its
 * number (functions are first-class, not "function 0 plus extras").
 */
#ifndef SRIOVM_PCI_PCI_H
#define SRIOVM_PCI_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "pci/config.h"

#define PCI_NR_DEVFN		256
#define PCI_NR_BUSES		256

/* Class codes (linux/pci_ids.h is not UAPI). */
#define PCI_CLASS_BRIDGE_HOST	0x0600
#define PCI_CLASS_BRIDGE_PCI	0x0604

struct pci_device;

struct pci_device_ops {
	/* Called after the generic masked write, for side effects. */
	void (*config_written)(struct pci_device *d, unsigned int off, uint32_t val,
			       unsigned int len);
};

struct pci_device {
	struct pci_config cfg;
	const struct pci_device_ops *ops;
	const char *name;
	uint8_t devfn;
	struct pci_bus *bus;
	void *priv;
};

struct pci_bus {
	uint8_t number;
	struct pci_device *devs[PCI_NR_DEVFN];
};

struct pci_root {
	pthread_mutex_t lock;	/* serialises config accesses from all vCPUs */
	struct pci_bus bus0;
	uint32_t cf8;		/* CONFIG_ADDRESS latch */
};

void pci_root_init(struct pci_root *root);
void pci_root_destroy(struct pci_root *root);
int pci_bus_attach(struct pci_bus *bus, struct pci_device *d, uint8_t devfn);
/* One config access of 1, 2 or 4 bytes; absent functions read all-ones. */
uint32_t pci_root_config_read(struct pci_root *root, uint8_t bus, uint8_t devfn,
			      unsigned int off, unsigned int len);
void pci_root_config_write(struct pci_root *root, uint8_t bus, uint8_t devfn,
			   unsigned int off, uint32_t val, unsigned int len);

#endif
