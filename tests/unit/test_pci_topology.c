// SPDX-License-Identifier: GPL-2.0
/*
 * Root ports and bridges: config routing by bus number, windows gating
 * decode, ARI forwarding, the multi-function bit, ARI's next function,
 * secondary bus reset, the walk.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci/bar.h"
#include "pci/bridge.h"
#include "pci/cap.h"
#include "pci/host.h"
#include "pci/pci.h"
#include "pci/pcie.h"
#include "pci/pm.h"
#include "pci/root_port.h"
#include "pci_fixture.h"

#define RP_DEVFN	PCI_DEVFN(1, 0)
#define RP2_DEVFN	PCI_DEVFN(2, 0)

static struct pci_root_port rp, rp2;
static struct pci_device ep[8];

static const struct pci_device_info ep_info = {
	.vendor = 0x1af4, .device = 0x1041, .class = 0x020000,
	.header_type = PCI_HEADER_TYPE_NORMAL, .express = true,
};

static void ep_init(struct pci_device *d, uint16_t device)
{
	const struct pcie_cap_info pcie = { .type = PCI_EXP_TYPE_ENDPOINT };

	pci_device_init(d, &ep_info);
	pci_config_set16(&d->cfg, PCI_DEVICE_ID, device);
	assert_true(pcie_cap_add(d, &pcie) > 0);
}

static int setup(void **state)
{
	pci_fixture_setup(true);
	pci_fixture_root_port(&rp, "rp0", RP_DEVFN, 5);
	return 0;
}

static int teardown(void **state)
{
	pci_fixture_teardown();
	return 0;
}

static void set_buses(uint8_t devfn, uint8_t pri, uint8_t sec, uint8_t sub)
{
	cfg_wr(0, devfn, PCI_PRIMARY_BUS, pri | sec << 8 | sub << 16, 4);
}

static void test_root_port_identity(void **state)
{
	unsigned int exp, pm;

	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_VENDOR_ID, 4), 0x000c1b36);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_CLASS_REVISION, 4) >> 8, 0x060400);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_BRIDGE);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_INTERRUPT_PIN, 1), 0);
	exp = pci_cap_find(&rp.dev, PCI_CAP_ID_EXP);
	pm = pci_cap_find(&rp.dev, PCI_CAP_ID_PM);
	assert_true(exp && pm);
	assert_int_equal(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_FLAGS, 2),
			 2 | PCI_EXP_TYPE_ROOT_PORT << 4 | PCI_EXP_FLAGS_SLOT);
	assert_int_equal(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_SLTCAP, 4) >> 19, 5);
	assert_int_equal(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_LNKCAP, 4) >> 24, 1);
	assert_true(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_DEVCAP2, 4) & PCI_EXP_DEVCAP2_ARI);
	assert_false(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	/* An empty slot: no presence, link down. */
	assert_false(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_SLTSTA, 2) & PCI_EXP_SLTSTA_PDS);
	assert_false(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_LNKSTA, 2) & PCI_EXP_LNKSTA_DLLLA);
	ep_init(&ep[0], 0x1041);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	assert_true(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_SLTSTA, 2) & PCI_EXP_SLTSTA_PDS);
	assert_true(cfg_rd(0, RP_DEVFN, exp + PCI_EXP_LNKSTA, 2) & PCI_EXP_LNKSTA_DLLLA);

	/* Windows as Linux probes them: I/O 16-bit, prefetchable 64-bit. */
	cfg_wr(0, RP_DEVFN, PCI_IO_BASE, 0xe0f0, 2);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_IO_BASE, 2), 0xe0f0);
	cfg_wr(0, RP_DEVFN, PCI_IO_BASE_UPPER16, 0xffffffff, 4);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_IO_BASE_UPPER16, 4), 0);
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0xffffffff, 4);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 4), 0xfff1fff1);
	cfg_wr(0, RP_DEVFN, PCI_PREF_BASE_UPPER32, 0xffffffff, 4);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_PREF_BASE_UPPER32, 4), 0xffffffff);
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, 0xffffffff, 4);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_MEMORY_BASE, 4), 0xfff0fff0);
	/* No BARs, no ROM, no VGA forwarding. */
	cfg_wr(0, RP_DEVFN, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
	cfg_wr(0, RP_DEVFN, PCI_ROM_ADDRESS1, 0xffffffff, 4);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_BASE_ADDRESS_0, 4), 0);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_ROM_ADDRESS1, 4), 0);
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_VGA | PCI_BRIDGE_CTL_SERR, 2);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_BRIDGE_CONTROL, 2), PCI_BRIDGE_CTL_SERR);
}

