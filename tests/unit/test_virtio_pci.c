// SPDX-License-Identifier: GPL-2.0
/*
 * The modern virtio-pci transport, driven as a driver does: through config
 * cycles (pci_root_config_*) and BAR accesses dispatched by a fake platform,
 * with a virtio-net device behind it and its rings in fake guest memory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <linux/virtio_net.h>
#include <linux/virtio_pci.h>

#include "lib/dma.h"
#include "pci/cap.h"
#include "pci/ids.h"
#include "pci/msix.h"
#include "pci_fixture.h"
#include "virtio/net.h"
#include "virtio/pci.h"
#include "virtio_guest.h"

#define DEVFN		PCI_DEVFN(1, 0)
#define BAR1_ADDR	0xc0000000ULL
#define BAR4_ADDR	0x1000000000ULL
#define TXQ_GPA		0x8000ULL
#define TXBUF_GPA	0x80000ULL
#define COMMON(f)	(BAR4_ADDR + VIRTIO_PCI_COMMON_OFF + \
			 offsetof(struct virtio_pci_common_cfg, f))

struct tbe {
	unsigned int sent;
	uint8_t last[256];
	size_t last_len;
};

static int tbe_send(void *opaque, const struct iovec *iov, unsigned int iovcnt)
{
	struct tbe *b = opaque;
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < iovcnt; i++) {
		size_t k = iov[i].iov_len;

		if (k > sizeof(b->last) - n)
			k = sizeof(b->last) - n;
		memcpy(b->last + n, iov[i].iov_base, k);
		n += k;
	}
	b->last_len = n;
	b->sent++;
	return 0;
}

static void tbe_rx_ready(void *opaque)
{
}

static bool tbe_link_up(void *opaque)
{
	return true;
}

static const struct net_port_ops tbe_ops = {
	.send = tbe_send, .rx_ready = tbe_rx_ready, .link_up = tbe_link_up,
};

static struct guest_mem mem;
static struct loop loop;
static struct tbe be;
static struct virtio_net *net;
static struct virtio_pci vp;
static struct dma_space dma;

static void build(bool express)
{
	struct virtio_net_params p = {
		.dma = &dma, .loop = &loop, .backend = &tbe_ops, .backend_data = &be,
		.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	};
	const struct virtio_pci_info info = {
		.name = "nic", .class = PCI_CLASS_NETWORK_ETHERNET, .express = express,
		.nr_vectors = 4,
	};

	assert_int_equal(virtio_net_create(&net, &p), 0);
	assert_int_equal(virtio_pci_init(&vp, virtio_net_device(net), &loop, &info), 0);
	assert_int_equal(pci_bus_attach(&root.bus0, &vp.pci, DEVFN), 0);
}

static int setup(void **state)
{
	fg_init(&mem);
	dma_space_identity(&dma, &mem);
	assert_int_equal(loop_init(&loop), 0);
	pci_fixture_setup(false);
	memset(&be, 0, sizeof(be));
	build(*state != NULL);
	return 0;
}

static int teardown(void **state)
{
	virtio_pci_destroy(&vp);
	virtio_net_destroy(net);
	pci_fixture_teardown();
	loop_destroy(&loop);
	fg_free(&mem);
	return 0;
}

static uint32_t cfg_read(unsigned int off, unsigned int len)
{
	return pci_root_config_read(&root, 0, DEVFN, off, len);
}

static void cfg_write(unsigned int off, uint32_t v, unsigned int len)
{
	pci_root_config_write(&root, 0, DEVFN, off, v, len);
}

/* Places BAR1 and BAR4 as firmware or Linux would and turns decode on. */
static void place_bars(void)
{
	cfg_write(PCI_BASE_ADDRESS_1, (uint32_t)BAR1_ADDR, 4);
	cfg_write(PCI_BASE_ADDRESS_4, (uint32_t)BAR4_ADDR, 4);
	cfg_write(PCI_BASE_ADDRESS_5, (uint32_t)(BAR4_ADDR >> 32), 4);
	cfg_write(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
}

static uint64_t bar_read(uint64_t addr, unsigned int len)
{
	uint64_t v = 0;

	assert_true(fake_access(&fp, false, addr, &v, len, false));
	return v;
}

static void bar_write(uint64_t addr, uint64_t v, unsigned int len)
{
	assert_true(fake_access(&fp, false, addr, &v, len, true));
}

/* The vendor capability of cfg_type, 0 if none. */
static unsigned int vcap_find(uint8_t type)
{
	unsigned int off = cfg_read(PCI_CAPABILITY_LIST, 1), n = 0;

	while (off && n++ < 48) {
		if (cfg_read(off, 1) == PCI_CAP_ID_VNDR &&
		    cfg_read(off + offsetof(struct virtio_pci_cap, cfg_type), 1) == type)
			return off;
		off = cfg_read(off + 1, 1);
	}
	return 0;
}

static void test_identity(void **state)
{
	assert_int_equal(cfg_read(PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_read(PCI_DEVICE_ID, 2), 0x1041);
	assert_int_equal(cfg_read(PCI_REVISION_ID, 1), 1);
	assert_int_equal(cfg_read(PCI_CLASS_REVISION, 4) >> 8, 0x020000);
	assert_int_equal(cfg_read(PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_read(PCI_INTERRUPT_PIN, 1), 0);
	/* Express behind a port: PCIe capability, 4 KiB space, ARI. */
	if (*state) {
		assert_int_not_equal(pci_cap_find(&vp.pci, PCI_CAP_ID_EXP), 0);
		assert_int_not_equal(pci_ext_cap_find(&vp.pci, PCI_EXT_CAP_ID_ARI), 0);
	} else {
		assert_int_equal(pci_cap_find(&vp.pci, PCI_CAP_ID_EXP), 0);
		assert_int_equal(cfg_read(0x100, 4), 0xffffffff);
	}
	assert_int_not_equal(pci_cap_find(&vp.pci, PCI_CAP_ID_MSIX), 0);
	assert_int_not_equal(pci_cap_find(&vp.pci, PCI_CAP_ID_PM), 0);
}

static void test_capabilities(void **state)
{
	static const struct { uint8_t type; uint32_t off; } want[] = {
		{ VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFF },
		{ VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFF },
		{ VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFF },
		{ VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFF },
	};
	unsigned int i, cap;

	for (i = 0; i < 4; i++) {
		cap = vcap_find(want[i].type);
		assert_int_not_equal(cap, 0);
		assert_int_equal(cfg_read(cap + offsetof(struct virtio_pci_cap, bar), 1), 4);
		assert_int_equal(cfg_read(cap + offsetof(struct virtio_pci_cap, offset), 4),
				 want[i].off);
		assert_int_equal(cfg_read(cap + offsetof(struct virtio_pci_cap, length), 4),
				 VIRTIO_PCI_REGION_SIZE);
	}
	cap = vcap_find(VIRTIO_PCI_CAP_NOTIFY_CFG);
	assert_int_equal(cfg_read(cap + offsetof(struct virtio_pci_notify_cap,
						 notify_off_multiplier), 4), 4);
	cap = vcap_find(VIRTIO_PCI_CAP_PCI_CFG);
	assert_int_not_equal(cap, 0);
	assert_int_equal(cfg_read(cap + 2, 1), sizeof(struct virtio_pci_cfg_cap));
	/* The other caps are read-only. */
	cap = vcap_find(VIRTIO_PCI_CAP_COMMON_CFG);
	cfg_write(cap + offsetof(struct virtio_pci_cap, offset), 0x1234, 4);
	assert_int_equal(cfg_read(cap + offsetof(struct virtio_pci_cap, offset), 4), 0);
}

static void test_bar_sizing_and_decode(void **state)
{
	cfg_write(PCI_BASE_ADDRESS_4, 0xffffffff, 4);
	cfg_write(PCI_BASE_ADDRESS_5, 0xffffffff, 4);
	assert_int_equal(cfg_read(PCI_BASE_ADDRESS_4, 4),
			 (uint32_t)~(VIRTIO_PCI_MODERN_SIZE - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64 |
			 PCI_BASE_ADDRESS_MEM_PREFETCH);
	assert_int_equal(cfg_read(PCI_BASE_ADDRESS_5, 4), 0xffffffff);
	cfg_write(PCI_BASE_ADDRESS_1, 0xffffffff, 4);
	assert_int_equal(cfg_read(PCI_BASE_ADDRESS_1, 4), 0xfffff000);
	assert_int_equal(fp.nr, 0);

	place_bars();
	assert_non_null(fake_find(&fp, false, BAR1_ADDR));
	assert_non_null(fake_find(&fp, false, BAR4_ADDR + VIRTIO_PCI_MODERN_SIZE - 1));
	assert_int_equal(bar_read(COMMON(num_queues), 2), 2);

	/* Moved: the old range is gone and the device answers at the new one. */
	cfg_write(PCI_BASE_ADDRESS_4, 0x40000000 | PCI_BASE_ADDRESS_MEM_TYPE_64, 4);
	assert_null(fake_find(&fp, false, BAR4_ADDR));
	assert_non_null(fake_find(&fp, false, 0x1040000000ULL));
	cfg_write(PCI_COMMAND, 0, 2);
	assert_int_equal(fp.nr, 0);
}

static void test_features(void **state)
{
	uint64_t dev;

	place_bars();
	bar_write(COMMON(device_feature_select), 0, 4);
	dev = bar_read(COMMON(device_feature), 4);
	bar_write(COMMON(device_feature_select), 1, 4);
	dev |= bar_read(COMMON(device_feature), 4) << 32;
	assert_true(dev & (1ULL << VIRTIO_F_VERSION_1));
	assert_true(dev & (1ULL << VIRTIO_NET_F_MAC));
	bar_write(COMMON(device_feature_select), 2, 4);
	assert_int_equal(bar_read(COMMON(device_feature), 4), 0);

	/* A bit not offered: FEATURES_OK does not stick. */
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, 1);
	bar_write(COMMON(guest_feature_select), 0, 4);
	bar_write(COMMON(guest_feature), (uint32_t)dev | (1u << VIRTIO_NET_F_GUEST_TSO4), 4);
	bar_write(COMMON(guest_feature_select), 1, 4);
	bar_write(COMMON(guest_feature), (uint32_t)(dev >> 32), 4);
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		  VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_false(bar_read(COMMON(device_status), 1) & VIRTIO_CONFIG_S_FEATURES_OK);

	/* Reset, then only offered bits. */
	bar_write(COMMON(device_status), 0, 1);
	assert_int_equal(bar_read(COMMON(device_status), 1), 0);
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, 1);
	bar_write(COMMON(guest_feature_select), 0, 4);
	bar_write(COMMON(guest_feature), (uint32_t)dev, 4);
	bar_write(COMMON(guest_feature_select), 1, 4);
	bar_write(COMMON(guest_feature), (uint32_t)(dev >> 32), 4);
	assert_int_equal(bar_read(COMMON(guest_feature), 4), (uint32_t)(dev >> 32));
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		  VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_true(bar_read(COMMON(device_status), 1) & VIRTIO_CONFIG_S_FEATURES_OK);
}

static void test_queue_registers(void **state)
{
	place_bars();
	bar_write(COMMON(queue_select), 1, 2);
	assert_int_equal(bar_read(COMMON(queue_size), 2), VIRTIO_NET_QUEUE_SIZE);
	assert_int_equal(bar_read(COMMON(queue_notify_off), 2), 1);
	bar_write(COMMON(queue_size), 64, 2);
	assert_int_equal(bar_read(COMMON(queue_size), 2), 64);
	bar_write(COMMON(queue_desc_lo), 0x12345000, 4);
	bar_write(COMMON(queue_desc_hi), 0x1, 4);
	assert_int_equal(bar_read(COMMON(queue_desc_lo), 4), 0x12345000);
	assert_int_equal(bar_read(COMMON(queue_desc_hi), 4), 1);
	bar_write(COMMON(queue_used_lo), 0xabc000, 8);
	assert_int_equal(bar_read(COMMON(queue_used_lo), 8), 0xabc000);

	/* Vectors the table has stick; others read NO_VECTOR. */
	bar_write(COMMON(queue_msix_vector), 2, 2);
	assert_int_equal(bar_read(COMMON(queue_msix_vector), 2), 2);
	bar_write(COMMON(queue_msix_vector), 4, 2);
	assert_int_equal(bar_read(COMMON(queue_msix_vector), 2), VIRTIO_MSI_NO_VECTOR);
	bar_write(COMMON(msix_config), 0, 2);
	assert_int_equal(bar_read(COMMON(msix_config), 2), 0);
	bar_write(COMMON(msix_config), 0x7ff, 2);
	assert_int_equal(bar_read(COMMON(msix_config), 2), VIRTIO_MSI_NO_VECTOR);

	/* A queue that does not exist. */
	bar_write(COMMON(queue_select), 7, 2);
	assert_int_equal(bar_read(COMMON(queue_size), 2), 0);
	bar_write(COMMON(queue_size), 16, 2);
	assert_int_equal(bar_read(COMMON(queue_size), 2), 0);
	assert_int_equal(bar_read(COMMON(queue_msix_vector), 2), VIRTIO_MSI_NO_VECTOR);
	bar_write(COMMON(queue_enable), 1, 2);
	assert_int_equal(bar_read(COMMON(queue_enable), 2), 0);

	/* Accesses that match no field: read 0, writes dropped. */
	assert_int_equal(bar_read(COMMON(device_status), 4), 0);
	assert_int_equal(bar_read(BAR4_ADDR + 0x3f, 1), 0);
	bar_write(COMMON(queue_select) + 1, 0xff, 1);
	assert_int_equal(bar_read(COMMON(queue_select), 2), 7);
}

/* A driver's bring-up, then a frame on the transmit queue through the notify region. */
static void test_transmit_through_notify(void **state)
{
	static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54 };
	uint8_t *buf = fg_ptr(&mem, TXBUF_GPA, 12 + sizeof(frame));
	struct fring tx;
	uint64_t dev;

	place_bars();
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, 1);
	bar_write(COMMON(device_feature_select), 1, 4);
	dev = bar_read(COMMON(device_feature), 4);
	bar_write(COMMON(guest_feature_select), 1, 4);
	bar_write(COMMON(guest_feature), dev & 1, 4);	/* VERSION_1 only */
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		  VIRTIO_CONFIG_S_FEATURES_OK, 1);

	fring_init(&tx, &mem, TXQ_GPA, 16);
	bar_write(COMMON(queue_select), 1, 2);
	bar_write(COMMON(queue_size), 16, 2);
	bar_write(COMMON(queue_desc_lo), (uint32_t)tx.desc, 4);
	bar_write(COMMON(queue_avail_lo), (uint32_t)tx.avail, 4);
	bar_write(COMMON(queue_used_lo), (uint32_t)tx.used, 4);
	bar_write(COMMON(queue_msix_vector), 2, 2);
	bar_write(COMMON(queue_enable), 1, 2);
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK, 1);

	memset(buf, 0, 12);
	memcpy(buf + 12, frame, sizeof(frame));
	fdesc(&tx, 0, TXBUF_GPA, 12 + sizeof(frame), 0, 0);
	fring_avail(&tx, 0);
	/* queue 1's notify address: a write of its index there. */
	bar_write(BAR4_ADDR + VIRTIO_PCI_NOTIFY_OFF + 4, 1, 2);
	assert_int_equal(be.sent, 1);
	assert_int_equal(be.last_len, 12 + sizeof(frame));
	assert_memory_equal(be.last + 12, frame, sizeof(frame));
	assert_int_equal(fring_used_idx(&tx), 1);

	/* A notify for a queue that does not exist changes nothing. */
	bar_write(BAR4_ADDR + VIRTIO_PCI_NOTIFY_OFF + 4 * 9, 9, 2);
	assert_int_equal(be.sent, 1);
}

