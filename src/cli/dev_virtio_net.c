// SPDX-License-Identifier: GPL-2.0
/*
 * -device virtio-net-pci[,netdev=ID][,mac=MAC][,bus=][,addr=][,sriov-pf=ID]..., the MAC
 * syntax it shares with -nic, and what needs the whole command line: which
 * netdev each NIC uses and the MACs of the NICs without mac=.
 *
 * QEMU's default MACs are 52:54:00:12:34:56 and up, taken in the order the
 * NICs are created (-nic first, then -device), skipping the ones a
 * mac= of that range holds. QEMU counts only the last byte: past :ff it
 * hands out :ff again, and an explicit mac= given after a NIC that took the
 * same default is not noticed. sriovm counts on through the whole address
 * (...:34:ff, ...:35:00) and skips every explicit mac=, so that 255 VFs
 * still get distinct addresses; where QEMU's NICs are distinct, the
 * addresses are the same.
 *
 * SR-IOV VFs (sriov-pf=) are NICs like the others here, as in QEMU 11.1:
 * a VF without mac= takes the next default in command-line order, not in
 * VF number order. In QEMU's sriov.rst line the VFs at 0.3, 0.2 and 0.1
 * come first and get ...:56, ...:57 and ...:58 (so VF 1, at 0.1, has
 * ...:58) and the PF gets ...:59. Each VF keeps its address for the VM's
 * life, across every disable and enable.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/internal.h"

#define MAC_DEFAULT	0x525400123456ULL

static unsigned int hex_digit(char ch)
{
	return isdigit((unsigned char)ch) ? (unsigned int)(ch - '0') :
	       (unsigned int)(tolower((unsigned char)ch) - 'a' + 10);
}

/* Six pairs of hex digits, separated by ':' or '-' as QEMU takes them. */
int cli_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -EINVAL;
		if (i < 5 ? s[2] != ':' && s[2] != '-' : s[2] != '\0')
			return -EINVAL;
		mac[i] = (uint8_t)(hex_digit(s[0]) << 4 | hex_digit(s[1]));
	}
	return 0;
}

int cli_nic_mac(struct cli *c, struct kv *kv, const char *ctx, struct pci_dev_config *pd)
{
	static const uint8_t zero[6];
	const char *v = kv_get_str(kv, "mac");

	if (!v)
		return 0;
	if (cli_parse_mac(v, pd->net.mac))
		return cli_error(c, "%s: invalid value '%s' for 'mac' (expected XX:XX:XX:XX:XX:XX)",
				 ctx, v);
	if (pd->net.mac[0] & 1)
		return cli_error(c, "%s: mac=%s is a multicast address (a NIC needs a unicast one)",
				 ctx, v);
	if (!memcmp(pd->net.mac, zero, sizeof(zero)))
		return cli_error(c, "%s: mac=%s: a NIC needs a non-zero address", ctx, v);
	pd->net.mac_set = true;
	return 0;
}

int cli_dev_virtio_net(struct cli *c, struct kv *kv, const char *ctx, const char *id)
{
	/* QEMU's properties for features and layouts sriovm does not offer. */
	static const char *const unsupported[] = {
		"romfile", "rombar", "romsize", "vectors", "ioeventfd", "mq", "rss", "hash",
		"packed", "event_idx", "indirect_desc", "host_mtu", "speed", "duplex", "tx",
		"rx_queue_size", "tx_queue_size", "failover", "failover_pair_id",
		"ats", "aer", "acpi-index", "page-per-vq", "modern-pio-notify",
		"csum", "guest_csum", "gso", "guest_tso4", "guest_tso6", "guest_ecn",
		"guest_ufo", "guest_announce", "host_tso4", "host_tso6", "host_ecn", "host_ufo",
		"mrg_rxbuf", "status", "ctrl_vq", "ctrl_rx", "ctrl_vlan", "ctrl_rx_extra",
		"ctrl_mac_addr", "ctrl_guest_offloads", "any_layout", "notify_on_empty",
		"queue_reset", "x-txtimer", "x-txburst", NULL
	};
	struct pci_dev_config pd = { .kind = PCI_DEV_VIRTIO_NET };
	bool no_legacy = true, no_modern = false;
	const char *netdev;
	int ret;

	ret = cli_kv_refuse(c, kv, ctx, unsupported, "sriovm's virtio-net-pci has fixed features");
	if (ret)
		return ret;
	ret = cli_kv_bool(c, kv, ctx, "disable-legacy", &no_legacy);
	if (ret < 0)
		return ret;
	if (!no_legacy)
		return cli_error(c, "%s: disable-legacy=off: sriovm's virtio-net-pci is "
				 "modern-only (disable-legacy=on)", ctx);
	ret = cli_kv_bool(c, kv, ctx, "disable-modern", &no_modern);
	if (ret < 0)
		return ret;
	if (no_modern)
		return cli_error(c, "%s: disable-modern=on: sriovm's virtio-net-pci is "
				 "modern-only (disable-modern=off)", ctx);

	ret = cli_kv_bool(c, kv, ctx, "iommu_platform", &pd.net.iommu_platform);
	if (ret < 0)
		return ret;
	pd.net.iommu_platform_set = ret > 0;
	ret = cli_kv_bool(c, kv, ctx, "admin-vq", &pd.net.admin_vq);
	if (ret < 0)
		return ret;
	pd.net.admin_vq_set = ret > 0;
	ret = cli_pci_props(c, kv, ctx, &pd);
	if (!ret)
		ret = cli_nic_mac(c, kv, ctx, &pd);
	if (ret)
		goto out;
	netdev = kv_get_str(kv, "netdev");
	if (netdev && !*netdev) {
		ret = cli_error(c, "%s: netdev= needs the id of a -netdev", ctx);
		goto out;
	}
	if (netdev)
		ret = cli_set_str(c, &pd.net.netdev, netdev);
	if (ret)
		goto out;
	return cli_pci_finish(c, kv, ctx, id, &pd);
out:
	cli_pci_release(&pd);
	return ret;
}

