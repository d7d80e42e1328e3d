// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile PF driver against the administration queue of a composed
 * SR-IOV virtio-net PF (built by the VMM's own code from a command line:
 * a PF and two VFs on one hub), and a hostile legacy driver behind it:
 * admin commands with fields mostly plausible, sometimes not, in chains
 * mostly well formed, sometimes not (a header split or short, no status
 * room, writable parts first, lengths of any size); VF Enable, NumVFs,
 * FLRs and the VFs' MSI-X flipped between commands; PF resets; the VFs'
 * BAR4 (their legacy notification address among it); frames from the hub;
 * raw writes into guest RAM.
 *
 * For each well-formed command a model predicts the status and qualifier
 * (the group, opcode, used-list and member checks; legacy accesses as OK
 * or INVALID_FIELD by the single-field rule), and checks that the device
 * wrote nothing past the buffers it was given. Guest RAM is two exactly
 * sized allocations (ASan reports a byte past them).
 */
#include <assert.h>
#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>

#include "../unit/pci_fake.h"
#include "../unit/virtio_guest.h"
#include "cli/cli.h"
#include "fuzz_input.h"
#include "lib/le.h"
#include "net/net.h"
#include "virtio/pci.h"
#include "vmm/devices.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BUS		1
#define PF_BAR4		0x100000000ULL
#define VF_BAR1		0xc0100000ULL
#define VF_BAR4		0x100100000ULL
#define MODERN_SIZE	0x4000
#define AQ_RING		0x10000ULL
#define CMD		0x20000ULL	/* a command's parts, 0x100 apart */
#define PART(i)		(CMD + 0x100ULL * (i))
#define CANARY		0x5a
#define AQ		2
#define NVF		2

#define COMMON(f)	offsetof(struct virtio_pci_modern_common_cfg, f)

static struct guest_mem mem;
static struct dma_space dma;
static struct loop loop;
static struct fake_plat fp;
static struct pci_root root;
static struct vm_config cfg;
static struct net *net;
static struct vm_pci_dev *devs;
static struct fring aq;
static unsigned int sriov_cap, rp_devfn;
static bool pf_running;			/* the model: DRIVER_OK with the admin queue */
static uint64_t used_list;		/* the model: LIST_USE's opcodes */

static const char *const line[] = {
	"sriovm", "-kernel", "k",
	"-netdev", "hubport,id=h0,hubid=0", "-netdev", "hubport,id=h1,hubid=0",
	"-netdev", "hubport,id=h2,hubid=0", "-netdev", "hubport,id=hx,hubid=0",
	"-device", "pcie-root-port,id=b",
	"-device", "virtio-net-pci,bus=b,addr=0.2,netdev=h2,sriov-pf=f",
	"-device", "virtio-net-pci,bus=b,addr=0.1,netdev=h1,sriov-pf=f",
	"-device", "virtio-net-pci,bus=b,addr=0.0,netdev=h0,id=f",
	NULL
};

static void mmio(uint64_t addr, uint64_t v, unsigned int len, bool is_write)
{
	uint8_t b[8];

	le_store(b, len, v);
	fake_access(&fp, false, addr, b, len, is_write);
}

static uint64_t mmio_rd(uint64_t addr, unsigned int len)
{
	uint8_t b[8] = { 0 };

	fake_access(&fp, false, addr, b, len, false);
	return le_load(b, len);
}

static unsigned int ext_cap(uint8_t devfn, uint16_t id)
{
	unsigned int pos = PCI_CFG_SPACE_SIZE, n;

	for (n = 0; n < 64; n++) {
		uint32_t h = pci_root_config_read(&root, BUS, devfn, pos, 4);

		if (!h || h == 0xffffffff)
			return 0;
		if (PCI_EXT_CAP_ID(h) == id)
			return pos;
		pos = PCI_EXT_CAP_NEXT(h);
		if (pos < PCI_CFG_SPACE_SIZE)
			return 0;
	}
	return 0;
}

