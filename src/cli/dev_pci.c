// SPDX-License-Identifier: GPL-2.0
/*
 * What every PCI device of -device and -nic shares: bus=, addr= and
 * multifunction=, and, once the whole command line is read, the addresses
 * of the devices that gave none and the checks of the topology.
 *
 * QEMU's rules, in the order QEMU creates the devices (-nic NICs first,
 * then -device in command-line order):
 * - bus= is the root bus "pcie.0" or the id of a pcie-root-port created
 *   before; root ports themselves go on pcie.0 only.
 * - addr=SLOT[.FN] is hex, with or without 0x. Slot 0 of pcie.0 is the
 *   host bridge's. A device without addr= takes the first slot of its bus
 *   that is free: QEMU looks at function 0 only, and a slot with another
 *   function in use would then fail its multi-function check, so taking
 *   a wholly free slot gives QEMU's address wherever QEMU succeeds.
 * - On pcie.0, a function other than 0 needs function 0 of its slot with
 *   multifunction=on, or the guest never looks at it (QEMU lets function 0
 *   be missing; a guest does not see such a device, so sriovm refuses it).
 * - Below a root port (a PCIe link) the guest scans device 0 only. Our
 *   virtio-net-pci functions are ARI-capable there, so the 8-bit ARI
 *   function number SLOT * 8 + FN reaches 256 functions (QEMU warns on
 *   slot != 0 only for devices without ARI), and function 0 need not say
 *   multifunction=on: the PF of an SR-IOV line does not. Function 0 must
 *   exist, as the guest finds the others through it.
 */
#include <ctype.h>
#include <errno.h>
#include <linux/pci.h>
#include <stdlib.h>
#include <string.h>

#include "cli/internal.h"

#define PCI_ROOT_BUS	"pcie.0"
#define PCI_SLOTS	32
#define PCI_FUNCS	8
#define PCI_DEVFNS	(PCI_SLOTS * PCI_FUNCS)

const struct cli_device *cli_pci_kind(enum pci_dev_kind kind)
{
	const struct cli_device *d;

	for (d = cli_devices; d->name; d++)
		if (d->pci && d->kind == kind)
			return d;
	return NULL;
}

const char *cli_pci_kind_name(enum pci_dev_kind kind)
{
	const struct cli_device *d = cli_pci_kind(kind);

	return d ? d->name : "?";
}

/* One number of addr=: hex digits, QEMU's optional 0x, at most max. */
static bool cli_pci_hex(const char **s, unsigned int max, unsigned int *val)
{
	const char *p = *s;
	unsigned int n = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2]))
		p += 2;
	if (!isxdigit((unsigned char)*p))
		return false;
	for (; isxdigit((unsigned char)*p); p++) {
		n = n * 16 + (unsigned int)(isdigit((unsigned char)*p) ? *p - '0' :
					    tolower((unsigned char)*p) - 'a' + 10);
		if (n > max)
			return false;
	}
	*s = p;
	*val = n;
	return true;
}

static int cli_pci_addr(struct cli *c, const char *ctx, const char *v, struct pci_dev_config *pd)
{
	unsigned int slot, fn = 0;
	const char *s = v;

	if (!cli_pci_hex(&s, PCI_SLOTS - 1, &slot))
		goto bad;
	if (*s == '.') {
		s++;
		if (!cli_pci_hex(&s, PCI_FUNCS - 1, &fn))
			goto bad;
	}
	if (*s)
		goto bad;
	if (!pd->bus && slot == 0)
		return cli_error(c, "%s: addr=%s: slot 0 of " PCI_ROOT_BUS " is the host bridge's "
				 "(use slot 1..1f)", ctx, v);
	pd->addr_set = true;
	pd->slot = (uint8_t)slot;
	pd->fn = (uint8_t)fn;
	return 0;
bad:
	return cli_error(c, "%s: invalid value '%s' for 'addr' (expected SLOT[.FUNCTION] in hex, "
			 "slot 0..1f, function 0..7)", ctx, v);
}

/* bus= must name a root port that exists already: QEMU creates in order. */
static int cli_pci_bus(struct cli *c, const char *ctx, const char *bus, struct pci_dev_config *pd)
{
	const struct vm_config *cfg = c->cfg;
	unsigned int i;

	if (pd->kind == PCI_DEV_ROOT_PORT)
		return cli_error(c, "%s: bus=%s: a pcie-root-port goes on " PCI_ROOT_BUS " only",
				 ctx, bus);
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		const struct pci_dev_config *p = &cfg->pci_devs[i];

		if (!p->id || strcmp(p->id, bus))
			continue;
		if (p->kind != PCI_DEV_ROOT_PORT)
			return cli_error(c, "%s: bus=%s: '%s' is a %s, not a pcie-root-port", ctx,
					 bus, bus, cli_pci_kind_name(p->kind));
		return cli_set_str(c, &pd->bus, bus);
	}
	return cli_error(c, "%s: bus '%s' not found (bus= names " PCI_ROOT_BUS " or a "
			 "pcie-root-port given before the device)", ctx, bus);
}

