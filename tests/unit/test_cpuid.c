// SPDX-License-Identifier: GPL-2.0
/* CPUID building for Intel and AMD supported sets. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/cpuid.h"

#define SIG	KVM_CPUID_FLAG_SIGNIFCANT_INDEX

static const struct kvm_cpuid_entry2 intel[] = {
	{ .function = 0, .eax = 0x1f, .ebx = 0x756e6547, .edx = 0x49656e69, .ecx = 0x6c65746e },
	{ .function = 1, .eax = 0x806c1, .ebx = 0x00010800, .ecx = 0x7ffafbff, .edx = 0x0f8bfbff },
	{ .function = 4, .index = 0, .flags = SIG, .eax = 0x1c004121 },
	{ .function = 4, .index = 1, .flags = SIG, .eax = 0x1c004122 },
	{ .function = 4, .index = 4, .flags = SIG, .eax = 0 },
	{ .function = 0x1f, .index = 0, .flags = SIG, .ebx = 2, .ecx = 0x100 },
	{ .function = 0x40000000, .eax = 0x40000001, .ebx = 0x4b4d564b },
	{ .function = 0x40000001, .eax = 0x01007afb },
	{ .function = 0x80000000, .eax = 0x80000008 },
};

static const struct kvm_cpuid_entry2 amd[] = {
	{ .function = 0, .eax = 0x10, .ebx = 0x68747541, .edx = 0x69746e65, .ecx = 0x444d4163 },
	{ .function = 1, .eax = 0x830f10, .ebx = 0x00000800, .ecx = 0x7ed8320b, .edx = 0x178bfbff },
	{ .function = 0x80000000, .eax = 0x8000001f },
	{ .function = 0x80000001, .ecx = 0x00400001 },	/* TOPOEXT, LAHF */
	{ .function = 0x80000008, .eax = 0x3030, .ecx = 0x7 },
	{ .function = 0x8000001e, .eax = 0x55, .ebx = 0x101, .ecx = 0x3 },
};

static struct kvm_cpuid_entry2 out[CPUID_MAX_ENTRIES];

static const struct kvm_cpuid_entry2 *find(int n, uint32_t fn, uint32_t idx)
{
	int i;

	for (i = 0; i < n; i++)
		if (out[i].function == fn && (!(out[i].flags & SIG) || out[i].index == idx))
			return &out[i];
	return NULL;
}

static int count(int n, uint32_t fn)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		c += out[i].function == fn;
	return c;
}

static void test_intel_topology(void **state)
{
	int n = cpuid_build(intel, 9, out, CPUID_MAX_ENTRIES, 3, 4, true);
	const struct kvm_cpuid_entry2 *e;

	assert_true(n > 0);
	e = find(n, 1, 0);
	assert_true(e->ecx & (1U << 31));		/* hypervisor */
	assert_true(e->ecx & (1U << 24));		/* TSC-deadline */
	assert_int_equal(e->ebx >> 24, 3);		/* APIC ID */
	assert_int_equal((e->ebx >> 16) & 0xff, 4);	/* logical CPUs */
	assert_true(e->edx & (1U << 28));		/* HTT */
	assert_int_equal(find(n, 4, 0)->eax >> 26, 3);	/* cores - 1 */
	assert_int_equal(find(n, 4, 4)->eax, 0);	/* the null level stays null */

	/* 0xB: SMT level of 1 thread, core level of 4, then the end marker. */
	assert_int_equal(count(n, 0xb), 3);
	e = find(n, 0xb, 0);
	assert_int_equal(e->ebx, 1);
	assert_int_equal(e->edx, 3);
	e = find(n, 0xb, 1);
	assert_int_equal(e->eax, 2);
	assert_int_equal(e->ebx, 4);
	assert_int_equal((e->ecx >> 8) & 0xff, 2);
	assert_int_equal(find(n, 0xb, 2)->ebx, 0);
	/* 0x1F existed, so it is rebuilt to agree with 0xB. */
	assert_int_equal(count(n, 0x1f), 3);
	assert_int_equal(find(n, 0x1f, 1)->ebx, 4);
	assert_non_null(find(n, 0x40000001, 0));
}

static void test_single_cpu_no_tsc_deadline(void **state)
{
	int n = cpuid_build(intel, 9, out, CPUID_MAX_ENTRIES, 0, 1, false);
	const struct kvm_cpuid_entry2 *e = find(n, 1, 0);

	assert_false(e->ecx & (1U << 24));
	assert_false(e->edx & (1U << 28));
	assert_int_equal((e->ebx >> 16) & 0xff, 1);
	assert_int_equal(find(n, 0xb, 1)->eax, 0);
}

static void test_amd_topology(void **state)
{
	int n = cpuid_build(amd, 6, out, CPUID_MAX_ENTRIES, 2, 3, false);
	const struct kvm_cpuid_entry2 *e;

	assert_true(n > 0);
	assert_int_equal(find(n, 0, 0)->eax, 0x10);	/* already >= 0xB */
	assert_true(find(n, 0x80000001, 0)->ecx & 2);	/* CmpLegacy */
	e = find(n, 0x80000008, 0);
	assert_int_equal(e->ecx & 0xff, 2);		/* NC = cores - 1 */
	assert_int_equal((e->ecx >> 12) & 0xf, 2);	/* ApicIdSize */
	e = find(n, 0x8000001e, 0);
	assert_int_equal(e->eax, 2);
	assert_int_equal(e->ebx, 2);
	assert_int_equal(e->ecx, 0);
	/* The KVM signature leaf is added when KVM did not list it. */
	e = find(n, 0x40000000, 0);
	assert_non_null(e);
	assert_memory_equal(&e->ebx, "KVMKVMKVM\0\0\0", 12);
	assert_int_equal(count(n, 0xb), 3);
}

static void test_basic_leaf_raised(void **state)
{
	struct kvm_cpuid_entry2 in[2] = { intel[0], intel[1] };
	int n;

	in[0].eax = 0xa;
	n = cpuid_build(in, 2, out, CPUID_MAX_ENTRIES, 0, 2, false);
	assert_int_equal(find(n, 0, 0)->eax, 0xb);
}

static void test_no_space(void **state)
{
	assert_int_equal(cpuid_build(intel, 9, out, 9, 0, 2, false), -ENOSPC);
	assert_int_equal(cpuid_build(intel, 9, out, 4, 0, 2, false), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_topology),
		cmocka_unit_test(test_single_cpu_no_tsc_deadline),
		cmocka_unit_test(test_amd_topology),
		cmocka_unit_test(test_basic_leaf_raised),
		cmocka_unit_test(test_no_space),
	};

	return cmocka_run_group_tests_name("cpuid", tests, NULL, NULL);
}
