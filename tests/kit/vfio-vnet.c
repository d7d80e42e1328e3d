// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-vnet: a user-space virtio-net driver over vfio, for the guest tests
 * (built statically into the guest kit). It takes a function bound to
 * vfio-pci (or virtio_vfio_pci), maps a buffer with VFIO_IOMMU_MAP_DMA,
 * drives the function as a virtio-net device with rings and buffers at
 * IOVAs, polling (no interrupts), and exchanges frames with a peer:
 *
 *   vfio-vnet echo IFACE SECONDS
 *       the peer: answers each frame of type 0x88b5 on IFACE (AF_PACKET)
 *       with one back to its sender, for SECONDS
 *   vfio-vnet ping BDF PEER_MAC COUNT
 *       sends COUNT frames to PEER_MAC and waits for each answer
 *   vfio-vnet fault BDF PEER_MAC
 *       posts one receive buffer at an IOVA nothing maps, makes the peer
 *       answer, and checks that the device wrote nothing: the buffer stays
 *       unused (the device needs reset) or comes back with length 0; exits
 *       3 if it comes back with a length (data that cannot have reached
 *       guest memory)
 *   vfio-vnet legacy BDF PEER_MAC VF_MAC COUNT
 *       a VF bound to virtio_vfio_pci, as a legacy (virtio 0.9.5) driver
 *       on the I/O BAR0 that virtio_vfio_pci emulates with its PF's admin
 *       commands: checks the transitional identity it shows, resets,
 *       negotiates VIRTIO_NET_F_MAC (10-byte header), checks the MAC is
 *       VF_MAC, sets up both queues by page frame number, sends COUNT
 *       frames to PEER_MAC and waits for each answer, resets and checks
 *       that status and the queues' PFNs read 0; again with
 *       VIRTIO_NET_F_MRG_RXBUF (12-byte header) if the device offers it.
 *       Exits 4 if the function has no BAR0 at all (virtio_vfio_pci acts
 *       as plain vfio-pci when the PF has no legacy-access commands)
 *   vfio-vnet rate legacy|modern BDF PEER_MAC VF_MAC SECONDS
 *       for bench/sriov: the function driven as a legacy device (as
 *       above, 10-byte header) or a modern one; prints the device status
 *       reads per second (legacy: each a LEGACY_COMMON_CFG_READ round trip
 *       through the PF's admin queue; modern: a BAR read) and the frame
 *       round trips per second with the peer (a frame each way), SECONDS
 *       of each
 *
 * The modern modes run the modern interface (capabilities in config
 * space, rings at three addresses); ping and legacy share the frame
 * exchange, the rings' bookkeeping and vfio.
 *
 * Prints "vfio-vnet: ok ..." and exits 0, or a reason and exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETHERTYPE	0x88b5
#define QSIZE		16		/* buffers posted on a queue */
#define BUF_SIZE	2048
#define DMA_IOVA	0x100000ULL
#define DMA_SIZE	0x100000ULL
#define BAD_IOVA	0x50000000ULL	/* nothing maps it */

/*
 * Offsets in the DMA buffer. A queue's rings take RING_SPAN from RING(q):
 * modern ones desc, avail at +0x1000, used at +0x2000; a legacy one as
 * vring_init() lays it out for the device's queue size.
 */
#define RING_SPAN	0x8000ULL
#define RING(q)		(RING_SPAN * (q))
#define BUFS(q)		(0x20000ULL + 0x10000ULL * (q))
#define BUF_IOVA(q, i)	(DMA_IOVA + BUFS(q) + (uint64_t)(i) * BUF_SIZE)

/* Exit statuses besides 0 (ok), 1 (failed) and 2 (usage). */
#define EXIT_FAULT_WRITTEN	3	/* fault: a length for a buffer nothing can reach */
#define EXIT_NO_LEGACY		4	/* legacy: no BAR0, plain vfio-pci */

/* PCI IDs (spec 4.1.2): virtio's vendor (pci_ids.h's REDHAT_QUMRANET), modern IDs from 0x1040. */
#define VIRTIO_PCI_VENDOR	0x1af4
#define VIRTIO_PCI_MODERN_NET	(0x1040 + VIRTIO_ID_NET)

/* The I/O BAR0 virtio_vfio_pci emulates: the header with MSI-X, mac and status. */
#define LEGACY_BAR0_SIZE	(VIRTIO_PCI_CONFIG_OFF(1) + \
				 offsetof(struct virtio_net_config, max_virtqueue_pairs))

static void die(const char *fmt, ...)
{
	va_list ap;

	printf("vfio-vnet: FAILED: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* ---- the peer ---- */

static int echo(const char *ifname, int seconds)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(ETHERTYPE) };
	uint8_t f[BUF_SIZE];
	double end = now() + seconds;
	unsigned int n = 0;
	int s;

	a.sll_ifindex = (int)if_nametoindex(ifname);
	if (!a.sll_ifindex)
		die("no interface %s", ifname);
	s = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE));
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)))
		die("AF_PACKET on %s: %s", ifname, strerror(errno));
	printf("vfio-vnet: echo on %s\n", ifname);
	fflush(stdout);
	while (now() < end) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		uint8_t tmp[6];
		ssize_t len;

		if (poll(&p, 1, 200) <= 0)
			continue;
		len = recv(s, f, sizeof(f), 0);
		if (len < 14)
			continue;
		/* Back to where it came from, marked as an answer. */
		memcpy(tmp, f, 6);
		memcpy(f, f + 6, 6);
		memcpy(f + 6, tmp, 6);
		if (len < (ssize_t)sizeof(f))
			f[len++] = 'R';
		if (send(s, f, (size_t)len, 0) != len)
			die("send on %s: %s", ifname, strerror(errno));
		n++;
	}
	printf("vfio-vnet: echo answered %u\n", n);
	return 0;
}

