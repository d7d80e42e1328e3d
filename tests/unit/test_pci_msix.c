// SPDX-License-Identifier: GPL-2.0
/* MSI-X: masking, function mask, PBA, delivery through routes, access rules. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci/bar.h"
#include "pci/msix.h"
#include "pci/pci.h"
#include "pci_fixture.h"

#define DEVFN		PCI_DEVFN(2, 0)
#define NR_VEC		4
#define MSIX_BAR	0xe0000000ULL	/* BAR 1: table at 0, PBA at 0x800 */
#define SHARED_BAR	0xe0010000ULL	/* BAR 2: owner registers, table at 0x2000, PBA at 0x3000 */

static struct pci_device dev;
static int cap;
static unsigned int owner_calls;
static uint64_t owner_off;

static void owner_io(void *opaque, uint64_t off, void *data, unsigned int len, bool is_write)
{
	owner_calls++;
	owner_off = off;
	if (!is_write)
		memset(data, 0x5a, len);
}

static int setup_bars(unsigned int table_bar, uint32_t table_off, unsigned int pba_bar,
		      uint32_t pba_off)
{
	const struct pci_device_info info = {
		.vendor = 0x1af4, .device = 0x1041, .class = 0x020000,
		.header_type = PCI_HEADER_TYPE_NORMAL, .express = true,
	};
	const struct pci_bar_desc msix_bar = { .size = 0x1000 };
	const struct pci_bar_desc shared = {
		.size = 0x4000, .flags = PCI_BASE_ADDRESS_MEM_TYPE_64, .io = owner_io,
	};

	owner_calls = 0;
	pci_fixture_setup(false);
	pci_device_init(&dev, &info);
	assert_int_equal(pci_bar_add(&dev, 1, &msix_bar), 0);
	assert_int_equal(pci_bar_add(&dev, 2, &shared), 0);
	cap = msix_add(&dev, NR_VEC, table_bar, table_off, pba_bar, pba_off);
	assert_true(cap > 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &dev, DEVFN), 0);
	pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_1, MSIX_BAR, 4);
	pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_2, SHARED_BAR, 4);
	pci_root_config_write(&root, 0, DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 2);
	return 0;
}

static int setup(void **state)
{
	return setup_bars(1, 0, 1, 0x800);
}

static int setup_shared(void **state)
{
	return setup_bars(2, 0x2000, 2, 0x3000);
}

static int teardown(void **state)
{
	pci_root_destroy(&root);
	/* Destroy frees whatever routes were left. */
	assert_int_equal(fp.allocs, fp.frees);
	assert_int_equal(fp.errors, 0);
	fake_plat_fini(&fp);
	return 0;
}

static uint16_t ctl(void)
{
	return pci_root_config_read(&root, 0, DEVFN, cap + PCI_MSIX_FLAGS, 2);
}

static void set_ctl(uint16_t v)
{
	pci_root_config_write(&root, 0, DEVFN, cap + PCI_MSIX_FLAGS, v, 2);
}

static uint64_t entry(unsigned int v, unsigned int field)
{
	return MSIX_BAR + v * PCI_MSIX_ENTRY_SIZE + field;
}

static void program(unsigned int v, uint64_t addr, uint32_t data)
{
	fake_write32(&fp, entry(v, PCI_MSIX_ENTRY_LOWER_ADDR), addr);
	fake_write32(&fp, entry(v, PCI_MSIX_ENTRY_UPPER_ADDR), addr >> 32);
	fake_write32(&fp, entry(v, PCI_MSIX_ENTRY_DATA), data);
}

static void set_vmask(unsigned int v, bool masked)
{
	fake_write32(&fp, entry(v, PCI_MSIX_ENTRY_VECTOR_CTRL), masked);
}

static uint32_t pba(void)
{
	return fake_read32(&fp, MSIX_BAR + 0x800);
}

/* The route carrying vector v's message now, or -1. */
static int route_of(uint32_t data)
{
	for (int i = 0; i < FAKE_MAX_ROUTES; i++)
		if (fp.routes[i].used && fp.routes[i].set && fp.routes[i].data == data)
			return i;
	return -1;
}

static void test_capability(void **state)
{
	assert_int_equal(pci_root_config_read(&root, 0, DEVFN, cap, 1), PCI_CAP_ID_MSIX);
	assert_int_equal(ctl(), NR_VEC - 1);
	assert_int_equal(pci_root_config_read(&root, 0, DEVFN, cap + PCI_MSIX_TABLE, 4), 1);
	assert_int_equal(pci_root_config_read(&root, 0, DEVFN, cap + PCI_MSIX_PBA, 4), 0x801);
	/* Only Enable and Function Mask are writable; the table size and BIRs are not. */
	set_ctl(0xffff);
	assert_int_equal(ctl(), PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL | (NR_VEC - 1));
	pci_root_config_write(&root, 0, DEVFN, cap + PCI_MSIX_TABLE, 0, 4);
	assert_int_equal(pci_root_config_read(&root, 0, DEVFN, cap + PCI_MSIX_TABLE, 4), 1);
	assert_int_equal(msix_nr_vectors(&dev), NR_VEC);
	assert_true(msix_enabled(&dev));
}

