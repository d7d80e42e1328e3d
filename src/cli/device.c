// SPDX-License-Identifier: GPL-2.0
/*
 * -device: the type table and what all types share (help, id=). A new
 * device type is one line in cli_devices[] and a parse function in its own
 * file.
 */
#include <errno.h>
#include <string.h>

#include "cli/help.h"
#include "cli/internal.h"

const struct cli_device cli_devices[] = {
	{ "isa-debug-exit", "QEMU's test exit port: writing v exits with status (v << 1) | 1",
	  "  iobase=N    first I/O port (default 0x501)\n"
	  "  iosize=N    number of I/O ports (default 0x2)\n",
	  cli_dev_debug_exit, .pci = false },
	{ "pcie-root-port", "PCI Express root port on pcie.0: a bus for devices (bus=ID)",
	  "  id=ID           required: devices below the port name it in bus=ID\n"
	  "  bus=pcie.0      root ports go on the root bus only (the default)\n"
	  "  addr=SLOT[.FN]  hex, slot 1..1f, function 0..7 (default: the first free slot)\n"
	  "  multifunction=on|off  on: function 0 of a slot with more functions\n"
	  "  chassis=N       chassis number 0..255 (default 0)\n"
	  "  slot=N          physical slot number 0..8191 (default 0); each root port\n"
	  "                  needs its own chassis and slot pair, as in QEMU\n"
	  "  port=N          PCIe port number 0..255 (default 0)\n",
	  cli_dev_root_port, .pci = true, .kind = PCI_DEV_ROOT_PORT },
	{ "virtio-net-pci", "virtio 1.x network device (modern only)",
	  "  id=ID           the device's name, unique among devices; a VF names its\n"
	  "                  PF's in sriov-pf=ID\n"
	  "  netdev=ID       the -netdev it sends and receives through (default: none,\n"
	  "                  no link partner)\n"
	  "  mac=MAC         XX:XX:XX:XX:XX:XX, unicast (default 52:54:00:12:34:56 and\n"
	  "                  up, in command-line order with the -nic NICs first)\n"
	  "  bus=ID          a pcie-root-port's id, or pcie.0 (the default)\n"
	  "  addr=SLOT[.FN]  hex, function 0..7; on pcie.0 slot 1..1f (default: the\n"
	  "                  first free slot); below a root port slot 0..1f too, as\n"
	  "                  ARI function SLOT * 8 + FN (default 0.0)\n"
	  "  multifunction=on|off  on pcie.0 function 0 of a slot with more functions\n"
	  "                  needs on; below a root port it is not needed\n"
	  "  disable-legacy=on, disable-modern=off\n"
	  "                  accepted: the device is modern-only\n"
	  "  iommu_platform=on|off  offer VIRTIO_F_ACCESS_PLATFORM: DMA through the\n"
	  "                  IOMMU; on (and required) with a virtio-iommu-pci, else off\n"
	  "  sriov-pf=ID     make this an SR-IOV virtual function of the virtio-net-pci\n"
	  "                  with id=ID (the PF), given after its VFs, on the same bus\n"
	  "                  below a pcie-root-port, at function numbers above the PF's\n"
	  "                  and evenly spaced (e.g. PF 0x0.0x0, VFs 0x0.0x1 ... 0x1f.0x7)\n"
	  "  admin-vq=on|off a PF's virtio admin queue, whose legacy interface commands\n"
	  "                  give each VF a legacy personality (virtio_vfio_pci); on for\n"
	  "                  a PF, refused on a device without VFs\n",
	  cli_dev_virtio_net, .pci = true, .kind = PCI_DEV_VIRTIO_NET, .sriov = true },
	{ "virtio-iommu-pci", "virtio 1.x IOMMU: functions below it can be given to vfio in the guest",
	  "  id=ID           the device's name\n"
	  "  bus=pcie.0      on the root bus only (the default)\n"
	  "  addr=SLOT[.FN]  hex, slot 1..1f (default: the first free slot)\n"
	  "  boot-bypass=on|off  on (default): functions not attached to a domain\n"
	  "                  reach guest memory untranslated; off: they fault\n"
	  "  aw-bits=N       input address width, 32..64 (default 39, as QEMU's q35)\n"
	  "  granule=4k|host accepted: the granule is 4 KiB\n",
	  cli_dev_virtio_iommu, .pci = true, .kind = PCI_DEV_VIRTIO_IOMMU },
	{ .name = NULL }
};

static const struct cli_device *cli_device_find(const char *name, size_t len)
{
	const struct cli_device *d;

	for (d = cli_devices; d->name; d++) {
		if (strlen(d->name) == len && !strncmp(d->name, name, len))
			return d;
	}
	return NULL;
}

/* "-device help" and "-device TYPE,help", as QEMU spells them. */
static int cli_device_help(struct cli *c, const char *arg)
{
	const struct cli_device *d;
	size_t len = 0;

	switch (cli_help_form(arg, &len)) {
	case CLI_HELP_NONE:
		return 0;
	case CLI_HELP_LIST:
		help_devices(c->out);
		return 1;
	case CLI_HELP_TYPE:
		break;
	}
	d = cli_device_find(arg, len);
	if (!d)
		return cli_error(c, "%s %.*s: unsupported device type", c->opt, (int)len, arg);
	help_device_props(c->out, d);
	return 1;
}

/* QEMU's device ids share one name space, whatever the device type. */
static bool cli_device_id_taken(const struct cli *c, const char *id)
{
	unsigned int i;

	if (c->debug_exit_id && !strcmp(c->debug_exit_id, id))
		return true;
	for (i = 0; i < c->cfg->nr_pci_devs; i++) {
		if (c->cfg->pci_devs[i].id && !strcmp(c->cfg->pci_devs[i].id, id))
			return true;
	}
	return false;
}

int cli_opt_device(struct cli *c, const char *arg)
{
	const struct cli_device *d;
	const char *driver, *id;
	char ctx[128];
	struct kv kv;
	int ret;

	ret = cli_device_help(c, arg);
	if (ret)
		return ret;
	ret = cli_kv_parse(c, &kv, c->opt, arg, "driver");
	if (ret)
		return ret;
	driver = kv_get_str(&kv, "driver");
	if (!driver || !*driver) {
		ret = cli_error(c, "%s: no device type given", c->opt);
		goto out;
	}
	d = cli_device_find(driver, strlen(driver));
	if (!d) {
		ret = cli_error(c, "%s %s: unsupported device type", c->opt, driver);
		goto out;
	}
	snprintf(ctx, sizeof(ctx), "%s %s", c->opt, d->name);
	id = kv_get_str(&kv, "id");
	if (id && !cli_id_valid(id)) {
		ret = cli_id_error(c, ctx, id);
		goto out;
	}
	if (id) {
		snprintf(ctx, sizeof(ctx), "%s %s,id=%s", c->opt, d->name, id);
		if (cli_device_id_taken(c, id)) {
			ret = cli_error(c, "%s: another -device has id '%s' (device ids are "
					"unique)", ctx, id);
			goto out;
		}
	}
	ret = d->parse(c, &kv, ctx, id);
	if (!ret)
		ret = cli_kv_check_unused(c, &kv, ctx);
out:
	kv_free(&kv);
	return ret;
}
