/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vendor, device and class codes that the kernel's UAPI headers do not
 * carry (they live in linux/pci_ids.h, which is not UAPI). Names follow
 * Linux and QEMU so they can be grepped for there.
 */
#ifndef SRIOVM_PCI_IDS_H
#define SRIOVM_PCI_IDS_H

#define PCI_VENDOR_ID_REDHAT_QUMRANET	0x1af4	/* virtio */
#define PCI_VENDOR_ID_REDHAT		0x1b36	/* QEMU's own devices */
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU		0x1100

#define PCI_DEVICE_ID_REDHAT_PCIE_HOST	0x0008	/* not in Linux's mmcfg probe list */
#define PCI_DEVICE_ID_REDHAT_PCIE_RP	0x000c	/* pcie-root-port */

/* Class codes: base class << 8 | subclass (the 16 bits at PCI_CLASS_DEVICE). */
#define PCI_CLASS_NETWORK_ETHERNET	0x0200
#define PCI_CLASS_BRIDGE_HOST		0x0600
#define PCI_CLASS_BRIDGE_PCI		0x0604

#endif
