/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI machine most unit tests start from: a root complex over the fake
 * platform (pci_fake.h), with or without the host bridge at 00:00.0, and
 * config accesses by bus and devfn as a guest makes them. A test file
 * includes it once and gets fp, root and hb; its setup calls
 * pci_fixture_setup(), its teardown pci_fixture_teardown() after freeing
 * what it built, which checks that the platform saw nothing wrong.
 */
#ifndef SRIOVM_TESTS_PCI_FIXTURE_H
#define SRIOVM_TESTS_PCI_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "pci/host.h"
#include "pci/pci.h"
#include "pci/root_port.h"
#include "pci_fake.h"

static struct fake_plat fp;
static struct pci_root root;
static struct pci_device hb;

static inline void pci_fixture_setup(bool host_bridge)
{
	fake_plat_init(&fp);
	pci_root_init(&root);
	pci_root_set_platform(&root, &fp.plat);
	if (host_bridge) {
		pci_host_bridge_init(&hb);
		assert_int_equal(pci_bus_attach(&root.bus0, &hb, 0), 0);
	}
}

static inline void pci_fixture_teardown(void)
{
	pci_root_destroy(&root);
	assert_int_equal(fp.errors, 0);
	fake_plat_fini(&fp);
}

/* A root port built and attached on the root bus at devfn. */
static inline void pci_fixture_root_port(struct pci_root_port *rp, const char *name,
					 uint8_t devfn, uint16_t slot)
{
	assert_int_equal(pci_root_port_init(rp, name, slot, 1), 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &rp->dev, devfn), 0);
}

static inline uint32_t cfg_rd(uint8_t bus, uint8_t devfn, unsigned int off, unsigned int len)
{
	return pci_root_config_read(&root, bus, devfn, off, len);
}

static inline void cfg_wr(uint8_t bus, uint8_t devfn, unsigned int off, uint32_t v,
			  unsigned int len)
{
	pci_root_config_write(&root, bus, devfn, off, v, len);
}

#endif
