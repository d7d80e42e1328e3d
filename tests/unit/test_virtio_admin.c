// SPDX-License-Identifier: GPL-2.0
/*
 * The administration queue of a composed SR-IOV virtio-net PF and the
 * legacy personality of its VFs, on the machine vm_create() builds
 * (vm_fixture.h): a PF driver that programs the admin queue through the
 * PF's common configuration as Linux does, and sends commands as
 * virtio_pci_modern.c builds them (header and data readable, status and
 * result writable); and through them a legacy driver of VF 1, as
 * virtio_vfio_pci forwards one: reset, features, the MAC, rings by page
 * frame number, DRIVER_OK, frames with the 10-byte header, notifications
 * at LEGACY_NOTIFY_INFO's address.
 */
#include "vm_fixture.h"	/* cmocka and the machine */

#include "lib/le.h"

#define AQ_RING		0x10000ULL
#define CMD_HDR		0x20000ULL
#define CMD_DATA	0x20100ULL
#define CMD_STATUS	0x20800ULL
#define CMD_RESULT	0x20900ULL
#define RX_PFN		0x40
#define TX_PFN		0x48
#define RX_BUF		0x60000ULL
#define TX_BUF		0x70000ULL
#define AQ		2	/* virtio-net's queues are 0 and 1 */

#define MCOMMON(f)	offsetof(struct virtio_pci_modern_common_cfg, f)

/* Status and qualifiers (virtio 1.3 admin.tex). */
#define ST_EINVAL	22
#define Q_OPCODE	2
#define Q_FIELD		3
#define Q_GROUP		4
#define Q_MEMBER	5

#define LEGACY_CMDS	0x7cULL		/* Linux's VIRTIO_LEGACY_ADMIN_CMD_BITMAP */

/* Two VFs: VF 1 on hub 0 with port hx, where frames come from; VF 2 and the PF too. */
#define ADMIN_LINE								\
	"-netdev", "hubport,id=h0,hubid=0", "-netdev", "hubport,id=h1,hubid=0",	\
	"-netdev", "hubport,id=h2,hubid=0", "-netdev", "hubport,id=hx,hubid=0",	\
	"-device", "pcie-root-port,id=b",					\
	"-device", "virtio-net-pci,bus=b,addr=0.2,netdev=h2,sriov-pf=f",	\
	"-device", "virtio-net-pci,bus=b,addr=0.1,netdev=h1,sriov-pf=f,mac=52:54:00:00:05:01", \
	"-device", "virtio-net-pci,bus=b,addr=0.0,netdev=h0,id=f"

static struct fring aq;

/* ---- register accesses ---- */

static void mmio_wr(uint64_t addr, uint64_t v, unsigned int len)
{
	uint8_t b[8];

	le_store(b, len, v);
	assert_true(fake_access(&fp, false, addr, b, len, true));
}

static uint64_t mmio_rd(uint64_t addr, unsigned int len)
{
	uint8_t b[8];

	assert_true(bar_rd(addr, b, len));
	return le_load(b, len);
}

static void common_wr(unsigned int fn, unsigned int off, uint64_t v, unsigned int len)
{
	mmio_wr(modern_base(fn) + off, v, len);
}

static uint64_t common_rd(unsigned int fn, unsigned int off, unsigned int len)
{
	return mmio_rd(modern_base(fn) + off, len);
}

/* ---- the PF's driver ---- */