/* ---- vfio ---- */

struct region {
	uint64_t off, size;
};

struct dev {
	int container, group, fd;
	struct region cfg, bar[VFIO_PCI_NUM_REGIONS];
	bool legacy;			/* through BAR0's legacy registers */
	/*
	 * Each buffer a chain of two descriptors, the header alone in the
	 * first: what a legacy driver must do without VIRTIO_F_ANY_LAYOUT
	 * (spec 5.1.6.6.1, legacy interface: message framing).
	 */
	bool split_hdr;
	bool mrg_rxbuf;			/* num_buffers in the header, checked */
	size_t hdr_len;			/* the virtio-net header of each buffer */
	/* virtio-pci capabilities: BAR and offset of each structure. */
	unsigned int common_bar, notify_bar, device_bar;
	uint64_t common, notify, device;
	uint32_t notify_mult;
	uint8_t *mem;			/* the DMA buffer, at DMA_IOVA */
	uint8_t mac[6];
	struct vring vr[2];		/* receive, transmit */
	uint16_t notify_off[2];
	uint16_t avail_idx[2], used_seen[2];
	bool rx_posted;			/* the receive buffers are the device's */
};

/* An access of len bytes at off in region r: 0 or -errno. */
static int region_try(const struct dev *d, const struct region *r, uint64_t off, void *buf,
		      size_t len, int write)
{
	ssize_t n;

	if (off + len > r->size)
		die("access at %#llx past a region of %#llx", (unsigned long long)off,
		    (unsigned long long)r->size);
	n = write ? pwrite(d->fd, buf, len, (off_t)(r->off + off)) :
		    pread(d->fd, buf, len, (off_t)(r->off + off));
	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

static void region_io(const struct dev *d, const struct region *r, uint64_t off, void *buf,
		      size_t len, int write)
{
	int ret = region_try(d, r, off, buf, len, write);

	if (ret)
		die("%s of %zu bytes at %#llx: %s", write ? "pwrite" : "pread", len,
		    (unsigned long long)off, strerror(-ret));
}

static uint32_t cfg_rd(const struct dev *d, unsigned int off, size_t len)
{
	uint32_t v = 0;

	region_io(d, &d->cfg, off, &v, len, 0);
	return v;
}

static void cfg_wr(const struct dev *d, unsigned int off, uint32_t v, size_t len)
{
	region_io(d, &d->cfg, off, &v, len, 1);
}

static uint32_t common_rd(const struct dev *d, unsigned int off, size_t len)
{
	uint32_t v = 0;

	region_io(d, &d->bar[d->common_bar], d->common + off, &v, len, 0);
	return v;
}

static void common_wr(const struct dev *d, unsigned int off, uint32_t v, size_t len)
{
	region_io(d, &d->bar[d->common_bar], d->common + off, &v, len, 1);
}

#define COMMON(f)	offsetof(struct virtio_pci_common_cfg, f)

/* The legacy registers in the I/O BAR0 virtio_vfio_pci emulates. */
static const char *legacy_reg(unsigned int off)
{
	switch (off) {
	case VIRTIO_PCI_HOST_FEATURES: return "host features";
	case VIRTIO_PCI_GUEST_FEATURES: return "guest features";
	case VIRTIO_PCI_QUEUE_PFN: return "queue PFN";
	case VIRTIO_PCI_QUEUE_NUM: return "queue size";
	case VIRTIO_PCI_QUEUE_SEL: return "queue select";
	case VIRTIO_PCI_QUEUE_NOTIFY: return "queue notify";
	case VIRTIO_PCI_STATUS: return "device status";
	case VIRTIO_PCI_ISR: return "ISR";
	}
	return off >= VIRTIO_PCI_CONFIG_OFF(0) ? "device config" : "register";
}

/*
 * A legacy register, len bytes at BAR0 offset off: virtio_vfio_pci turns
 * it into the PF's LEGACY_COMMON_CFG_* or LEGACY_DEV_CFG_* admin command,
 * a notify into a write at LEGACY_NOTIFY_INFO's address; a command the
 * device fails comes back as its status, negated, for errno.
 */
static uint32_t legacy_io(const struct dev *d, unsigned int off, uint32_t v, size_t len,
			  int write)
{
	int ret = region_try(d, &d->bar[0], off, &v, len, write);

	if (ret)
		die("legacy %s (BAR0 offset %u, %zu bytes) %s: %s (the PF's admin command "
		    "failed, or virtio_vfio_pci refused it; see dmesg)", legacy_reg(off), off,
		    len, write ? "write" : "read", strerror(-ret));
	return v;
}

static uint32_t legacy_rd(const struct dev *d, unsigned int off, size_t len)
{
	return legacy_io(d, off, 0, len, 0);
}

static void legacy_wr(const struct dev *d, unsigned int off, uint32_t v, size_t len)
{
	legacy_io(d, off, v, len, 1);
}

static void vfio_open(struct dev *d, const char *bdf)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	char path[PATH_MAX], link[256], *g;
	unsigned int i;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die("%s: no IOMMU group (%s)", bdf, strerror(errno));
	link[n] = '\0';
	g = strrchr(link, '/');
	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0 || ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		die("/dev/vfio/vfio: %s", strerror(errno));
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		die("no VFIO_TYPE1v2_IOMMU");
	snprintf(path, sizeof(path), "/dev/vfio/%s", g ? g + 1 : link);
	d->group = open(path, O_RDWR);
	if (d->group < 0)
		die("%s: %s", path, strerror(errno));
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group %s is not viable (another function in it is not bound to vfio)", path);
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		die("VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
	if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU: %s (vfio_iommu_type1 allow_unsafe_interrupts=1?)",
		    strerror(errno));
	d->mem = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d->mem == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	memset(d->mem, 0, DMA_SIZE);
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)d->mem;
	map.iova = DMA_IOVA;
	map.size = DMA_SIZE;
	if (ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map))
		die("VFIO_IOMMU_MAP_DMA: %s", strerror(errno));
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->fd < 0)
		die("VFIO_GROUP_GET_DEVICE_FD %s: %s", bdf, strerror(errno));
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
			continue;
		if (i == VFIO_PCI_CONFIG_REGION_INDEX)
			d->cfg = (struct region){ ri.offset, ri.size };
		else if (i <= VFIO_PCI_BAR5_REGION_INDEX)
			d->bar[i] = (struct region){ ri.offset, ri.size };
	}
	if (!d->cfg.size)
		die("no config region");
}

