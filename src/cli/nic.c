// SPDX-License-Identifier: GPL-2.0
/*
 * -nic [TYPE][,model=M][,mac=MAC][,id=ID][,TYPE's properties]: QEMU's
 * shorthand for a -netdev TYPE (default user) and a NIC using it, placed on
 * the root bus. The netdev's id is id= or, as in QEMU, __org.qemu.nicN,
 * which no user id can be (ids start with a letter). -nic none adds
 * nothing. QEMU's default model on q35 is e1000e; sriovm has one NIC
 * model, virtio-net-pci, and takes it as the default too.
 */
#include <errno.h>
#include <string.h>

#include "cli/help.h"
#include "cli/internal.h"

static bool nic_model_known(const char *model)
{
	return !strcmp(model, "virtio-net-pci") || !strcmp(model, "virtio");
}

static int nic_none(struct cli *c, struct kv *kv)
{
	const char *key = kv_unused(kv);

	if (key)
		return cli_error(c, "%s none: takes no properties ('%s' given)", c->opt, key);
	return 0;
}

static int nic_add(struct cli *c, struct kv *kv, const char *type)
{
	struct pci_dev_config pd = { .kind = PCI_DEV_VIRTIO_NET };
	const struct cli_netdev *t = cli_netdev_find(type);
	const char *model, *id;
	char ctx[128], nid[32];
	int ret;

	if (!t)
		return cli_error(c, "%s %s: unsupported netdev type", c->opt, type);
	snprintf(ctx, sizeof(ctx), "%s %s", c->opt, type);
	model = kv_get_str(kv, "model");
	if (model && cli_is_help(model)) {
		help_nic_models(c->out);
		return 1;
	}
	if (model && !nic_model_known(model))
		return cli_error(c, "%s: unsupported NIC model '%s' (sriovm's NIC is "
				 "virtio-net-pci)", ctx, model);
	id = kv_get_str(kv, "id");
	if (id) {
		if (!cli_id_valid(id))
			return cli_id_error(c, ctx, id);
		snprintf(ctx, sizeof(ctx), "%s %s,id=%s", c->opt, type, id);
	} else {
		snprintf(nid, sizeof(nid), "__org.qemu.nic%u", c->nr_nics);
		id = nid;
	}
	ret = cli_nic_mac(c, kv, ctx, &pd);
	if (!ret)
		ret = cli_netdev_add(c, kv, t, ctx, id);
	if (!ret)
		ret = cli_set_str(c, &pd.net.netdev, id);
	if (!ret)
		ret = cli_pci_add(c, &pd, c->nr_nics + 1);
	if (!ret)
		c->nr_nics++;
	cli_pci_release(&pd);
	return ret;
}

int cli_opt_nic(struct cli *c, const char *arg)
{
	const char *type;
	struct kv kv;
	int ret;

	if (cli_is_help(arg)) {
		help_netdevs(c->out);
		help_nic_models(c->out);
		return 1;
	}
	ret = kv_parse_repeat(&kv, arg, "type", cli_netdev_lists);
	if (ret) {
		cli_error(c, "%s: %s", c->opt, kv.why);
		return ret;
	}
	type = kv_get_str(&kv, "type");
	if (type && !*type)
		ret = cli_error(c, "%s: no netdev type given", c->opt);
	else if (type && !strcmp(type, "none"))
		ret = nic_none(c, &kv);
	else
		ret = nic_add(c, &kv, type ? type : "user");
	kv_free(&kv);
	return ret;
}