/* sriov-pf=ID: a VF of the PF with that id, resolved by cli_resolve_sriov(). */
static int cli_pci_sriov_pf(struct cli *c, struct kv *kv, const char *ctx,
			    struct pci_dev_config *pd)
{
	const char *pf = kv_get_str(kv, "sriov-pf");

	if (!pf || !cli_pci_kind(pd->kind)->sriov)
		return 0;
	if (!*pf)
		return cli_error(c, "%s: sriov-pf= needs the id of the PF, a -device %s", ctx,
				 cli_pci_kind_name(pd->kind));
	return cli_set_str(c, &pd->sriov_pf, pf);
}

int cli_pci_props(struct cli *c, struct kv *kv, const char *ctx, struct pci_dev_config *pd)
{
	const char *bus = kv_get_str(kv, "bus");
	const char *addr = kv_get_str(kv, "addr");
	int ret;

	if (bus && strcmp(bus, PCI_ROOT_BUS)) {
		ret = cli_pci_bus(c, ctx, bus, pd);
		if (ret)
			return ret;
	}
	if (addr) {
		ret = cli_pci_addr(c, ctx, addr, pd);
		if (ret)
			return ret;
	}
	ret = cli_kv_bool(c, kv, ctx, "multifunction", &pd->multifunction);
	if (ret < 0)
		return ret;
	return cli_pci_sriov_pf(c, kv, ctx, pd);
}

int cli_pci_add(struct cli *c, struct pci_dev_config *pd, unsigned int nic)
{
	struct vm_config *cfg = c->cfg;
	int ret;

	if (cfg->nr_pci_devs >= VM_MAX_PCI_DEVS)
		return cli_error(c, "%s: too many PCI devices (at most %u)", c->opt,
				 VM_MAX_PCI_DEVS);
	ret = cli_grow(c, (void **)&cfg->pci_devs, &c->pci_cap, cfg->nr_pci_devs,
		       sizeof(*cfg->pci_devs));
	if (!ret)
		ret = cli_grow(c, (void **)&c->pci_nic, &c->pci_nic_cap, cfg->nr_pci_devs,
			       sizeof(*c->pci_nic));
	if (ret)
		return ret;
	c->pci_nic[cfg->nr_pci_devs] = nic;
	cfg->pci_devs[cfg->nr_pci_devs++] = *pd;
	memset(pd, 0, sizeof(*pd));
	return 0;
}

int cli_pci_finish(struct cli *c, struct kv *kv, const char *ctx, const char *id,
		   struct pci_dev_config *pd)
{
	int ret = cli_kv_check_unused(c, kv, ctx);

	if (!ret && id)
		ret = cli_set_str(c, &pd->id, id);
	if (!ret)
		ret = cli_pci_add(c, pd, 0);
	cli_pci_release(pd);
	return ret;
}

void cli_pci_release(struct pci_dev_config *pd)
{
	free((void *)pd->id);
	free((void *)pd->bus);
	free((void *)pd->sriov_pf);
	free(pd->sriov.vf);
	if (pd->kind == PCI_DEV_VIRTIO_NET)
		free((void *)pd->net.netdev);
	memset(pd, 0, sizeof(*pd));
}

bool cli_pci_in_pass(const struct cli *c, unsigned int i, unsigned int pass)
{
	return (c->pci_nic[i] != 0) == (pass == 0);
}

/*
 * A device as messages name it: "-device virtio-net-pci,id=f", else
 * "-device virtio-net-pci #2" (the second of its type), or "-nic #1".
 */
const char *cli_pci_name(const struct cli *c, unsigned int i, char *buf, size_t len)
{
	const struct pci_dev_config *pd = &c->cfg->pci_devs[i];
	const char *kind = cli_pci_kind_name(pd->kind);
	unsigned int j, n = 1;

	if (c->pci_nic[i]) {
		snprintf(buf, len, "-nic #%u", c->pci_nic[i]);
	} else if (pd->id) {
		snprintf(buf, len, "-device %s,id=%s", kind, pd->id);
	} else {
		for (j = 0; j < i; j++)
			n += !c->pci_nic[j] && c->cfg->pci_devs[j].kind == pd->kind;
		snprintf(buf, len, "-device %s #%u", kind, n);
	}
	return buf;
}

/* One bus: pcie.0 (port < 0) or the secondary bus of root port number port. */
struct cli_bus {
	int port;
	const char *name;
	int owner[PCI_DEVFNS];	/* device index at each devfn, or -1 */
};

