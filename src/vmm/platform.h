/* SPDX-License-Identifier: GPL-2.0 */
/* The struct pci_platform of a VM: BAR decode on its buses, KVM MSI and ioeventfds. */
#ifndef SRIOVM_VMM_PLATFORM_H
#define SRIOVM_VMM_PLATFORM_H

#include "pci/platform.h"

struct vm;

void vm_platform_init(struct vm *vm, struct pci_platform *plat);

#endif