/* Each NIC's netdev= names a netdev that exists and no other NIC uses. */
static int cli_resolve_netdevs(struct cli *c, int *user)
{
	const struct vm_config *cfg = c->cfg;
	char name[96], other[96];
	unsigned int i, j, pass;

	for (j = 0; j < cfg->nr_netdevs; j++)
		user[j] = -1;
	for (pass = 0; pass < CLI_PCI_PASSES; pass++) {
		for (i = 0; i < cfg->nr_pci_devs; i++) {
			const struct pci_dev_config *pd = &cfg->pci_devs[i];

			if (pd->kind != PCI_DEV_VIRTIO_NET || !pd->net.netdev ||
			    !cli_pci_in_pass(c, i, pass))
				continue;
			for (j = 0; j < cfg->nr_netdevs; j++) {
				if (!strcmp(cfg->netdevs[j].id, pd->net.netdev))
					break;
			}
			cli_pci_name(c, i, name, sizeof(name));
			if (j == cfg->nr_netdevs)
				return cli_error(c, "%s: netdev '%s' not found (no -netdev "
						 "has that id)", name, pd->net.netdev);
			if (user[j] >= 0)
				return cli_error(c, "%s: netdev '%s' is already used by %s", name,
						 pd->net.netdev,
						 cli_pci_name(c, (unsigned int)user[j], other,
							      sizeof(other)));
			user[j] = (int)i;
		}
	}
	return 0;
}

static uint64_t mac_u64(const uint8_t mac[6])
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 6; i++)
		v = v << 8 | mac[i];
	return v;
}

static bool mac_explicit(const struct vm_config *cfg, uint64_t mac)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_pci_devs; i++) {
		const struct pci_dev_config *pd = &cfg->pci_devs[i];

		if (pd->kind == PCI_DEV_VIRTIO_NET && pd->net.mac_set &&
		    mac_u64(pd->net.mac) == mac)
			return true;
	}
	return false;
}

static void cli_default_macs(struct cli *c)
{
	struct vm_config *cfg = c->cfg;
	uint64_t mac = MAC_DEFAULT;
	unsigned int i, k, pass;

	for (pass = 0; pass < CLI_PCI_PASSES; pass++) {
		for (i = 0; i < cfg->nr_pci_devs; i++) {
			struct pci_dev_config *pd = &cfg->pci_devs[i];

			if (pd->kind != PCI_DEV_VIRTIO_NET || pd->net.mac_set ||
			    !cli_pci_in_pass(c, i, pass))
				continue;
			while (mac_explicit(cfg, mac))
				mac++;
			for (k = 0; k < 6; k++)
				pd->net.mac[k] = (uint8_t)(mac >> (40 - 8 * k));
			mac++;
		}
	}
}

/*
 * Behind a virtio-iommu-pci every virtio device does its DMA through it:
 * iommu_platform=on by default, off refused (QEMU would let such a device
 * bypass the IOMMU the guest programs for it).
 */
static int cli_iommu_platform(struct cli *c)
{
	struct vm_config *cfg = c->cfg;
	char name[96];
	unsigned int i;
	bool iommu = false;

	for (i = 0; i < cfg->nr_pci_devs; i++)
		iommu |= cfg->pci_devs[i].kind == PCI_DEV_VIRTIO_IOMMU;
	for (i = 0; iommu && i < cfg->nr_pci_devs; i++) {
		struct pci_dev_config *pd = &cfg->pci_devs[i];

		if (pd->kind != PCI_DEV_VIRTIO_NET)
			continue;
		if (pd->net.iommu_platform_set && !pd->net.iommu_platform)
			return cli_error(c, "%s: iommu_platform=off: behind the virtio-iommu-pci "
					 "a device does its DMA through it (iommu_platform=on)",
					 cli_pci_name(c, i, name, sizeof(name)));
		pd->net.iommu_platform = true;
	}
	return 0;
}

/*
 * admin-vq: a PF's administration queue serves its VFs (the SR-IOV group),
 * so it is on for every PF unless admin-vq=off, and admin-vq=on needs VFs.
 * After the SR-IOV layouts are known.
 */
int cli_finish_admin_vq(struct cli *c)
{
	struct vm_config *cfg = c->cfg;
	char name[96];
	unsigned int i;

	for (i = 0; i < cfg->nr_pci_devs; i++) {
		struct pci_dev_config *pd = &cfg->pci_devs[i];

		if (pd->kind != PCI_DEV_VIRTIO_NET)
			continue;
		if (!pd->sriov.nr && pd->net.admin_vq_set && pd->net.admin_vq)
			return cli_error(c, "%s: admin-vq=on: the admin queue serves a PF's VFs, "
					 "and this device has none (VFs name its id= in sriov-pf=)",
					 cli_pci_name(c, i, name, sizeof(name)));
		if (!pd->net.admin_vq_set)
			pd->net.admin_vq = pd->sriov.nr > 0;
	}
	return 0;
}

int cli_finish_nics(struct cli *c)
{
	int *user = NULL;
	int ret;

	if (c->cfg->nr_netdevs) {
		user = calloc(c->cfg->nr_netdevs, sizeof(*user));
		if (!user) {
			cli_error(c, "out of memory");
			return -ENOMEM;
		}
	}
	ret = cli_resolve_netdevs(c, user);
	free(user);
	if (!ret)
		cli_default_macs(c);
	return ret ? ret : cli_iommu_platform(c);
}
