// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-vnet: a user-space virtio-net driver over vfio, for the guest tests
 * (built statically into the guest kit). It takes a function bound to
 * vfio-pci, maps a buffer with VFIO_IOMMU_MAP_DMA, drives the function as
 * a modern virtio-net device through its BARs with rings and buffers at
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
#define QSIZE		16
#define BUF_SIZE	2048
#define DMA_IOVA	0x100000ULL
#define DMA_SIZE	0x100000ULL
#define BAD_IOVA	0x50000000ULL	/* nothing maps it */
#define HDR_LEN		sizeof(struct virtio_net_hdr_v1)

/* Offsets in the DMA buffer. */
#define RING(q)		(0x8000ULL * (q))	/* desc, then avail at +0x1000, used at +0x2000 */
#define BUFS(q)		(0x20000ULL + 0x10000ULL * (q))

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
	/* virtio-pci capabilities: BAR and offset of each structure. */
	unsigned int common_bar, notify_bar, device_bar;
	uint64_t common, notify, device;
	uint32_t notify_mult;
	uint8_t *mem;			/* the DMA buffer, at DMA_IOVA */
	uint8_t mac[6];
	uint16_t notify_off[2];
	uint16_t avail_idx[2], used_seen[2];
};

static void region_io(const struct dev *d, const struct region *r, uint64_t off, void *buf,
		      size_t len, int write)
{
	ssize_t n;

	if (off + len > r->size)
		die("access at %#llx past a region of %#llx", (unsigned long long)off,
		    (unsigned long long)r->size);
	n = write ? pwrite(d->fd, buf, len, (off_t)(r->off + off)) :
		    pread(d->fd, buf, len, (off_t)(r->off + off));
	if (n != (ssize_t)len)
		die("%s of %zu bytes at %#llx: %s", write ? "pwrite" : "pread", len,
		    (unsigned long long)off, n < 0 ? strerror(errno) : "short");
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

	region_io(d, &d->bar[d->notify_bar], d->notify + (uint64_t)d->notify_off[q] * d->notify_mult,
		  &v, 2, 1);
}

/* Descriptor i of queue q: len bytes at IOVA addr. */
static void post(struct dev *d, unsigned int q, uint16_t i, uint64_t addr, uint32_t len,
		 uint16_t flags)
{
	struct vring_desc *desc = iova_ptr(d, RING(q));
	struct vring_avail *avail = iova_ptr(d, RING(q) + 0x1000);

	desc[i].addr = addr;
	desc[i].len = len;
	desc[i].flags = flags;
	desc[i].next = 0;
	avail->ring[d->avail_idx[q] % QSIZE] = i;
	__atomic_store_n(&avail->idx, ++d->avail_idx[q], __ATOMIC_RELEASE);
}

/* The next used entry of queue q within seconds: its id and length, or -1. */
static int used(struct dev *d, unsigned int q, double seconds, uint32_t *len)
{
	struct vring_used *u = iova_ptr(d, RING(q) + 0x2000);
	double end = now() + seconds;
	int id;

	while (__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE) == d->used_seen[q]) {
		if (now() > end)
			return -1;
		usleep(1000);
	}
	id = (int)u->ring[d->used_seen[q] % QSIZE].id;
	*len = u->ring[d->used_seen[q] % QSIZE].len;
	d->used_seen[q]++;
	return id;
}

/* Frame n to peer on the transmit queue, kicked; wait: until it is sent. */
static void send_frame_wait(struct dev *d, const uint8_t peer[6], unsigned int n, bool wait)
{
	uint8_t *b = iova_ptr(d, BUFS(1) + (n % QSIZE) * BUF_SIZE);
	uint16_t type = htons(ETHERTYPE);
	uint32_t len;

	memset(b, 0, HDR_LEN);
	memcpy(b + HDR_LEN, peer, 6);
	memcpy(b + HDR_LEN + 6, d->mac, 6);
	memcpy(b + HDR_LEN + 12, &type, 2);
	snprintf((char *)b + HDR_LEN + 14, 46, "sriovm-vfio-%u", n);
	len = HDR_LEN + 14 + 46;		/* the minimum payload */
	post(d, 1, (uint16_t)(n % QSIZE), DMA_IOVA + BUFS(1) + (n % QSIZE) * BUF_SIZE, len, 0);
	kick(d, 1);
	if (wait && used(d, 1, 5, &len) < 0)
		die("frame %u not sent within 5 s", n);
}

