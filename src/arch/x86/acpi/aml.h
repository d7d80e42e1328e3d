/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny AML (ACPI Machine Language) writer: just enough to describe a
 * DSDT's devices and their resource templates.
 *
 * Usage: aml_init() on a caller's buffer, emit terms, close every
 * *_begin() with aml_end(), then aml_finish() returns the byte count or
 * the first error. Errors are sticky, so the emitters return nothing and a
 * builder checks once at the end: -ENOSPC when the buffer was too small,
 * -EINVAL for a malformed name/string/EISA ID or unbalanced nesting,
 * -E2BIG for a package of more than 255 elements.
 *
 * Package lengths and a buffer's size depend on what follows them, so
 * *_begin() only records where the object starts and aml_end() inserts
 * the length prefix once the body is known (moving the body up by the
 * prefix's size). A package counts its elements itself: every data object
 * emitted while a package is the innermost open object is one element.
 */
#ifndef SRIOVM_ARCH_X86_ACPI_AML_H
#define SRIOVM_ARCH_X86_ACPI_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Opcodes and prefixes (ACPI 6.5, 20.2). */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_STRING_PREFIX	0x0d
#define AML_QWORD_PREFIX	0x0e
#define AML_SCOPE_OP		0x10
#define AML_BUFFER_OP		0x11
#define AML_PACKAGE_OP		0x12
#define AML_DUAL_NAME_PREFIX	0x2e
#define AML_MULTI_NAME_PREFIX	0x2f
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82	/* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR		'\\'
#define AML_PARENT_PREFIX_CHAR	'^'
#define AML_NULL_NAME		0x00
#define AML_ONES_OP		0xff

#define AML_NAMESEG_LEN		4
#define AML_PKGLEN_MAX_BYTES	4
#define AML_PKGLEN_MAX		0x0fffffffu	/* 28 bits */
#define AML_PACKAGE_MAX_ELEMS	255		/* PackageOp's NumElements is a byte */
#define AML_MAX_DEPTH		16

/* Resource descriptors (ACPI 6.5, 6.4). Small items: tag byte = type << 3 | length. */
#define AML_RES_IRQ_NOFLAGS	0x22	/* IRQ, 2 data bytes: no flags byte */
#define AML_RES_IO		0x47	/* I/O port, 7 data bytes */
#define AML_RES_END_TAG		0x79	/* End tag, 1 data byte (checksum) */
/* Large items: tag byte, 16-bit data length. */
#define AML_RES_MEMORY32_FIXED	0x86
#define AML_RES_DWORD_ADDRESS	0x87
#define AML_RES_WORD_ADDRESS	0x88
#define AML_RES_QWORD_ADDRESS	0x8a

/* Address space descriptors: resource type. */
#define AML_ADDR_MEMORY		0
#define AML_ADDR_IO		1
#define AML_ADDR_BUS_NUMBER	2
/* ... general flags. Bit 0 clear = producer (a bridge's window). */
#define AML_ADDR_CONSUMER	(1u << 0)
#define AML_ADDR_SUB_DECODE	(1u << 1)
#define AML_ADDR_MIN_FIXED	(1u << 2)
#define AML_ADDR_MAX_FIXED	(1u << 3)
/* ... type-specific flags of an I/O range: _RNG = both ISA and non-ISA. */
#define AML_IO_RANGE_ENTIRE	3
/* ... type-specific flags of a memory range: bit 0 _RW, bits 2:1 _MEM. */
#define AML_MEM_READ_WRITE	(1u << 0)
#define AML_IO_DECODE16		(1u << 0)	/* IO descriptor information byte */

enum aml_mem_cache {
	AML_MEM_NON_CACHEABLE = 0,
	AML_MEM_CACHEABLE = 1,
	AML_MEM_WRITE_COMBINING = 2,
	AML_MEM_PREFETCHABLE = 3,
};

struct aml_open {
	size_t start;		/* first byte of the body, where the prefix goes */
	uint8_t kind;
	unsigned int nelems;	/* packages only */
};

struct aml {
	uint8_t *buf;
	size_t size;
	size_t len;		/* bytes emitted, even past size once -ENOSPC */
	int err;		/* first error, 0 if none */
	unsigned int depth;
	struct aml_open open[AML_MAX_DEPTH];
};

void aml_init(struct aml *a, void *buf, size_t size);
/* Byte count, or the first error (also for objects still open). */
ssize_t aml_finish(const struct aml *a);

/* Raw little-endian data, for table bodies and resource descriptors. */
void aml_byte(struct aml *a, uint8_t v);
void aml_word(struct aml *a, uint16_t v);
void aml_dword(struct aml *a, uint32_t v);
void aml_bytes(struct aml *a, const void *p, size_t n);

/*
 * PkgLength encoding of a length that counts the encoding itself; returns
 * the number of bytes (1-4) written to out, or -EINVAL past 28 bits.
 */
int aml_pkglen_encode(uint8_t out[AML_PKGLEN_MAX_BYTES], uint32_t len);
/* Bytes a PkgLength takes in front of a body of body_len bytes (0 if too big). */
unsigned int aml_pkglen_size(size_t body_len);

/*
 * NameString: "\\" root prefix, "^" parent prefixes, then segments of one
 * to four characters separated by dots, padded with '_' ("_SB" is "_SB_").
 * "\\" alone is the root (a NullName after the prefix).
 */
void aml_name_string(struct aml *a, const char *path);

/* Data objects (each counts as a package element). */
void aml_integer(struct aml *a, uint64_t v);	/* shortest encoding */
void aml_string(struct aml *a, const char *s);	/* ASCII 0x01-0x7f */
/* Compressed EISA ID ("PNP0A08": three letters, four hex digits). */
int aml_eisaid_value(const char *id, uint32_t *out);
void aml_eisaid(struct aml *a, const char *id);

/* Name(path, <data object>): the caller emits the object next. */
void aml_name(struct aml *a, const char *path);

/* Objects with a body, each closed with aml_end(). */
void aml_scope_begin(struct aml *a, const char *path);
void aml_device_begin(struct aml *a, const char *path);
void aml_package_begin(struct aml *a);
void aml_buffer_begin(struct aml *a);
void aml_end(struct aml *a);

/*
 * ResourceTemplate(): a Buffer of resource descriptors closed by an end
 * tag. aml_rt_end() writes the end tag and closes the buffer; with
 * checksum false the tag's checksum is 0 ("assume valid", what iasl
 * emits), else the byte that makes the descriptors sum to zero.
 */
void aml_rt_begin(struct aml *a);
void aml_rt_end(struct aml *a, bool checksum);

void aml_rt_word_bus_number(struct aml *a, uint16_t min, uint16_t max);
/* Fixed 16-bit decoded I/O range, consumed by the device. */
void aml_rt_io(struct aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t len);
/* I/O window produced by a bridge: min..max inclusive. */
void aml_rt_word_io(struct aml *a, uint16_t min, uint16_t max);
/* Read-write memory windows produced by a bridge: min..max inclusive. */
void aml_rt_dword_memory(struct aml *a, uint32_t min, uint32_t max, enum aml_mem_cache cache);
void aml_rt_qword_memory(struct aml *a, uint64_t min, uint64_t max, enum aml_mem_cache cache);
void aml_rt_memory32_fixed(struct aml *a, uint32_t base, uint32_t len, bool read_write);
/* Edge-triggered, active-high ISA IRQ (0-15). */
void aml_rt_irq_noflags(struct aml *a, unsigned int irq);

#endif
