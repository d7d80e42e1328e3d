/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SRIOVM_VMM_VCPU_H
#define SRIOVM_VMM_VCPU_H

#include <pthread.h>
#include <stdbool.h>

#include <linux/kvm.h>

struct vm;
struct boot_info;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool started;
};

int vcpu_create(struct vcpu *v, struct vm *vm, unsigned int id);
/* Boot CPU only: long mode at the kernel's 64-bit entry. */
int vcpu_setup_boot(struct vcpu *v, const struct boot_info *info);
int vcpu_start(struct vcpu *v);
/* Makes KVM_RUN return at once and joins the thread. */
void vcpu_stop(struct vcpu *v);
void vcpu_destroy(struct vcpu *v);
/* Installs the no-op signal that kicks vCPU threads out of KVM_RUN. */
int vcpu_init_kick_signal(void);

#endif