static void test_isr_and_device_config(void **state)
{
	uint8_t mac[6];
	unsigned int i;

	place_bars();
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)bar_read(BAR4_ADDR + VIRTIO_PCI_DEVICE_OFF + i, 1);
	assert_int_equal(mac[0], 0x52);
	assert_int_equal(mac[5], 0x56);
	/* Beyond the device's config: 0. */
	assert_int_equal(bar_read(BAR4_ADDR + VIRTIO_PCI_DEVICE_OFF + 0x800, 4), 0);
	/* ISR: read clears; nothing pending now. */
	assert_int_equal(bar_read(BAR4_ADDR + VIRTIO_PCI_ISR_OFF, 1), 0);
}

/* The PCI configuration access capability reaches the BAR without decode. */
static void test_pci_cfg_window(void **state)
{
	unsigned int cap = vcap_find(VIRTIO_PCI_CAP_PCI_CFG);
	unsigned int data = cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data);

	cfg_write(cap + offsetof(struct virtio_pci_cap, bar), 4, 1);
	cfg_write(cap + offsetof(struct virtio_pci_cap, offset),
		  offsetof(struct virtio_pci_common_cfg, num_queues), 4);
	cfg_write(cap + offsetof(struct virtio_pci_cap, length), 2, 4);
	assert_int_equal(cfg_read(data, 2), 2);

	cfg_write(cap + offsetof(struct virtio_pci_cap, offset),
		  offsetof(struct virtio_pci_common_cfg, device_status), 4);
	cfg_write(cap + offsetof(struct virtio_pci_cap, length), 1, 4);
	cfg_write(data, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	assert_int_equal(virtio_get_status(virtio_net_device(net)), VIRTIO_CONFIG_S_ACKNOWLEDGE);

	/* A bad window (length 3, a BAR that is not there, past the end) does nothing. */
	cfg_write(cap + offsetof(struct virtio_pci_cap, length), 3, 4);
	cfg_write(data, 0, 1);
	assert_int_equal(virtio_get_status(virtio_net_device(net)), VIRTIO_CONFIG_S_ACKNOWLEDGE);
	cfg_write(cap + offsetof(struct virtio_pci_cap, length), 4, 4);
	cfg_write(cap + offsetof(struct virtio_pci_cap, bar), 2, 1);
	cfg_write(data, 0, 4);
	cfg_write(cap + offsetof(struct virtio_pci_cap, bar), 4, 1);
	cfg_write(cap + offsetof(struct virtio_pci_cap, offset), 0xfffffffc, 4);
	cfg_write(data, 0, 4);
	assert_int_equal(virtio_get_status(virtio_net_device(net)), VIRTIO_CONFIG_S_ACKNOWLEDGE);
}

