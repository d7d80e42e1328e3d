// SPDX-License-Identifier: GPL-2.0
/*
 * Composable virtio-net SR-IOV as the VMM builds it (vm_fixture.h), driven
 * in the order Linux drives it: enumeration, SR-IOV set-up, VF Enable, the
 * VFs' virtio registers, disable and enable again.
 *
 * The seed line puts the root port at 00:01.0, the PF at 01:00.0 and its
 * VFs at 01:00.1-3 (command-line order 0.3, 0.2, 0.1: the VFs' default
 * MACs follow that order, as in QEMU 11.1).
 */
#include "vm_fixture.h"	/* cmocka and the machine */

/* ---- the seed line ---- */

static void test_seed_registers(void **state)
{
	unsigned int k;

	assert_int_equal(MACHINE(SEED_LINE), 0);
	enumerate_pf();
	assert_int_equal(sriov_rd(PCI_SRIOV_TOTAL_VF), 3);
	assert_int_equal(sriov_rd(PCI_SRIOV_INITIAL_VF), 3);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_OFFSET), 1);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_STRIDE), 1);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_DID), 0x1041);
	/* Before VF Enable nothing answers at the VFs' routing IDs. */
	for (k = 1; k <= 3; k++)
		assert_vf_absent(k);
	assert_vf_absent(4);
	/* The PF offers VIRTIO_F_SR_IOV; the VFs are built, backends attached. */
	assert_true(features(0) & (1ULL << VIRTIO_F_SR_IOV));
	assert_true(features(0) & (1ULL << VIRTIO_F_VERSION_1));
	assert_int_equal(mac_of(0), MAC0 + 3);
	for (k = 1; k <= 4; k++) {
		assert_true(devs[k].built);
		assert_true(devs[k].connected);
		assert_true((devs[k].pf == &devs[4]) == (k < 4));
	}
	assert_non_null(devs[4].sriov);
	assert_ptr_equal(devs[4].pci->sriov, devs[4].sriov);
	assert_null(devs[1].sriov);
}