static void test_routing(void **state)
{
	ep_init(&ep[0], 0x1001);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	/* Before the guest numbers the bus, nothing below is reachable. */
	assert_int_equal(cfg_rd(1, 0, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(cfg_rd(0, 0, PCI_VENDOR_ID, 2), PCI_HOST_VENDOR);

	set_buses(RP_DEVFN, 0, 1, 1);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_PRIMARY_BUS, 4) & 0xffffff, 0x010100);
	assert_int_equal(cfg_rd(1, 0, PCI_VENDOR_ID, 4), 0x10011af4);
	assert_int_equal(cfg_rd(2, 0, PCI_VENDOR_ID, 4), 0xffffffff);
	/* The ECAM path reaches it the same way. */
	{
		uint32_t v = 0;

		pci_host_ecam_io(&root, 1 << 20, &v, 4, false);
		assert_int_equal(v, 0x10011af4);
	}
	/* Writes reach it too; absent functions ignore writes. */
	cfg_wr(1, 0, PCI_INTERRUPT_LINE, 9, 1);
	assert_int_equal(cfg_rd(1, 0, PCI_INTERRUPT_LINE, 1), 9);
	cfg_wr(1, 3, PCI_INTERRUPT_LINE, 9, 1);
	assert_int_equal(cfg_rd(1, 3, PCI_INTERRUPT_LINE, 1), 0xff);
	/* Renumbered: the old number goes dead. */
	set_buses(RP_DEVFN, 0, 7, 7);
	assert_int_equal(cfg_rd(1, 0, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(cfg_rd(7, 0, PCI_VENDOR_ID, 4), 0x10011af4);
}

static void test_nested_routing(void **state)
{
	/* A second port below the first (as a switch would put it). */
	assert_int_equal(pci_root_port_init(&rp2, "rp1", 6, 2), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &rp2.dev, 0), 0);
	ep_init(&ep[0], 0x1002);
	assert_int_equal(pci_bus_attach(&rp2.bus, &ep[0], 0), 0);

	set_buses(RP_DEVFN, 0, 1, 5);
	assert_int_equal(cfg_rd(1, 0, PCI_VENDOR_ID, 4), 0x000c1b36);
	assert_int_equal(cfg_rd(2, 0, PCI_VENDOR_ID, 4), 0xffffffff);
	cfg_wr(1, 0, PCI_PRIMARY_BUS, 1 | 3 << 8 | 5 << 16, 4);
	assert_int_equal(cfg_rd(3, 0, PCI_VENDOR_ID, 4), 0x10021af4);
	/* Beyond the upstream port's subordinate: nobody forwards it. */
	set_buses(RP_DEVFN, 0, 1, 2);
	assert_int_equal(cfg_rd(3, 0, PCI_VENDOR_ID, 4), 0xffffffff);
	assert_int_equal(pci_root_route(&root, 3, 0), NULL);
	set_buses(RP_DEVFN, 0, 1, 3);
	assert_ptr_equal(pci_root_route(&root, 3, 0), &ep[0]);
}

static void test_ari_forwarding(void **state)
{
	unsigned int exp = rp.dev.pcie_cap;

	ep_init(&ep[0], 0x1000);
	ep_init(&ep[1], 0x1001);
	ep_init(&ep[2], 0x1002);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[1], 5), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[2], 0x28), 0);
	set_buses(RP_DEVFN, 0, 1, 1);
	/* Device 0's functions answer; device 5 (devfn 0x28) is an Unsupported Request. */
	assert_int_equal(cfg_rd(1, 0, PCI_DEVICE_ID, 2), 0x1000);
	assert_int_equal(cfg_rd(1, 5, PCI_DEVICE_ID, 2), 0x1001);
	assert_int_equal(cfg_rd(1, 0x28, PCI_DEVICE_ID, 2), 0xffff);
	cfg_wr(1, 0x28, PCI_INTERRUPT_LINE, 7, 1);
	assert_int_equal(ep[2].cfg.val[PCI_INTERRUPT_LINE], 0);
	/* ARI forwarding: the 8-bit function number is the whole devfn. */
	cfg_wr(0, RP_DEVFN, exp + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI, 2);
	assert_true(pcie_ari_forwarding(&rp.dev));
	assert_int_equal(cfg_rd(1, 0x28, PCI_DEVICE_ID, 2), 0x1002);
	cfg_wr(0, RP_DEVFN, exp + PCI_EXP_DEVCTL2, 0, 2);
	assert_int_equal(cfg_rd(1, 0x28, PCI_DEVICE_ID, 2), 0xffff);
}

