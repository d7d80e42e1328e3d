/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI functions, buses and the root complex. A bus is 256 devfn slots; a
 * function that is absent reads all-ones and ignores writes, whatever its
 * number (functions are first-class, not "function 0 plus extras").
 *
 * The topology is a tree fixed when the VM is built: the root bus, and
 * below each PCI-to-PCI bridge its secondary bus. Bus numbers other than
 * the root's are whatever the guest writes into the bridges, so config
 * requests are routed through the bridges' registers as hardware does.
 *
 * Locking: root->lock serialises config accesses, decode changes and the
 * hooks they run (capability hooks, BAR mapped/unmapped callbacks, resets).
 * BAR handlers run without it (see bus_access()); the MSI-X state has a
 * lock of its own, taken inside root->lock.
 */
#ifndef SRIOVM_PCI_PCI_H
#define SRIOVM_PCI_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/pci.h>	/* PCI_DEVFN, PCI_SLOT, PCI_FUNC */

#include "bus/bus.h"
#include "pci/config.h"
#include "pci/ids.h"
#include "pci/platform.h"

#define PCI_NR_DEVFN		256
#define PCI_NR_BUSES		256
#define PCI_MAX_CAPS		16	/* standard + extended, per function */


struct pci_device;
struct pci_root;
struct pci_sriov;
struct msix;

struct pci_device_ops {
	/*
	 * Device-level reset (FLR, secondary bus reset): resets the device's
	 * own state and calls pci_function_reset(). NULL: pci_function_reset()
	 * alone. Runs with root->lock held.
	 */
	void (*reset)(struct pci_device *d);
};

/* Side effects of one capability, found by the capability's offset range. */
struct pci_cap_hook {
	/* Before a guest read of [off, off + len): refresh dynamic bytes. */
	void (*pre_read)(struct pci_device *d, unsigned int cap, unsigned int off,
			 unsigned int len, void *opaque);
	/* After the masked write of [off, off + len); old holds the previous bytes. */
	void (*written)(struct pci_device *d, unsigned int cap, unsigned int off,
			unsigned int len, uint32_t old, void *opaque);
	/*
	 * After a function reset put the power-on values back: state derived
	 * from the capability's bytes follows them (SR-IOV: VF Enable cleared).
	 */
	void (*reset)(struct pci_device *d, unsigned int cap, void *opaque);
};

struct pci_cap_entry {
	uint16_t start, end;		/* [start, end), dword-aligned */
	const struct pci_cap_hook *hook;
	void *opaque;
};

/* Called with root->lock held when a BAR starts or stops decoding. */
typedef void (*pci_bar_map_fn)(void *opaque, unsigned int bar, uint64_t base, uint64_t size);

/* What a BAR owner gives pci_bar_add(). */
struct pci_bar_desc {
	uint64_t size;			/* a power of two */
	/*
	 * The register's type bits: PCI_BASE_ADDRESS_SPACE_IO, or memory with
	 * PCI_BASE_ADDRESS_MEM_TYPE_64 and/or PCI_BASE_ADDRESS_MEM_PREFETCH.
	 */
	unsigned int flags;
	bus_io_fn io;			/* offsets relative to the BAR; NULL: reads 0 */
	pci_bar_map_fn mapped, unmapped;	/* optional */
	void *opaque;
};

struct pci_bar {
	struct pci_bar_desc desc;	/* desc.size 0: not implemented */
	struct pci_device *dev;
	uint8_t index;
	bool mapped;			/* decoded now at base */
	uint64_t base;
};

struct pci_device {
	struct pci_config cfg;
	const struct pci_device_ops *ops;
	const char *name;
	void *priv;
	uint8_t devfn;
	bool present;			/* false: reads all-ones (a disabled VF) */
	unsigned int present_gen;	/* counts its appearances (VF Enable): atomic */
	bool virtfn;			/* an SR-IOV VF: not in the ARI function chain */
	/* SR-IOV (pci/sriov.h): a VF's PF and VF number, a PF's state. */
	struct pci_device *physfn;
	unsigned int vf_nr;
	struct pci_sriov *sriov;
	struct pci_bus *bus;		/* the bus it sits on */
	struct pci_bus *secondary;	/* bridges: the bus below */
	struct pci_root *root;

	/* Capabilities: builder state and hooks by offset range. */
	uint16_t cap_next, ext_cap_next;	/* where the next one goes */
	uint16_t cap_last, ext_cap_last;	/* last in each chain, 0 if none */
	unsigned int nr_caps;
	struct pci_cap_entry caps[PCI_MAX_CAPS];
	uint16_t pm_cap, pcie_cap;	/* offsets, 0 if absent */

