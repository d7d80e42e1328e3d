// SPDX-License-Identifier: GPL-2.0
/* BAR decode as a diff: what maps, where, when, and what the owner hears. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci/bar.h"
#include "pci/pci.h"
#include "pci/pm.h"
#include "pci_fixture.h"

#define EP_DEVFN	PCI_DEVFN(4, 0)
#define EP2_DEVFN	PCI_DEVFN(5, 0)

struct owner {
	unsigned int mapped, unmapped;
	unsigned int last_bar;
	uint64_t last_base, last_size;
	uint64_t last_off;
	unsigned int last_len;
	bool last_write;
	uint32_t reg;
};

static struct pci_device ep, ep2;
static struct owner own, own2;

static void owner_io(void *opaque, uint64_t off, void *data, unsigned int len, bool is_write)
{
	struct owner *o = opaque;

	o->last_off = off;
	o->last_len = len;
	o->last_write = is_write;
	if (is_write)
		memcpy(&o->reg, data, len < 4 ? len : 4);
	else
		memcpy(data, &o->reg, len < 4 ? len : 4);
}

static void owner_mapped(void *opaque, unsigned int bar, uint64_t base, uint64_t size)
{
	struct owner *o = opaque;

	o->mapped++;
	o->last_bar = bar;
	o->last_base = base;
	o->last_size = size;
}

static void owner_unmapped(void *opaque, unsigned int bar, uint64_t base, uint64_t size)
{
	struct owner *o = opaque;

	o->unmapped++;
	o->last_bar = bar;
	o->last_base = base;
	o->last_size = size;
}

static void add_bars(struct pci_device *d, struct owner *o)
{
	const struct pci_bar_desc io = {
		.size = 0x20, .flags = PCI_BASE_ADDRESS_SPACE_IO,
		.io = owner_io, .mapped = owner_mapped, .unmapped = owner_unmapped, .opaque = o,
	};
	const struct pci_bar_desc m32 = {
		.size = 0x1000,
		.io = owner_io, .mapped = owner_mapped, .unmapped = owner_unmapped, .opaque = o,
	};
	const struct pci_bar_desc m64 = {
		.size = 0x4000,
		.flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		.io = owner_io, .mapped = owner_mapped, .unmapped = owner_unmapped, .opaque = o,
	};

	assert_int_equal(pci_bar_add(d, 0, &io), 0);
	assert_int_equal(pci_bar_add(d, 1, &m32), 0);
	assert_int_equal(pci_bar_add(d, 2, &m64), 0);
}

static int setup(void **state)
{
	const struct pci_device_info info = {
		.vendor = 0x1234, .device = 0x5678, .class = 0xff0000,
		.header_type = PCI_HEADER_TYPE_NORMAL, .express = true,
	};

	memset(&own, 0, sizeof(own));
	memset(&own2, 0, sizeof(own2));
	pci_fixture_setup(false);
	pci_device_init(&ep, &info);
	pci_device_init(&ep2, &info);
	add_bars(&ep, &own);
	add_bars(&ep2, &own2);
	assert_true(pci_pm_add(&ep) > 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &ep, EP_DEVFN), 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &ep2, EP2_DEVFN), 0);
	return 0;
}

static int teardown(void **state)
{
	pci_fixture_teardown();
	return 0;
}

static void wr(uint8_t devfn, unsigned int off, uint32_t v, unsigned int len)
{
	pci_root_config_write(&root, 0, devfn, off, v, len);
}

static void test_enable_disable(void **state)
{
	uint64_t base;

	wr(EP_DEVFN, PCI_BASE_ADDRESS_0, 0xc000, 4);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0xe0100000, 4);
	assert_int_equal(fp.nr, 0);	/* Command off: nothing */

	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 2);
	assert_int_equal(fp.maps, 2);
	assert_non_null(fake_find(&fp, false, 0xe0000000));
	assert_non_null(fake_find(&fp, false, 0xe0103fff));
	assert_null(fake_find(&fp, true, 0xc000));
	assert_true(pci_bar_mapped(&ep, 1, &base));
	assert_int_equal(base, 0xe0000000);
	assert_int_equal(own.mapped, 2);

	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
	assert_int_equal(fp.maps, 3);	/* only the difference */
	assert_int_equal(fp.unmaps, 0);
	assert_non_null(fake_find(&fp, true, 0xc01f));
	assert_int_equal(own.last_bar, 0);
	assert_int_equal(own.last_size, 0x20);

	/* Rewriting the same values changes nothing. */
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	assert_int_equal(fp.maps, 3);
	assert_int_equal(fp.unmaps, 0);

	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_IO, 2);
	assert_int_equal(fp.unmaps, 2);
	assert_int_equal(fp.nr, 1);
	assert_int_equal(own.unmapped, 2);
	assert_false(pci_bar_mapped(&ep, 1, NULL));
	wr(EP_DEVFN, PCI_COMMAND, 0, 2);
	assert_int_equal(fp.nr, 0);
	assert_int_equal(own.unmapped, 3);
}

