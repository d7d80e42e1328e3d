// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the AML writer: encodings checked byte by byte. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/acpi/aml.h"

#define BUF_SIZE	4096

static uint8_t buf[BUF_SIZE];

/* Runs the emitted bytes against an expected byte string. */
static void expect_bytes(struct aml *a, const uint8_t *want, size_t n)
{
	assert_int_equal(aml_finish(a), n);
	assert_memory_equal(a->buf, want, n);
}

/* Decodes a PkgLength; returns its byte count and sets *len. */
static unsigned int pkglen_decode(const uint8_t *p, uint32_t *len)
{
	unsigned int n = (p[0] >> 6) + 1, i;

	if (n == 1) {
		*len = p[0] & 0x3f;
		return 1;
	}
	assert_int_equal(p[0] & 0x30, 0);	/* reserved bits */
	*len = p[0] & 0xf;
	for (i = 1; i < n; i++)
		*len |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	return n;
}

static void test_pkglen_encode_boundaries(void **state)
{
	static const struct {
		uint32_t len;
		int n;
		uint8_t bytes[4];
	} cases[] = {
		{ 0, 1, { 0x00 } },
		{ 1, 1, { 0x01 } },
		{ 63, 1, { 0x3f } },
		{ 64, 2, { 0x40, 0x04 } },
		{ 0x123, 2, { 0x43, 0x12 } },
		{ 4095, 2, { 0x4f, 0xff } },
		{ 4096, 3, { 0x80, 0x00, 0x01 } },
		{ 0xfffff, 3, { 0x8f, 0xff, 0xff } },
		{ 0x100000, 4, { 0xc0, 0x00, 0x00, 0x01 } },
		{ 0x0fffffff, 4, { 0xcf, 0xff, 0xff, 0xff } },
	};
	uint8_t out[AML_PKGLEN_MAX_BYTES];
	uint32_t back;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 0xaa, sizeof(out));
		assert_int_equal(aml_pkglen_encode(out, cases[i].len), cases[i].n);
		assert_memory_equal(out, cases[i].bytes, cases[i].n);
		assert_int_equal(pkglen_decode(out, &back), cases[i].n);
		assert_int_equal(back, cases[i].len);
	}
	assert_int_equal(aml_pkglen_encode(out, 0x10000000), -EINVAL);
}

/* The encoded length counts itself: a body of 63 bytes needs 2 bytes. */
static void test_pkglen_size_boundaries(void **state)
{
	assert_int_equal(aml_pkglen_size(0), 1);
	assert_int_equal(aml_pkglen_size(62), 1);
	assert_int_equal(aml_pkglen_size(63), 2);
	assert_int_equal(aml_pkglen_size(4093), 2);
	assert_int_equal(aml_pkglen_size(4094), 3);
	assert_int_equal(aml_pkglen_size(0xffffc), 3);
	assert_int_equal(aml_pkglen_size(0xffffd), 4);
	assert_int_equal(aml_pkglen_size(0xffffffb), 4);
	assert_int_equal(aml_pkglen_size(0xffffffc), 0);
}

/*
 * A Scope whose body (name + filler) has exactly body bytes: the prefix
 * must have the expected size and decode to prefix + body.
 */
static void check_scope_body(size_t body, unsigned int want_prefix)
{
	size_t size = body + 16;
	uint8_t *big = malloc(size);
	struct aml a;
	uint32_t len;
	size_t i;

	assert_non_null(big);
	aml_init(&a, big, size);
	aml_scope_begin(&a, "\\");		/* 0x5c 0x00 */
	for (i = 2; i < body; i++)
		aml_byte(&a, (uint8_t)i);
	aml_end(&a);
	assert_int_equal(aml_finish(&a), 1 + want_prefix + body);
	assert_int_equal(big[0], AML_SCOPE_OP);
	assert_int_equal(pkglen_decode(big + 1, &len), want_prefix);
	assert_int_equal(len, want_prefix + body);
	/* The body moved intact behind the prefix. */
	assert_int_equal(big[1 + want_prefix], '\\');
	assert_int_equal(big[2 + want_prefix], AML_NULL_NAME);
	assert_int_equal(big[1 + want_prefix + body - 1], (uint8_t)(body - 1));
	free(big);
}