/* Function Level Reset resets the virtio device and the function. */
static void test_flr(void **state)
{
	unsigned int exp = pci_cap_find(&vp.pci, PCI_CAP_ID_EXP);

	place_bars();
	bar_write(COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	assert_true(cfg_read(exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	cfg_write(exp + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	assert_int_equal(virtio_get_status(virtio_net_device(net)), 0);
	assert_int_equal(cfg_read(PCI_COMMAND, 2), 0);
	assert_int_equal(fp.nr, 0);
}

int main(void)
{
	static int express = 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(test_identity, setup, teardown, NULL),
		cmocka_unit_test_prestate_setup_teardown(test_identity, setup, teardown, &express),
		cmocka_unit_test_prestate_setup_teardown(test_capabilities, setup, teardown, NULL),
		cmocka_unit_test_prestate_setup_teardown(test_bar_sizing_and_decode, setup, teardown,
							 &express),
		cmocka_unit_test_prestate_setup_teardown(test_features, setup, teardown, NULL),
		cmocka_unit_test_prestate_setup_teardown(test_queue_registers, setup, teardown, NULL),
		cmocka_unit_test_prestate_setup_teardown(test_transmit_through_notify, setup,
							 teardown, &express),
		cmocka_unit_test_prestate_setup_teardown(test_isr_and_device_config, setup, teardown,
							 NULL),
		cmocka_unit_test_prestate_setup_teardown(test_pci_cfg_window, setup, teardown, NULL),
		cmocka_unit_test_prestate_setup_teardown(test_flr, setup, teardown, &express),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