static void send_frame(struct dev *d, const uint8_t peer[6], unsigned int n)
{
	send_frame_wait(d, peer, n, true);
}

static int ping(const char *bdf, const char *peer_s, unsigned int count)
{
	struct dev d = { 0 };
	uint8_t peer[6];
	unsigned int n, i;

	if (parse_mac(peer_s, peer))
		die("bad MAC %s", peer_s);
	vfio_open(&d, bdf);
	find_caps(&d);
	virtio_start(&d);
	for (i = 0; i < QSIZE; i++)
		post(&d, 0, (uint16_t)i, DMA_IOVA + BUFS(0) + i * BUF_SIZE, BUF_SIZE,
		     VRING_DESC_F_WRITE);
	kick(&d, 0);
	for (n = 0; n < count; n++) {
		char want[32];
		double end;
		bool ok = false;

		send_frame(&d, peer, n);
		snprintf(want, sizeof(want), "sriovm-vfio-%u", n);
		/* Other frames come too (the peer's IPv6 chatter): skip them. */
		for (end = now() + 5; !ok && now() < end;) {
			uint16_t type = htons(ETHERTYPE);
			uint32_t len;
			uint8_t *f;
			int id = used(&d, 0, end - now(), &len);

			if (id < 0)
				break;
			if (id >= QSIZE)
				die("the device used descriptor %d", id);
			f = iova_ptr(&d, BUFS(0) + (unsigned int)id * BUF_SIZE) + HDR_LEN;
			if (len >= HDR_LEN + 14 && !memcmp(f + 12, &type, 2)) {
				if (len < HDR_LEN + 14 + strlen(want) || memcmp(f, d.mac, 6) ||
				    memcmp(f + 6, peer, 6) || memcmp(f + 14, want, strlen(want)))
					die("answer %u is not the frame sent back (len %u)", n, len);
				ok = true;
			}
			/* The buffer goes back for the next frame. */
			post(&d, 0, (uint16_t)id, DMA_IOVA + BUFS(0) + (unsigned int)id * BUF_SIZE,
			     BUF_SIZE, VRING_DESC_F_WRITE);
			kick(&d, 0);
		}
		if (!ok)
			die("no answer to frame %u within 5 s", n);
	}
	printf("vfio-vnet: ok %u frames each way through IOVAs, MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
	       count, d.mac[0], d.mac[1], d.mac[2], d.mac[3], d.mac[4], d.mac[5]);
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
	u = iova_ptr(&d, RING(0) + 0x2000);
	for (end = now() + 5; now() < end; usleep(10000)) {
		st = (uint8_t)common_rd(&d, COMMON(device_status), 1);
		if ((st & VIRTIO_CONFIG_S_NEEDS_RESET) || __atomic_load_n(&u->idx, __ATOMIC_ACQUIRE))
			break;
	}
	if (u->idx && u->ring[0].len) {
		/* Exit 3: the device says it wrote what could not reach guest memory. */
		printf("vfio-vnet: the buffer at IOVA %#llx came back with length %u, though "
		       "nothing can have been written there\n", (unsigned long long)BAD_IOVA,
		       u->ring[0].len);
		exit(3);
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

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "echo"))
		return echo(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "ping"))
		return ping(argv[2], argv[3], (unsigned int)atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "fault"))
		return fault(argv[2], argv[3]);
	fprintf(stderr, "usage: vfio-vnet echo IFACE SECONDS | ping BDF PEER_MAC COUNT | "
		"fault BDF PEER_MAC\n");
	return 2;
}