static void test_table(void **state)
{
	uint64_t q = 0;

	/* Power-on: every vector masked. */
	for (unsigned int v = 0; v < NR_VEC; v++)
		assert_int_equal(fake_read32(&fp, entry(v, PCI_MSIX_ENTRY_VECTOR_CTRL)), 1);
	program(1, 0xfee00003ULL | 0x12ULL << 32, 0x4041);
	assert_int_equal(fake_read32(&fp, entry(1, PCI_MSIX_ENTRY_LOWER_ADDR)), 0xfee00000);
	assert_int_equal(fake_read32(&fp, entry(1, PCI_MSIX_ENTRY_UPPER_ADDR)), 0x12);
	assert_int_equal(fake_read32(&fp, entry(1, PCI_MSIX_ENTRY_DATA)), 0x4041);
	/* Reserved Vector Control bits read 0. */
	fake_write32(&fp, entry(1, PCI_MSIX_ENTRY_VECTOR_CTRL), 0xfffffffe);
	assert_int_equal(fake_read32(&fp, entry(1, PCI_MSIX_ENTRY_VECTOR_CTRL)), 0);
	/* Qword accesses. */
	assert_true(fake_access(&fp, false, entry(1, 0), &q, 8, false));
	assert_int_equal(q, 0x12fee00000ULL);
	q = 0xfee01000ULL;
	assert_true(fake_access(&fp, false, entry(2, 0), &q, 8, true));
	assert_int_equal(fake_read32(&fp, entry(2, PCI_MSIX_ENTRY_LOWER_ADDR)), 0xfee01000);
	assert_int_equal(fake_read32(&fp, entry(2, PCI_MSIX_ENTRY_UPPER_ADDR)), 0);
	/* Bytes, words and misaligned dwords: all-ones, dropped. */
	{
		uint16_t w = 0;
		uint8_t b = 0;
		uint32_t d = 0;

		assert_true(fake_access(&fp, false, entry(1, 8), &w, 2, false));
		assert_int_equal(w, 0xffff);
		b = 0x77;
		assert_true(fake_access(&fp, false, entry(1, 8), &b, 1, true));
		assert_int_equal(fake_read32(&fp, entry(1, PCI_MSIX_ENTRY_DATA)), 0x4041);
		assert_true(fake_access(&fp, false, entry(1, 4), &q, 8, false));
		assert_int_equal(q, UINT64_MAX);
		assert_true(fake_access(&fp, false, entry(1, 2), &d, 4, false));
		assert_int_equal(d, 0xffffffff);
	}
	/* The PBA is read-only. */
	fake_write32(&fp, MSIX_BAR + 0x800, 0xf);
	assert_int_equal(pba(), 0);
	/* Past the table and PBA: the rest of the BAR reads 0 (no owner handler). */
	assert_int_equal(fake_read32(&fp, entry(NR_VEC, 0)), 0);
	assert_int_equal(fake_read32(&fp, MSIX_BAR + 0x808), 0);
}

static void test_disabled_sends_nothing(void **state)
{
	program(0, 0xfee00000, 0x30);
	set_vmask(0, false);
	assert_int_equal(msix_notify(&dev, 0), 0);
	assert_int_equal(pba(), 0);	/* no message, no pending bit */
	assert_int_equal(fp.allocs, 0);
}

static void test_mask_pending_unmask(void **state)
{
	int r;

	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	program(2, 0xfee00000, 0x32);
	assert_int_equal(fp.allocs, 0);	/* masked: no route yet */
	assert_int_equal(msix_notify(&dev, 2), 0);
	assert_int_equal(pba(), 1 << 2);
	assert_int_equal(fp.allocs, 0);
	/* Unmasking allocates the route, sets its message and delivers. */
	set_vmask(2, false);
	r = route_of(0x32);
	assert_true(r >= 0);
	assert_int_equal(fp.routes[r].addr, 0xfee00000);
	assert_int_equal(fake_msi_count(&fp, r), 1);
	assert_int_equal(pba(), 0);
	/* Unmasked: straight through. */
	assert_int_equal(msix_notify(&dev, 2), 0);
	assert_int_equal(msix_notify(&dev, 2), 0);
	assert_int_equal(fake_msi_count(&fp, r), 2);
	assert_int_equal(fp.allocs, 1);
	/* Masked again: pending, delivered once on unmask. */
	set_vmask(2, true);
	assert_int_equal(msix_notify(&dev, 2), 0);
	assert_int_equal(msix_notify(&dev, 2), 0);
	assert_int_equal(fake_msi_count(&fp, r), 0);
	assert_int_equal(pba(), 1 << 2);
	set_vmask(2, false);
	assert_int_equal(fake_msi_count(&fp, r), 1);
	assert_int_equal(pba(), 0);
	/* Unmasking a vector with nothing pending sends nothing. */
	set_vmask(2, true);
	set_vmask(2, false);
	assert_int_equal(fake_msi_count(&fp, r), 0);
}

