/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One boot of the machine: the KVM VM, its RAM, vCPUs and devices. A guest
 * reboot destroys it and builds a new one from the same config, so no state
 * of one boot can leak into the next.
 */
#ifndef SRIOVM_VMM_VM_H
#define SRIOVM_VMM_VM_H

#include <pthread.h>
#include <stdbool.h>

#include "bus/bus.h"
#include "hw/acpi_pm.h"
#include "hw/debug_exit.h"
#include "hw/serial.h"
#include "lib/dma.h"
#include "lib/guest_mem.h"
#include "pci/host.h"
#include "pci/pci.h"
#include "pci/platform.h"
#include "vmm/config.h"
#include "vmm/console.h"
#include "vmm/irq.h"
#include "vmm/kvm.h"

enum vm_stop {
	VM_RUNNING,
	VM_STOP_POWEROFF,	/* exit 0 */
	VM_STOP_RESET,		/* reboot unless -no-reboot */
	VM_STOP_EXIT,		/* exit with vm->exit_status */
	VM_STOP_ERROR,		/* a fatal vCPU error; exit 1 */
};

struct vcpu;
struct vm_pci_dev;

struct vm {
	const struct vm_config *cfg;
	struct kvm *kvm;
	struct console *console;
	struct net *net;
	struct loop *loop;		/* the main loop: device notifiers, deferred work */
	int fd;
	int stop_fd;			/* eventfd: wakes the main loop */
	struct guest_mem mem;
	struct dma_space dma;		/* the devices': identity on mem */
	struct bus pio, mmio;
	struct irq_chip irq;
	bool irq_ready;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;

	pthread_mutex_t stop_lock;
	enum vm_stop stop;		/* first request wins */
	int exit_status;

	bool devices_ready;		/* serial and PCI root initialised */
	struct serial serial;
	struct debug_exit debug_exit;
	struct acpi_pm acpi_pm;
	struct pci_root pci;
	struct pci_device host_bridge;
	struct pci_platform plat;
	struct vm_pci_dev *pci_devs;	/* cfg->nr_pci_devs of them */
};

/* Reads the kernel/initrd named in cfg; messages name the file at fault. */
struct vm_images {
	uint8_t *kernel, *initrd;
	size_t kernel_size, initrd_size;
};
int vm_images_load(struct vm_images *img, const struct vm_config *cfg);
void vm_images_free(struct vm_images *img);

struct net;
/* net: the backends NICs attach to (net_create()); they outlive the VM. */
int vm_create(struct vm *vm, const struct vm_config *cfg, struct kvm *kvm,
	      struct console *console, struct net *net, struct loop *loop,
	      const struct vm_images *img);
/* Runs until a stop request; returns which. */
enum vm_stop vm_run(struct vm *vm, struct loop *loop);
void vm_destroy(struct vm *vm);
/* Any thread: records the first stop request and wakes the main loop. */
void vm_request_stop(struct vm *vm, enum vm_stop why, int status);

#endif