static struct pci_device a, b, c;
static struct pci_root_port late;

static void test_multifunction(void **state)
{

	/* Root bus: functions of one slot count, other slots do not. */
	ep_init(&a, 1);
	ep_init(&b, 2);
	ep_init(&c, 3);
	assert_int_equal(pci_bus_attach(&root.bus0, &a, PCI_DEVFN(3, 0)), 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &c, PCI_DEVFN(4, 0)), 0);
	assert_false(cfg_rd(0, PCI_DEVFN(3, 0), PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MFD);
	assert_int_equal(pci_bus_attach(&root.bus0, &b, PCI_DEVFN(3, 2)), 0);
	assert_int_equal(cfg_rd(0, PCI_DEVFN(3, 0), PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_MFD);
	assert_false(cfg_rd(0, PCI_DEVFN(4, 0), PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MFD);
	assert_false(cfg_rd(0, PCI_DEVFN(3, 2), PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MFD);

	/* Below a PCIe port: any devfn counts for function 0, attached in any order. */
	ep_init(&ep[1], 0x11);
	ep_init(&ep[0], 0x10);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[1], 0x30), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	set_buses(RP_DEVFN, 0, 1, 1);
	assert_int_equal(cfg_rd(1, 0, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_MFD);
	/* It is a power-on value: a reset keeps it. */
	pthread_mutex_lock(&root.lock);
	pci_function_reset(&ep[0]);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(cfg_rd(1, 0, PCI_HEADER_TYPE, 1), PCI_HEADER_TYPE_MFD);
}

static void test_ari_next_function(void **state)
{
	unsigned int exp = rp.dev.pcie_cap;
	int cap[4];

	for (int i = 0; i < 4; i++) {
		ep_init(&ep[i], 0x100 + i);
		cap[i] = pci_ari_add(&ep[i]);
		assert_int_equal(cap[i], 0x100);
	}
	ep[2].virtfn = true;	/* VFs are not in the chain */
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[1], 1), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[2], 2), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[3], 0x40), 0);
	set_buses(RP_DEVFN, 0, 1, 1);
	cfg_wr(0, RP_DEVFN, exp + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI, 2);

	assert_int_equal(PCI_ARI_CAP_NFN(cfg_rd(1, 0, 0x100 + PCI_ARI_CAP, 2)), 1);
	assert_int_equal(PCI_ARI_CAP_NFN(cfg_rd(1, 1, 0x100 + PCI_ARI_CAP, 2)), 0x40);
	assert_int_equal(PCI_ARI_CAP_NFN(cfg_rd(1, 0x40, 0x100 + PCI_ARI_CAP, 2)), 0);
	/* Read-only, and ARI Control has nothing to enable. */
	cfg_wr(1, 0, 0x100 + PCI_ARI_CAP, 0xffffffff, 4);
	assert_int_equal(cfg_rd(1, 0, 0x100 + PCI_ARI_CAP, 4), 0x0100);
	/* A hidden function drops out of the chain. */
	pthread_mutex_lock(&root.lock);
	pci_device_set_present(&ep[1], false);
	pthread_mutex_unlock(&root.lock);
	assert_int_equal(PCI_ARI_CAP_NFN(cfg_rd(1, 0, 0x100 + PCI_ARI_CAP, 2)), 0x40);
}