static void test_scope_pkglen_boundaries(void **state)
{
	check_scope_body(62, 1);
	check_scope_body(63, 2);
	check_scope_body(4093, 2);
	check_scope_body(4094, 3);
	check_scope_body(0xffffc, 3);
	check_scope_body(0xffffd, 4);
}

static void test_name_strings(void **state)
{
	static const struct {
		const char *path;
		size_t n;
		uint8_t bytes[24];
	} cases[] = {
		{ "PCI0", 4, { 'P', 'C', 'I', '0' } },
		{ "_SB", 4, { '_', 'S', 'B', '_' } },
		{ "A", 4, { 'A', '_', '_', '_' } },
		{ "\\_SB", 5, { '\\', '_', 'S', 'B', '_' } },
		{ "\\", 2, { '\\', 0x00 } },
		{ "", 1, { 0x00 } },
		{ "\\_SB.PCI0", 10,
		  { '\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0' } },
		{ "\\_SB.PCI0.S08", 15,
		  { '\\', 0x2f, 3, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
		    'S', '0', '8', '_' } },
		{ "^^DEV", 6, { '^', '^', 'D', 'E', 'V', '_' } },
		{ "^A.B", 10, { '^', 0x2e, 'A', '_', '_', '_', 'B', '_', '_', '_' } },
	};
	struct aml a;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		aml_init(&a, buf, sizeof(buf));
		aml_name_string(&a, cases[i].path);
		expect_bytes(&a, cases[i].bytes, cases[i].n);
	}
}

static void test_name_strings_invalid(void **state)
{
	static const char *const bad[] = {
		"pci0", "ABCDE", "1ABC", "A..B", "A.", ".A", "\\^A", "A-B", "^\\A",
	};
	struct aml a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aml_init(&a, buf, sizeof(buf));
		aml_name_string(&a, bad[i]);
		assert_int_equal(aml_finish(&a), -EINVAL);
	}
}