static void test_move(void **state)
{
	uint32_t v = 0x11223344;

	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 1);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0010000, 4);
	assert_int_equal(fp.unmaps, 1);
	assert_int_equal(fp.maps, 2);
	assert_null(fake_find(&fp, false, 0xe0000000));
	assert_non_null(fake_find(&fp, false, 0xe0010000));
	assert_int_equal(own.unmapped, 1);
	assert_int_equal(own.mapped, 2);
	assert_int_equal(own.last_base, 0xe0010000);

	/* The owner sees offsets relative to the BAR. */
	assert_true(fake_access(&fp, false, 0xe0010ff8, &v, 4, true));
	assert_int_equal(own.last_off, 0xff8);
	assert_true(own.last_write);
	assert_int_equal(own.reg, 0x11223344);
	v = 0;
	assert_true(fake_access(&fp, false, 0xe0010004, &v, 4, false));
	assert_int_equal(own.last_off, 4);
	assert_int_equal(v, 0x11223344);
}

static void test_64bit_halves(void **state)
{
	uint64_t base;

	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	/* Low then high. */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0x40000000, 4);
	assert_true(pci_bar_mapped(&ep, 2, &base));
	assert_int_equal(base, 0x40000000);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_3, 0x8, 4);
	assert_true(pci_bar_mapped(&ep, 2, &base));
	assert_int_equal(base, 0x840000000ULL);
	assert_int_equal(fp.nr, 1);
	/* High then low. */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_3, 0x9, 4);
	assert_true(pci_bar_mapped(&ep, 2, &base));
	assert_int_equal(base, 0x940000000ULL);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0x80000000, 4);
	assert_true(pci_bar_mapped(&ep, 2, &base));
	assert_int_equal(base, 0x980000000ULL);
	assert_int_equal(fp.nr, 1);
	assert_non_null(fake_find(&fp, false, 0x980003fffULL));
	assert_int_equal(fp.maps, fp.unmaps + 1);
	/* The upper half alone is not a BAR. */
	assert_false(pci_bar_mapped(&ep, 3, NULL));
}

static void test_sizing_not_mapped(void **state)
{
	uint64_t base;

	wr(EP_DEVFN, PCI_BASE_ADDRESS_0, 0xc000, 4);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0xe0100000, 4);
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
	assert_int_equal(fp.nr, 3);

	/* A guest sizing with decode on: never mapped at the all-ones pattern. */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xffffffff, 4);
	assert_false(pci_bar_mapped(&ep, 1, NULL));
	assert_null(fake_find(&fp, false, 0xfffff000));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	assert_true(pci_bar_mapped(&ep, 1, &base));
	assert_int_equal(base, 0xe0000000);

	wr(EP_DEVFN, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	assert_false(pci_bar_mapped(&ep, 0, NULL));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_0, 0xc000, 4);
	assert_true(pci_bar_mapped(&ep, 0, NULL));

	/* 64-bit: the low dword (high 0), then the high dword. */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0xffffffff, 4);
	assert_false(pci_bar_mapped(&ep, 2, NULL));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_3, 0xffffffff, 4);
	assert_false(pci_bar_mapped(&ep, 2, NULL));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0xe0100000, 4);
	assert_false(pci_bar_mapped(&ep, 2, NULL));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_3, 0, 4);
	assert_true(pci_bar_mapped(&ep, 2, &base));
	assert_int_equal(base, 0xe0100000);
	assert_int_equal(fp.nr, 3);
	for (unsigned int i = 0; i < fp.nr; i++)
		assert_true(fp.ranges[i].base + fp.ranges[i].size - 1 < 0xffffffffULL);
}