/* The virtio-pci vendor capabilities (spec 4.1.4). */
static void find_caps(struct dev *d)
{
	unsigned int pos = cfg_rd(d, PCI_CAPABILITY_LIST, 1) & ~3U, n = 0, found = 0;

	while (pos && n++ < 48) {
		if (cfg_rd(d, pos, 1) == PCI_CAP_ID_VNDR) {
			unsigned int type = cfg_rd(d, pos + offsetof(struct virtio_pci_cap, cfg_type), 1);
			unsigned int bar = cfg_rd(d, pos + offsetof(struct virtio_pci_cap, bar), 1);
			uint32_t off = cfg_rd(d, pos + offsetof(struct virtio_pci_cap, offset), 4);

			if (bar > 5)
				die("capability at %#x names BAR %u", pos, bar);
			if (type == VIRTIO_PCI_CAP_COMMON_CFG) {
				d->common_bar = bar;
				d->common = off;
				found |= 1;
			} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
				d->notify_bar = bar;
				d->notify = off;
				d->notify_mult = cfg_rd(d, pos + sizeof(struct virtio_pci_cap), 4);
				found |= 2;
			} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG) {
				d->device_bar = bar;
				d->device = off;
				found |= 4;
			}
		}
		pos = cfg_rd(d, pos + 1, 1) & ~3U;
	}
	if (found != 7)
		die("virtio-pci capabilities missing (found %#x)", found);
}

static void *iova_ptr(struct dev *d, uint64_t off)
{
	return d->mem + off;
}

static void queue_setup(struct dev *d, unsigned int q)
{
	uint64_t desc = DMA_IOVA + RING(q), avail = desc + 0x1000, used = desc + 0x2000;

	d->vr[q] = (struct vring){
		.num = QSIZE,
		.desc = iova_ptr(d, RING(q)),
		.avail = iova_ptr(d, RING(q) + 0x1000),
		.used = iova_ptr(d, RING(q) + 0x2000),
	};
	common_wr(d, COMMON(queue_select), q, 2);
	if (common_rd(d, COMMON(queue_size), 2) < QSIZE)
		die("queue %u is smaller than %u", q, QSIZE);
	common_wr(d, COMMON(queue_size), QSIZE, 2);
	common_wr(d, COMMON(queue_msix_vector), VIRTIO_MSI_NO_VECTOR, 2);
	common_wr(d, COMMON(queue_desc_lo), (uint32_t)desc, 4);
	common_wr(d, COMMON(queue_desc_hi), (uint32_t)(desc >> 32), 4);
	common_wr(d, COMMON(queue_avail_lo), (uint32_t)avail, 4);
	common_wr(d, COMMON(queue_avail_hi), (uint32_t)(avail >> 32), 4);
	common_wr(d, COMMON(queue_used_lo), (uint32_t)used, 4);
	common_wr(d, COMMON(queue_used_hi), (uint32_t)(used >> 32), 4);
	d->notify_off[q] = (uint16_t)common_rd(d, COMMON(queue_notify_off), 2);
	d->avail_idx[q] = d->used_seen[q] = 0;
	d->rx_posted = false;
	common_wr(d, COMMON(queue_enable), 1, 2);
}