/* Linux's probe of the PF up to DRIVER_OK, with the admin queue if offered. */
static void pf_start(void)
{
	uint64_t f = features(0), want;

	want = f & ((1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_F_SR_IOV) |
		    (1ULL << VIRTIO_F_ADMIN_VQ));
	common_wr(0, COMMON(device_status), 0, 1);
	common_wr(0, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE |
		  VIRTIO_CONFIG_S_DRIVER, 1);
	common_wr(0, COMMON(guest_feature_select), 0, 4);
	common_wr(0, COMMON(guest_feature), (uint32_t)want, 4);
	common_wr(0, COMMON(guest_feature_select), 1, 4);
	common_wr(0, COMMON(guest_feature), want >> 32, 4);
	common_wr(0, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE |
		  VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	assert_true(common_rd(0, COMMON(device_status), 1) & VIRTIO_CONFIG_S_FEATURES_OK);
	if (want & (1ULL << VIRTIO_F_ADMIN_VQ)) {
		assert_int_equal(common_rd(0, MCOMMON(admin_queue_index), 2), AQ);
		assert_int_equal(common_rd(0, MCOMMON(admin_queue_num), 2), 1);
		common_wr(0, COMMON(queue_select), AQ, 2);
		assert_int_equal(common_rd(0, COMMON(queue_size), 2), VIRTIO_PCI_ADMIN_QUEUE_SIZE);
		assert_int_equal(common_rd(0, COMMON(queue_notify_off), 2), AQ);
		fring_init(&aq, &mem, AQ_RING, VIRTIO_PCI_ADMIN_QUEUE_SIZE);
		common_wr(0, COMMON(queue_desc_lo), aq.desc, 4);
		common_wr(0, COMMON(queue_avail_lo), aq.avail, 4);
		common_wr(0, COMMON(queue_used_lo), aq.used, 4);
		common_wr(0, COMMON(queue_msix_vector), 0, 2);
		common_wr(0, COMMON(queue_enable), 1, 2);
	}
	common_wr(0, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE |
		  VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
		  VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

struct seg {
	uint64_t addr;
	uint32_t len;
	bool writable;
};

struct answer {
	uint16_t status, qualifier;
	uint32_t used;		/* used length; UINT32_MAX: not used */
	uint8_t result[80];
};

/* A chain of segs on the admin queue, notified; what came back. */
static struct answer admin_chain(const struct seg *segs, unsigned int n)
{
	uint16_t before = fring_used_idx(&aq);
	struct answer a;
	unsigned int i;

	for (i = 0; i < n; i++)
		fdesc(&aq, i, segs[i].addr, segs[i].len,
		      (segs[i].writable ? VRING_DESC_F_WRITE : 0) |
		      (i + 1 < n ? VRING_DESC_F_NEXT : 0), (uint16_t)(i + 1));
	fring_avail(&aq, 0);
	mmio_wr(PF_BAR4 + VIRTIO_PCI_NOTIFY_OFF + AQ * VIRTIO_PCI_NOTIFY_MULT, AQ, 2);
	memset(&a, 0, sizeof(a));
	a.used = UINT32_MAX;
	if (fring_used_idx(&aq) == before)
		return a;
	aq.used_seen++;
	assert_int_equal(fring_used_id(&aq, before), 0);
	a.used = fring_used_len(&aq, before);
	a.status = fg_r16(&mem, CMD_STATUS);
	a.qualifier = fg_r16(&mem, CMD_STATUS + 2);
	memcpy(a.result, fg_ptr(&mem, CMD_RESULT, sizeof(a.result)), sizeof(a.result));
	return a;
}

/* A command as Linux sends it: header, data (if any), status, result (if any). */
static struct answer admin_cmd(uint16_t opcode, uint16_t group, uint64_t member,
			       const void *data, uint32_t dlen, uint32_t rlen)
{
	struct virtio_admin_cmd_hdr hdr = {
		.opcode = htole16(opcode),
		.group_type = htole16(group),
		.group_member_id = htole64(member),
	};
	struct seg segs[4];
	unsigned int n = 0;

	memcpy(fg_ptr(&mem, CMD_HDR, sizeof(hdr)), &hdr, sizeof(hdr));
	segs[n++] = (struct seg){ CMD_HDR, sizeof(hdr), false };
	if (dlen) {
		memcpy(fg_ptr(&mem, CMD_DATA, dlen), data, dlen);
		segs[n++] = (struct seg){ CMD_DATA, dlen, false };
	}
	memset(fg_ptr(&mem, CMD_STATUS, 8), 0xaa, 8);
	memset(fg_ptr(&mem, CMD_RESULT, 80), 0xaa, 80);
	segs[n++] = (struct seg){ CMD_STATUS, 8, true };
	if (rlen)
		segs[n++] = (struct seg){ CMD_RESULT, rlen, true };
	return admin_chain(segs, n);
}

static struct answer sriov_cmd(uint16_t opcode, uint64_t member, const void *data,
			       uint32_t dlen, uint32_t rlen)
{
	return admin_cmd(opcode, VIRTIO_ADMIN_GROUP_TYPE_SRIOV, member, data, dlen, rlen);
}

static void assert_ok(struct answer a, uint32_t used)
{
	assert_int_equal(a.status, 0);
	assert_int_equal(a.qualifier, 0);
	assert_int_equal(a.used, used);
}

static void assert_einval(struct answer a, uint16_t qualifier)
{
	assert_int_equal(a.status, ST_EINVAL);
	assert_int_equal(a.qualifier, qualifier);
	assert_int_equal(a.used, 8);
}

/* virtio_pci_admin_cmd_list_init(): QUERY, then USE of what Linux knows of it. */
static void list_init(void)
{
	struct answer a = sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 8);
	uint64_t use;

	assert_ok(a, 16);
	use = le_load(a.result, 8) & LEGACY_CMDS;
	assert_int_equal(use, LEGACY_CMDS);
	use = htole64(use);
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, &use, 8, 0), 8);
}

/* The machine, the PF enumerated and its driver running, n VFs enabled. */
static void admin_machine(unsigned int n)
{
	assert_int_equal(MACHINE(ADMIN_LINE), 0);
	enumerate_pf();
	pf_start();
	list_init();
	if (n)
		sriov_enable(n);
}

/* ---- the legacy view of a VF, through the commands ---- */

static struct answer lg_read(uint16_t opcode, uint64_t vf, uint8_t off, uint32_t len)
{
	return sriov_cmd(opcode, vf, &off, 1, len);
}

static uint32_t lg_common_rd(unsigned int vf, uint8_t off, uint32_t len)
{
	struct answer a = lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, vf, off, len);

	assert_ok(a, 8 + len);
	return (uint32_t)le_load(a.result, len);
}

static struct answer lg_write(uint16_t opcode, unsigned int vf, uint8_t off, uint64_t v,
			      uint32_t len)
{
	uint8_t data[8 + 16] = { off };

	le_store(data + 8, len > 8 ? 8 : len, v);
	return sriov_cmd(opcode, vf, data, 8 + len, 0);
}

