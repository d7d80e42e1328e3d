// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID for the guest. KVM's supported set (seen in nested setups) may lack
 * the hypervisor bit, TSC-deadline and every topology leaf; without them
 * Linux finds no kvm-clock or a topology that disagrees with the MADT.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86/cpuid.h"

#define CPUID_1_ECX_TSC_DEADLINE	(1U << 24)
#define CPUID_1_ECX_HYPERVISOR		(1U << 31)
#define CPUID_1_EDX_HTT			(1U << 28)
#define CPUID_80000001_ECX_CMP_LEGACY	(1U << 1)
#define CPUID_80000001_ECX_TOPOEXT	(1U << 22)
#define TOPO_LEVEL_SMT			1
#define TOPO_LEVEL_CORE			2
#define KVM_CPUID_SIGNATURE		0x40000000
#define KVM_CPUID_FEATURES		0x40000001

struct cpuid_table {
	struct kvm_cpuid_entry2 *e;
	unsigned int n, max;
};

static struct kvm_cpuid_entry2 *cpuid_find(struct cpuid_table *t, uint32_t fn, uint32_t idx)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		if (t->e[i].function != fn)
			continue;
		if ((t->e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) && t->e[i].index != idx)
			continue;
		return &t->e[i];
	}
	return NULL;
}

static void cpuid_remove(struct cpuid_table *t, uint32_t fn)
{
	unsigned int i = 0;

	while (i < t->n) {
		if (t->e[i].function == fn) {
			memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(t->e[0]));
			t->n--;
		} else {
			i++;
		}
	}
}

static int cpuid_add(struct cpuid_table *t, uint32_t fn, uint32_t idx, uint32_t flags,
		     uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	struct kvm_cpuid_entry2 *e;

	if (t->n >= t->max)
		return -ENOSPC;
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = idx;
	e->flags = flags;
	e->eax = eax;
	e->ebx = ebx;
	e->ecx = ecx;
	e->edx = edx;
	return 0;
}

/* Bits needed to hold an APIC ID field for n things: ceil(log2(n)). */
static unsigned int order_of(unsigned int n)
{
	unsigned int s = 0;

	while ((1U << s) < n)
		s++;
	return s;
}

static bool cpuid_is_amd(struct cpuid_table *t)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(t, 0, 0);

	/* "AuthenticAMD" and "HygonGenuine" both use the AMD leaves. */
	return e && ((e->ebx == 0x68747541 && e->edx == 0x69746e65) ||
		     (e->ebx == 0x6f677948 && e->edx == 0x6e65476e));
}

/* Extended topology (0xB, and 0x1F when present): ncpus cores of 1 thread. */
static int cpuid_topology_leaf(struct cpuid_table *t, uint32_t fn, unsigned int cpu,
			       unsigned int ncpus)
{
	uint32_t f = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	int ret;

	cpuid_remove(t, fn);
	ret = cpuid_add(t, fn, 0, f, 0, 1, TOPO_LEVEL_SMT << 8 | 0, cpu);
	if (!ret)
		ret = cpuid_add(t, fn, 1, f, order_of(ncpus), ncpus, TOPO_LEVEL_CORE << 8 | 1, cpu);
	if (!ret)
		ret = cpuid_add(t, fn, 2, f, 0, 0, 2, cpu);
	return ret;
}

int cpuid_build(const struct kvm_cpuid_entry2 *sup, unsigned int nsup,
		struct kvm_cpuid_entry2 *out, unsigned int max,
		unsigned int cpu, unsigned int ncpus, bool tsc_deadline)
{
	struct cpuid_table t = { .e = out, .n = 0, .max = max };
	struct kvm_cpuid_entry2 *e;
	bool had_1f, amd;
	unsigned int i;
	int ret;

	if (nsup > max)
		return -ENOSPC;
	memcpy(out, sup, nsup * sizeof(*sup));
	t.n = nsup;
	amd = cpuid_is_amd(&t);

	e = cpuid_find(&t, 0, 0);
	if (e && e->eax < 0xb)
		e->eax = 0xb;

	e = cpuid_find(&t, 1, 0);
	if (e) {
		e->ecx |= CPUID_1_ECX_HYPERVISOR;
		/* Only the in-kernel LAPIC decides whether the timer mode exists. */
		if (tsc_deadline)
			e->ecx |= CPUID_1_ECX_TSC_DEADLINE;
		else
			e->ecx &= ~CPUID_1_ECX_TSC_DEADLINE;
		e->ebx = (e->ebx & 0x0000ffff) | cpu << 24 | (ncpus & 0xff) << 16;
		if (ncpus > 1)
			e->edx |= CPUID_1_EDX_HTT;
		else
			e->edx &= ~CPUID_1_EDX_HTT;
	}

	/* Deterministic cache parameters: cores per package in EAX[31:26]. */
	for (i = 0; i < t.n; i++) {
		e = &t.e[i];
		if (e->function == 4 && (e->eax & 0x1f))
			e->eax = (e->eax & 0x03ffffff) | (ncpus - 1) << 26;
	}

	had_1f = cpuid_find(&t, 0x1f, 0) != NULL;
	ret = cpuid_topology_leaf(&t, 0xb, cpu, ncpus);
	if (!ret && had_1f)
		ret = cpuid_topology_leaf(&t, 0x1f, cpu, ncpus);
	if (ret)
		return ret;

	if (!cpuid_find(&t, KVM_CPUID_SIGNATURE, 0)) {
		/* "KVMKVMKVM\0\0\0": Linux looks for it before using kvm-clock. */
		ret = cpuid_add(&t, KVM_CPUID_SIGNATURE, 0, 0, KVM_CPUID_FEATURES,
				0x4b4d564b, 0x564b4d56, 0x4d);
		if (ret)
			return ret;
	}

	if (amd) {
		e = cpuid_find(&t, 0x80000001, 0);
		if (e) {
			if (ncpus > 1)
				e->ecx |= CPUID_80000001_ECX_CMP_LEGACY;
			else
				e->ecx &= ~CPUID_80000001_ECX_CMP_LEGACY;
		}
		e = cpuid_find(&t, 0x80000008, 0);
		if (e)
			e->ecx = (e->ecx & ~0xf0ffU) | order_of(ncpus) << 12 | (ncpus - 1);
		e = cpuid_find(&t, 0x8000001e, 0);
		if (e) {
			e->eax = cpu;			/* extended APIC ID */
			e->ebx = cpu & 0xff;		/* core ID, one thread per core */
			e->ecx = 0;			/* node 0, one node */
		}
	}
	return t.n;
}
