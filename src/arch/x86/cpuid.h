/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SRIOVM_ARCH_X86_CPUID_H
#define SRIOVM_ARCH_X86_CPUID_H

#include <stdbool.h>

#include <linux/kvm.h>

#define CPUID_MAX_ENTRIES	256

/*
 * Builds the CPUID table of vCPU `cpu` of `ncpus` from KVM's supported
 * set: hypervisor bit, KVM leaves, APIC IDs and a topology of ncpus cores
 * in one package (Intel leaves 1, 4, 0xB, 0x1F; AMD 1, 0x80000008,
 * 0x8000001E), TSC-deadline when KVM emulates it. Returns the number of
 * entries written to out, or -ENOSPC.
 */
int cpuid_build(const struct kvm_cpuid_entry2 *sup, unsigned int nsup,
		struct kvm_cpuid_entry2 *out, unsigned int max,
		unsigned int cpu, unsigned int ncpus, bool tsc_deadline);

#endif