/* Linux's cycle: enable 3, use, disable, enable again: the same VFs, MACs kept. */
static void test_seed_enable_cycles(void **state)
{
	unsigned int k, cycle;

	assert_int_equal(MACHINE(SEED_LINE), 0);
	enumerate_pf();
	for (cycle = 0; cycle < 3; cycle++) {
		sriov_enable(3);
		assert_int_equal(sriov_rd(PCI_SRIOV_NUM_VF), 3);
		for (k = 1; k <= 3; k++) {
			uint64_t f = features(k);

			assert_vf_present(k);
			/* VF k is the k-th by function number: 0.1 is the third VF given. */
			assert_int_equal(mac_of(k), MAC0 + 3 - k);
			assert_true(f & (1ULL << VIRTIO_F_VERSION_1));
			assert_false(f & (1ULL << VIRTIO_F_SR_IOV));
			/* Disabling reset the VF's virtio device. */
			assert_int_equal(status_of(k), 0);
			set_status(k, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
			assert_int_equal(status_of(k), VIRTIO_CONFIG_S_ACKNOWLEDGE |
					 VIRTIO_CONFIG_S_DRIVER);
		}
		assert_vf_absent(4);
		assert_true(features(0) & (1ULL << VIRTIO_F_SR_IOV));
		assert_int_equal(mac_of(0), MAC0 + 3);

		sriov_disable();
		for (k = 1; k <= 3; k++) {
			uint32_t v;

			assert_vf_absent(k);
			/* Its registers no longer decode. */
			assert_false(bar_rd(modern_base(k), &v, 4));
		}
		assert_int_equal(mac_of(0), MAC0 + 3);
	}
}

/* Fewer VFs than TotalVFs: only 1..NumVFs exist; NumVFs is read-only while enabled. */
static void test_seed_fewer_vfs(void **state)
{
	uint32_t v;

	assert_int_equal(MACHINE(SEED_LINE), 0);
	enumerate_pf();
	sriov_enable(2);
	assert_vf_present(1);
	assert_vf_present(2);
	assert_vf_absent(3);
	assert_false(bar_rd(modern_base(3), &v, 4));
	assert_int_equal(mac_of(2), MAC0 + 1);
	sriov_wr(PCI_SRIOV_NUM_VF, 3, 2);
	assert_int_equal(sriov_rd(PCI_SRIOV_NUM_VF), 2);
	assert_vf_absent(3);
	sriov_disable();
	/* More than TotalVFs: VF Enable does not take. */
	sriov_enable(4);
	assert_int_equal(sriov_rd(PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE, 0);
	assert_vf_absent(1);
}

/* A PF FLR clears VF Enable: every VF goes, and comes back with its MAC. */
static void test_seed_pf_flr(void **state)
{
	unsigned int exp;

	assert_int_equal(MACHINE(SEED_LINE), 0);
	enumerate_pf();
	sriov_enable(3);
	assert_vf_present(3);
	exp = find_cap(BUS, 0, PCI_CAP_ID_EXP);
	assert_true(cfg_rd(BUS, 0, exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	cfg_wr(BUS, 0, exp + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	assert_vf_absent(1);
	assert_vf_absent(3);
	assert_int_equal(sriov_rd(PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE, 0);
	/* After the reset the PF is set up again, as a driver would. */
	enumerate_pf();
	sriov_enable(3);
	assert_int_equal(mac_of(1), MAC0 + 2);
	assert_int_equal(mac_of(3), MAC0);
}

/* Frames for a disabled VF never reach it; nothing breaks when it comes back. */
static void test_frames_while_disabled(void **state)
{
	uint8_t frame[NET_HDR_LEN + 64] = { 0 };
	struct iovec iov = { frame, sizeof(frame) };
	struct virtio_net_stats st;
	unsigned int i;

	assert_int_equal(MACHINE("-netdev", "hubport,id=h1,hubid=1",
				 "-netdev", "hubport,id=h2,hubid=1",
				 "-device", "pcie-root-port,id=b",
				 "-device", "virtio-net-pci,bus=b,addr=0.1,netdev=h1,sriov-pf=f",
				 "-device", "virtio-net-pci,bus=b,id=f"), 0);
	enumerate_pf();
	memset(frame + NET_HDR_LEN, 0xff, ETH_ALEN);	/* broadcast */
	for (i = 0; i < 4; i++)
		net_send(net_find(net, "h2"), &iov, 1);
	virtio_net_get_stats(vm_virtio_net_of(&devs[1]), &st);
	assert_int_equal(st.rx_frames, 0);
	sriov_enable(1);
	assert_vf_present(1);
	assert_int_equal(mac_of(1), MAC0);
	net_send(net_find(net, "h2"), &iov, 1);
	virtio_net_get_stats(vm_virtio_net_of(&devs[1]), &st);
	assert_int_equal(st.rx_frames, 0);	/* no driver yet */
	sriov_disable();
	assert_vf_absent(1);
}

/* ---- other layouts ---- */

/* Several PFs on one bus, offsets and strides other than 1, a PF not at 0.0. */
static void test_two_pfs(void **state)
{
	assert_int_equal(MACHINE("-device", "pcie-root-port,id=b",
				 "-device", "virtio-net-pci,bus=b,addr=0x0.0x4,sriov-pf=a",
				 "-device", "virtio-net-pci,bus=b,addr=0x0.0x2,sriov-pf=a",
				 "-device", "virtio-net-pci,bus=b,addr=0x0.0x5,sriov-pf=c",
				 "-device", "virtio-net-pci,bus=b,addr=0x0.0x3,sriov-pf=c",
				 "-device", "virtio-net-pci,bus=b,addr=0x0.0x0,id=a",
				 "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,id=c"), 0);
	enumerate_port();
	assert_int_equal(cfg_rd(BUS, 0, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MFD,
			 PCI_HEADER_TYPE_MFD);
	sriov_cap = find_ext_cap(BUS, 0, PCI_EXT_CAP_ID_SRIOV);
	assert_int_not_equal(sriov_cap, 0);
	assert_int_equal(sriov_rd(PCI_SRIOV_TOTAL_VF), 2);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_OFFSET), 2);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_STRIDE), 2);
	assert_int_equal(cfg_rd(BUS, 1, PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_not_equal(find_ext_cap(BUS, 1, PCI_EXT_CAP_ID_SRIOV), 0);
	assert_int_equal(cfg_rd(BUS, 1, find_ext_cap(BUS, 1, PCI_EXT_CAP_ID_SRIOV) +
			    PCI_SRIOV_VF_OFFSET, 2), 2);
	assert_int_equal(cfg_rd(BUS, 1, find_ext_cap(BUS, 1, PCI_EXT_CAP_ID_SRIOV) +
			    PCI_SRIOV_FUNC_LINK, 1), 1);
	/* PF a's VF 2 at 0.4; PF c's VFs stay absent. */
	sriov_wr(PCI_SRIOV_NUM_VF, 2, 2);
	sriov_wr(PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE, 2);
	assert_vf_present(2);
	assert_vf_present(4);
	assert_vf_absent(3);
	assert_vf_absent(5);
}

/* 255 VFs of one PF: VFs at 0x0.0x1 ... 0x1f.0x7, all switched on and off. */
static void test_255_vfs(void **state)
{
	static char vfs[255][64];
	static const char *w[2 + 2 * 255 + 2 + 1];
	unsigned int i, n = 0;

	w[n++] = "-device";
	w[n++] = "pcie-root-port,id=rp";
	for (i = 255; i >= 1; i--) {
		snprintf(vfs[i - 1], sizeof(vfs[i - 1]),
			 "virtio-net-pci,bus=rp,addr=0x%x.0x%x,sriov-pf=pf", i / 8, i % 8);
		w[n++] = "-device";
		w[n++] = vfs[i - 1];
	}
	w[n++] = "-device";
	w[n++] = "virtio-net-pci,bus=rp,id=pf";
	w[n] = NULL;
	assert_int_equal(machine(w), 0);
	enumerate_port();
	sriov_cap = find_ext_cap(BUS, 0, PCI_EXT_CAP_ID_SRIOV);
	assert_int_equal(sriov_rd(PCI_SRIOV_TOTAL_VF), 255);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_OFFSET), 1);
	assert_int_equal(sriov_rd(PCI_SRIOV_VF_STRIDE), 1);
	/* Without VF MSE: the fake platform keeps few ranges. */
	sriov_wr(PCI_SRIOV_NUM_VF, 255, 2);
	sriov_wr(PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_ARI | PCI_SRIOV_CTRL_VFE, 2);
	for (i = 1; i <= 255; i++)
		assert_vf_present(i);
	sriov_disable();
	for (i = 1; i <= 255; i++)
		assert_vf_absent(i);
	/* The last VF given is VF 1; the first, at 0x1f.0x7, VF 255. */
	assert_ptr_equal(devs[255].pf, &devs[256]);
	assert_ptr_equal(devs[255].pci->bus, devs[256].pci->bus);
	assert_int_equal(devs[255].pci->devfn, 1);
	assert_int_equal(devs[1].pci->devfn, 255);
}

/*
 * What the command line refuses, refused by the VMM too when a config
 * comes from elsewhere: each names the -device at fault (on stderr).
 */
static struct pci_dev_config hand_devs[8];
static struct vm_config hand = { .pci_devs = hand_devs };

static struct pci_dev_config *hand_add(enum pci_dev_kind kind, const char *id, const char *bus,
				       unsigned int slot, unsigned int fn, const char *pf)
{
	struct pci_dev_config *d = &hand_devs[hand.nr_pci_devs++];

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->id = id;
	d->bus = bus;
	d->addr_set = true;
	d->slot = (uint8_t)slot;
	d->fn = (uint8_t)fn;
	d->sriov_pf = pf;
	return d;
}

/* What the command line gives a PF: its VFs (indices, by VF number) and their routing. */
static unsigned int hand_vfs[8][8];

static void hand_layout(unsigned int pf, uint16_t offset, uint16_t stride, unsigned int nr,
			const unsigned int *vf)
{
	struct pci_dev_config *d = &hand_devs[pf];

	memcpy(hand_vfs[pf], vf, nr * sizeof(*vf));
	d->sriov.nr = nr;
	d->sriov.vf = hand_vfs[pf];
	d->sriov.offset = offset;
	d->sriov.stride = stride;
}

#define HAND_LAYOUT(pf, offset, stride, ...)						\
	hand_layout(pf, offset, stride,							\
		    sizeof((unsigned int[]){ __VA_ARGS__ }) / sizeof(unsigned int),	\
		    (unsigned int[]){ __VA_ARGS__ })

static int hand_build(void)
{
	const struct vm_devices_env env = {
		.cfg = &hand, .root = &root, .dma = &dma, .loop = &loop,
	};
	int ret = vm_pci_devices_create(&env, &devs);

	vm_pci_devices_destroy(&hand, devs);
	pci_root_destroy(&root);
	vm_pci_devices_free(&hand, devs);
	devs = NULL;
	/* A fresh root for the next one. */
	pci_root_init(&root);
	pci_root_set_platform(&root, &fp.plat);
	hand.nr_pci_devs = 0;
	return ret;
}

static void test_vmm_refusals(void **state)
{
	/* PF on the root bus: a conventional function cannot be a PF. */
	hand_add(PCI_DEV_VIRTIO_NET, NULL, NULL, 3, 1, "f");
	hand_add(PCI_DEV_VIRTIO_NET, "f", NULL, 3, 0, NULL);
	HAND_LAYOUT(1, 1, 1, 0);
	assert_int_equal(hand_build(), -EINVAL);
	/* A gap: VF 3 is not where offset and stride put it. */
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 1, "f");
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 2, "f");
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 4, "f");
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 0, NULL);
	HAND_LAYOUT(4, 1, 1, 1, 2, 3);
	assert_int_equal(hand_build(), -EINVAL);
	/* No such PF. */
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 1, "g");
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 0, NULL);
	assert_int_equal(hand_build(), -EINVAL);
	/* A VF on another bus than its PF. */
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_ROOT_PORT, "c", NULL, 2, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "c", 0, 1, "f");
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 0, NULL);
	HAND_LAYOUT(3, 1, 1, 2);
	assert_int_equal(hand_build(), -EINVAL);
	/* A VF below its PF's function number. */
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 0, "f");
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 1, NULL);
	HAND_LAYOUT(2, 0, 1, 1);
	assert_int_equal(hand_build(), -EINVAL);
	/* A VF that is not one (no sriov-pf=), and one that is not a device. */
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 1, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 0, NULL);
	HAND_LAYOUT(2, 1, 1, 1);
	assert_int_equal(hand_build(), -EINVAL);
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 0, NULL);
	HAND_LAYOUT(1, 1, 1, 7);
	assert_int_equal(hand_build(), -EINVAL);
	/* And the same machinery accepts a good one. */
	hand_add(PCI_DEV_ROOT_PORT, "b", NULL, 1, 0, NULL);
	hand_add(PCI_DEV_VIRTIO_NET, NULL, "b", 0, 1, "f");
	hand_add(PCI_DEV_VIRTIO_NET, "f", "b", 0, 0, NULL);
	HAND_LAYOUT(2, 1, 1, 1);
	assert_int_equal(hand_build(), 0);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	static const struct CMUnitTest tests[] = {
		T(test_seed_registers),
		T(test_seed_enable_cycles),
		T(test_seed_fewer_vfs),
		T(test_seed_pf_flr),
		T(test_frames_while_disabled),
		T(test_two_pfs),
		T(test_255_vfs),
		T(test_vmm_refusals),
	};

	return cmocka_run_group_tests_name("vm_sriov", tests, NULL, NULL);
}