static void test_function_mask(void **state)
{
	int r0, r3;

	program(0, 0xfee00000, 0x40);
	program(3, 0xfee00000, 0x43);
	set_vmask(0, false);
	set_vmask(3, false);
	set_ctl(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(fp.allocs, 0);
	assert_int_equal(msix_notify(&dev, 0), 0);
	assert_int_equal(msix_notify(&dev, 3), 0);
	assert_int_equal(pba(), 1 << 0 | 1 << 3);
	/* The vector's own mask bit reads as the guest left it. */
	assert_int_equal(fake_read32(&fp, entry(0, PCI_MSIX_ENTRY_VECTOR_CTRL)), 0);
	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	r0 = route_of(0x40);
	r3 = route_of(0x43);
	assert_true(r0 >= 0 && r3 >= 0 && r0 != r3);
	assert_int_equal(fake_msi_count(&fp, r0), 1);
	assert_int_equal(fake_msi_count(&fp, r3), 1);
	assert_int_equal(pba(), 0);
}

static void test_message_change(void **state)
{
	int r;

	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	program(1, 0xfee00000, 0x51);
	set_vmask(1, false);
	r = route_of(0x51);
	assert_true(r >= 0);
	/* A new message while unmasked reaches the route (Linux masks first; others may not). */
	fake_write32(&fp, entry(1, PCI_MSIX_ENTRY_DATA), 0x52);
	assert_int_equal(route_of(0x52), r);
	fake_write32(&fp, entry(1, PCI_MSIX_ENTRY_LOWER_ADDR), 0xfee02000);
	assert_int_equal(fp.routes[r].addr, 0xfee02000);
	/* While masked the change waits for the unmask. */
	set_vmask(1, true);
	fake_write32(&fp, entry(1, PCI_MSIX_ENTRY_DATA), 0x53);
	assert_int_equal(fp.routes[r].data, 0x52);
	set_vmask(1, false);
	assert_int_equal(fp.routes[r].data, 0x53);
	assert_int_equal(fp.allocs, 1);
}

static void test_disable_frees(void **state)
{
	program(0, 0xfee00000, 0x60);
	program(1, 0xfee00000, 0x61);
	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	set_vmask(0, false);
	set_vmask(1, false);
	assert_int_equal(fp.allocs, 2);
	set_vmask(1, true);
	assert_int_equal(msix_notify(&dev, 1), 0);
	assert_int_equal(pba(), 2);
	set_ctl(0);
	assert_int_equal(fp.frees, 2);
	assert_int_equal(pba(), 0);	/* disabled: nothing stays pending */
	assert_false(msix_enabled(&dev));
	assert_int_equal(msix_notify(&dev, 0), 0);
	assert_int_equal(pba(), 0);
	/* Enabled again: routes come back lazily. */
	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(fp.allocs, 3);
	assert_int_equal(msix_notify(&dev, 0), 0);
	assert_int_equal(fake_msi_count(&fp, route_of(0x60)), 1);
}

static void test_bad_vector(void **state)
{
	struct pci_device plain;
	const struct pci_device_info info = { .header_type = PCI_HEADER_TYPE_NORMAL };

	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(msix_notify(&dev, NR_VEC), -EINVAL);
	assert_int_equal(msix_notify(&dev, UINT32_MAX), -EINVAL);
	assert_int_equal(pba(), 0);
	pci_device_init(&plain, &info);
	assert_int_equal(msix_notify(&plain, 0), -EINVAL);
	assert_false(msix_enabled(&plain));
	assert_int_equal(msix_nr_vectors(&plain), 0);
}

static void test_reset(void **state)
{
	program(0, 0xfee00000, 0x70);
	set_vmask(0, false);
	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(fp.allocs, 1);
	pthread_mutex_lock(&root.lock);
	pci_function_reset(&dev);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(fp.frees, 1);
	assert_false(msix_enabled(&dev));
	assert_int_equal(ctl(), NR_VEC - 1);
	/* The BAR is unmapped by the reset; map it again to look at the table. */
	pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_1, MSIX_BAR, 4);
	pci_root_config_write(&root, 0, DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fake_read32(&fp, entry(0, PCI_MSIX_ENTRY_VECTOR_CTRL)), 1);
	assert_int_equal(fake_read32(&fp, entry(0, PCI_MSIX_ENTRY_DATA)), 0);
}

