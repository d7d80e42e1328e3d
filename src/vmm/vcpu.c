// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU threads. Each runs KVM_RUN and serves port I/O and MMIO exits
 * through the VM's buses; everything else in-kernel (LAPIC, IOAPIC, PIT).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch/x86/boot.h"
#include "arch/x86/cpuid.h"
#include "lib/log.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define VCPU_KICK_SIGNAL	SIGUSR1

/* Local APIC register offsets and delivery modes (Intel SDM vol. 3, 10.5.1). */
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_MODE_NMI		0x4
#define APIC_MODE_EXTINT	0x7

static void vcpu_kick_handler(int sig)
{
	(void)sig;	/* only there to interrupt KVM_RUN */
}

int vcpu_init_kick_signal(void)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };

	sigemptyset(&sa.sa_mask);
	return sigaction(VCPU_KICK_SIGNAL, &sa, NULL) ? -errno : 0;
}

static int vcpu_set_cpuid(struct vcpu *v)
{
	const struct kvm_cpuid2 *sup = v->vm->kvm->cpuid;
	struct kvm_cpuid2 *c;
	int n, ret = 0;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES * sizeof(c->entries[0]));
	if (!c)
		return -ENOMEM;
	n = cpuid_build(sup->entries, sup->nent, c->entries, CPUID_MAX_ENTRIES, v->id,
			v->vm->nr_vcpus, v->vm->kvm->tsc_deadline);
	if (n < 0) {
		ret = n;
		goto out;
	}
	c->nent = n;
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		ret = -errno;
out:
	free(c);
	return ret;
}

static void lapic_set_lvt(struct kvm_lapic_state *l, unsigned int reg, uint32_t mode)
{
	uint32_t val;

	memcpy(&val, &l->regs[reg], 4);
	val = (val & ~0x700U) | mode << 8;
	memcpy(&l->regs[reg], &val, 4);
}

/* LINT0 as ExtINT and LINT1 as NMI: the virtual-wire setup firmware leaves. */
static int vcpu_set_lint(struct vcpu *v)
{
	struct kvm_lapic_state l;

	if (ioctl(v->fd, KVM_GET_LAPIC, &l) < 0)
		return -errno;
	lapic_set_lvt(&l, APIC_LVT_LINT0, APIC_MODE_EXTINT);
	lapic_set_lvt(&l, APIC_LVT_LINT1, APIC_MODE_NMI);
	return ioctl(v->fd, KVM_SET_LAPIC, &l) < 0 ? -errno : 0;
}

int vcpu_create(struct vcpu *v, struct vm *vm, unsigned int id)
{
	int ret;

	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return -errno;
	v->run = mmap(NULL, vm->kvm->vcpu_mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->fd, 0);
	if (v->run == MAP_FAILED) {
		ret = -errno;
		v->run = NULL;
		goto err;
	}
	ret = vcpu_set_cpuid(v);
	if (!ret)
		ret = vcpu_set_lint(v);
	if (ret)
		goto err;
	return 0;
err:
	vcpu_destroy(v);
	return ret;
}

int vcpu_setup_boot(struct vcpu *v, const struct boot_info *info)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };	/* FNINIT state */

	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	boot_regs(info, &regs, &sregs);
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0 || ioctl(v->fd, KVM_SET_REGS, &regs) < 0 ||
	    ioctl(v->fd, KVM_SET_FPU, &fpu) < 0)
		return -errno;
	return 0;
}

static void vcpu_io(struct vcpu *v)
{
	struct kvm_run *r = v->run;
	uint8_t *data = (uint8_t *)r + r->io.data_offset;
	bool write = r->io.direction == KVM_EXIT_IO_OUT;
	uint32_t i;

	/* A rep ins/outs arrives as count consecutive accesses to one port. */
	for (i = 0; i < r->io.count; i++, data += r->io.size) {
		if (!bus_access(&v->vm->pio, r->io.port, data, r->io.size, write) && !write)
			memset(data, 0xff, r->io.size);
	}
}

static void vcpu_mmio(struct vcpu *v)
{
	struct kvm_run *r = v->run;
	unsigned int len = r->mmio.len <= sizeof(r->mmio.data) ? r->mmio.len : sizeof(r->mmio.data);

	if (!bus_access(&v->vm->mmio, r->mmio.phys_addr, r->mmio.data, len, r->mmio.is_write) &&
	    !r->mmio.is_write)
		memset(r->mmio.data, 0xff, len);
}

static void vcpu_report(struct vcpu *v, const char *what)
{
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) == 0)
		log_error(NULL, "vCPU %u: %s at rip 0x%llx", v->id, what,
			(unsigned long long)regs.rip);
	else
		log_error(NULL, "vCPU %u: %s", v->id, what);
}

static bool vcpu_stopping(const struct vcpu *v)
{
	return __atomic_load_n(&v->vm->stop, __ATOMIC_ACQUIRE) != VM_RUNNING;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct kvm_run *r = v->run;
	char msg[96];

	while (!vcpu_stopping(v)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(msg, sizeof(msg), "KVM_RUN failed: %s", strerror(errno));
			vcpu_report(v, msg);
			vm_request_stop(v->vm, VM_STOP_ERROR, 1);
			break;
		}
		switch (r->exit_reason) {
		case KVM_EXIT_IO:
			vcpu_io(v);
			break;
		case KVM_EXIT_MMIO:
			vcpu_mmio(v);
			break;
		case KVM_EXIT_HLT:
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_SHUTDOWN:
			/* A triple fault resets the machine, as on a PC. */
			vm_request_stop(v->vm, VM_STOP_RESET, 0);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			vm_request_stop(v->vm, r->system_event.type == KVM_SYSTEM_EVENT_RESET ?
					VM_STOP_RESET : VM_STOP_POWEROFF, 0);
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			snprintf(msg, sizeof(msg), "KVM internal error, suberror %u",
				 r->internal.suberror);
			vcpu_report(v, msg);
			vm_request_stop(v->vm, VM_STOP_ERROR, 1);
			break;
		case KVM_EXIT_FAIL_ENTRY:
			snprintf(msg, sizeof(msg), "VM entry failed, reason 0x%llx",
				 (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
			vcpu_report(v, msg);
			vm_request_stop(v->vm, VM_STOP_ERROR, 1);
			break;
		default:
			snprintf(msg, sizeof(msg), "unhandled exit reason %u", r->exit_reason);
			vcpu_report(v, msg);
			vm_request_stop(v->vm, VM_STOP_ERROR, 1);
			break;
		}
	}
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	sigset_t set, old;
	int ret;

	/* The thread inherits a mask that lets only the kick signal in. */
	sigfillset(&set);
	sigdelset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_SETMASK, &set, &old);
	ret = -pthread_create(&v->thread, NULL, vcpu_thread, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!ret)
		v->started = true;
	return ret;
}

void vcpu_stop(struct vcpu *v)
{
	if (!v->started)
		return;
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_RELEASE);
	pthread_kill(v->thread, VCPU_KICK_SIGNAL);
	pthread_join(v->thread, NULL);
	v->started = false;
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->vm->kvm->vcpu_mmap_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}
