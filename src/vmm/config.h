/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine description: what the command line asked for, checked and
 * typed. The cli layer fills it in; the vmm layer builds a VM from it and
 * never looks at argv.
 */
#ifndef SRIOVM_VMM_CONFIG_H
#define SRIOVM_VMM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "net/config.h"

#define VM_DEFAULT_RAM		(512ULL << 20)	/* QEMU's default is 128M; Debian needs more */
#define VM_MIN_RAM		(32ULL << 20)
#define VM_MAX_CPUS		64

enum serial_kind {
	SERIAL_STDIO,		/* default, and -nographic */
	SERIAL_FILE,		/* -serial file:PATH */
	SERIAL_NONE,		/* -serial none */
};

struct debug_exit_config {
	bool present;
	uint16_t iobase;	/* QEMU default 0x501 */
	uint16_t iosize;	/* QEMU default 0x02 */
};

/* -device types with a PCI function. */
enum pci_dev_kind {
	PCI_DEV_ROOT_PORT,	/* pcie-root-port */
	PCI_DEV_VIRTIO_NET,	/* virtio-net-pci */
	PCI_DEV_VIRTIO_IOMMU,	/* virtio-iommu-pci */
};

struct pci_dev_config {
	enum pci_dev_kind kind;
	const char *id;		/* id=, may be NULL */
	const char *bus;	/* bus=: a root port's id; NULL: the root bus */
	bool addr_set;		/* addr= given; else the first free slot */
	uint8_t slot, fn;	/* addr=SLOT[.FN] */
	bool multifunction;	/* multifunction=on */
	/*
	 * Composable SR-IOV: a VF names its PF's id= in sriov-pf=; the PF
	 * gets its VFs, in VF number order, and the routing their addresses
	 * give (First VF Offset and VF Stride), once the command line is read.
	 */
	const char *sriov_pf;	/* sriov-pf=: NULL if not a VF */
	struct {
		unsigned int nr;	/* 0: not a PF */
		unsigned int *vf;	/* VF k is pci_devs[vf[k - 1]] */
		uint16_t offset, stride;
	} sriov;
	union {
		struct {
			uint8_t chassis;	/* default 0 */
			uint16_t slot;		/* slot=, physical slot number */
			uint8_t port;		/* port=, PCIe port number */
		} root_port;
		struct {
			const char *netdev;	/* netdev= id, may be NULL (no backend) */
			bool mac_set;
			uint8_t mac[6];		/* default 52:54:00:12:34:56 + n */
			/*
			 * iommu_platform=: offer VIRTIO_F_ACCESS_PLATFORM (and
			 * so DMA through the IOMMU); on whenever there is one.
			 */
			bool iommu_platform;
			bool iommu_platform_set;	/* given explicitly */
			/*
			 * admin-vq=: a PF's administration queue, with the
			 * legacy interface commands for its VFs; on for a PF.
			 */
			bool admin_vq;
			bool admin_vq_set;		/* given explicitly */
		} net;
		struct {
			bool boot_bypass;	/* boot-bypass=, default on */
			uint8_t aw_bits;	/* aw-bits=, default 39 */
		} iommu;
	};
};

#define VM_MAX_NETDEVS		512
#define VM_MAX_PCI_DEVS		1024

struct vm_config {
	uint64_t ram_size;		/* bytes, from -m */
	unsigned int ncpus;		/* -smp */
	const char *kernel;		/* -kernel, required */
	const char *initrd;		/* -initrd, may be NULL */
	const char *append;		/* -append, may be NULL */
	const char *name;		/* -name, informational */

	enum serial_kind serial;
	const char *serial_path;	/* SERIAL_FILE only */

	bool no_reboot;			/* -no-reboot: a guest reset exits */
	struct debug_exit_config debug_exit;

	/* In command-line order; -nic adds one of each. */
	unsigned int nr_netdevs;
	struct netdev_config *netdevs;
	unsigned int nr_pci_devs;
	struct pci_dev_config *pci_devs;
};

#endif