static unsigned int cap(uint8_t devfn, uint8_t id)
{
	unsigned int pos = pci_root_config_read(&root, BUS, devfn, PCI_CAPABILITY_LIST, 1), n;

	for (n = 0; pos >= PCI_STD_HEADER_SIZEOF && n < 48; n++) {
		if (pci_root_config_read(&root, BUS, devfn, pos, 1) == id)
			return pos;
		pos = pci_root_config_read(&root, BUS, devfn, pos + 1, 1);
	}
	return 0;
}

/* The root port and the PF's resources, as firmware and Linux leave them. */
static void enumerate(void)
{
	pci_root_config_write(&root, 0, rp_devfn, PCI_PRIMARY_BUS, 0x010100, 4);
	pci_root_config_write(&root, 0, rp_devfn, PCI_MEMORY_BASE, 0xc0f0c000, 4);
	pci_root_config_write(&root, 0, rp_devfn, PCI_PREF_MEMORY_BASE, 0x00f10001, 4);
	pci_root_config_write(&root, 0, rp_devfn, PCI_PREF_BASE_UPPER32, 1, 4);
	pci_root_config_write(&root, 0, rp_devfn, PCI_PREF_LIMIT_UPPER32, 1, 4);
	pci_root_config_write(&root, 0, rp_devfn, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	pci_root_config_write(&root, BUS, 0, PCI_BASE_ADDRESS_4, (uint32_t)PF_BAR4, 4);
	pci_root_config_write(&root, BUS, 0, PCI_BASE_ADDRESS_5, PF_BAR4 >> 32, 4);
	pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_BAR + 4, (uint32_t)VF_BAR1, 4);
	pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_BAR + 16, (uint32_t)VF_BAR4, 4);
	pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_BAR + 20, VF_BAR4 >> 32, 4);
	pci_root_config_write(&root, BUS, 0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
			      2);
}

static void status(uint8_t s)
{
	mmio(PF_BAR4 + COMMON(cfg.device_status), s, 1, true);
}

