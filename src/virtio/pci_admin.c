// SPDX-License-Identifier: GPL-2.0
/*
 * The administration queue of a virtio-pci SR-IOV PF (virtio 1.3 2.12,
 * admin.tex, admin-cmds-legacy-interface.tex): group type SR-IOV, whose
 * member k is VF k, and these commands:
 *
 *   LIST_QUERY, LIST_USE          which commands exist / the driver uses
 *   LEGACY_COMMON_CFG_WRITE/READ  a VF's legacy header (pci_legacy.c)
 *   LEGACY_DEV_CFG_WRITE/READ     the device configuration behind it
 *   LEGACY_NOTIFY_INFO            where the VF's legacy Queue Notify is:
 *                                 VIRTIO_PCI_LEGACY_NOTIFY_OFF in VF BAR4
 *
 * A command is a chain: device-readable header (24 bytes) and data, then
 * device-writable status (8 bytes) and result. Buffers shorter than a
 * structure read as zeros past their end and take a truncated answer;
 * longer ones are ignored past it (2.12.2); the used length is what was
 * written. The legacy commands take their access length from the buffers
 * themselves: what follows the data's 8-byte head for a write, the result
 * buffer for a read.
 *
 * The spec fails every SR-IOV group command while VF Enable is clear,
 * but Linux (virtio_pci_modern.c, from 6.8) sends LIST_QUERY and LIST_USE
 * as soon as the PF's driver is running, before any VF exists, and gives
 * up on every admin command if they fail. Those two describe the group,
 * not a member: they are answered whatever VF Enable says; the member
 * commands follow the spec.
 *
 * Locking: commands run with the root's lock (VF Enable, NumVFs, the VFs'
 * MSI-X and resets hold still; pci/sriov.h), then the queue's, then a VF's
 * transport and device locks. Nothing takes the root's lock under those:
 * a notification from the configuration access window, which runs under
 * it, is deferred (pci.c), and so is a VF's queue work a command starts.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <linux/virtio_pci.h>

#include "lib/iov.h"
#include "lib/le.h"
#include "pci/sriov.h"
#include "virtio/pci_internal.h"

/* Status and qualifier values (admin.tex; the UAPI header has only _OK). */
#define ADMIN_STATUS_EINVAL		22
#define ADMIN_Q_INVALID_OPCODE		2
#define ADMIN_Q_INVALID_FIELD		3
#define ADMIN_Q_INVALID_GROUP		4
#define ADMIN_Q_INVALID_MEMBER		5

#define ADMIN_CMDS	((1ULL << (VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO + 1)) - 1)
#define ADMIN_DATA_MAX	64	/* more than any command's data needs */
#define ADMIN_BITMAP_MAX	(65536 / 8)	/* LIST_USE's bitmap of every opcode */
#define ADMIN_IOV_MAX	(2 * VIRTIO_PCI_ADMIN_QUEUE_SIZE)	/* a translated chain may split */
#define ADMIN_BUDGET	VIRTIO_PCI_ADMIN_QUEUE_SIZE

struct admin_cmd {
	struct virtio_pci *pf;
	const struct virtq_elem *e;
	uint16_t opcode, group;
	uint64_t member;
	uint8_t data[ADMIN_DATA_MAX];	/* command_specific_data, what fits */
	size_t data_len;		/* its whole length in the chain */
	size_t result_cap;		/* writable bytes after the status */
	uint8_t result[sizeof(struct virtio_admin_cmd_notify_info_result)];
	size_t result_len;
	uint16_t qualifier;		/* with EINVAL; 0: OK */
};

static int admin_fail(struct admin_cmd *c, uint16_t qualifier)
{
	c->qualifier = qualifier;
	return -EINVAL;
}

/* The result, truncated to the buffer. */
static void admin_result(struct admin_cmd *c, const void *data, size_t len)
{
	memcpy(c->result, data, len);
	c->result_len = len;
}