static void lg_common_wr(unsigned int vf, uint8_t off, uint64_t v, uint32_t len)
{
	assert_ok(lg_write(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE, vf, off, v, len), 8);
}

static void vf_msix(unsigned int vf, bool on)
{
	unsigned int cap = find_cap(BUS, vf, PCI_CAP_ID_MSIX);

	cfg_wr(BUS, vf, cap + PCI_MSIX_FLAGS, on ? PCI_MSIX_FLAGS_ENABLE : 0, 2);
}

/* ---- tests ---- */

/* The PF offers the admin queue where Linux looks; VFs and admin-vq=off do not. */
static void test_discovery(void **state)
{
	assert_int_equal(MACHINE(ADMIN_LINE), 0);
	enumerate_pf();
	assert_true(features(0) & (1ULL << VIRTIO_F_ADMIN_VQ));
	assert_true(features(0) & (1ULL << VIRTIO_F_SR_IOV));
	assert_int_equal(common_rd(0, COMMON(num_queues), 2), 2);
	assert_int_equal(common_rd(0, MCOMMON(admin_queue_index), 2), AQ);
	assert_int_equal(common_rd(0, MCOMMON(admin_queue_num), 2), 1);
	assert_int_equal(common_rd(0, MCOMMON(queue_reset), 2), 0);
	/* Linux's vp_check_common_size(): the capability covers 64 bytes and more. */
	assert_true(cfg_rd(BUS, 0, find_cap(BUS, 0, PCI_CAP_ID_VNDR) +
			   offsetof(struct virtio_pci_cap, length), 4) >= 64);
	sriov_enable(2);
	assert_false(features(1) & (1ULL << VIRTIO_F_ADMIN_VQ));
	assert_int_equal(common_rd(1, MCOMMON(admin_queue_num), 2), 0);
	/* LEGACY_NOTIFY_INFO needs VF BAR0 hardwired to zero. */
	assert_int_equal(cfg_rd(BUS, 0, sriov_cap + PCI_SRIOV_BAR, 4), 0);
}

static void test_admin_vq_off(void **state)
{
	assert_int_equal(MACHINE("-device", "pcie-root-port,id=b",
				 "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f",
				 "-device", "virtio-net-pci,bus=b,id=f,admin-vq=off"), 0);
	enumerate_pf();
	assert_false(features(0) & (1ULL << VIRTIO_F_ADMIN_VQ));
	assert_true(features(0) & (1ULL << VIRTIO_F_SR_IOV));
	assert_int_equal(common_rd(0, MCOMMON(admin_queue_num), 2), 0);
	/* Queue 2 does not exist then. */
	common_wr(0, COMMON(queue_select), AQ, 2);
	assert_int_equal(common_rd(0, COMMON(queue_size), 2), 0);
}

/* LIST_QUERY and LIST_USE before any VF exists, with Linux's buffers and others. */
static void test_list(void **state)
{
	uint64_t bits;
	struct answer a;

	assert_int_equal(MACHINE(ADMIN_LINE), 0);
	enumerate_pf();
	pf_start();
	assert_int_equal(sriov_rd(PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE, 0);
	a = sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 8);
	assert_ok(a, 16);
	assert_int_equal(le_load(a.result, 8), 0x7f);
	/* A short result buffer: truncated, and the used length says so. */
	a = sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 3);
	assert_ok(a, 11);
	assert_int_equal(le_load(a.result, 3), 0x7f);
	assert_int_equal(a.result[3], 0xaa);
	/* A long one: only the bitmap is written. */
	a = sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 64);
	assert_ok(a, 16);
	assert_int_equal(a.result[8], 0xaa);
	/* Another group, an opcode that does not exist. */
	assert_einval(admin_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, 0, NULL, 0, 8), Q_GROUP);
	assert_einval(admin_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 2, 0, NULL, 0, 8), Q_GROUP);
	assert_einval(sriov_cmd(7, 0, NULL, 0, 8), Q_OPCODE);
	assert_einval(sriov_cmd(0xffff, 0, NULL, 0, 8), Q_OPCODE);
	/* The legacy commands are not usable before LIST_USE. */
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0, 4), Q_OPCODE);

	/* LIST_USE of opcodes the device lacks fails, and changes nothing. */
	bits = htole64(LEGACY_CMDS | (1ULL << 7));
	assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, &bits, 8, 0), Q_FIELD);
	{
		uint64_t two[2] = { htole64(LEGACY_CMDS), htole64(1) };

		assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, two, 16, 0), Q_FIELD);
	}
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 8), 16);
	/* Linux's: the legacy commands only, which blocks QUERY and USE. */
	bits = htole64(LEGACY_CMDS);
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, &bits, 8, 0), 8);
	assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 8), Q_OPCODE);
	/* A short bitmap reads as zeros past its end: 0x7c in 1 byte. */
	pf_start();
	bits = htole64(LEGACY_CMDS);
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, &bits, 1, 0), 8);
	/* After a reset the same LIST_USE succeeds again. */
	pf_start();
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0, 4), Q_OPCODE);
	list_init();
	pf_start();
	bits = htole64(LEGACY_CMDS);
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, &bits, 8, 0), 8);
}

