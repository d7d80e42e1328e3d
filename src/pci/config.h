/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration space as data: per byte a value, a writable mask and a
 * write-1-to-clear mask. Every guest write goes through one generic path;
 * bits outside both masks (read-only and reserved) never change. A copy of
 * the values taken when the function is finished (pci_config_save_init())
 * is what a reset restores: the masks never change after construction.
 */
#ifndef SRIOVM_PCI_CONFIG_H
#define SRIOVM_PCI_CONFIG_H

#include <stdint.h>

#include <linux/pci_regs.h>

struct pci_config {
	unsigned int size;	/* PCI_CFG_SPACE_SIZE or PCI_CFG_SPACE_EXP_SIZE */
	uint8_t val[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t wmask[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t w1cmask[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t init[PCI_CFG_SPACE_EXP_SIZE];	/* power-on values */
};

void pci_config_init(struct pci_config *c, unsigned int size);
/* Guest view: offsets past size read all-ones, as an unimplemented space does. */
uint32_t pci_config_read(const struct pci_config *c, unsigned int off, unsigned int len);
void pci_config_write(struct pci_config *c, unsigned int off, uint32_t val, unsigned int len);

/* Device-model setters (little-endian, no masks applied). */
void pci_config_set8(struct pci_config *c, unsigned int off, uint8_t v);
void pci_config_set16(struct pci_config *c, unsigned int off, uint16_t v);
void pci_config_set32(struct pci_config *c, unsigned int off, uint32_t v);
uint8_t pci_config_get8(const struct pci_config *c, unsigned int off);
uint16_t pci_config_get16(const struct pci_config *c, unsigned int off);
uint32_t pci_config_get32(const struct pci_config *c, unsigned int off);
void pci_config_set_wmask(struct pci_config *c, unsigned int off, uint32_t mask, unsigned int len);
void pci_config_set_w1cmask(struct pci_config *c, unsigned int off, uint32_t mask, unsigned int len);

/* Power-on values: record the current ones, and put them back (a reset). */
void pci_config_save_init(struct pci_config *c);
void pci_config_restore_init(struct pci_config *c);

#endif
