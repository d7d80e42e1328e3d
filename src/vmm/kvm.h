/* SPDX-License-Identifier: GPL-2.0 */
/* The host's /dev/kvm: opened once per process, shared by every VM it runs. */
#ifndef SRIOVM_VMM_KVM_H
#define SRIOVM_VMM_KVM_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/kvm.h>

struct kvm {
	int fd;
	int vcpu_mmap_size;
	bool tsc_deadline;
	struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID */
};

#define KVM_DEVICE	"/dev/kvm"

/*
 * Opens path (KVM_DEVICE) and checks every capability sriovm relies on;
 * on failure, msg says what is wrong, naming path.
 */
int kvm_open(struct kvm *kvm, const char *path, char *msg, size_t len);
void kvm_close(struct kvm *kvm);

#endif