/* The PF's driver from reset to DRIVER_OK with the admin queue, as Linux. */
static void pf_start(void)
{
	uint64_t f = (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_F_SR_IOV) |
		     (1ULL << VIRTIO_F_ADMIN_VQ);

	status(0);
	status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	mmio(PF_BAR4 + COMMON(cfg.guest_feature_select), 1, 4, true);
	mmio(PF_BAR4 + COMMON(cfg.guest_feature), f >> 32, 4, true);
	status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	mmio(PF_BAR4 + COMMON(cfg.queue_select), AQ, 2, true);
	fring_init(&aq, &mem, AQ_RING, VIRTIO_PCI_ADMIN_QUEUE_SIZE);
	mmio(PF_BAR4 + COMMON(cfg.queue_desc_lo), aq.desc, 4, true);
	mmio(PF_BAR4 + COMMON(cfg.queue_avail_lo), aq.avail, 4, true);
	mmio(PF_BAR4 + COMMON(cfg.queue_used_lo), aq.used, 4, true);
	mmio(PF_BAR4 + COMMON(cfg.queue_enable), 1, 2, true);
	status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	       VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	pf_running = mmio_rd(PF_BAR4 + COMMON(cfg.device_status), 1) ==
		     (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		      VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	used_list = 3;
}

static unsigned int num_vfs(void)
{
	uint16_t ctl = pci_root_config_read(&root, BUS, 0, sriov_cap + PCI_SRIOV_CTRL, 2);

	return ctl & PCI_SRIOV_CTRL_VFE ?
	       pci_root_config_read(&root, BUS, 0, sriov_cap + PCI_SRIOV_NUM_VF, 2) : 0;
}

static void loop_dispatch(void)
{
	struct epoll_event ev[8];
	int n, i, rounds = 4;

	while (rounds-- && (n = epoll_wait(loop.epfd, ev, 8, 0)) > 0) {
		for (i = 0; i < n; i++) {
			struct loop_handler *h = ev[i].data.ptr;

			h->fn(h, ev[i].events);
		}
	}
}

/* The single-field rule's verdict, for the model. */
static bool legacy_field_ok(uint16_t opcode, uint8_t off, size_t len, unsigned int vf)
{
	static const uint8_t common[] = { 4, 4, 4, 2, 2, 2, 1, 1, 2, 2, 0 };
	static const uint8_t device[] = { 6, 2, 2, 0 };
	bool is_common = opcode == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE ||
			 opcode == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ;
	unsigned int msix = cap(vf, PCI_CAP_ID_MSIX), end, start = 0;
	const uint8_t *f = is_common ? common : device;
	bool msix_on = pci_root_config_read(&root, BUS, vf, msix + PCI_MSIX_FLAGS, 2) &
		       PCI_MSIX_FLAGS_ENABLE;

	end = is_common ? VIRTIO_PCI_CONFIG_OFF(msix_on) : 10;
	if (!len || off >= end || len > end - off)
		return false;
	for (; *f; start += *f++)
		if (off < start + *f)
			return off + len <= start + *f;
	return false;
}

/* What a well-formed command must get: 0, or the qualifier of its EINVAL. */
static int model(uint16_t opcode, uint16_t group, uint64_t member, const uint8_t *data,
		 size_t dlen, size_t rlen)
{
	unsigned int nr = num_vfs();
	bool is_write;
	size_t len;

	if (group != VIRTIO_ADMIN_GROUP_TYPE_SRIOV)
		return 4;
	if (opcode > VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO || !(used_list & (1ULL << opcode)))
		return 2;
	if (opcode == VIRTIO_ADMIN_CMD_LIST_QUERY)
		return 0;
	if (opcode == VIRTIO_ADMIN_CMD_LIST_USE) {
		uint8_t w[8] = { 0 };
		size_t i;

		memcpy(w, data, dlen < 8 ? dlen : 8);
		if (le_load(w, 8) & ~0x7fULL)
			return 3;
		for (i = 8; i < dlen; i++)
			if (data[i])
				return 3;
		used_list = le_load(w, 8);
		return 0;
	}
	if (!nr)
		return 4;
	if (!member || member > nr)
		return 5;
	if (opcode == VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO)
		return 0;
	is_write = opcode == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE ||
		   opcode == VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_WRITE;
	len = is_write ? (dlen > 8 ? dlen - 8 : 0) : rlen;
	return legacy_field_ok(opcode, dlen ? data[0] : 0, len, (unsigned int)member) ? 0 : 3;
}

/* Mostly small, sometimes anything. */
static uint64_t take_small(struct input *in, uint64_t mod)
{
	uint8_t b = (uint8_t)take(in, 1);

	return b & 0x80 ? take(in, 8) : b % mod;
}

static void op_command(struct input *in)
{
	struct virtio_admin_cmd_hdr hdr;
	uint8_t data[96], shape = (uint8_t)take(in, 1);
	size_t dlen = take(in, 1) % sizeof(data), rlen = take(in, 1) % 96, i;
	uint16_t before = fring_used_idx(&aq), expect_used;
	unsigned int n = 0;
	int want = -1;

	hdr.opcode = htole16((uint16_t)take_small(in, 8));
	hdr.group_type = htole16((uint16_t)(take(in, 1) & 0x10 ? take(in, 2) : 1));
	memset(hdr.reserved1, 0, sizeof(hdr.reserved1));
	hdr.group_member_id = htole64(take_small(in, NVF + 2));
	for (i = 0; i < dlen; i++)
		data[i] = (uint8_t)(i < 8 && (shape & 0x40) ? take(in, 1) % 24 : take(in, 1));
	memset(fg_ptr(&mem, CMD, 0x800), CANARY, 0x800);
	memcpy(fg_ptr(&mem, PART(0), sizeof(hdr)), &hdr, sizeof(hdr));
	memcpy(fg_ptr(&mem, PART(1), dlen), data, dlen);

	if (!(shape & 0x7)) {
		/* Any chain: up to 6 parts, lengths and directions from the input. */
		unsigned int parts = take(in, 1) % 6 + 1;

		for (n = 0; n < parts; n++)
			fdesc(&aq, n, take(in, 1) & 1 ? PART(n) : take_gpa(in, FG_END),
			      (uint32_t)take_small(in, 0x100),
			      (take(in, 1) & 1 ? VRING_DESC_F_WRITE : 0) |
			      (n + 1 < parts ? VRING_DESC_F_NEXT : 0), (uint16_t)(n + 1));
	} else {
		/* Linux's shape: header, data, status, result. */
		want = model(le16toh(hdr.opcode), le16toh(hdr.group_type),
			     le64toh(hdr.group_member_id), data, dlen, rlen);
		fdesc(&aq, n, PART(0), sizeof(hdr), VRING_DESC_F_NEXT, (uint16_t)(n + 1));
		n++;
		if (dlen) {
			fdesc(&aq, n, PART(1), (uint32_t)dlen, VRING_DESC_F_NEXT, (uint16_t)(n + 1));
			n++;
		}
		fdesc(&aq, n, PART(2), 8, VRING_DESC_F_WRITE | (rlen ? VRING_DESC_F_NEXT : 0),
		      (uint16_t)(n + 1));
		n++;
		if (rlen) {
			fdesc(&aq, n, PART(3), (uint32_t)rlen, VRING_DESC_F_WRITE, 0);
			n++;
		}
	}
	fring_avail(&aq, 0);
	mmio(PF_BAR4 + VIRTIO_PCI_NOTIFY_OFF + AQ * VIRTIO_PCI_NOTIFY_MULT, AQ, 2, true);
	if (want < 0) {
		/* Whatever that chain did (a LIST_USE, a broken queue): start over. */
		pf_start();
		return;
	}
	if (!pf_running)
		return;
	/* Served at once, in the notifying thread. */
	assert(fring_used_idx(&aq) == (uint16_t)(before + 1));
	aq.used_seen++;
	{
		uint16_t st = fg_r16(&mem, PART(2)), q = fg_r16(&mem, PART(2) + 2);
		uint32_t used = fring_used_len(&aq, before);
		const uint8_t *sts = fg_ptr(&mem, PART(2), 0x100);
		const uint8_t *res = fg_ptr(&mem, PART(3), 0x100);
		uint16_t op = le16toh(hdr.opcode);
		size_t r = 0;

		assert(want ? st == 22 && q == want : st == 0 && q == 0);
		if (!want && op == VIRTIO_ADMIN_CMD_LIST_QUERY)
			r = 8;
		else if (!want && op == VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO)
			r = 64;
		else if (!want && (op == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ ||
				   op == VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ))
			r = rlen;
		expect_used = (uint16_t)(8 + (r < rlen ? r : rlen));
		assert(used == expect_used);
		/* Nothing written past what was used: not after the status, nor the result. */
		for (i = 8; i < 0x100; i++)
			assert(sts[i] == CANARY);
		for (i = used - 8; i < 0x100; i++)
			assert(res[i] == CANARY);
	}
}

static void op_config(struct input *in)
{
	unsigned int vf = take(in, 1) % (NVF + 1), k = (unsigned int)take(in, 1), c;

	switch (k % 6) {
	case 0:	/* NumVFs, then VF Enable (or not) */
		pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_NUM_VF,
				      (uint32_t)take(in, 1) % (NVF + 2), 2);
		/* fall through */
	case 1:
		pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_CTRL,
				      (k & 0x10 ? PCI_SRIOV_CTRL_VFE : 0) | PCI_SRIOV_CTRL_MSE |
				      PCI_SRIOV_CTRL_ARI, 2);
		break;
	case 2:	/* a VF's MSI-X on or off: the legacy header's length follows */
		if (!vf)
			vf = 1;
		c = cap(vf, PCI_CAP_ID_MSIX);
		if (c)
			pci_root_config_write(&root, BUS, vf, c + PCI_MSIX_FLAGS,
					      k & 0x10 ? PCI_MSIX_FLAGS_ENABLE : 0, 2);
		break;
	case 3:	/* an FLR of a VF, or of the PF (which takes the VFs and the queue) */
		c = cap(vf, PCI_CAP_ID_EXP);
		if (c)
			pci_root_config_write(&root, BUS, vf, c + PCI_EXP_DEVCTL,
					      PCI_EXP_DEVCTL_BCR_FLR, 2);
		if (!vf && c) {
			enumerate();
			pf_running = false;
		}
		break;
	case 4:	/* the PF's driver starts over */
		pf_start();
		break;
	default:	/* a PF reset, or a status with bits of any kind */
		status((uint8_t)take(in, 1));
		pf_running = false;
		break;
	}
}

