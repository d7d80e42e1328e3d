// SPDX-License-Identifier: GPL-2.0
/*
 * -device virtio-iommu-pci[,id=ID][,addr=SLOT[.FN]][,boot-bypass=on|off][,aw-bits=N]
 *
 * As QEMU: on the root bus only (it translates every function below it),
 * at most one, granule 4 KiB; aw-bits is the input range's width (QEMU's
 * q35 gives 39), boot-bypass what unattached functions do until the
 * driver says otherwise. Every virtio device then does its DMA through it
 * (iommu_platform=on is their default; off is refused).
 */
#include <errno.h>
#include <string.h>

#include "cli/internal.h"

int cli_dev_virtio_iommu(struct cli *c, struct kv *kv, const char *ctx, const char *id)
{
	static const char *const unsupported[] = {
		"reserved-regions", "primary-bus", "romfile", "rombar", "romsize", "vectors",
		"ioeventfd", "iommu_platform", "ats", "aer", "acpi-index", "page-per-vq",
		"packed", "event_idx", "indirect_desc", NULL
	};
	struct pci_dev_config pd = { .kind = PCI_DEV_VIRTIO_IOMMU };
	const struct vm_config *cfg = c->cfg;
	uint64_t aw = 39;
	const char *granule;
	unsigned int i;
	int ret;

	for (i = 0; i < cfg->nr_pci_devs; i++)
		if (cfg->pci_devs[i].kind == PCI_DEV_VIRTIO_IOMMU)
			return cli_error(c, "%s: only one virtio-iommu-pci is supported", ctx);
	ret = cli_kv_refuse(c, kv, ctx, unsupported, "sriovm's virtio-iommu-pci has fixed settings");
	if (ret)
		return ret;
	pd.iommu.boot_bypass = true;
	if (cli_kv_bool(c, kv, ctx, "boot-bypass", &pd.iommu.boot_bypass) < 0 ||
	    cli_kv_uint(c, kv, ctx, "aw-bits", 32, 64, &aw) < 0)
		return -EINVAL;
	granule = kv_get_str(kv, "granule");
	if (granule && strcmp(granule, "4k") && strcmp(granule, "host"))
		return cli_error(c, "%s: granule=%s: sriovm's granule is 4k (granule=4k or host)",
				 ctx, granule);
	pd.iommu.aw_bits = (uint8_t)aw;
	ret = cli_pci_props(c, kv, ctx, &pd);
	if (!ret && pd.bus)
		ret = cli_error(c, "%s: bus=%s: virtio-iommu-pci must be plugged on the root bus "
				"(pcie.0)", ctx, pd.bus);
	if (ret) {
		cli_pci_release(&pd);
		return ret;
	}
	return cli_pci_finish(c, kv, ctx, id, &pd);
}
