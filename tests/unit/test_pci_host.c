// SPDX-License-Identifier: GPL-2.0
/* Config space masks, the CF8/CFC mechanism and ECAM against the host bridge. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci/host.h"

static struct pci_root root;
static struct pci_device hb;

static int setup(void **state)
{
	pci_root_init(&root);
	pci_host_bridge_init(&hb);
	assert_int_equal(pci_bus_attach(&root.bus0, &hb, 0), 0);
	return 0;
}

static int teardown(void **state)
{
	pci_root_destroy(&root);
	return 0;
}

static uint32_t cf8_read(uint32_t addr, unsigned int port_off, unsigned int len)
{
	uint32_t v = 0;

	pci_host_cf8_io(&root, 0, &addr, 4, true);
	pci_host_cf8_io(&root, 4 + port_off, &v, len, false);
	return v;
}

static void test_cf8_latch(void **state)
{
	uint32_t v = 0x80000000, r = 0;
	uint8_t b = 1;

	/* Linux's Type 1 probe: byte to 0xcfb, dword to 0xcf8, read back. */
	pci_host_cf8_io(&root, 3, &b, 1, true);
	pci_host_cf8_io(&root, 0, &v, 4, true);
	pci_host_cf8_io(&root, 0, &r, 4, false);
	assert_int_equal(r, 0x80000000);
	/* Only dword accesses latch. */
	v = 0x12;
	pci_host_cf8_io(&root, 0, &v, 1, true);
	pci_host_cf8_io(&root, 0, &r, 4, false);
	assert_int_equal(r, 0x80000000);
}

static void test_cf8_host_bridge(void **state)
{
	assert_int_equal(cf8_read(0x80000000, 0, 4), PCI_HOST_DEVICE << 16 | PCI_HOST_VENDOR);
	assert_int_equal(cf8_read(0x80000008, 2, 2), PCI_CLASS_BRIDGE_HOST);
	assert_int_equal(cf8_read(0x80000008, 3, 1), 0x06);
	/* Absent function, absent bus, and the enable bit clear: all-ones. */
	assert_int_equal(cf8_read(0x80000100, 0, 4), 0xffffffff);
	assert_int_equal(cf8_read(0x80010000, 0, 4), 0xffffffff);
	assert_int_equal(cf8_read(0x00000000, 0, 4), 0xffffffff);
}

static void test_ecam(void **state)
{
	uint32_t v = 0;
	uint16_t cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_SERR;

	pci_host_ecam_io(&root, 0, &v, 4, false);
	assert_int_equal(v, PCI_HOST_DEVICE << 16 | PCI_HOST_VENDOR);
	/* The host bridge is conventional PCI: no extended space. */
	pci_host_ecam_io(&root, 0x100, &v, 4, false);
	assert_int_equal(v, 0xffffffff);
	/* Bus 1, device 3: nothing there. */
	pci_host_ecam_io(&root, (1 << 20) | (3 << 15), &v, 4, false);
	assert_int_equal(v, 0xffffffff);
	/* Command: the writable bits stick, SERR (not implemented) does not. */
	pci_host_ecam_io(&root, PCI_COMMAND, &cmd, 2, true);
	v = 0;
	pci_host_ecam_io(&root, PCI_COMMAND, &v, 2, false);
	assert_int_equal(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* A misaligned access is dropped, never split across registers. */
	v = 0;
	pci_host_ecam_io(&root, 1, &v, 2, false);
	assert_int_equal(v, 0xffff);
	/* The vendor ID is read-only. */
	v = 0;
	pci_host_ecam_io(&root, 0, &v, 2, true);
	pci_host_ecam_io(&root, 0, &v, 2, false);
	assert_int_equal(v, PCI_HOST_VENDOR);
}

static void test_attach_twice(void **state)
{
	struct pci_device other;

	pci_host_bridge_init(&other);
	assert_int_equal(pci_bus_attach(&root.bus0, &other, 0), -EBUSY);
	assert_int_equal(pci_bus_attach(&root.bus0, &other, 255), 0);
	assert_int_equal(pci_root_config_read(&root, 0, 255, 0, 2), PCI_HOST_VENDOR);
	root.bus0.devs[255] = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cf8_latch),
		cmocka_unit_test(test_cf8_host_bridge),
		cmocka_unit_test(test_ecam),
		cmocka_unit_test(test_attach_twice),
	};

	return cmocka_run_group_tests_name("pci_host", tests, setup, teardown);
}