static const struct pci_bar_desc m32 = { .size = 0x1000 };
static const struct pci_bar_desc io32 = { .size = 0x20, .flags = PCI_BASE_ADDRESS_SPACE_IO };
static const struct pci_bar_desc p64 = {
	.size = 0x100000,
	.flags = PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
};

static void ep_with_bars(void)
{
	ep_init(&ep[0], 0x1041);
	assert_int_equal(pci_bar_add(&ep[0], 0, &io32), 0);
	assert_int_equal(pci_bar_add(&ep[0], 1, &m32), 0);
	assert_int_equal(pci_bar_add(&ep[0], 2, &p64), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	set_buses(RP_DEVFN, 0, 1, 1);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_0, 0x1100, 4);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0xc0000000, 4);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_2, 0x00000000, 4);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_3, 0x8, 4);
	cfg_wr(1, 0, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
}

static void test_windows_gate_decode(void **state)
{
	ep_with_bars();
	/*
	 * The bridge's windows are still at reset (base 0, limit 0: the
	 * lowest 4 KiB / 1 MiB) and its Command is off: nothing decodes.
	 */
	assert_int_equal(fp.nr, 0);
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
	assert_int_equal(fp.nr, 0);

	/* Memory window 0xc0000000-0xc00fffff: the 32-bit BAR decodes. */
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, 0xc000 | 0xc000U << 16, 4);
	assert_int_equal(fp.nr, 1);
	assert_true(pci_bar_mapped(&ep[0], 1, NULL));
	/* Moved away: unmapped; moved back: mapped. */
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, 0xc010 | 0xc010U << 16, 4);
	assert_int_equal(fp.nr, 0);
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, 0xbff0 | 0xc000U << 16, 4);
	assert_int_equal(fp.nr, 1);
	/* A window that stops short of the BAR's end does not forward it. */
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0xc00ff000, 4);
	assert_int_equal(fp.nr, 1);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0xc0100000, 4);
	assert_int_equal(fp.nr, 0);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0xc0000000, 4);

	/* 64-bit prefetchable window with upper 32 bits. */
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0x0000 | 0x0000U << 16, 4);
	assert_false(pci_bar_mapped(&ep[0], 2, NULL));	/* [0, 1 MiB) */
	cfg_wr(0, RP_DEVFN, PCI_PREF_BASE_UPPER32, 8, 4);
	assert_false(pci_bar_mapped(&ep[0], 2, NULL));
	cfg_wr(0, RP_DEVFN, PCI_PREF_LIMIT_UPPER32, 8, 4);
	assert_true(pci_bar_mapped(&ep[0], 2, NULL));
	assert_non_null(fake_find(&fp, false, 0x8000fffffULL));
	cfg_wr(1, 0, PCI_BASE_ADDRESS_2, 0x00100000, 4);
	assert_false(pci_bar_mapped(&ep[0], 2, NULL));
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_LIMIT, 0x0010, 2);
	assert_true(pci_bar_mapped(&ep[0], 2, NULL));
	/* A bridge forwards by address: a non-prefetchable BAR in the prefetchable window. */
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0x00200000, 4);
	assert_false(pci_bar_mapped(&ep[0], 1, NULL));
	cfg_wr(0, RP_DEVFN, PCI_PREF_BASE_UPPER32, 0, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_LIMIT_UPPER32, 0, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0x0020 | 0x0020U << 16, 4);
	assert_true(pci_bar_mapped(&ep[0], 1, NULL));
	assert_false(pci_bar_mapped(&ep[0], 2, NULL));
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0xc0000000, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_BASE_UPPER32, 8, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_LIMIT_UPPER32, 8, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0x0000 | 0x0010U << 16, 4);
	assert_true(pci_bar_mapped(&ep[0], 1, NULL));
	assert_true(pci_bar_mapped(&ep[0], 2, NULL));

	/* I/O window 0x1000-0x1fff. */
	assert_false(pci_bar_mapped(&ep[0], 0, NULL));
	cfg_wr(0, RP_DEVFN, PCI_IO_BASE, 0x10 | 0x10 << 8, 2);
	assert_true(pci_bar_mapped(&ep[0], 0, NULL));
	/* ISA mode keeps 0x1100-0x13ff on the primary side. */
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_ISA, 2);
	assert_false(pci_bar_mapped(&ep[0], 0, NULL));
	cfg_wr(1, 0, PCI_BASE_ADDRESS_0, 0x1020, 4);
	assert_true(pci_bar_mapped(&ep[0], 0, NULL));
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, 0, 2);

	/* The bridge's own Command gates everything below. */
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	assert_false(pci_bar_mapped(&ep[0], 0, NULL));
	assert_true(pci_bar_mapped(&ep[0], 2, NULL));
	assert_int_equal(fp.nr, 2);
	/* So does its power state. */
	cfg_wr(0, RP_DEVFN, rp.dev.pm_cap + PCI_PM_CTRL, 3, 2);
	assert_int_equal(fp.nr, 0);
	cfg_wr(0, RP_DEVFN, rp.dev.pm_cap + PCI_PM_CTRL, 0, 2);
	assert_int_equal(fp.nr, 2);
}