static int admin_list_query(struct admin_cmd *c)
{
	uint64_t bits = htole64(ADMIN_CMDS);

	admin_result(c, &bits, sizeof(bits));
	return 0;
}

/*
 * Are the bytes [from, data_len) of the data all zero? (Opcodes 64 and
 * up.) Past the bitmap of every 16-bit opcode nothing is a field: ignored
 * (2.12.2), and a chain of RAM-sized buffers is not read to its end.
 */
static bool admin_data_zero(struct admin_cmd *c, size_t from)
{
	size_t end = c->data_len < ADMIN_BITMAP_MAX ? c->data_len : ADMIN_BITMAP_MAX;
	uint8_t chunk[64];
	size_t off, n, i;

	for (off = from; off < end; off += n) {
		n = iov_to_buf(c->e->rd, c->e->rd_num, sizeof(struct virtio_admin_cmd_hdr) + off,
			       chunk, end - off < sizeof(chunk) ? end - off : sizeof(chunk));
		if (!n)
			break;
		for (i = 0; i < n; i++)
			if (chunk[i])
				return false;
	}
	return true;
}

/* The list the driver will use: only commands that exist (2.12.1.2). */
static int admin_list_use(struct admin_cmd *c)
{
	uint64_t used;

	used = le_load(c->data, sizeof(used));
	if ((used & ~ADMIN_CMDS) || !admin_data_zero(c, sizeof(used)))
		return admin_fail(c, ADMIN_Q_INVALID_FIELD);
	atomic_store(&c->pf->admin_used, used);
	return 0;
}

/* The member's transport: VF member of the PF, while it exists. */
static int admin_member(struct admin_cmd *c, struct virtio_pci **vf)
{
	const struct pci_sriov *s = pci_sriov_of(&c->pf->pci);
	unsigned int nr = pci_sriov_num_vfs(s);

	if (!nr)
		return admin_fail(c, ADMIN_Q_INVALID_GROUP);	/* VF Enable clear */
	if (!c->member || c->member > nr)
		return admin_fail(c, ADMIN_Q_INVALID_MEMBER);
	*vf = virtio_pci_of(pci_sriov_vf(s, (unsigned int)c->member));
	return *vf ? 0 : admin_fail(c, ADMIN_Q_INVALID_MEMBER);
}

/* LEGACY_*_CFG_WRITE and _READ: one access of the legacy view. */
static int admin_legacy_access(struct admin_cmd *c, struct virtio_pci *vf)
{
	const struct virtio_admin_cmd_legacy_wr_data *wr = (const void *)c->data;
	bool common = c->opcode == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE ||
		      c->opcode == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_READ;
	bool is_write = c->opcode == VIRTIO_ADMIN_CMD_LEGACY_COMMON_CFG_WRITE ||
			c->opcode == VIRTIO_ADMIN_CMD_LEGACY_DEV_CFG_WRITE;
	uint8_t buf[sizeof(uint64_t)];
	size_t len;
	int ret;

	/* No field is wider than 8 bytes: anything longer spans two. */
	if (is_write)
		len = c->data_len > sizeof(*wr) ? c->data_len - sizeof(*wr) : 0;
	else
		len = c->result_cap;
	if (!len || len > sizeof(buf))
		return admin_fail(c, ADMIN_Q_INVALID_FIELD);
	if (is_write)
		memcpy(buf, wr->registers, len);
	if (common)
		ret = virtio_pci_legacy_common(vf, wr->offset, buf, (unsigned int)len, is_write);
	else
		ret = virtio_pci_legacy_device(vf, wr->offset, buf, (unsigned int)len, is_write);
	if (ret)
		return admin_fail(c, ADMIN_Q_INVALID_FIELD);
	if (!is_write)
		admin_result(c, buf, len);
	return 0;
}