/* Member commands: VF Enable, the member's range, the spec's order of checks. */
static void test_members(void **state)
{
	struct answer a;

	admin_machine(0);
	/* VF Enable clear: every member command fails as INVALID_GROUP. */
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0, 4), Q_GROUP);
	assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO, 1, NULL, 0, 64), Q_GROUP);
	sriov_enable(1);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 0, 0, 4), Q_MEMBER);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 2, 0, 4), Q_MEMBER);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1ULL << 40, 0, 4),
		      Q_MEMBER);
	/* Group before opcode before member. */
	assert_einval(admin_cmd(99, 5, 9, NULL, 0, 4), Q_GROUP);
	assert_einval(sriov_cmd(99, 9, NULL, 0, 4), Q_OPCODE);
	a = lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, VIRTIO_PCI_QUEUE_NUM, 2);
	assert_ok(a, 10);
	assert_int_equal(le_load(a.result, 2), VIRTIO_NET_QUEUE_SIZE);
	sriov_disable();
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0, 4), Q_GROUP);
	sriov_enable(2);
	assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 2, 0, 4), 12);
}

/* The single-field rule at each field boundary of the header, MSI-X off and on. */
static void test_single_field(void **state)
{
	static const struct { uint8_t off, size; } f[] = {
		{ 0, 4 }, { 4, 4 }, { 8, 4 }, { 12, 2 }, { 14, 2 }, { 16, 2 }, { 18, 1 }, { 19, 1 },
	};
	uint32_t v = 0;
	unsigned int i, len;

	admin_machine(1);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		/* Each whole field, and each part of it, reads. */
		for (len = 1; len <= f[i].size; len++)
			assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1,
					  (uint8_t)(f[i].off + f[i].size - len), len), 8 + len);
		/* One byte more crosses into the next field (or past the end). */
		assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, f[i].off,
				      f[i].size + 1), Q_FIELD);
		assert_einval(lg_write(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE, 1, f[i].off, 0,
				       f[i].size + 1), Q_FIELD);
	}
	/* Without MSI-X the header ends at 20: the vectors are not there. */
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 20, 2), Q_FIELD);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0xff, 1), Q_FIELD);
	/* Empty and oversized accesses. */
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0, 0), Q_FIELD);
	assert_einval(lg_write(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE, 1, 0, 0, 0), Q_FIELD);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 0, 40), Q_FIELD);
	assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE, 1, &v, 3, 0), Q_FIELD);
	/* Device configuration: mac (6), status (2), max_virtqueue_pairs (2). */
	for (len = 1; len <= 6; len++)
		assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 0, len), 8 + len);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 5, 2), Q_FIELD);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 0, 7), Q_FIELD);
	assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 7, 1), 9);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 7, 2), Q_FIELD);
	assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 8, 2), 10);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 10, 1), Q_FIELD);
	assert_einval(lg_write(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_WRITE, 1, 4, 0, 4), Q_FIELD);

	/* MSI-X enabled: the two vector fields, the device configuration at 24. */
	vf_msix(1, true);
	assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 20, 2), 10);
	assert_ok(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 22, 2), 10);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 21, 2), Q_FIELD);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 24, 1), Q_FIELD);
}

/* The header's values, and the MSI-X vectors while the VF's MSI-X is enabled. */
static void test_legacy_header(void **state)
{
	uint64_t f;

	admin_machine(1);
	f = features(1);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_HOST_FEATURES, 4), (uint32_t)f);
	assert_true(f & (1ULL << VIRTIO_NET_F_MAC));
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_GUEST_FEATURES, 4), 0);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_PFN, 4), 0);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_NUM, 2), VIRTIO_NET_QUEUE_SIZE);
	/* A queue that does not exist: size 0 (the PF's admin queue is not the VF's). */
	lg_common_wr(1, VIRTIO_PCI_QUEUE_SEL, 2, 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_SEL, 2), 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_NUM, 2), 0);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_STATUS, 1), 0);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_ISR, 1), 0);
	/* Little-endian: the MAC as bytes, the status word. */
	assert_int_equal(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 0, 6).result[5], 0x01);
	assert_int_equal(le_load(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 0, 6).result,
				 6), 0x010500005452ULL);
	assert_int_equal(le_load(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 6, 2).result,
				 2), VIRTIO_NET_S_LINK_UP);

	vf_msix(1, true);
	assert_int_equal(lg_common_rd(1, VIRTIO_MSI_CONFIG_VECTOR, 2), VIRTIO_MSI_NO_VECTOR);
	lg_common_wr(1, VIRTIO_MSI_CONFIG_VECTOR, 0, 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_MSI_CONFIG_VECTOR, 2), 0);
	/* A vector the table lacks reads back as NO_VECTOR: Linux checks that. */
	lg_common_wr(1, VIRTIO_MSI_CONFIG_VECTOR, 9, 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_MSI_CONFIG_VECTOR, 2), VIRTIO_MSI_NO_VECTOR);
	lg_common_wr(1, VIRTIO_PCI_QUEUE_SEL, 1, 2);
	lg_common_wr(1, VIRTIO_MSI_QUEUE_VECTOR, 2, 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_MSI_QUEUE_VECTOR, 2), 2);
	/* The same state through the modern BAR. */
	common_wr(1, COMMON(queue_select), 1, 2);
	assert_int_equal(common_rd(1, COMMON(queue_msix_vector), 2), 2);
	/* Device configuration after the vectors, at 24: relative offsets unchanged. */
	assert_int_equal(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 5, 1).result[0], 0x01);
	vf_msix(1, false);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 22, 2), Q_FIELD);
}

