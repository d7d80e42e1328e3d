// SPDX-License-Identifier: GPL-2.0
/*
 * acpi_build(): lays the tables out in the caller's buffer.
 *
 *   gpa + 0   RSDP -> XSDT
 *             DSDT
 *             FADT -> DSDT
 *             MADT
 *             MCFG
 *             VIOT (with a virtio-iommu)
 *             XSDT -> FADT, MADT, MCFG[, VIOT]
 *
 * Each table starts 16-byte aligned and is built after the ones it
 * points to, so every builder can finish its checksum at once; only the
 * RSDP's slot is reserved up front, since it must sit at gpa.
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/acpi/tables.h"

enum { XSDT_FADT, XSDT_MADT, XSDT_MCFG, XSDT_VIOT, XSDT_NR };

/* The part of the buffer used so far; the first error sticks. */
struct acpi_space {
	uint8_t *buf;
	size_t size;
	size_t used;
	uint64_t gpa;
	int err;
};

/* Aligns the next table's start and returns its guest-physical address. */
static uint64_t acpi_space_begin(struct acpi_space *s)
{
	size_t next = (s->used + ACPI_TABLE_ALIGN - 1) & ~(size_t)(ACPI_TABLE_ALIGN - 1);

	if (next > s->size) {
		if (!s->err)
			s->err = -ENOSPC;
		return 0;
	}
	memset(s->buf + s->used, 0, next - s->used);
	s->used = next;
	return s->gpa + next;
}

static void *acpi_space_next(const struct acpi_space *s)
{
	return s->buf + s->used;
}

static size_t acpi_space_left(const struct acpi_space *s)
{
	return s->size - s->used;
}

/* Accounts for what a builder returned: a length or an error. */
static void acpi_space_end(struct acpi_space *s, ssize_t len)
{
	if (len < 0) {
		if (!s->err)
			s->err = len;
		return;
	}
	s->used += len;
}

static int acpi_config_check(const struct acpi_config *cfg, uint64_t gpa)
{
	if (!cfg->ncpus || cfg->ncpus > ACPI_MAX_CPUS)
		return -EINVAL;
	if (cfg->mmio64_size && cfg->mmio64_base + cfg->mmio64_size - 1 < cfg->mmio64_base)
		return -EINVAL;
	/* Linux's RSDP scan only looks at 16-byte boundaries. */
	if (gpa % ACPI_TABLE_ALIGN)
		return -EINVAL;
	return 0;
}

ssize_t acpi_build(const struct acpi_config *cfg, void *buf, size_t size, uint64_t gpa)
{
	struct acpi_space s = { .buf = buf, .size = size, .gpa = gpa };
	uint64_t tables[XSDT_NR], dsdt, xsdt;
	int ret;

	ret = acpi_config_check(cfg, gpa);
	if (ret)
		return ret;

	/* The RSDP's slot: written last, once the XSDT's address is known. */
	acpi_space_end(&s, size < sizeof(struct acpi_rsdp) ? -ENOSPC :
			   (ssize_t)sizeof(struct acpi_rsdp));

	dsdt = acpi_space_begin(&s);
	acpi_space_end(&s, dsdt_build(cfg, acpi_space_next(&s), acpi_space_left(&s)));

	tables[XSDT_FADT] = acpi_space_begin(&s);
	acpi_space_end(&s, fadt_build(dsdt, acpi_space_next(&s), acpi_space_left(&s)));

	tables[XSDT_MADT] = acpi_space_begin(&s);
	acpi_space_end(&s, madt_build(cfg->ncpus, acpi_space_next(&s), acpi_space_left(&s)));

	tables[XSDT_MCFG] = acpi_space_begin(&s);
	acpi_space_end(&s, mcfg_build(cfg, acpi_space_next(&s), acpi_space_left(&s)));

	if (cfg->viommu) {
		tables[XSDT_VIOT] = acpi_space_begin(&s);
		acpi_space_end(&s, viot_build(cfg, acpi_space_next(&s), acpi_space_left(&s)));
	}

	xsdt = acpi_space_begin(&s);
	acpi_space_end(&s, xsdt_build(tables, cfg->viommu ? XSDT_NR : XSDT_VIOT,
				      acpi_space_next(&s), acpi_space_left(&s)));
	if (s.err)
		return s.err;

	rsdp_build(xsdt, buf, size);
	return s.used;
}