/* Reset, features VERSION_1 and ACCESS_PLATFORM (and MAC), two queues, DRIVER_OK. */
static void virtio_start(struct dev *d)
{
	uint64_t want = (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_F_ACCESS_PLATFORM) |
			(1ULL << VIRTIO_NET_F_MAC), have;
	double end;
	unsigned int i;

	/* Memory decode follows the PF for a VF; bus mastering is ours to enable. */
	cfg_wr(d, PCI_COMMAND, cfg_rd(d, PCI_COMMAND, 2) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	common_wr(d, COMMON(device_status), 0, 1);
	for (end = now() + 2; common_rd(d, COMMON(device_status), 1); )
		if (now() > end)
			die("the device does not reset");
	common_wr(d, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER, 1);
	common_wr(d, COMMON(device_feature_select), 0, 4);
	have = common_rd(d, COMMON(device_feature), 4);
	common_wr(d, COMMON(device_feature_select), 1, 4);
	have |= (uint64_t)common_rd(d, COMMON(device_feature), 4) << 32;
	if ((have & want) != want)
		die("the device lacks features %#llx (offers %#llx)",
		    (unsigned long long)(want & ~have), (unsigned long long)have);
	common_wr(d, COMMON(guest_feature_select), 0, 4);
	common_wr(d, COMMON(guest_feature), (uint32_t)want, 4);
	common_wr(d, COMMON(guest_feature_select), 1, 4);
	common_wr(d, COMMON(guest_feature), (uint32_t)(want >> 32), 4);
	common_wr(d, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		  VIRTIO_CONFIG_S_FEATURES_OK, 1);
	if (!(common_rd(d, COMMON(device_status), 1) & VIRTIO_CONFIG_S_FEATURES_OK))
		die("FEATURES_OK refused");
	d->hdr_len = sizeof(struct virtio_net_hdr_v1);
	for (i = 0; i < 6; i++)
		region_io(d, &d->bar[d->device_bar], d->device + i, &d->mac[i], 1, 0);
	queue_setup(d, 0);
	queue_setup(d, 1);
	common_wr(d, COMMON(device_status), VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		  VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

static void kick(struct dev *d, unsigned int q)
{
	uint16_t v = (uint16_t)q;

	if (d->legacy) {
		legacy_wr(d, VIRTIO_PCI_QUEUE_NOTIFY, q, 2);
		return;
	}
	region_io(d, &d->bar[d->notify_bar], d->notify + (uint64_t)d->notify_off[q] * d->notify_mult,
		  &v, 2, 1);
}

static void desc_set(struct vring_desc *desc, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	desc->addr = addr;
	desc->len = len;
	desc->flags = flags;
	desc->next = next;
}

/*
 * Buffer i (< QSIZE) of queue q, len bytes at IOVA addr: descriptor i, or
 * with split_hdr the chain of descriptors 2i (the header) and 2i + 1.
 */
static void post(struct dev *d, unsigned int q, unsigned int i, uint64_t addr, uint32_t len,
		 uint16_t flags)
{
	struct vring *vr = &d->vr[q];
	uint16_t head = (uint16_t)i;

	if (d->split_hdr) {
		head = (uint16_t)(2 * i);
		desc_set(&vr->desc[head], addr, (uint32_t)d->hdr_len, flags | VRING_DESC_F_NEXT,
			 head + 1);
		desc_set(&vr->desc[head + 1], addr + d->hdr_len, len - (uint32_t)d->hdr_len, flags,
			 0);
	} else {
		desc_set(&vr->desc[head], addr, len, flags, 0);
	}
	vr->avail->ring[d->avail_idx[q] % vr->num] = head;
	__atomic_store_n(&vr->avail->idx, ++d->avail_idx[q], __ATOMIC_RELEASE);
}

/* The next used buffer of queue q within seconds: its number and length, or -1. */
static int used(struct dev *d, unsigned int q, double seconds, uint32_t *len)
{
	struct vring *vr = &d->vr[q];
	double end = now() + seconds;
	unsigned int head;

	while (__atomic_load_n(&vr->used->idx, __ATOMIC_ACQUIRE) == d->used_seen[q]) {
		if (now() > end)
			return -1;
		usleep(1000);
	}
	head = vr->used->ring[d->used_seen[q] % vr->num].id;
	*len = vr->used->ring[d->used_seen[q] % vr->num].len;
	d->used_seen[q]++;
	if (d->split_hdr ? head % 2 || head / 2 >= QSIZE : head >= QSIZE)
		die("queue %u: the device used descriptor %u, which heads no buffer", q, head);
	return (int)(d->split_hdr ? head / 2 : head);
}

/* Frame n to peer on the transmit queue, kicked; wait: until it is sent. */
static void send_frame_wait(struct dev *d, const uint8_t peer[6], unsigned int n, bool wait)
{
	uint8_t *b = iova_ptr(d, BUFS(1) + (n % QSIZE) * BUF_SIZE), *f = b + d->hdr_len;
	uint16_t type = htons(ETHERTYPE);
	uint32_t len;

	memset(b, 0, d->hdr_len);
	memcpy(f, peer, 6);
	memcpy(f + 6, d->mac, 6);
	memcpy(f + 12, &type, 2);
	snprintf((char *)f + 14, 46, "sriovm-vfio-%u", n);
	len = (uint32_t)d->hdr_len + 14 + 46;	/* the minimum payload */
	post(d, 1, n % QSIZE, BUF_IOVA(1, n % QSIZE), len, 0);
	kick(d, 1);
	if (wait && used(d, 1, 5, &len) < 0)
		die("frame %u not sent within 5 s", n);
}

static void send_frame(struct dev *d, const uint8_t peer[6], unsigned int n)
{
	send_frame_wait(d, peer, n, true);
}

static void print_mac(const char *what, const uint8_t mac[6])
{
	printf("%s%02x:%02x:%02x:%02x:%02x:%02x", what, mac[0], mac[1], mac[2], mac[3], mac[4],
	       mac[5]);
}

/*
 * Receive buffers on queue 0, then count frames to peer, each answered
 * back to d->mac (the peer's echo) before the next goes.
 */
static void exchange(struct dev *d, const uint8_t peer[6], unsigned int count)
{
	unsigned int n, i;

	/* Once per queue set-up: a buffer given twice would overfill the ring. */
	if (!d->rx_posted) {
		for (i = 0; i < QSIZE; i++)
			post(d, 0, i, BUF_IOVA(0, i), BUF_SIZE, VRING_DESC_F_WRITE);
		kick(d, 0);
		d->rx_posted = true;
	}
	for (n = 0; n < count; n++) {
		char want[32];
		double end;
		bool ok = false;

		send_frame(d, peer, n);
		snprintf(want, sizeof(want), "sriovm-vfio-%u", n);
		/* Other frames come too (the peer's IPv6 chatter): skip them. */
		for (end = now() + 5; !ok && now() < end;) {
			const struct virtio_net_hdr_mrg_rxbuf *h;
			uint16_t type = htons(ETHERTYPE);
			uint32_t len;
			uint8_t *f;
			int id = used(d, 0, end - now(), &len);

			if (id < 0)
				break;
			h = iova_ptr(d, BUFS(0) + (unsigned int)id * BUF_SIZE);
			f = (uint8_t *)h + d->hdr_len;
			/* Each frame fits one buffer: merging has nothing to merge. */
			if (d->mrg_rxbuf && h->num_buffers != 1)
				die("frame in buffer %d has num_buffers %u, not 1", id, h->num_buffers);
			if (len >= d->hdr_len + 14 && !memcmp(f + 12, &type, 2)) {
				if (len < d->hdr_len + 14 + strlen(want) || memcmp(f, d->mac, 6) ||
				    memcmp(f + 6, peer, 6) || memcmp(f + 14, want, strlen(want)))
					die("answer %u is not the frame sent back (len %u)", n, len);
				ok = true;
			}
			/* The buffer goes back for the next frame. */
			post(d, 0, (unsigned int)id, BUF_IOVA(0, id), BUF_SIZE, VRING_DESC_F_WRITE);
			kick(d, 0);
		}
		if (!ok)
			die("no answer to frame %u within 5 s", n);
	}
}

static int ping(const char *bdf, const char *peer_s, unsigned int count)
{
	struct dev d = { 0 };
	uint8_t peer[6];

	if (parse_mac(peer_s, peer))
		die("bad MAC %s", peer_s);
	vfio_open(&d, bdf);
	find_caps(&d);
	virtio_start(&d);
	exchange(&d, peer, count);
	printf("vfio-vnet: ok %u frames each way through IOVAs", count);
	print_mac(", MAC ", d.mac);
	printf("\n");
	return 0;
}

static int fault(const char *bdf, const char *peer_s)
{
	struct vring_used *u;
	struct dev d = { 0 };
	uint8_t peer[6], st = 0;
	double end;

	if (parse_mac(peer_s, peer))
		die("bad MAC %s", peer_s);
	vfio_open(&d, bdf);
	find_caps(&d);
	virtio_start(&d);
	/*
	 * The one receive buffer at an IOVA nothing maps, then a frame the
	 * peer answers. Any frame that comes (the answer, or the peer's
	 * other traffic) breaks the device, which may then send nothing.
	 */
	post(&d, 0, 0, BAD_IOVA, BUF_SIZE, VRING_DESC_F_WRITE);
	kick(&d, 0);
	send_frame_wait(&d, peer, 0, false);
	/*
	 * The device cannot write there: it drops the buffer (used, length 0)
	 * or marks itself NEEDS_RESET (the spec allows both); either way it
	 * writes nothing.
	 */
	u = d.vr[0].used;
	for (end = now() + 5; now() < end; usleep(10000)) {
		st = (uint8_t)common_rd(&d, COMMON(device_status), 1);
		if ((st & VIRTIO_CONFIG_S_NEEDS_RESET) || __atomic_load_n(&u->idx, __ATOMIC_ACQUIRE))
			break;
	}
	if (u->idx && u->ring[0].len) {
		/* The device says it wrote what could not reach guest memory. */
		printf("vfio-vnet: the buffer at IOVA %#llx came back with length %u, though "
		       "nothing can have been written there\n", (unsigned long long)BAD_IOVA,
		       u->ring[0].len);
		exit(EXIT_FAULT_WRITTEN);
	}
	if (u->idx) {
		printf("vfio-vnet: ok the buffer at IOVA %#llx came back with nothing written\n",
		       (unsigned long long)BAD_IOVA);
	} else if (st & VIRTIO_CONFIG_S_NEEDS_RESET) {
		printf("vfio-vnet: ok the buffer at IOVA %#llx stayed unused, the device needs "
		       "reset\n", (unsigned long long)BAD_IOVA);
	} else {
		die("nothing happened within 5 s (device status %#x)", st);
	}
	return 0;
}

/* ---- the legacy interface: virtio_vfio_pci's emulated I/O BAR0 ---- */

static void legacy_status(const struct dev *d, uint8_t st)
{
	uint8_t got;

	legacy_wr(d, VIRTIO_PCI_STATUS, st, 1);
	got = (uint8_t)legacy_rd(d, VIRTIO_PCI_STATUS, 1);
	if (got != st)
		die("device status reads %#x after %#x was written%s", got, st,
		    got & VIRTIO_CONFIG_S_NEEDS_RESET ? " (NEEDS_RESET: the device broke)" : "");
}

/* Status 0 resets the device; it reads 0 once the reset is done. */
static void legacy_reset(const struct dev *d)
{
	uint8_t st;
	double end;

	legacy_wr(d, VIRTIO_PCI_STATUS, 0, 1);
	for (end = now() + 2; (st = (uint8_t)legacy_rd(d, VIRTIO_PCI_STATUS, 1)); usleep(1000))
		if (now() > end)
			die("device status reads %#x 2 s after the reset (0 written)", st);
}

static uint32_t legacy_queue_pfn(const struct dev *d, unsigned int q)
{
	legacy_wr(d, VIRTIO_PCI_QUEUE_SEL, q, 2);
	return legacy_rd(d, VIRTIO_PCI_QUEUE_PFN, 4);
}

/*
 * The device's config space as virtio_vfio_pci shows it: a transitional
 * virtio-net (Device ID 0x1000, revision 0, subsystem 1af4:0001) with an
 * I/O BAR0 of LEGACY_BAR0_SIZE bytes, emulated. Exits EXIT_NO_LEGACY for
 * a function without BAR0, which virtio_vfio_pci leaves as it is (plain
 * vfio-pci) when the PF lacks the legacy-access admin commands.
 */
static void legacy_check_config(struct dev *d, const char *bdf)
{
	unsigned int vendor = cfg_rd(d, PCI_VENDOR_ID, 2), device = cfg_rd(d, PCI_DEVICE_ID, 2);
	char path[PATH_MAX], link[PATH_MAX] = "none", *drv = link;
	uint32_t bar, sized, size;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		drv = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	}
	if (vendor != VIRTIO_PCI_VENDOR)
		die("vendor %#06x is not virtio's %#06x", vendor, VIRTIO_PCI_VENDOR);
	if (!d->bar[0].size && device == VIRTIO_PCI_MODERN_NET) {
		printf("vfio-vnet: no legacy BAR0: %s (driver %s) shows %04x:%04x without BAR0, "
		       "so vfio serves it as plain vfio-pci: its PF offers no admin queue with the "
		       "legacy-access commands\n", bdf, drv, vendor, device);
		exit(EXIT_NO_LEGACY);
	}
	if (device != VIRTIO_TRANS_ID_NET)
		die("Device ID %#06x, not the transitional %#06x virtio_vfio_pci shows (driver %s, "
		    "BAR0 region of %llu bytes)", device, VIRTIO_TRANS_ID_NET, drv,
		    (unsigned long long)d->bar[0].size);
	if (cfg_rd(d, PCI_REVISION_ID, 1))
		die("revision %u, not 0 (transitional)", cfg_rd(d, PCI_REVISION_ID, 1));
	if (cfg_rd(d, PCI_SUBSYSTEM_VENDOR_ID, 2) != VIRTIO_PCI_VENDOR ||
	    cfg_rd(d, PCI_SUBSYSTEM_ID, 2) != VIRTIO_ID_NET)
		die("subsystem %04x:%04x, not %04x:%04x (the legacy device type)",
		    cfg_rd(d, PCI_SUBSYSTEM_VENDOR_ID, 2), cfg_rd(d, PCI_SUBSYSTEM_ID, 2),
		    VIRTIO_PCI_VENDOR, VIRTIO_ID_NET);
	bar = cfg_rd(d, PCI_BASE_ADDRESS_0, 4);
	if (!(bar & PCI_BASE_ADDRESS_SPACE_IO))
		die("BAR0 reads %#x: not an I/O BAR", bar);
	cfg_wr(d, PCI_BASE_ADDRESS_0, ~0U, 4);
	sized = cfg_rd(d, PCI_BASE_ADDRESS_0, 4);
	cfg_wr(d, PCI_BASE_ADDRESS_0, bar, 4);
	size = ~(sized & (uint32_t)PCI_BASE_ADDRESS_IO_MASK) + 1;
	if (size != LEGACY_BAR0_SIZE || d->bar[0].size != LEGACY_BAR0_SIZE)
		die("BAR0 sizes to %u bytes and its region has %llu, not %u (the legacy header "
		    "with MSI-X and mac, status)", size, (unsigned long long)d->bar[0].size,
		    (unsigned int)LEGACY_BAR0_SIZE);
}

/*
 * Queue q by the legacy rules: its size is the device's, its rings one
 * area at a page frame number (vring_init() with 4 KiB alignment).
 */
static void legacy_queue_setup(struct dev *d, unsigned int q)
{
	uint64_t iova = DMA_IOVA + RING(q);
	unsigned int num, sel;
	uint32_t pfn;

	legacy_wr(d, VIRTIO_PCI_QUEUE_SEL, q, 2);
	sel = legacy_rd(d, VIRTIO_PCI_QUEUE_SEL, 2);
	if (sel != q)
		die("queue select reads %u after %u was written", sel, q);
	num = legacy_rd(d, VIRTIO_PCI_QUEUE_NUM, 2);
	if (!num || (num & (num - 1)))
		die("queue %u has size %u: not a power of two", q, num);
	if (num < 2 * QSIZE)
		die("queue %u has size %u, fewer than the %u descriptors of %u buffers", q, num,
		    2 * QSIZE, QSIZE);
	if (vring_size(num, VIRTIO_PCI_VRING_ALIGN) > RING_SPAN)
		die("queue %u has size %u, whose rings take %u bytes, more than the %#llx "
		    "vfio-vnet keeps", q, num, vring_size(num, VIRTIO_PCI_VRING_ALIGN),
		    (unsigned long long)RING_SPAN);
	pfn = legacy_rd(d, VIRTIO_PCI_QUEUE_PFN, 4);
	if (pfn)
		die("queue %u has PFN %#x before the driver gave one", q, pfn);
	memset(iova_ptr(d, RING(q)), 0, RING_SPAN);
	/*
	 * vring_init() aligns the used ring by the virtual address: the
	 * buffer is page aligned and RING(q) a multiple of the alignment, so
	 * that is the IOVA's alignment too.
	 */
	vring_init(&d->vr[q], num, iova_ptr(d, RING(q)), VIRTIO_PCI_VRING_ALIGN);
	d->avail_idx[q] = d->used_seen[q] = 0;
	d->rx_posted = false;
	legacy_wr(d, VIRTIO_PCI_QUEUE_PFN, (uint32_t)(iova >> VIRTIO_PCI_QUEUE_ADDR_SHIFT), 4);
	pfn = legacy_rd(d, VIRTIO_PCI_QUEUE_PFN, 4);
	if (pfn != iova >> VIRTIO_PCI_QUEUE_ADDR_SHIFT)
		die("queue %u: PFN reads %#x after %#llx was written", q, pfn,
		    (unsigned long long)(iova >> VIRTIO_PCI_QUEUE_ADDR_SHIFT));
}

/*
 * Reset, ACKNOWLEDGE | DRIVER, the features in want (no FEATURES_OK in a
 * legacy device), the MAC, both queues, DRIVER_OK. Returns the device's
 * features.
 */
static uint32_t legacy_start(struct dev *d, uint32_t want, const uint8_t vf_mac[6])
{
	uint32_t have, got;
	unsigned int i;

	legacy_reset(d);
	legacy_status(d, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	legacy_status(d, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	/* 32 bits: VERSION_1 (bit 32) and up cannot be offered here. */
	have = legacy_rd(d, VIRTIO_PCI_HOST_FEATURES, 4);
	if ((have & want) != want)
		die("host features %#x lack %#x", have, want & ~have);
	legacy_wr(d, VIRTIO_PCI_GUEST_FEATURES, want, 4);
	got = legacy_rd(d, VIRTIO_PCI_GUEST_FEATURES, 4);
	if (got != want)
		die("guest features read %#x after %#x was written", got, want);
	d->mrg_rxbuf = want & (1U << VIRTIO_NET_F_MRG_RXBUF);
	d->hdr_len = d->mrg_rxbuf ? sizeof(struct virtio_net_hdr_mrg_rxbuf) :
				    sizeof(struct virtio_net_hdr);
	/* Byte by byte, as Linux's legacy driver reads it; no MSI-X: config at 20. */
	for (i = 0; i < 6; i++)
		d->mac[i] = (uint8_t)legacy_rd(d, VIRTIO_PCI_CONFIG_OFF(0) +
					       offsetof(struct virtio_net_config, mac) + i, 1);
	if (memcmp(d->mac, vf_mac, 6)) {
		print_mac("vfio-vnet: FAILED: the device config's MAC is ", d->mac);
		print_mac(", the VF's under virtio_net was ", vf_mac);
		printf("\n");
		exit(1);
	}
	legacy_queue_setup(d, 0);
	legacy_queue_setup(d, 1);
	legacy_status(d, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		      VIRTIO_CONFIG_S_DRIVER_OK);
	return have;
}

/* Reset, then status and each queue's PFN read 0 again. */
static void legacy_stop(struct dev *d)
{
	unsigned int q;
	uint32_t pfn;

	legacy_reset(d);
	for (q = 0; q < 2; q++) {
		pfn = legacy_queue_pfn(d, q);
		if (pfn)
			die("queue %u: PFN reads %#x after the reset", q, pfn);
	}
}

/* A function virtio_vfio_pci gives a legacy BAR0, ready for the legacy registers. */
static void legacy_open(struct dev *d, const char *bdf)
{
	vfio_open(d, bdf);
	legacy_check_config(d, bdf);
	/*
	 * virtio_vfio_pci serves BAR0 only with the Command.IO it emulates
	 * set; bus mastering is ours to enable, memory decode for the notify
	 * BAR follows the PF.
	 */
	cfg_wr(d, PCI_COMMAND, cfg_rd(d, PCI_COMMAND, 2) | PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
	       PCI_COMMAND_MASTER, 2);
	if (!(cfg_rd(d, PCI_COMMAND, 2) & PCI_COMMAND_IO))
		die("Command.IO does not stay set");
	d->legacy = true;
	/* VIRTIO_F_ANY_LAYOUT is not negotiated: the header has a descriptor of its own. */
	d->split_hdr = true;
}

static void parse_macs(const char *peer_s, uint8_t peer[6], const char *vf_mac_s,
		       uint8_t vf_mac[6])
{
	if (parse_mac(peer_s, peer))
		die("bad MAC %s", peer_s);
	if (vf_mac_s && parse_mac(vf_mac_s, vf_mac))
		die("bad MAC %s", vf_mac_s);
}

static int legacy(const char *bdf, const char *peer_s, const char *vf_mac_s, unsigned int count)
{
	const uint32_t mac = 1U << VIRTIO_NET_F_MAC, mrg = 1U << VIRTIO_NET_F_MRG_RXBUF;
	struct dev d = { 0 };
	uint8_t peer[6], vf_mac[6];
	uint32_t have;

	parse_macs(peer_s, peer, vf_mac_s, vf_mac);
	legacy_open(&d, bdf);
	have = legacy_start(&d, mac, vf_mac);
	exchange(&d, peer, count);
	legacy_stop(&d);
	printf("vfio-vnet: ok legacy: %u frames each way with the 10-byte header", count);
	if (have & mrg) {
		legacy_start(&d, mac | mrg, vf_mac);
		exchange(&d, peer, count);
		legacy_stop(&d);
		printf(", %u with MRG_RXBUF's 12-byte one", count);
	} else {
		printf(" (no MRG_RXBUF offered)");
	}
	print_mac(", MAC ", d.mac);
	printf(", host features %#x, reset clears status and PFNs\n", have);
	return 0;
}

/* ---- rates, for bench/sriov ---- */

/* Device status reads per second, for secs seconds. */
static double rate_config(struct dev *d, double secs)
{
	double t0 = now(), t;
	unsigned long n = 0;

	do {
		if (d->legacy)
			legacy_rd(d, VIRTIO_PCI_STATUS, 1);
		else
			common_rd(d, offsetof(struct virtio_pci_common_cfg, device_status), 1);
		n++;
		t = now() - t0;
	} while (t < secs);
	return n / t;
}

/* Frame round trips per second: a short run to size one of about secs seconds. */
static double rate_frames(struct dev *d, const uint8_t peer[6], double secs)
{
	const unsigned int probe = 32;
	double t0 = now(), t;
	unsigned int n;

	exchange(d, peer, probe);
	t = now() - t0;
	n = (unsigned int)(secs / t * probe);
	if (n < probe)
		n = probe;
	t0 = now();
	exchange(d, peer, n);
	return n / (now() - t0);
}

static int rate(const char *how, const char *bdf, const char *peer_s, const char *vf_mac_s,
		double secs)
{
	struct dev d = { 0 };
	uint8_t peer[6], vf_mac[6];
	double reads, frames;

	parse_macs(peer_s, peer, vf_mac_s, vf_mac);
	if (!strcmp(how, "legacy")) {
		legacy_open(&d, bdf);
		legacy_start(&d, 1U << VIRTIO_NET_F_MAC, vf_mac);
	} else if (!strcmp(how, "modern")) {
		vfio_open(&d, bdf);
		find_caps(&d);
		virtio_start(&d);
	} else {
		die("rate %s: want legacy or modern", how);
	}
	reads = rate_config(&d, secs);
	frames = rate_frames(&d, peer, secs);
	printf("vfio-vnet: rate %s config_reads_per_s %.0f frame_round_trips_per_s %.0f\n", how,
	       reads, frames);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "echo"))
		return echo(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "ping"))
		return ping(argv[2], argv[3], (unsigned int)atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "fault"))
		return fault(argv[2], argv[3]);
	if (argc == 6 && !strcmp(argv[1], "legacy"))
		return legacy(argv[2], argv[3], argv[4], (unsigned int)atoi(argv[5]));
	if (argc == 7 && !strcmp(argv[1], "rate"))
		return rate(argv[2], argv[3], argv[4], argv[5], atof(argv[6]));
	fprintf(stderr, "usage: vfio-vnet echo IFACE SECONDS | ping BDF PEER_MAC COUNT | "
		"fault BDF PEER_MAC | legacy BDF PEER_MAC VF_MAC COUNT | "
		"rate legacy|modern BDF PEER_MAC VF_MAC SECONDS\n");
	return 2;
}
