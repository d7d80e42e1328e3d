// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual I/O Translation table (VIOT): the virtio-iommu-pci node, and
 * the PCI ranges whose functions are its endpoints, endpoint ID = BDF.
 * Linux reads it at boot (drivers/acpi/viot.c): each function of a range
 * defers its driver until the IOMMU's has bound, then gets an IOMMU group;
 * a VIOT also makes Linux enable ACS. The ranges cover every bus the
 * machine numbers (0..pci_bus_end), so VFs that appear later are in them,
 * and leave out the IOMMU's own function.
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/tables.h"

ssize_t viot_build(const struct acpi_config *cfg, void *buf, size_t size)
{
	struct acpi_viot *v = buf;
	struct acpi_viot_virtio_pci *iommu = (void *)(v + 1);
	struct acpi_viot_pci_range *r = (void *)(iommu + 1);
	uint16_t last = (uint16_t)(cfg->pci_bus_end << 8 | 0xff), bdf = cfg->viommu_bdf;
	unsigned int n = 0;
	size_t len;

	if (!bdf || bdf > last)
		return -EINVAL;
	len = sizeof(*v) + sizeof(*iommu) + 2 * sizeof(*r);
	if (size < len)
		return -ENOSPC;
	memset(v, 0, len);
	iommu->node.type = ACPI_VIOT_NODE_VIRTIO_IOMMU_PCI;
	iommu->node.length = sizeof(*iommu);
	iommu->segment = 0;
	iommu->bdf = bdf;
	/* Below it (the host bridge's slot 0 at least), and above it unless it is last. */
	r[n++] = (struct acpi_viot_pci_range){
		.node = { .type = ACPI_VIOT_NODE_PCI_RANGE, .length = sizeof(*r) },
		.bdf_end = bdf - 1,
		.output_node = sizeof(*v),
	};
	if (bdf < last)
		r[n++] = (struct acpi_viot_pci_range){
			.node = { .type = ACPI_VIOT_NODE_PCI_RANGE, .length = sizeof(*r) },
			.endpoint_start = bdf + 1U,
			.bdf_start = bdf + 1,
			.bdf_end = last,
			.output_node = sizeof(*v),
		};
	len = sizeof(*v) + sizeof(*iommu) + n * sizeof(*r);
	acpi_header_init(&v->header, ACPI_SIG_VIOT, len, ACPI_VIOT_REVISION);
	v->node_count = 1 + n;
	v->node_offset = sizeof(*v);
	acpi_header_finish(&v->header);
	return len;
}