/* One place, in the member's own BAR4 (VF BAR0 is hardwired to zero). */
static int admin_notify_info(struct admin_cmd *c)
{
	struct virtio_admin_cmd_notify_info_result r;

	memset(&r, 0, sizeof(r));
	r.entries[0].flags = VIRTIO_ADMIN_CMD_NOTIFY_INFO_FLAGS_OWNER_MEM;
	r.entries[0].bar = VIRTIO_PCI_MODERN_BAR;
	r.entries[0].offset = htole64(VIRTIO_PCI_LEGACY_NOTIFY_OFF);
	admin_result(c, &r, sizeof(r));
	return 0;
}

/*
 * The checks in admin.tex's order: group, then opcode (one the device has
 * and the driver said it uses), then member.
 */
static int admin_exec(struct admin_cmd *c)
{
	struct virtio_pci *vf;
	int ret;

	if (c->group != VIRTIO_ADMIN_GROUP_TYPE_SRIOV)
		return admin_fail(c, ADMIN_Q_INVALID_GROUP);
	if (c->opcode >= 64 || !(ADMIN_CMDS & atomic_load(&c->pf->admin_used) &
				 (1ULL << c->opcode)))
		return admin_fail(c, ADMIN_Q_INVALID_OPCODE);
	switch (c->opcode) {
	case VIRTIO_ADMIN_CMD_LIST_QUERY:
		return admin_list_query(c);
	case VIRTIO_ADMIN_CMD_LIST_USE:
		return admin_list_use(c);
	}
	ret = admin_member(c, &vf);
	if (ret)
		return ret;
	if (c->opcode == VIRTIO_ADMIN_CMD_LEGACY_NOTIFY_INFO)
		return admin_notify_info(c);
	return admin_legacy_access(c, vf);
}

/* virtio_queue_serve()'s answer: one command, in place. */
static uint32_t admin_answer(void *opaque, const struct virtq_elem *e)
{
	struct admin_cmd c = { .pf = opaque, .e = e };
	struct virtio_admin_cmd_status st = { 0 };
	struct virtio_admin_cmd_hdr hdr = { 0 };
	size_t hlen = sizeof(hdr), slen = sizeof(st), n;

	iov_to_buf(e->rd, e->rd_num, 0, &hdr, hlen);
	c.opcode = le16toh(hdr.opcode);
	c.group = le16toh(hdr.group_type);
	c.member = le64toh(hdr.group_member_id);
	c.data_len = e->rd_len > hlen ? e->rd_len - hlen : 0;
	iov_to_buf(e->rd, e->rd_num, hlen, c.data, sizeof(c.data));
	c.result_cap = e->wr_len > slen ? e->wr_len - slen : 0;

	if (admin_exec(&c)) {
		st.status = htole16(ADMIN_STATUS_EINVAL);
		st.status_qualifier = htole16(c.qualifier);
		c.result_len = 0;
	}
	n = iov_from_buf(e->wr, e->wr_num, 0, &st, slen);
	if (c.result_len > c.result_cap)
		c.result_len = c.result_cap;
	n += iov_from_buf(e->wr, e->wr_num, slen, c.result, c.result_len);
	return (uint32_t)n;
}

void vp_admin_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_pci *vp = vdev->transport_data;
	struct iovec iov[ADMIN_IOV_MAX];
	struct pci_root *root = vp->pci.root;

	pthread_mutex_lock(&root->lock);
	virtio_queue_serve(vdev, q, iov, ADMIN_IOV_MAX, ADMIN_BUDGET, "admin queue",
			   admin_answer, vp);
	pthread_mutex_unlock(&root->lock);
}

int virtio_pci_add_admin(struct virtio_pci *vp)
{
	const struct pci_sriov *s = pci_sriov_of(&vp->pci);
	const struct pci_device *vf1 = s ? pci_sriov_vf(s, 1) : NULL;

	if (!vf1 || !vp->pci.root || vf1->bars[0].desc.size)
		return -EINVAL;
	/*
	 * It gets no ioeventfd (vp_notifiers_init() ran before): Linux waits
	 * for each command, answered in the vCPU that notifies.
	 */
	return virtio_device_add_admin_queues(vp->vdev, 1, VIRTIO_PCI_ADMIN_QUEUE_SIZE);
}