static void test_notify_info(void **state)
{
	struct virtio_admin_cmd_notify_info_result r;
	struct answer a;

	admin_machine(2);
	a = sriov_cmd(VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO, 2, NULL, 0, sizeof(r));
	assert_ok(a, 8 + sizeof(r));
	memcpy(&r, a.result, sizeof(r));
	assert_int_equal(r.entries[0].flags, VIRTIO_ADMIN_CMD_NOTIFY_INFO_FLAGS_OWNER_MEM);
	assert_int_equal(r.entries[0].bar, VIRTIO_PCI_MODERN_BAR);
	assert_int_equal(le64toh(r.entries[0].offset), VIRTIO_PCI_LEGACY_NOTIFY_OFF);
	assert_int_equal(le64toh(r.entries[0].offset) % 2, 0);
	assert_true(le64toh(r.entries[0].offset) < MODERN_SIZE);
	/* The list ends with flags 0. */
	assert_int_equal(r.entries[1].flags, VIRTIO_ADMIN_CMD_NOTIFY_INFO_FLAGS_END);
	assert_int_equal(r.entries[3].flags, 0);
	/* Truncated to a short buffer. */
	a = sriov_cmd(VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO, 1, NULL, 0, 16);
	assert_ok(a, 24);
	assert_int_equal(a.result[16], 0xaa);
}

/* A legacy driver of VF 1: Linux's virtio_pci_legacy probe, through the commands. */
static uint8_t lg_status(void)
{
	return (uint8_t)lg_common_rd(1, VIRTIO_PCI_STATUS, 1);
}

static void lg_set_status(uint8_t s)
{
	lg_common_wr(1, VIRTIO_PCI_STATUS, s, 1);
}

static struct fring lrx, ltx;

static void legacy_start(uint32_t guest_features)
{
	uint32_t pfn[2] = { RX_PFN, TX_PFN };
	unsigned int q;

	lg_set_status(0);
	assert_int_equal(lg_status(), 0);
	lg_set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE);
	lg_set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	lg_common_wr(1, VIRTIO_PCI_GUEST_FEATURES, guest_features, 4);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_GUEST_FEATURES, 4),
			 guest_features & (uint32_t)features(1));
	for (q = 0; q < 2; q++) {
		lg_common_wr(1, VIRTIO_PCI_QUEUE_SEL, q, 2);
		assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_NUM, 2), VIRTIO_NET_QUEUE_SIZE);
		fring_init_legacy(q ? &ltx : &lrx, &mem, pfn[q], VIRTIO_NET_QUEUE_SIZE);
		lg_common_wr(1, VIRTIO_PCI_QUEUE_PFN, pfn[q], 4);
		assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_PFN, 4), pfn[q]);
	}
	lg_set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		      VIRTIO_CONFIG_S_DRIVER_OK);
	assert_int_equal(lg_status(), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			 VIRTIO_CONFIG_S_DRIVER_OK);
}

/* A frame from port hx: broadcast, 64 bytes after the backend's 12-byte header. */
static void hub_send(uint8_t fill)
{
	uint8_t frame[NET_HDR_LEN + 64];
	struct iovec iov = { frame, sizeof(frame) };

	memset(frame, 0, NET_HDR_LEN);
	memset(frame + NET_HDR_LEN, fill, sizeof(frame) - NET_HDR_LEN);
	memset(frame + NET_HDR_LEN, 0xff, ETH_ALEN);
	assert_int_equal(net_send(net_find(net, "hx"), &iov, 1), 0);
}

/* VF 1's transmit of one frame with a hdr_len-byte header, by kick. */
static void legacy_tx(unsigned int hdr_len, void (*kick)(void))
{
	memset(fg_ptr(&mem, TX_BUF, hdr_len), 0, hdr_len);
	memset(fg_ptr(&mem, TX_BUF + hdr_len, 60), 0x42, 60);
	fdesc(&ltx, ltx.avail_idx % ltx.size, TX_BUF, hdr_len + 60, 0, 0);
	fring_avail(&ltx, ltx.avail_idx % ltx.size);
	kick();
}

static void kick_notify_info(void)
{
	mmio_wr(VF_BAR4 + VIRTIO_PCI_LEGACY_NOTIFY_OFF, 1, 2);
}

static void kick_admin(void)
{
	lg_common_wr(1, VIRTIO_PCI_QUEUE_NOTIFY, 1, 2);
	fg_loop_dispatch(&loop);	/* a command's notification is deferred */
}