static bool cli_pci_on_bus(const struct cli *c, const struct cli_bus *b, unsigned int i)
{
	const struct pci_dev_config *pd = &c->cfg->pci_devs[i];

	if (b->port < 0)
		return !pd->bus;
	return pd->bus && !strcmp(pd->bus, b->name);
}

static int cli_pci_place(struct cli *c, struct cli_bus *b, unsigned int i)
{
	struct pci_dev_config *pd = &c->cfg->pci_devs[i];
	char name[96], other[96];
	int devfn, slot, fn;

	if (pd->addr_set) {
		devfn = PCI_DEVFN(pd->slot, pd->fn);
		if (b->owner[devfn] >= 0)
			return cli_error(c, "%s: addr %x.%x on %s is taken by %s",
					 cli_pci_name(c, i, name, sizeof(name)), pd->slot, pd->fn,
					 b->name, cli_pci_name(c, (unsigned int)b->owner[devfn],
							       other, sizeof(other)));
	} else if (b->port >= 0) {
		/* A link has one device: more need explicit ARI functions. */
		devfn = 0;
		if (b->owner[0] >= 0)
			return cli_error(c, "%s: %s has a device at 0.0 already (%s): give the "
					 "others below a root port addr=SLOT.FN",
					 cli_pci_name(c, i, name, sizeof(name)), b->name,
					 cli_pci_name(c, (unsigned int)b->owner[0], other,
						      sizeof(other)));
	} else {
		devfn = -1;
		for (slot = 1; slot < PCI_SLOTS && devfn < 0; slot++) {
			for (fn = 0; fn < PCI_FUNCS; fn++) {
				if (b->owner[PCI_DEVFN(slot, fn)] >= 0)
					break;
			}
			if (fn == PCI_FUNCS)
				devfn = PCI_DEVFN(slot, 0);
		}
		if (devfn < 0)
			return cli_error(c, "%s: no free slot left on " PCI_ROOT_BUS " (31 slots: "
					 "put more devices behind pcie-root-ports, or share "
					 "slots with addr=SLOT.FN and multifunction=on)",
					 cli_pci_name(c, i, name, sizeof(name)));
		pd->slot = (uint8_t)PCI_SLOT(devfn);
		pd->fn = 0;
	}
	b->owner[devfn] = (int)i;
	return 0;
}

/*
 * What the guest needs to find every function: on pcie.0 function 0 of the
 * slot, with multifunction=on; below a root port function 0 of device 0.
 */
static int cli_pci_check_functions(struct cli *c, const struct cli_bus *b)
{
	char name[96], other[96];
	int devfn, first, i;

	for (devfn = 0; devfn < PCI_DEVFNS; devfn++) {
		i = b->owner[devfn];
		first = b->port < 0 ? PCI_DEVFN(PCI_SLOT(devfn), 0) : 0;
		if (i < 0 || devfn == first)
			continue;
		cli_pci_name(c, (unsigned int)i, name, sizeof(name));
		if (b->owner[first] < 0)
			return cli_error(c, "%s: addr %x.%x on %s needs a device at %x.0 (the "
					 "guest finds the other functions through it)", name,
					 PCI_SLOT(devfn), PCI_FUNC(devfn), b->name,
					 PCI_SLOT(first));
		if (b->port < 0 && !c->cfg->pci_devs[b->owner[first]].multifunction)
			return cli_error(c, "%s: addr %x.%x on %s needs multifunction=on at "
					 "%x.0 (%s)", name, PCI_SLOT(devfn), PCI_FUNC(devfn),
					 b->name, PCI_SLOT(first),
					 cli_pci_name(c, (unsigned int)b->owner[first], other,
						      sizeof(other)));
	}
	return 0;
}

static int cli_pci_place_bus(struct cli *c, struct cli_bus *b)
{
	unsigned int i, pass;
	int ret;

	for (i = 0; i < PCI_DEVFNS; i++)
		b->owner[i] = -1;
	for (pass = 0; pass < CLI_PCI_PASSES; pass++) {
		for (i = 0; i < c->cfg->nr_pci_devs; i++) {
			if (!cli_pci_on_bus(c, b, i) || !cli_pci_in_pass(c, i, pass))
				continue;
			ret = cli_pci_place(c, b, i);
			if (ret)
				return ret;
		}
	}
	return cli_pci_check_functions(c, b);
}

int cli_finish_pci(struct cli *c)
{
	struct cli_bus b = { .port = -1, .name = PCI_ROOT_BUS };
	unsigned int i;
	int ret;

	ret = cli_pci_place_bus(c, &b);
	for (i = 0; !ret && i < c->cfg->nr_pci_devs; i++) {
		if (c->cfg->pci_devs[i].kind != PCI_DEV_ROOT_PORT)
			continue;
		b.port = (int)i;
		b.name = c->cfg->pci_devs[i].id;
		ret = cli_pci_place_bus(c, &b);
	}
	return ret;
}
