// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-probe: does this host's /dev/kvm run guest code on the CPU, or does
 * it emulate every instruction?  Times a 10^7-iteration loop in a minimal
 * real-mode guest: hardware virtualization takes milliseconds, an emulating
 * KVM about 20 s, so the loop is cut short after one second.
 *
 * Prints "native <ms>" and exits 0, or prints "slow <reason>" and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE	0x10000
#define CODE_ADDR	0x1000
#define LIMIT_MS	1000

/* mov ecx, 10000000; 1: dec ecx; jnz 1b; hlt */
static const uint8_t loop_code[] = {
	0x66, 0xb9, 0x80, 0x96, 0x98, 0x00,
	0x66, 0x49,
	0x75, 0xfc,
	0xf4,
};

static void on_alarm(int sig)
{
}

static int slow(const char *why)
{
	printf("slow %s\n", why);
	return 1;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct itimerval timer = { .it_value.tv_sec = LIMIT_MS / 1000 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	struct timespec t0;
	int kvm, vm, vcpu, size;
	uint8_t *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return slow("there is no /dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return slow("KVM_CREATE_VM failed");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return slow("mmap failed");
	memcpy(mem + CODE_ADDR, loop_code, sizeof(loop_code));
	region.memory_size = MEM_SIZE;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return slow("KVM_SET_USER_MEMORY_REGION failed");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu < 0 || size <= 0)
		return slow("KVM_CREATE_VCPU failed");
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return slow("vcpu mmap failed");

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return slow("KVM_GET_SREGS failed");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return slow("KVM_SET_SREGS failed");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_ADDR;
	regs.rflags = 0x2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return slow("KVM_SET_REGS failed");

	/* The alarm interrupts KVM_RUN (EINTR) if the loop is too slow. */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &timer, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				return slow("its KVM emulates instructions (a 10^7-iteration loop took over a second)");
			return slow("KVM_RUN failed");
		}
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_INTR)
			return slow("unexpected exit");
	}
	printf("native %ld\n", elapsed_ms(&t0));
	return 0;
}