static void test_bad_ranges(void **state)
{
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
	/* Address 0 is unassigned. */
	assert_int_equal(fp.nr, 0);
	/* I/O beyond the 64 KiB port space. */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_0, 0x10000, 4);
	assert_false(pci_bar_mapped(&ep, 0, NULL));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_0, 0xffe0, 4);
	assert_true(pci_bar_mapped(&ep, 0, NULL));
	/* A 64-bit BAR in the top 4 GiB of the space (high dword all ones). */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_2, 0x10000000, 4);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_3, 0xffffffff, 4);
	assert_false(pci_bar_mapped(&ep, 2, NULL));
	wr(EP_DEVFN, PCI_BASE_ADDRESS_3, 0xfffffffe, 4);
	assert_true(pci_bar_mapped(&ep, 2, NULL));
}

static void test_overlap_refused(void **state)
{
	uint64_t base;

	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	/* ep2 puts its BAR on top of ep's: refused, left undecoded. */
	wr(EP2_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP2_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_true(fp.refused > 0);
	assert_false(pci_bar_mapped(&ep2, 1, NULL));
	assert_int_equal(own2.mapped, 0);
	assert_int_equal(fake_find(&fp, false, 0xe0000000)->opaque, &ep.bars[1]);
	/* ep moves away: ep2 gets the place at the same update. */
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0001000, 4);
	assert_true(pci_bar_mapped(&ep2, 1, &base));
	assert_int_equal(base, 0xe0000000);
	assert_true(pci_bar_mapped(&ep, 1, &base));
	assert_int_equal(base, 0xe0001000);
	assert_int_equal(own2.mapped, 1);
	/* A BAR moving onto another's old place in one step maps too (unmaps go first). */
	wr(EP2_DEVFN, PCI_BASE_ADDRESS_1, 0xe0002000, 4);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0002000, 4);
	assert_false(pci_bar_mapped(&ep, 1, NULL));
	wr(EP2_DEVFN, PCI_COMMAND, 0, 2);
	assert_true(pci_bar_mapped(&ep, 1, &base));
	assert_int_equal(base, 0xe0002000);
}

static void test_absent_and_hidden(void **state)
{
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 1);
	/* Hiding (a VF going away) resets and unmaps; it then reads all-ones. */
	pthread_mutex_lock(&root.lock);
	pci_device_set_present(&ep, false);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(fp.nr, 0);
	assert_int_equal(pci_root_config_read(&root, 0, EP_DEVFN, 0, 4), 0xffffffff);
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 0);
	pthread_mutex_lock(&root.lock);
	pci_device_set_present(&ep, true);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(pci_root_config_read(&root, 0, EP_DEVFN, PCI_COMMAND, 2), 0);
	assert_int_equal(pci_root_config_read(&root, 0, EP_DEVFN, PCI_BASE_ADDRESS_1, 4), 0);
}

static void test_no_platform(void **state)
{
	pci_root_set_platform(&root, NULL);
	wr(EP_DEVFN, PCI_BASE_ADDRESS_1, 0xe0000000, 4);
	wr(EP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_false(pci_bar_mapped(&ep, 1, NULL));
	assert_int_equal(fp.maps, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enable_disable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_64bit_halves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sizing_not_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_and_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_platform, setup, teardown),
	};

	return cmocka_run_group_tests_name("pci_decode", tests, NULL, NULL);
}
