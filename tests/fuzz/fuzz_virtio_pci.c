// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile driver against a virtio-net device behind the modern virtio-pci
 * transport: config cycles (BARs, Command, the capabilities, FLR), BAR
 * accesses of any offset and width to the common, ISR, device and notify
 * regions and to the MSI-X table and PBA, raw writes into guest RAM (where
 * the rings live), and frames arriving from the backend, in any order.
 * Guest RAM is an exactly sized allocation, so ASan reports any access
 * outside it; the fake platform counts unbalanced unmaps and route frees.
 *
 * Input: a sequence of operations, an opcode byte and its operands each.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>

#include <linux/virtio_pci.h>

#include "../unit/pci_fake.h"
#include "../unit/virtio_guest.h"
#include "fuzz_input.h"
#include "lib/dma.h"
#include "pci/ids.h"
#include "virtio/net.h"
#include "virtio/pci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEVFN		PCI_DEVFN(1, 0)
#define BAR1_ADDR	0xc0000000ULL
#define BAR4_ADDR	0x1000000000ULL

static int be_send(void *opaque, const struct iovec *iov, unsigned int iovcnt)
{
	size_t n = 0;
	unsigned int i;

	/* Touch every byte, as a backend copying the frame would. */
	for (i = 0; i < iovcnt; i++) {
		const volatile uint8_t *b = iov[i].iov_base;
		size_t k;

		for (k = 0; k < iov[i].iov_len; k++)
			n += b[k];
	}
	return n == (size_t)-1 ? -1 : 0;
}

static void be_rx_ready(void *opaque)
{
}

static bool be_link_up(void *opaque)
{
	return true;
}

static const struct net_port_ops be_ops = {
	.send = be_send, .rx_ready = be_rx_ready, .link_up = be_link_up,
};

/* A few rounds: a queue that keeps rescheduling must not hold the input up. */
static void loop_dispatch(struct loop *loop)
{
	struct epoll_event ev[8];
	int n, i, rounds = 4;

	while (rounds-- && (n = epoll_wait(loop->epfd, ev, 8, 0)) > 0) {
		for (i = 0; i < n; i++) {
			struct loop_handler *h = ev[i].data.ptr;

			h->fn(h, ev[i].events);
		}
	}
}

static const unsigned int bar_lens[] = { 1, 2, 4, 8 };

static void run(struct input *in)
{
	static struct guest_mem mem;
	static struct dma_space dma;
	static struct loop loop;
	static struct fake_plat fp;
	static struct pci_root root;
	static struct virtio_pci vp;
	struct virtio_net *net;
	struct virtio_net_params p = {
		.dma = &dma, .loop = &loop, .backend = &be_ops,
	};
	const struct virtio_pci_info info = {
		.name = "nic", .class = PCI_CLASS_NETWORK_ETHERNET, .express = true,
		.nr_vectors = 4,
	};
	uint8_t frame[1600];
	unsigned int steps = 0;

	fg_init(&mem);
	dma_space_identity(&dma, &mem);
	if (loop_init(&loop))
		abort();
	fake_plat_init(&fp);
	pci_root_init(&root);
	pci_root_set_platform(&root, &fp.plat);
	if (virtio_net_create(&net, &p) ||
	    virtio_pci_init(&vp, virtio_net_device(net), &loop, &info) ||
	    pci_bus_attach(&root.bus0, &vp.pci, DEVFN))
		abort();
	/* Start decoded, as the guest would leave it, so most inputs reach the regions. */
	pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_1, (uint32_t)BAR1_ADDR, 4);
	pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_4, (uint32_t)BAR4_ADDR, 4);
	pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_5, BAR4_ADDR >> 32, 4);
	pci_root_config_write(&root, 0, DEVFN, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);

	while (in->left && steps++ < 512) {
		unsigned int op = (unsigned int)take(in, 1);
		unsigned int len = bar_lens[take(in, 1) & 3];
		uint64_t off, v;
		size_t n;

		switch (op % 8) {
		case 0:	/* common configuration, mostly the real fields */
			off = take(in, 1) % 0x40;
			v = take(in, len);
			if (op & 0x80)
				fake_access(&fp, false, BAR4_ADDR + off, &v, len, true);
			else
				fake_access(&fp, false, BAR4_ADDR + off, &v, len, false);
			break;
		case 1:	/* anywhere in BAR4 */
			off = take(in, 2) % VIRTIO_PCI_MODERN_SIZE;
			v = take(in, len);
			fake_access(&fp, false, BAR4_ADDR + off, &v, len, op & 0x80);
			break;
		case 2:	/* MSI-X table and PBA */
			off = take(in, 2) % 0x1000;
			v = take(in, len);
			fake_access(&fp, false, BAR1_ADDR + off, &v, len, op & 0x80);
			break;
		case 3:	/* a config cycle anywhere in the function's 4 KiB */
			off = take(in, 2) % PCI_CFG_SPACE_EXP_SIZE;
			len = bar_lens[take(in, 1) % 3];
			v = take(in, 4);
			if (op & 0x80)
				pci_root_config_write(&root, 0, DEVFN, (unsigned int)off, (uint32_t)v, len);
			else
				pci_root_config_read(&root, 0, DEVFN, (unsigned int)off, len);
			break;
		case 4:	/* bytes into guest RAM, where rings and buffers go */
			off = take(in, 3) % FG_END;
			n = (size_t)take(in, 1) % 64;
			if (n > FG_END - off)
				n = FG_END - off;
			while (n--) {
				uint8_t *b = fg_ptr(&mem, off, 1);

				if (b)
					*b = (uint8_t)take(in, 1);
				off++;
			}
			break;
		case 5: {	/* a frame from the backend */
			struct iovec iov;

			n = 12 + (size_t)take(in, 2) % (sizeof(frame) - 12);
			memset(frame, (int)take(in, 1), n);
			iov.iov_base = frame;
			iov.iov_len = n;
			virtio_net_receive(net, &iov, 1);
			break;
		}
		case 6:	/* the notify region with each queue's own address */
			off = VIRTIO_PCI_NOTIFY_OFF + 4 * (take(in, 1) % 4);
			v = take(in, 2);
			fake_access(&fp, false, BAR4_ADDR + off, &v, 2, true);
			break;
		case 7:	/* the driver's usual sequence: put the BARs back, decode on */
			pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_4,
					      (uint32_t)BAR4_ADDR, 4);
			pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_5,
					      BAR4_ADDR >> 32, 4);
			pci_root_config_write(&root, 0, DEVFN, PCI_BASE_ADDRESS_1,
					      (uint32_t)BAR1_ADDR, 4);
			pci_root_config_write(&root, 0, DEVFN, PCI_COMMAND,
					      PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
			break;
		}
		/* Deferred queue work and notifiers run in the loop thread; here. */
		loop_dispatch(&loop);
	}

	virtio_pci_destroy(&vp);
	virtio_net_destroy(net);
	pci_root_destroy(&root);
	assert(fp.errors == 0);
	fake_plat_fini(&fp);
	loop_destroy(&loop);
	fg_free(&mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	run(&in);
	return 0;
}