static void test_alloc_failure(void **state)
{
	fp.fail_alloc = true;
	program(0, 0xfee00000, 0x80);
	set_ctl(PCI_MSIX_FLAGS_ENABLE);
	set_vmask(0, false);
	/* No route: the message cannot go, so it stays pending. */
	assert_int_equal(msix_notify(&dev, 0), 0);
	assert_int_equal(pba(), 1);
	fp.fail_alloc = false;
	set_vmask(0, true);
	set_vmask(0, false);
	assert_int_equal(pba(), 0);
	assert_int_equal(fake_msi_count(&fp, route_of(0x80)), 1);
}

static void test_shared_bar(void **state)
{
	uint32_t v = 0;
	uint64_t t = SHARED_BAR + 0x2000;

	/* Table and PBA inside the owner's BAR: the rest still reaches the owner. */
	assert_int_equal(fake_read32(&fp, SHARED_BAR + 0x10), 0x5a5a5a5a);
	assert_int_equal(owner_calls, 1);
	assert_int_equal(owner_off, 0x10);
	assert_int_equal(fake_read32(&fp, t + PCI_MSIX_ENTRY_VECTOR_CTRL), 1);
	fake_write32(&fp, t + PCI_MSIX_ENTRY_DATA, 0x99);
	assert_int_equal(fake_read32(&fp, t + PCI_MSIX_ENTRY_DATA), 0x99);
	assert_int_equal(fake_read32(&fp, SHARED_BAR + 0x3000), 0);
	assert_int_equal(owner_calls, 1);
	/* Just past the table: the owner's again. */
	fake_access(&fp, false, t + NR_VEC * PCI_MSIX_ENTRY_SIZE, &v, 4, false);
	assert_int_equal(owner_calls, 2);
	assert_int_equal(owner_off, 0x2000 + NR_VEC * PCI_MSIX_ENTRY_SIZE);
	fake_access(&fp, false, SHARED_BAR + 0x3008, &v, 4, false);
	assert_int_equal(owner_calls, 3);
	/* BAR 1 carries nothing of MSI-X here. */
	assert_int_equal(fake_read32(&fp, MSIX_BAR + PCI_MSIX_ENTRY_VECTOR_CTRL), 0);
}

static void test_add_errors(void **state)
{
	const struct pci_device_info info = {
		.header_type = PCI_HEADER_TYPE_NORMAL, .express = true,
	};
	const struct pci_bar_desc bar = { .size = 0x1000 };
	const struct pci_bar_desc io = { .size = 0x100, .flags = PCI_BASE_ADDRESS_SPACE_IO };
	struct pci_device d;

	pci_device_init(&d, &info);
	assert_int_equal(pci_bar_add(&d, 0, &bar), 0);
	assert_int_equal(pci_bar_add(&d, 1, &io), 0);
	assert_int_equal(msix_add(&d, 4, 2, 0, 0, 0x800), -EINVAL);	/* no BAR 2 */
	assert_int_equal(msix_add(&d, 4, 1, 0, 0, 0x800), -EINVAL);	/* I/O BAR */
	assert_int_equal(msix_add(&d, 4, 0, 4, 0, 0x800), -EINVAL);	/* misaligned */
	assert_int_equal(msix_add(&d, 4, 0, 0xfc8, 0, 0x800), -EINVAL);	/* past the end */
	assert_int_equal(msix_add(&d, 4, 0, 0, 0, 0x38), -EINVAL);	/* PBA in the table */
	assert_int_equal(msix_add(&d, 0, 0, 0, 0, 0x800), -EINVAL);
	assert_int_equal(msix_add(&d, MSIX_MAX_VECTORS + 1, 0, 0, 0, 0x800), -EINVAL);
	assert_int_equal(msix_add(&d, 4, 7, 0, 0, 0x800), -EINVAL);
	assert_null(d.msix);
	assert_true(msix_add(&d, 4, 0, 0, 0, 0x40) > 0);
	assert_int_equal(msix_add(&d, 4, 0, 0, 0, 0x40), -EBUSY);
	msix_destroy(&d);
	assert_null(d.msix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_capability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_sends_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mask_pending_unmask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_function_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_bar, setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_add_errors, setup, teardown),
	};

	return cmocka_run_group_tests_name("pci_msix", tests, NULL, NULL);
}
