// SPDX-License-Identifier: GPL-2.0
/*
 * -device pcie-root-port,id=ID[,bus=pcie.0][,addr=][,chassis=N,slot=N,port=N]
 *
 * The id is required: it is the name of the port's bus, which the devices
 * below it give as bus=ID. chassis and slot give the physical slot number
 * of the Slot Capabilities register (13 bits); like QEMU, each root port
 * needs a pair of its own.
 */
#include <errno.h>
#include <linux/pci_regs.h>
#include <string.h>

#include "cli/internal.h"

/* The largest number the Physical Slot Number field holds. */
#define ROOT_PORT_MAX_SLOT	(PCI_EXP_SLTCAP_PSN >> __builtin_ctz(PCI_EXP_SLTCAP_PSN))

int cli_dev_root_port(struct cli *c, struct kv *kv, const char *ctx, const char *id)
{
	static const char *const unsupported[] = {
		"hotplug", "io-reserve", "mem-reserve", "pref32-reserve", "pref64-reserve",
		"bus-reserve", "aer", "acpi-index", "romfile", "rombar", "romsize",
		"power_controller_present", "disable-acs", "failover_pair_id", NULL
	};
	struct pci_dev_config pd = { .kind = PCI_DEV_ROOT_PORT };
	const struct vm_config *cfg = c->cfg;
	uint64_t chassis = 0, slot = 0, port = 0;
	unsigned int i;
	int ret;

	if (!id)
		return cli_error(c, "%s: no id= given (the devices below a root port name it "
				 "with bus=ID)", ctx);
	if (!strcmp(id, "pcie.0"))
		return cli_error(c, "%s: id 'pcie.0' is the root bus's name", ctx);
	ret = cli_kv_refuse(c, kv, ctx, unsupported, "sriovm's root port has fixed settings");
	if (ret)
		return ret;
	ret = cli_pci_props(c, kv, ctx, &pd);
	if (ret)
		goto out;
	if (cli_kv_uint(c, kv, ctx, "chassis", 0, UINT8_MAX, &chassis) < 0 ||
	    cli_kv_uint(c, kv, ctx, "slot", 0, ROOT_PORT_MAX_SLOT, &slot) < 0 ||
	    cli_kv_uint(c, kv, ctx, "port", 0, UINT8_MAX, &port) < 0) {
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < cfg->nr_pci_devs; i++) {
		const struct pci_dev_config *o = &cfg->pci_devs[i];

		if (o->kind == PCI_DEV_ROOT_PORT && o->root_port.chassis == chassis &&
		    o->root_port.slot == slot) {
			ret = cli_error(c, "%s: chassis %u slot %u are taken by -device "
					"pcie-root-port,id=%s (give each root port its own "
					"chassis= or slot=)", ctx, (unsigned int)chassis,
					(unsigned int)slot, o->id);
			goto out;
		}
	}
	pd.root_port.chassis = (uint8_t)chassis;
	pd.root_port.slot = (uint16_t)slot;
	pd.root_port.port = (uint8_t)port;
	return cli_pci_finish(c, kv, ctx, id, &pd);
out:
	cli_pci_release(&pd);
	return ret;
}
