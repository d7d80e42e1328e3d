// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <string.h>

#include "pci/config.h"

void pci_config_init(struct pci_config *c, unsigned int size)
{
	assert(size == PCI_CFG_SPACE_SIZE || size == PCI_CFG_SPACE_EXP_SIZE);
	memset(c, 0, sizeof(*c));
	c->size = size;
}

uint32_t pci_config_read(const struct pci_config *c, unsigned int off, unsigned int len)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < len && i < 4; i++) {
		uint8_t b = off + i < c->size ? c->val[off + i] : 0xff;

		v |= (uint32_t)b << (8 * i);
	}
	return v;
}

void pci_config_write(struct pci_config *c, unsigned int off, uint32_t val, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len && i < 4 && off + i < c->size; i++) {
		unsigned int o = off + i;
		uint8_t b = val >> (8 * i);
		uint8_t w1c = c->w1cmask[o];
		/* A RW1C bit is never also plainly writable: writing 0 keeps it. */
		uint8_t wm = c->wmask[o] & ~w1c;

		c->val[o] = (c->val[o] & ~wm) | (b & wm);
		c->val[o] &= ~(b & w1c);
	}
}

void pci_config_set8(struct pci_config *c, unsigned int off, uint8_t v)
{
	assert(off < sizeof(c->val));
	c->val[off] = v;
}

void pci_config_set16(struct pci_config *c, unsigned int off, uint16_t v)
{
	pci_config_set8(c, off, v);
	pci_config_set8(c, off + 1, v >> 8);
}

void pci_config_set32(struct pci_config *c, unsigned int off, uint32_t v)
{
	pci_config_set16(c, off, v);
	pci_config_set16(c, off + 2, v >> 16);
}

uint8_t pci_config_get8(const struct pci_config *c, unsigned int off)
{
	assert(off < sizeof(c->val));
	return c->val[off];
}

uint16_t pci_config_get16(const struct pci_config *c, unsigned int off)
{
	return pci_config_get8(c, off) | pci_config_get8(c, off + 1) << 8;
}

uint32_t pci_config_get32(const struct pci_config *c, unsigned int off)
{
	return pci_config_get16(c, off) | (uint32_t)pci_config_get16(c, off + 2) << 16;
}

void pci_config_set_wmask(struct pci_config *c, unsigned int off, uint32_t mask, unsigned int len)
{
	unsigned int i;

	assert(len <= 4 && off + len <= sizeof(c->wmask));
	for (i = 0; i < len; i++)
		c->wmask[off + i] = mask >> (8 * i);
}

void pci_config_set_w1cmask(struct pci_config *c, unsigned int off, uint32_t mask, unsigned int len)
{
	unsigned int i;

	assert(len <= 4 && off + len <= sizeof(c->w1cmask));
	for (i = 0; i < len; i++)
		c->w1cmask[off + i] = mask >> (8 * i);
}

void pci_config_save_init(struct pci_config *c)
{
	memcpy(c->init, c->val, sizeof(c->init));
}

void pci_config_restore_init(struct pci_config *c)
{
	memcpy(c->val, c->init, sizeof(c->val));
}