static void op_vf_bar(struct input *in)
{
	unsigned int vf = take(in, 1) % NVF;
	unsigned int len = 1u << (take(in, 1) % 4);
	uint64_t off = take(in, 1) & 1 ? VIRTIO_PCI_LEGACY_NOTIFY_OFF : take(in, 2) % MODERN_SIZE;

	if (off + len > MODERN_SIZE)
		off = MODERN_SIZE - len;
	mmio(VF_BAR4 + vf * MODERN_SIZE + off, take(in, 2), len, take(in, 1) & 1);
}

static void op_frame(struct input *in)
{
	uint8_t frame[12 + 128];
	struct iovec iov = { frame, 12 + 14 + take(in, 1) % 100 };

	memset(frame, 0, sizeof(frame));
	memset(frame + 12, 0xff, 6);
	net_send(net_find(net, "hx"), &iov, 1);
}

static void run(struct input *in)
{
	struct vm_devices_env env = { .cfg = &cfg, .root = &root, .dma = &dma, .loop = &loop };
	FILE *null = fopen("/dev/null", "w");
	unsigned int steps = 0, i;

	memset(&cfg, 0, sizeof(cfg));
	fuzz_mem_init(&mem, &dma, FG_R0_SIZE, FG_R1_SIZE);
	if (!null || loop_init(&loop))
		abort();
	fake_plat_init(&fp);
	pci_root_init(&root);
	pci_root_set_platform(&root, &fp.plat);
	if (cli_parse((int)(sizeof(line) / sizeof(line[0])) - 1, (char **)line, &cfg, null,
		      null) ||
	    net_create(&net, cfg.netdevs, cfg.nr_netdevs, &loop))
		abort();
	env.net = net;
	if (vm_pci_devices_create(&env, &devs))
		abort();
	rp_devfn = PCI_DEVFN(cfg.pci_devs[0].slot, cfg.pci_devs[0].fn);
	sriov_cap = ext_cap(0, PCI_EXT_CAP_ID_SRIOV);
	enumerate();
	pf_start();
	for (i = 0; i < 2; i++)
		pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_NUM_VF, NVF, 2);
	pci_root_config_write(&root, BUS, 0, sriov_cap + PCI_SRIOV_CTRL,
			      PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE | PCI_SRIOV_CTRL_ARI, 2);

	while (in->left && steps++ < 256) {
		switch (take(in, 1) % 8) {
		case 0: case 1: case 2: case 3:
			op_command(in);
			break;
		case 4:
			op_config(in);
			break;
		case 5:
			op_vf_bar(in);
			break;
		case 6:
			op_frame(in);
			break;
		default:
			fuzz_op_write(in, &mem, FG_END, 32);
			/* The ring may be anything now: no predictions until a restart. */
			pf_start();
			break;
		}
		loop_dispatch();
	}

	vm_pci_devices_destroy(&cfg, devs);
	pci_root_destroy(&root);
	vm_pci_devices_free(&cfg, devs);
	net_destroy(net);
	cli_free(&cfg);
	assert(fp.errors == 0);
	fake_plat_fini(&fp);
	loop_destroy(&loop);
	fuzz_mem_free(&mem);
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	run(&in);
	return 0;
}
