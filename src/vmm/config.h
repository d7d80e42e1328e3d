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

/*
 * -netdev TYPE,id=ID,... (and the netdev half of -nic). Addresses are host
 * byte order; strings are owned by the config (cli_free()).
 */
enum netdev_kind {
	NETDEV_USER,		/* libslirp */
	NETDEV_TAP,
	NETDEV_SOCKET,		/* socket,listen=|connect= and stream,... */
	NETDEV_HUBPORT,
};

#define NETDEV_MAX_HOSTFWD	16

struct netdev_hostfwd {
	bool udp;
	uint32_t host_addr;	/* 0: any */
	uint16_t host_port;
	uint32_t guest_addr;	/* 0: the first DHCP address */
	uint16_t guest_port;
};

struct netdev_config {
	enum netdev_kind kind;
	const char *id;
	union {
		struct {
			uint32_t net, mask;	/* default 10.0.2.0/24 */
			uint32_t host;		/* default .2 */
			uint32_t dhcpstart;	/* default .15 */
			uint32_t dns;		/* default .3 */
			bool restrict_;		/* restrict=on: no outside access */
			unsigned int nr_hostfwd;
			struct netdev_hostfwd hostfwd[NETDEV_MAX_HOSTFWD];
		} user;
		struct {
			const char *ifname;	/* NULL: the kernel picks tapN */
			bool vnet_hdr;		/* default on when the kernel has it */
			bool vnet_hdr_set;	/* vnet_hdr= given explicitly */
		} tap;
		struct {
			bool listen;		/* listen= (server) or connect= (client) */
			uint32_t addr;		/* host byte order; listen: 0 = any */
			uint16_t port;
		} socket;
		struct {
			unsigned int hubid;
		} hubport;
	};
};

/* -device types with a PCI function. */
enum pci_dev_kind {
	PCI_DEV_ROOT_PORT,	/* pcie-root-port */
	PCI_DEV_VIRTIO_NET,	/* virtio-net-pci */
};

struct pci_dev_config {
	enum pci_dev_kind kind;
	const char *id;		/* id=, may be NULL */
	const char *bus;	/* bus=: a root port's id; NULL: the root bus */
	bool addr_set;		/* addr= given; else the first free slot */
	uint8_t slot, fn;	/* addr=SLOT[.FN] */
	bool multifunction;	/* multifunction=on */
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
			const char *sriov_pf;	/* sriov-pf= (issue 4) */
		} net;
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