static void test_window_union(void **state)
{
	const struct pci_bar_desc big = { .size = 0x200000 };

	ep_init(&ep[0], 0x1041);
	assert_int_equal(pci_bar_add(&ep[0], 1, &big), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	set_buses(RP_DEVFN, 0, 1, 1);
	cfg_wr(1, 0, PCI_BASE_ADDRESS_1, 0xc0000000, 4);
	cfg_wr(1, 0, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	/* 0xc0000000-0xc00fffff in one window, 0xc0100000-0xc01fffff in the other. */
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, 0xc000 | 0xc000U << 16, 4);
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0xc010 | 0xc010U << 16, 4);
	assert_true(pci_bar_mapped(&ep[0], 1, NULL));
	cfg_wr(0, RP_DEVFN, PCI_PREF_MEMORY_BASE, 0xc020 | 0xc020U << 16, 4);
	assert_false(pci_bar_mapped(&ep[0], 1, NULL));
}

static unsigned int dev_resets;

static void counting_reset(struct pci_device *d)
{
	dev_resets++;
	pci_function_reset(d);
}

static const struct pci_device_ops counting_ops = { .reset = counting_reset };

static void test_secondary_bus_reset(void **state)
{
	ep_with_bars();
	ep[0].ops = &counting_ops;
	cfg_wr(0, RP_DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	cfg_wr(0, RP_DEVFN, PCI_MEMORY_BASE, 0xc000 | 0xc000U << 16, 4);
	assert_int_equal(fp.nr, 1);
	dev_resets = 0;

	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_BUS_RESET, 2);
	assert_int_equal(dev_resets, 1);
	assert_int_equal(fp.nr, 0);
	assert_int_equal(cfg_rd(1, 0, PCI_COMMAND, 2), 0);
	assert_int_equal(cfg_rd(1, 0, PCI_BASE_ADDRESS_1, 4), 0);
	/* Held in reset: no second reset; released: none either. */
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, PCI_BRIDGE_CTL_BUS_RESET | PCI_BRIDGE_CTL_SERR, 2);
	cfg_wr(0, RP_DEVFN, PCI_BRIDGE_CONTROL, 0, 2);
	assert_int_equal(dev_resets, 1);
	/* The port's own registers are untouched. */
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_SECONDARY_BUS, 1), 1);
	assert_int_equal(cfg_rd(0, RP_DEVFN, PCI_MEMORY_BASE, 2), 0xc000);
}