	struct pci_bar bars[PCI_STD_NUM_BARS];
	struct msix *msix;
};

struct pci_bus {
	uint8_t number;			/* the root bus only: others take the bridge's */
	struct pci_device *self;	/* the bridge above it; NULL on the root bus */
	struct pci_root *root;
	struct pci_device *devs[PCI_NR_DEVFN];
};

struct pci_root {
	pthread_mutex_t lock;	/* serialises config accesses from all vCPUs */
	struct pci_bus bus0;
	uint32_t cf8;		/* CONFIG_ADDRESS latch */
	const struct pci_platform *plat;	/* NULL: nothing ever decodes */
	bool decode_dirty;	/* a write changed something decode depends on */
	bool in_write;		/* a config write is running its hooks */
};

/* What pci_device_init() fills into a new function's header. */
struct pci_device_info {
	const char *name;
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys;	/* type 0 only */
	uint32_t class;			/* base << 16 | sub << 8 | prog-if */
	uint8_t revision;
	uint8_t header_type;		/* PCI_HEADER_TYPE_NORMAL or _BRIDGE */
	uint8_t irq_pin;		/* 0: none, 1..4: INTA..INTD */
	bool express;			/* 4 KiB config space */
	const struct pci_device_ops *ops;
	void *priv;
};

void pci_root_init(struct pci_root *root);
/* Releases what functions allocated (MSI-X state and routes). */
void pci_root_destroy(struct pci_root *root);
/* The machine's decode and MSI services; set before the guest runs. */
void pci_root_set_platform(struct pci_root *root, const struct pci_platform *plat);

/*
 * A new function: header, Command/Status masks, no capabilities, no BARs.
 * Build it fully (BARs, capabilities), then attach it: attaching records
 * the power-on values that a reset restores.
 */
void pci_device_init(struct pci_device *d, const struct pci_device_info *info);
/* Before the guest runs. -EBUSY if devfn is taken. */
int pci_bus_attach(struct pci_bus *bus, struct pci_device *d, uint8_t devfn);

/* One config access of 1, 2 or 4 bytes; absent functions read all-ones. */
uint32_t pci_root_config_read(struct pci_root *root, uint8_t bus, uint8_t devfn,
			      unsigned int off, unsigned int len);
void pci_root_config_write(struct pci_root *root, uint8_t bus, uint8_t devfn,
			   unsigned int off, uint32_t val, unsigned int len);
/* The function a config request to bus/devfn reaches now, or NULL. Lock held. */
struct pci_device *pci_root_route(struct pci_root *root, uint8_t bus, uint8_t devfn);

/*
 * Depth-first over the tree as built (not by guest bus numbers): each
 * function in devfn order, a bridge before the functions below it. depth
 * is 0 on the root bus. Stops at and returns fn's first nonzero result.
 */
typedef int (*pci_walk_fn)(struct pci_device *d, unsigned int depth, void *arg);
int pci_root_walk(struct pci_root *root, pci_walk_fn fn, void *arg);
int pci_bus_walk(struct pci_bus *bus, unsigned int depth, pci_walk_fn fn, void *arg);

static inline bool pci_device_is_bridge(const struct pci_device *d)
{
	return d->secondary != NULL;
}

/*
 * Function reset (FLR, a reset below a bridge): config values back to
 * their power-on values, capabilities' reset hooks run, BARs unmapped,
 * MSI-X disabled and its routes freed. Root->lock held.
 * pci_device_reset() runs ops->reset instead when the device has one.
 */
void pci_function_reset(struct pci_device *d);
void pci_device_reset(struct pci_device *d);
/* Shows or hides a function (SR-IOV VF Enable); hiding resets it. Lock held. */
void pci_device_set_present(struct pci_device *d, bool present);
/*
 * The requester ID the function's requests carry now: the number the
 * guest gave its bus (bridges' Secondary Bus Number) and its devfn.
 */
uint16_t pci_device_rid(const struct pci_device *d);

/*
 * Decode: recompute every function's effective BAR ranges and apply the
 * difference through the platform. Lock held. Hooks that change what
 * decode depends on call pci_decode_changed(); the config write path then
 * updates once at its end.
 */
void pci_root_update_decode(struct pci_root *root);
static inline void pci_decode_changed(struct pci_device *d)
{
	if (d->root)
		d->root->decode_dirty = true;
}

/* For write hooks: did a write of [off, off + len) touch byte at, and what was it. */
static inline bool pci_write_covers(unsigned int off, unsigned int len, unsigned int at)
{
	return at >= off && at < off + len;
}

static inline uint8_t pci_old8(unsigned int off, uint32_t old, unsigned int at)
{
	return old >> (8 * (at - off));
}

#endif