static void test_legacy_driver(void **state)
{
	struct virtio_net_stats st;
	struct virtio_net *vf1;
	uint8_t *buf;

	admin_machine(2);
	vf1 = vm_virtio_net_of(&devs[2]);
	legacy_start(1U << VIRTIO_NET_F_MAC);
	/* The modern view sees the same device: status, and no VERSION_1. */
	assert_int_equal(status_of(1), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			 VIRTIO_CONFIG_S_DRIVER_OK);

	/* Receive: the 10-byte header, the frame after it; the used ring at 4 KiB. */
	fdesc(&lrx, 0, RX_BUF, 2048, VRING_DESC_F_WRITE, 0);
	fring_avail(&lrx, 0);
	mmio_wr(VF_BAR4 + VIRTIO_PCI_LEGACY_NOTIFY_OFF, 0, 2);
	hub_send(0x33);
	assert_int_equal(lrx.used, (RX_PFN << 12) + 0x2000);
	assert_int_equal(fring_used_idx(&lrx), 1);
	assert_int_equal(fring_used_len(&lrx, 0), sizeof(struct virtio_net_hdr) + 64);
	buf = fg_ptr(&mem, RX_BUF, 128);
	assert_int_equal(buf[0] | buf[1], 0);
	assert_int_equal(buf[sizeof(struct virtio_net_hdr)], 0xff);	/* destination */
	assert_int_equal(buf[sizeof(struct virtio_net_hdr) + 63], 0x33);

	/* Transmit, notified at NOTIFY_INFO's address and by Queue Notify. */
	legacy_tx(sizeof(struct virtio_net_hdr), kick_notify_info);
	virtio_net_get_stats(vf1, &st);
	assert_int_equal(st.tx_frames, 1);
	assert_int_equal(fring_used_idx(&ltx), 1);
	legacy_tx(sizeof(struct virtio_net_hdr), kick_admin);
	virtio_net_get_stats(vf1, &st);
	assert_int_equal(st.tx_frames, 2);
	assert_int_equal(st.tx_errors, 0);

	/* Status 0 resets: rings gone, features 0; the modern driver may start over. */
	lg_set_status(0);
	assert_int_equal(lg_status(), 0);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_GUEST_FEATURES, 4), 0);
	lg_common_wr(1, VIRTIO_PCI_QUEUE_SEL, 0, 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_PFN, 4), 0);
	assert_int_equal(status_of(1), 0);
	assert_true(features(1) & (1ULL << VIRTIO_F_VERSION_1));
}

/* With MRG_RXBUF the legacy header is 12 bytes, num_buffers in it. */
static void test_legacy_mrg_rxbuf(void **state)
{
	struct virtio_net_stats st;
	uint8_t *buf;

	admin_machine(1);
	legacy_start((1U << VIRTIO_NET_F_MAC) | (1U << VIRTIO_NET_F_MRG_RXBUF));
	fdesc(&lrx, 0, RX_BUF, 2048, VRING_DESC_F_WRITE, 0);
	fring_avail(&lrx, 0);
	hub_send(0x44);
	assert_int_equal(fring_used_len(&lrx, 0), sizeof(struct virtio_net_hdr_mrg_rxbuf) + 64);
	buf = fg_ptr(&mem, RX_BUF, 128);
	assert_int_equal(buf[10] | buf[11] << 8, 1);	/* num_buffers */
	assert_int_equal(buf[sizeof(struct virtio_net_hdr_mrg_rxbuf) + 63], 0x44);
	legacy_tx(sizeof(struct virtio_net_hdr_mrg_rxbuf), kick_notify_info);
	virtio_net_get_stats(vm_virtio_net_of(&devs[2]), &st);
	assert_int_equal(st.tx_frames, 1);
	assert_int_equal(st.tx_errors, 0);
}

/* A legacy driver sets the MAC in the configuration; a reset brings mac= back. */
static void test_legacy_mac(void **state)
{
	admin_machine(1);
	legacy_start(1U << VIRTIO_NET_F_MAC);
	assert_ok(lg_write(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_WRITE, 1, 5, 0x77, 1), 8);
	assert_int_equal(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 5, 1).result[0], 0x77);
	assert_int_equal(mac_of(1), 0x525400000577ULL);
	/* The status field is the device's. */
	assert_ok(lg_write(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_WRITE, 1, 6, 0, 2), 8);
	assert_int_equal(le_load(lg_read(VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_READ, 1, 6, 2).result,
				 2), VIRTIO_NET_S_LINK_UP);
	lg_set_status(0);
	assert_int_equal(mac_of(1), 0x525400000501ULL);
}

/* Rings outside RAM: the VF needs reset, the PF and its admin queue go on. */
static void test_legacy_bad_pfn(void **state)
{
	admin_machine(1);
	lg_set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	lg_common_wr(1, VIRTIO_PCI_QUEUE_PFN, 0xfffff, 4);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_PFN, 4), 0);
	assert_true(lg_status() & VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO, 1, NULL, 0, 64), 72);
	lg_set_status(0);
	assert_int_equal(lg_status(), 0);
	/* The ring's last page past RAM's end. */
	lg_common_wr(1, VIRTIO_PCI_QUEUE_PFN, (FG_END >> 12) - 1, 4);
	assert_true(lg_status() & VIRTIO_CONFIG_S_NEEDS_RESET);
}