static void test_integers(void **state)
{
	static const struct {
		uint64_t v;
		size_t n;
		uint8_t bytes[9];
	} cases[] = {
		{ 0, 1, { 0x00 } },
		{ 1, 1, { 0x01 } },
		{ 2, 2, { 0x0a, 0x02 } },
		{ 0xff, 2, { 0x0a, 0xff } },
		{ 0x100, 3, { 0x0b, 0x00, 0x01 } },
		{ 0xffff, 3, { 0x0b, 0xff, 0xff } },
		{ 0x10000, 5, { 0x0c, 0x00, 0x00, 0x01, 0x00 } },
		{ 0xffffffff, 5, { 0x0c, 0xff, 0xff, 0xff, 0xff } },
		{ 0x100000000, 9, { 0x0e, 0, 0, 0, 0, 1, 0, 0, 0 } },
		{ 0x1122334455667788, 9,
		  { 0x0e, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 } },
		{ UINT64_MAX, 1, { 0xff } },
		{ UINT64_MAX - 1, 9,
		  { 0x0e, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	struct aml a;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		aml_init(&a, buf, sizeof(buf));
		aml_integer(&a, cases[i].v);
		expect_bytes(&a, cases[i].bytes, cases[i].n);
	}
}

static void test_string(void **state)
{
	static const uint8_t want[] = { 0x0d, 'a', 'B', '1', 0x00 };
	struct aml a;

	aml_init(&a, buf, sizeof(buf));
	aml_string(&a, "aB1");
	expect_bytes(&a, want, sizeof(want));

	aml_init(&a, buf, sizeof(buf));
	aml_string(&a, "\xc3\xa9");
	assert_int_equal(aml_finish(&a), -EINVAL);
}

static void test_eisaid(void **state)
{
	static const uint8_t want[] = { 0x0c, 0x41, 0xd0, 0x0a, 0x08 };
	uint32_t v;
	struct aml a;

	assert_int_equal(aml_eisaid_value("PNP0A08", &v), 0);
	assert_int_equal(v, 0x080ad041);
	assert_int_equal(aml_eisaid_value("PNP0A03", &v), 0);
	assert_int_equal(v, 0x030ad041);
	assert_int_equal(aml_eisaid_value("PNP0C02", &v), 0);
	assert_int_equal(v, 0x020cd041);
	assert_int_equal(aml_eisaid_value("PNP0501", &v), 0);
	assert_int_equal(v, 0x0105d041);
	assert_int_equal(aml_eisaid_value("pnp0a08", &v), -EINVAL);
	assert_int_equal(aml_eisaid_value("PNP0A0", &v), -EINVAL);
	assert_int_equal(aml_eisaid_value("PNP0A080", &v), -EINVAL);
	assert_int_equal(aml_eisaid_value("PNP0G08", &v), -EINVAL);

	aml_init(&a, buf, sizeof(buf));
	aml_eisaid(&a, "PNP0A08");
	expect_bytes(&a, want, sizeof(want));
	aml_init(&a, buf, sizeof(buf));
	aml_eisaid(&a, "PNP0A8");
	assert_int_equal(aml_finish(&a), -EINVAL);
}

static void test_name_and_package(void **state)
{
	/* Name(\_S5_, Package(4) { 5, 0, 0, 0 }) */
	static const uint8_t want[] = {
		0x08, '\\', '_', 'S', '5', '_',
		0x12, 0x07, 0x04, 0x0a, 0x05, 0x00, 0x00, 0x00,
	};
	struct aml a;

	aml_init(&a, buf, sizeof(buf));
	aml_name(&a, "\\_S5_");
	aml_package_begin(&a);
	aml_integer(&a, 5);
	aml_integer(&a, 0);
	aml_integer(&a, 0);
	aml_integer(&a, 0);
	aml_end(&a);
	expect_bytes(&a, want, sizeof(want));
}

/* Elements are counted per package: a nested package is one element. */
static void test_nested_package_counts(void **state)
{
	static const uint8_t want[] = {
		0x12, 0x0b, 0x03,
		0x12, 0x03, 0x01, 0x01,		/* Package { One } */
		0x0d, 'x', 0x00,		/* "x" */
		0x0a, 0x02,			/* 2 */
	};
	struct aml a;

	aml_init(&a, buf, sizeof(buf));
	aml_package_begin(&a);
	aml_package_begin(&a);
	aml_integer(&a, 1);
	aml_end(&a);
	aml_string(&a, "x");
	aml_integer(&a, 2);
	aml_end(&a);
	expect_bytes(&a, want, sizeof(want));
}

static void test_package_too_many_elements(void **state)
{
	struct aml a;
	int i;

	aml_init(&a, buf, sizeof(buf));
	aml_package_begin(&a);
	for (i = 0; i < 256; i++)
		aml_integer(&a, 0);
	aml_end(&a);
	assert_int_equal(aml_finish(&a), -E2BIG);

	aml_init(&a, buf, sizeof(buf));
	aml_package_begin(&a);
	for (i = 0; i < 255; i++)
		aml_integer(&a, 0);
	aml_end(&a);
	assert_int_equal(aml_finish(&a), 1 + 2 + 1 + 255);
	assert_int_equal(buf[3], 255);
}

static void test_device_and_scope(void **state)
{
	/* Scope(\_SB) { Device(PCI0) { Name(_UID, Zero) } } */
	static const uint8_t want[] = {
		0x10, 0x13, '\\', '_', 'S', 'B', '_',
		0x5b, 0x82, 0x0b, 'P', 'C', 'I', '0',
		0x08, '_', 'U', 'I', 'D', 0x00,
	};
	struct aml a;

	aml_init(&a, buf, sizeof(buf));
	aml_scope_begin(&a, "\\_SB");
	aml_device_begin(&a, "PCI0");
	aml_name(&a, "_UID");
	aml_integer(&a, 0);
	aml_end(&a);
	aml_end(&a);
	expect_bytes(&a, want, sizeof(want));
}

static void test_buffer(void **state)
{
	static const uint8_t want3[] = { 0x11, 0x06, 0x0a, 0x03, 0xaa, 0xbb, 0xcc };
	static const uint8_t want1[] = { 0x11, 0x03, 0x01, 0xaa };
	struct aml a;
	uint32_t len;
	int i;

	aml_init(&a, buf, sizeof(buf));
	aml_buffer_begin(&a);
	aml_byte(&a, 0xaa);
	aml_byte(&a, 0xbb);
	aml_byte(&a, 0xcc);
	aml_end(&a);
	expect_bytes(&a, want3, sizeof(want3));

	aml_init(&a, buf, sizeof(buf));
	aml_buffer_begin(&a);
	aml_byte(&a, 0xaa);
	aml_end(&a);
	expect_bytes(&a, want1, sizeof(want1));

	/* 300 bytes: a WordPrefix size and a two-byte PkgLength. */
	aml_init(&a, buf, sizeof(buf));
	aml_buffer_begin(&a);
	for (i = 0; i < 300; i++)
		aml_byte(&a, 0x5a);
	aml_end(&a);
	assert_int_equal(aml_finish(&a), 1 + 2 + 3 + 300);
	assert_int_equal(pkglen_decode(buf + 1, &len), 2);
	assert_int_equal(len, 2 + 3 + 300);
	assert_int_equal(buf[3], AML_WORD_PREFIX);
	assert_int_equal(buf[4] | buf[5] << 8, 300);
}

static void test_resource_descriptors(void **state)
{
	static const uint8_t bus[] = {
		0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00,
		0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x01,
	};
	static const uint8_t io[] = { 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08 };
	static const uint8_t wio[] = {
		0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03,
		0x00, 0x00, 0x00, 0x0d, 0xff, 0xff, 0x00, 0x00, 0x00, 0xf3,
	};
	static const uint8_t dmem[] = {
		0x87, 0x17, 0x00, 0x00, 0x0c, 0x01,
		0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x00, 0xc0,
		0xff, 0xff, 0xbf, 0xfe,  0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0xc0, 0x3e,
	};
	static const uint8_t qmem[] = {
		0x8a, 0x2b, 0x00, 0x00, 0x0c, 0x03,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0x10, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0x1f, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0x10, 0, 0, 0,
	};
	static const uint8_t mem32[] = {
		0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0xb0, 0x00, 0x00, 0x00, 0x10,
	};
	static const uint8_t irq[] = { 0x22, 0x10, 0x00 };
	struct aml a;

	aml_init(&a, buf, sizeof(buf));
	aml_rt_word_bus_number(&a, 0, 255);
	expect_bytes(&a, bus, sizeof(bus));
	aml_init(&a, buf, sizeof(buf));
	aml_rt_io(&a, 0xcf8, 0xcf8, 1, 8);
	expect_bytes(&a, io, sizeof(io));
	aml_init(&a, buf, sizeof(buf));
	aml_rt_word_io(&a, 0x0d00, 0xffff);
	expect_bytes(&a, wio, sizeof(wio));
	aml_init(&a, buf, sizeof(buf));
	aml_rt_dword_memory(&a, 0xc0000000, 0xfebfffff, AML_MEM_NON_CACHEABLE);
	expect_bytes(&a, dmem, sizeof(dmem));
	aml_init(&a, buf, sizeof(buf));
	aml_rt_qword_memory(&a, 0x1000000000, 0x1fffffffff, AML_MEM_CACHEABLE);
	expect_bytes(&a, qmem, sizeof(qmem));
	aml_init(&a, buf, sizeof(buf));
	aml_rt_memory32_fixed(&a, 0xb0000000, 0x10000000, true);
	expect_bytes(&a, mem32, sizeof(mem32));
	aml_init(&a, buf, sizeof(buf));
	aml_rt_irq_noflags(&a, 4);
	expect_bytes(&a, irq, sizeof(irq));

	aml_init(&a, buf, sizeof(buf));
	aml_rt_irq_noflags(&a, 16);
	assert_int_equal(aml_finish(&a), -EINVAL);
	aml_init(&a, buf, sizeof(buf));
	aml_rt_word_io(&a, 0x100, 0xff);
	assert_int_equal(aml_finish(&a), -EINVAL);
}

static void test_resource_template_end_tag(void **state)
{
	static const uint8_t want[] = {
		0x11, 0x08, 0x0a, 0x05,		/* Buffer, size 5 */
		0x22, 0x10, 0x00,		/* IRQNoFlags {4} */
		0x79, 0x00,			/* EndTag, checksum 0 */
	};
	struct aml a;
	uint8_t sum = 0;
	ssize_t n, i;

	aml_init(&a, buf, sizeof(buf));
	aml_rt_begin(&a);
	aml_rt_irq_noflags(&a, 4);
	aml_rt_end(&a, false);
	expect_bytes(&a, want, sizeof(want));

	/* Computed: the descriptors, end tag included, sum to zero. */
	aml_init(&a, buf, sizeof(buf));
	aml_rt_begin(&a);
	aml_rt_io(&a, 0x3f8, 0x3f8, 1, 8);
	aml_rt_irq_noflags(&a, 4);
	aml_rt_end(&a, true);
	n = aml_finish(&a);
	assert_int_equal(n, 4 + 8 + 3 + 2);
	assert_int_equal(buf[n - 2], AML_RES_END_TAG);
	assert_int_not_equal(buf[n - 1], 0);
	for (i = 4; i < n; i++)
		sum += buf[i];
	assert_int_equal(sum, 0);

	/* An end tag outside a buffer is a bug. */
	aml_init(&a, buf, sizeof(buf));
	aml_package_begin(&a);
	aml_rt_end(&a, false);
	aml_end(&a);
	assert_int_equal(aml_finish(&a), -EINVAL);
}

static void test_unbalanced(void **state)
{
	struct aml a;
	int i;

	aml_init(&a, buf, sizeof(buf));
	aml_device_begin(&a, "DEV0");
	assert_int_equal(aml_finish(&a), -EINVAL);

	aml_init(&a, buf, sizeof(buf));
	aml_end(&a);
	assert_int_equal(aml_finish(&a), -EINVAL);

	aml_init(&a, buf, sizeof(buf));
	for (i = 0; i <= AML_MAX_DEPTH; i++)
		aml_package_begin(&a);
	for (i = 0; i <= AML_MAX_DEPTH; i++)
		aml_end(&a);
	assert_int_equal(aml_finish(&a), -EINVAL);
}

/* Every prefix of a small DSDT-like body fails with -ENOSPC, in bounds. */
static void test_enospc(void **state)
{
	uint8_t guard[128];
	struct aml a;
	ssize_t full;
	size_t size;

	for (size = 0;; size++) {
		memset(guard, 0xa5, sizeof(guard));
		aml_init(&a, guard, size);
		aml_scope_begin(&a, "\\_SB");
		aml_device_begin(&a, "COM1");
		aml_name(&a, "_HID");
		aml_eisaid(&a, "PNP0501");
		aml_name(&a, "_CRS");
		aml_rt_begin(&a);
		aml_rt_io(&a, 0x3f8, 0x3f8, 1, 8);
		aml_rt_irq_noflags(&a, 4);
		aml_rt_end(&a, true);
		aml_end(&a);
		aml_end(&a);
		full = aml_finish(&a);
		for (size_t i = size; i < sizeof(guard); i++)
			assert_int_equal(guard[i], 0xa5);
		if (full >= 0)
			break;
		assert_int_equal(full, -ENOSPC);
		/* The length needed is known even when it did not fit. */
		assert_true(a.len > size);
	}
	assert_int_equal(full, size);
	assert_int_equal(full, 7 + 7 + 10 + 5 + 4 + 8 + 3 + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkglen_encode_boundaries),
		cmocka_unit_test(test_pkglen_size_boundaries),
		cmocka_unit_test(test_scope_pkglen_boundaries),
		cmocka_unit_test(test_name_strings),
		cmocka_unit_test(test_name_strings_invalid),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_eisaid),
		cmocka_unit_test(test_name_and_package),
		cmocka_unit_test(test_nested_package_counts),
		cmocka_unit_test(test_package_too_many_elements),
		cmocka_unit_test(test_device_and_scope),
		cmocka_unit_test(test_buffer),
		cmocka_unit_test(test_resource_descriptors),
		cmocka_unit_test(test_resource_template_end_tag),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_enospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