struct walk_rec {
	unsigned int n;
	struct pci_device *seen[8];
	unsigned int depth[8];
	unsigned int stop_at;
};

static int record(struct pci_device *d, unsigned int depth, void *arg)
{
	struct walk_rec *w = arg;

	if (w->n < 8) {
		w->seen[w->n] = d;
		w->depth[w->n] = depth;
	}
	w->n++;
	return w->stop_at && w->n == w->stop_at ? 42 : 0;
}

static void test_walk(void **state)
{
	struct walk_rec w = { 0 };

	assert_int_equal(pci_root_port_init(&rp2, "rp1", 6, 2), 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &rp2.dev, RP2_DEVFN), 0);
	ep_init(&ep[0], 1);
	ep_init(&ep[1], 2);
	ep_init(&ep[2], 3);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[1], 4), 0);
	assert_int_equal(pci_bus_attach(&rp.bus, &ep[0], 0), 0);
	assert_int_equal(pci_bus_attach(&rp2.bus, &ep[2], 0), 0);
	assert_int_equal(pci_root_walk(&root, record, &w), 0);
	assert_int_equal(w.n, 6);
	assert_ptr_equal(w.seen[0], &hb);
	assert_ptr_equal(w.seen[1], &rp.dev);
	assert_ptr_equal(w.seen[2], &ep[0]);
	assert_ptr_equal(w.seen[3], &ep[1]);
	assert_ptr_equal(w.seen[4], &rp2.dev);
	assert_ptr_equal(w.seen[5], &ep[2]);
	assert_int_equal(w.depth[0], 0);
	assert_int_equal(w.depth[2], 1);
	assert_int_equal(w.depth[4], 0);
	assert_true(pci_device_is_bridge(&rp.dev));
	assert_false(pci_device_is_bridge(&hb));
	/* Children know the root even when attached before their bridge. */
	assert_ptr_equal(ep[2].root, &root);
	w = (struct walk_rec){ .stop_at = 3 };
	assert_int_equal(pci_root_walk(&root, record, &w), 42);
	assert_int_equal(w.n, 3);
}

static void test_attach_order(void **state)
{
	/* A port built and populated before it is attached. */
	assert_int_equal(pci_root_port_init(&late, "late", 9, 9), 0);
	ep_init(&ep[0], 0x4242);
	assert_int_equal(pci_bus_attach(&late.bus, &ep[0], 0), 0);
	assert_null(ep[0].root);
	assert_int_equal(pci_bus_attach(&root.bus0, &late.dev, PCI_DEVFN(9, 0)), 0);
	assert_ptr_equal(ep[0].root, &root);
	cfg_wr(0, PCI_DEVFN(9, 0), PCI_PRIMARY_BUS, 0x020200, 4);
	assert_int_equal(cfg_rd(2, 0, PCI_DEVICE_ID, 2), 0x4242);
	assert_int_equal(pci_bus_attach(&late.bus, &ep[1], 0), -EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_root_port_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ari_forwarding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multifunction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ari_next_function, setup, teardown),
		cmocka_unit_test_setup_teardown(test_windows_gate_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_union, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secondary_bus_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_order, setup, teardown),
	};

	return cmocka_run_group_tests_name("pci_topology", tests, NULL, NULL);
}