/* A PF FLR resets the admin queue and its LIST_USE, and removes the VFs' state. */
static void test_pf_reset(void **state)
{
	unsigned int exp;

	admin_machine(1);
	legacy_start(1U << VIRTIO_NET_F_MAC);
	exp = find_cap(BUS, 0, PCI_CAP_ID_EXP);
	cfg_wr(BUS, 0, exp + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_BCR_FLR, 2);
	/* Set up again: the device reset, its admin queue off. */
	enumerate_pf();
	assert_int_equal(common_rd(0, COMMON(device_status), 1), 0);
	common_wr(0, COMMON(queue_select), AQ, 2);
	assert_int_equal(common_rd(0, COMMON(queue_enable), 2), 0);
	/* VF 1 is back, reset, and the commands need LIST_USE again. */
	pf_start();
	sriov_enable(1);
	assert_einval(lg_read(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ, 1, 18, 1), Q_OPCODE);
	list_init();
	assert_int_equal(lg_status(), 0);
	lg_common_wr(1, VIRTIO_PCI_QUEUE_SEL, 0, 2);
	assert_int_equal(lg_common_rd(1, VIRTIO_PCI_QUEUE_PFN, 4), 0);
	/* A VF disabled and enabled again starts neutral too. */
	legacy_start(1U << VIRTIO_NET_F_MAC);
	sriov_disable();
	sriov_enable(1);
	assert_int_equal(lg_status(), 0);
	assert_true(features(1) & (1ULL << VIRTIO_F_VERSION_1));
}

/* Hostile chains: no header, no status room, lengths of every kind. */
static void test_hostile_buffers(void **state)
{
	struct answer a;
	uint8_t big[600];

	admin_machine(1);
	/* Only a status buffer: the header reads as zeros (LIST_QUERY of group 0). */
	memset(fg_ptr(&mem, CMD_STATUS, 8), 0xaa, 8);
	a = admin_chain((const struct seg[]){ { CMD_STATUS, 8, true } }, 1);
	assert_einval(a, Q_GROUP);
	/* A status buffer of 3 bytes: what fits is written, the used length says 3. */
	{
		struct virtio_admin_cmd_hdr hdr = {
			.opcode = htole16(VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO),
			.group_type = htole16(VIRTIO_ADMIN_GROUP_TYPE_SRIOV),
			.group_member_id = htole64(1),
		};

		memcpy(fg_ptr(&mem, CMD_HDR, sizeof(hdr)), &hdr, sizeof(hdr));
	}
	memset(fg_ptr(&mem, CMD_STATUS, 8), 0xaa, 8);
	a = admin_chain((const struct seg[]){ { CMD_HDR, 24, false },
					      { CMD_STATUS, 3, true } }, 2);
	assert_int_equal(a.used, 3);
	assert_int_equal(((uint8_t *)fg_ptr(&mem, CMD_STATUS, 4))[3], 0xaa);
	/* No writable part at all: nothing written, used length 0. */
	a = admin_chain((const struct seg[]){ { CMD_HDR, 24, false } }, 1);
	assert_int_equal(a.used, 0);
	/* A header split over descriptors, byte by byte at its member id. */
	{
		struct virtio_admin_cmd_hdr hdr = {
			.opcode = htole16(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ),
			.group_type = htole16(VIRTIO_ADMIN_GROUP_TYPE_SRIOV),
			.group_member_id = htole64(1),
		};
		uint8_t off = VIRTIO_PCI_QUEUE_NUM;

		memcpy(fg_ptr(&mem, CMD_HDR, sizeof(hdr)), &hdr, sizeof(hdr));
		memcpy(fg_ptr(&mem, CMD_DATA, 1), &off, 1);
		a = admin_chain((const struct seg[]){ { CMD_HDR, 16, false },
						      { CMD_HDR + 16, 1, false },
						      { CMD_HDR + 17, 7, false },
						      { CMD_DATA, 1, false },
						      { CMD_STATUS, 8, true },
						      { CMD_RESULT, 2, true } }, 6);
		assert_ok(a, 10);
		assert_int_equal(le_load(a.result, 2), VIRTIO_NET_QUEUE_SIZE);
	}
	/* A write with 592 bytes of registers: no field is that long. */
	memset(big, 0, sizeof(big));
	big[0] = VIRTIO_PCI_STATUS;
	assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE, 1, big, sizeof(big), 0),
		      Q_FIELD);
	/* LIST_USE with a long bitmap of zeros past the first word: fine. */
	pf_start();
	big[0] = 0x7c;
	assert_ok(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, big, sizeof(big), 0), 8);
	big[sizeof(big) - 1] = 1;
	pf_start();
	assert_einval(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_USE, 0, big, sizeof(big), 0), Q_FIELD);
	/* Past the bitmap of all 65536 opcodes (8 KiB) nothing is read. */
	{
		struct virtio_admin_cmd_hdr hdr = {
			.opcode = htole16(VIRTIO_ADMIN_CMD_LIST_USE),
			.group_type = htole16(VIRTIO_ADMIN_GROUP_TYPE_SRIOV),
		};
		const struct seg huge[] = {
			{ CMD_HDR, sizeof(hdr), false }, { 0x30000, 0x4000, false },
			{ CMD_STATUS, 8, true },
		};
		uint8_t *bitmap = fg_ptr(&mem, 0x30000, 0x4000);

		memset(bitmap, 0, 0x4000);
		bitmap[0] = 0x7c;
		bitmap[12288] = 1;
		memcpy(fg_ptr(&mem, CMD_HDR, sizeof(hdr)), &hdr, sizeof(hdr));
		pf_start();
		assert_ok(admin_chain(huge, 3), 8);
		bitmap[8191] = 0x80;
		pf_start();
		assert_einval(admin_chain(huge, 3), Q_FIELD);
	}
	/* A descriptor outside RAM: the PF needs reset, nothing was touched. */
	a = admin_chain((const struct seg[]){ { CMD_HDR, 24, false },
					      { FG_END - 4, 8, true } }, 2);
	assert_int_equal(a.used, UINT32_MAX);
	assert_true(common_rd(0, COMMON(device_status), 1) & VIRTIO_CONFIG_S_NEEDS_RESET);
	/* And it comes back after a reset. */
	pf_start();
	list_init();
}

/* Commands sent before DRIVER_OK, or without ADMIN_VQ negotiated, are not served. */
static void test_not_negotiated(void **state)
{
	uint16_t idx;

	assert_int_equal(MACHINE(ADMIN_LINE), 0);
	enumerate_pf();
	pf_start();
	/* Reset, then a driver that does not take VIRTIO_F_ADMIN_VQ but rings the queue. */
	common_wr(0, COMMON(device_status), 0, 1);
	common_wr(0, COMMON(guest_feature_select), 1, 4);
	common_wr(0, COMMON(guest_feature), 1U << (VIRTIO_F_VERSION_1 - 32), 4);
	common_wr(0, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE |
		  VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	common_wr(0, COMMON(queue_select), AQ, 2);
	fring_init(&aq, &mem, AQ_RING, VIRTIO_PCI_ADMIN_QUEUE_SIZE);
	common_wr(0, COMMON(queue_desc_lo), aq.desc, 4);
	common_wr(0, COMMON(queue_avail_lo), aq.avail, 4);
	common_wr(0, COMMON(queue_used_lo), aq.used, 4);
	common_wr(0, COMMON(queue_enable), 1, 2);
	common_wr(0, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE |
		  VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
		  VIRTIO_CONFIG_S_DRIVER_OK, 1);
	idx = fring_used_idx(&aq);
	assert_int_equal(sriov_cmd(VIRTIO_ADMIN_CMD_LIST_QUERY, 0, NULL, 0, 8).used,
			 UINT32_MAX);
	assert_int_equal(fring_used_idx(&aq), idx);
}

/* Through the PCI configuration access window: the notification waits for the loop. */
static void test_cfg_window_notify(void **state)
{
	unsigned int cap = 0, pos, n;
	uint16_t before;
	uint8_t off = VIRTIO_PCI_STATUS;

	admin_machine(1);
	for (pos = find_cap(BUS, 0, PCI_CAP_ID_VNDR), n = 0; pos && n < 16; n++) {
		if (cfg_rd(BUS, 0, pos, 1) == PCI_CAP_ID_VNDR &&
		    cfg_rd(BUS, 0, pos + offsetof(struct virtio_pci_cap, cfg_type), 1) ==
		    VIRTIO_PCI_CAP_PCI_CFG) {
			cap = pos;
			break;
		}
		pos = cfg_rd(BUS, 0, pos + 1, 1);
	}
	assert_int_not_equal(cap, 0);
	{
		struct virtio_admin_cmd_hdr hdr = {
			.opcode = htole16(VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ),
			.group_type = htole16(VIRTIO_ADMIN_GROUP_TYPE_SRIOV),
			.group_member_id = htole64(1),
		};

		memcpy(fg_ptr(&mem, CMD_HDR, sizeof(hdr)), &hdr, sizeof(hdr));
		memcpy(fg_ptr(&mem, CMD_DATA, 1), &off, 1);
	}
	fdesc(&aq, 0, CMD_HDR, 24, VRING_DESC_F_NEXT, 1);
	fdesc(&aq, 1, CMD_DATA, 1, VRING_DESC_F_NEXT, 2);
	fdesc(&aq, 2, CMD_STATUS, 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 3);
	fdesc(&aq, 3, CMD_RESULT, 1, VRING_DESC_F_WRITE, 0);
	fring_avail(&aq, 0);
	before = fring_used_idx(&aq);
	cfg_wr(BUS, 0, cap + offsetof(struct virtio_pci_cap, bar), VIRTIO_PCI_MODERN_BAR, 1);
	cfg_wr(BUS, 0, cap + offsetof(struct virtio_pci_cap, offset),
	       VIRTIO_PCI_NOTIFY_OFF + AQ * VIRTIO_PCI_NOTIFY_MULT, 4);
	cfg_wr(BUS, 0, cap + offsetof(struct virtio_pci_cap, length), 2, 4);
	cfg_wr(BUS, 0, cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data), AQ, 2);
	/* Not answered under the config cycle's lock (that would deadlock)... */
	assert_int_equal(fring_used_idx(&aq), before);
	/* ...but by the loop thread. */
	fg_loop_dispatch(&loop);
	assert_int_equal(fring_used_idx(&aq), (uint16_t)(before + 1));
	assert_int_equal(fg_r16(&mem, CMD_STATUS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_vq_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_mrg_rxbuf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_bad_pfn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pf_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_buffers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_negotiated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cfg_window_notify, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
