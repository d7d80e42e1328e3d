// SPDX-License-Identifier: GPL-2.0
/*
 * Tiny AML writer; see aml.h for the model (sticky errors, length
 * prefixes inserted when an object is closed, self-counting packages).
 */
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/aml.h"

enum {
	AML_OPEN_SCOPE = 1,	/* Scope and Device: PkgLength only */
	AML_OPEN_PACKAGE,	/* PkgLength, NumElements */
	AML_OPEN_BUFFER,	/* PkgLength, BufferSize (an integer) */
};

#define AML_INTEGER_MAX_BYTES	9	/* QWordPrefix + 8 bytes */

static void aml_fail(struct aml *a, int err)
{
	if (!a->err)
		a->err = err;
}

void aml_init(struct aml *a, void *buf, size_t size)
{
	memset(a, 0, sizeof(*a));
	a->buf = buf;
	a->size = size;
}

ssize_t aml_finish(const struct aml *a)
{
	if (a->err)
		return a->err;
	if (a->depth)
		return -EINVAL;
	return (ssize_t)a->len;
}

void aml_byte(struct aml *a, uint8_t v)
{
	if (a->len >= a->size)
		aml_fail(a, -ENOSPC);
	else if (!a->err)
		a->buf[a->len] = v;
	a->len++;
}

void aml_word(struct aml *a, uint16_t v)
{
	aml_byte(a, v);
	aml_byte(a, v >> 8);
}

void aml_dword(struct aml *a, uint32_t v)
{
	aml_word(a, v);
	aml_word(a, v >> 16);
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		aml_byte(a, *b++);
}

/* Inserts n bytes at pos, moving what follows up. */
static void aml_insert(struct aml *a, size_t pos, const uint8_t *p, size_t n)
{
	if (a->len + n > a->size)
		aml_fail(a, -ENOSPC);
	if (!a->err) {
		memmove(a->buf + pos + n, a->buf + pos, a->len - pos);
		memcpy(a->buf + pos, p, n);
	}
	a->len += n;
}

/* One more element if the innermost open object is a package. */
static void aml_count_element(struct aml *a)
{
	if (a->depth && a->open[a->depth - 1].kind == AML_OPEN_PACKAGE)
		a->open[a->depth - 1].nelems++;
}

/*
 * PkgLength: one byte holds lengths up to 63 in bits 5:0. Longer ones
 * put the count of following bytes in bits 7:6 and the low nibble in
 * bits 3:0 of the lead byte, then 8 more bits per following byte.
 */
int aml_pkglen_encode(uint8_t out[AML_PKGLEN_MAX_BYTES], uint32_t len)
{
	unsigned int n, i;

	if (len > AML_PKGLEN_MAX)
		return -EINVAL;
	if (len < 0x40) {
		out[0] = len;
		return 1;
	}
	n = len < 0x1000 ? 2 : len < 0x100000 ? 3 : 4;
	out[0] = (n - 1) << 6 | (len & 0xf);
	for (i = 1; i < n; i++)
		out[i] = len >> (4 + 8 * (i - 1));
	return n;
}

unsigned int aml_pkglen_size(size_t body_len)
{
	static const size_t limit[] = { 0x3f, 0xfff, 0xfffff, AML_PKGLEN_MAX };
	unsigned int n;

	/* The length counts its own bytes, so each size is tried with itself. */
	for (n = 1; n <= AML_PKGLEN_MAX_BYTES; n++)
		if (body_len + n <= limit[n - 1])
			return n;
	return 0;
}

static bool aml_nameseg_char(char c, bool lead)
{
	return (c >= 'A' && c <= 'Z') || c == '_' || (!lead && c >= '0' && c <= '9');
}

/* Length of the segment at p (up to '.' or the end), 0 if invalid. */
static size_t aml_nameseg_len(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != '.') {
		if (n == AML_NAMESEG_LEN || !aml_nameseg_char(p[n], n == 0))
			return 0;
		n++;
	}
	return n;
}

void aml_name_string(struct aml *a, const char *path)
{
	const char *p = path, *segs;
	unsigned int nseg = 0;
	size_t n, i;

	if (*p == AML_ROOT_CHAR)
		p++;
	else
		while (*p == AML_PARENT_PREFIX_CHAR)
			p++;
	segs = p;
	/* Validate every segment before emitting anything. */
	while (*p) {
		n = aml_nameseg_len(p);
		if (!n || (p[n] == '.' && !p[n + 1]) || nseg == 255) {
			aml_fail(a, -EINVAL);
			return;
		}
		nseg++;
		p += n + (p[n] == '.');
	}

	aml_bytes(a, path, segs - path);	/* the prefix characters */
	if (nseg == 0)
		aml_byte(a, AML_NULL_NAME);
	else if (nseg == 2)
		aml_byte(a, AML_DUAL_NAME_PREFIX);
	else if (nseg > 2) {
		aml_byte(a, AML_MULTI_NAME_PREFIX);
		aml_byte(a, nseg);
	}
	for (p = segs; *p; p += n + (p[n] == '.')) {
		n = aml_nameseg_len(p);
		aml_bytes(a, p, n);
		for (i = n; i < AML_NAMESEG_LEN; i++)
			aml_byte(a, '_');
	}
}

static unsigned int aml_integer_encode(uint8_t out[AML_INTEGER_MAX_BYTES], uint64_t v)
{
	unsigned int n, i;

	if (v == 0 || v == 1) {
		out[0] = v == 0 ? AML_ZERO_OP : AML_ONE_OP;
		return 1;
	}
	/* Ones is all 64 bits: the DSDT is revision 2, so integers are 64-bit. */
	if (v == UINT64_MAX) {
		out[0] = AML_ONES_OP;
		return 1;
	}
	if (v <= UINT8_MAX) {
		out[0] = AML_BYTE_PREFIX;
		n = 1;
	} else if (v <= UINT16_MAX) {
		out[0] = AML_WORD_PREFIX;
		n = 2;
	} else if (v <= UINT32_MAX) {
		out[0] = AML_DWORD_PREFIX;
		n = 4;
	} else {
		out[0] = AML_QWORD_PREFIX;
		n = 8;
	}
	for (i = 0; i < n; i++)
		out[1 + i] = v >> (8 * i);
	return 1 + n;
}

void aml_integer(struct aml *a, uint64_t v)
{
	uint8_t enc[AML_INTEGER_MAX_BYTES];

	aml_bytes(a, enc, aml_integer_encode(enc, v));
	aml_count_element(a);
}

void aml_string(struct aml *a, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		if ((unsigned char)*p > 0x7f) {
			aml_fail(a, -EINVAL);
			return;
		}
	}
	aml_byte(a, AML_STRING_PREFIX);
	aml_bytes(a, s, p - s + 1);	/* with the NUL */
	aml_count_element(a);
}

static int aml_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A compressed EISA ID is a big-endian 32-bit value: three letters of 5
 * bits each ('A' = 1) in the top 16 bits, the 16-bit product number
 * below. *out holds it as AML stores it (little-endian DWord), so
 * "PNP0A08" is 0x080ad041.
 */
int aml_eisaid_value(const char *id, uint32_t *out)
{
	uint32_t vendor = 0, product = 0, be;
	int i, d;

	if (strlen(id) != 7)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			return -EINVAL;
		vendor = vendor << 5 | (uint32_t)(id[i] - 'A' + 1);
	}
	for (i = 3; i < 7; i++) {
		d = aml_hex_digit(id[i]);
		if (d < 0)
			return -EINVAL;
		product = product << 4 | (uint32_t)d;
	}
	be = vendor << 16 | product;
	*out = (be >> 24) | (be >> 8 & 0xff00) | (be << 8 & 0xff0000) | be << 24;
	return 0;
}

void aml_eisaid(struct aml *a, const char *id)
{
	uint32_t v;

	if (aml_eisaid_value(id, &v)) {
		aml_fail(a, -EINVAL);
		return;
	}
	/* Always a DWord, as ASL compilers emit it. */
	aml_byte(a, AML_DWORD_PREFIX);
	aml_dword(a, v);
	aml_count_element(a);
}

void aml_name(struct aml *a, const char *path)
{
	aml_byte(a, AML_NAME_OP);
	aml_name_string(a, path);
}

static void aml_open(struct aml *a, uint8_t kind)
{
	struct aml_open *o;

	if (a->depth == AML_MAX_DEPTH) {
		aml_fail(a, -EINVAL);
		return;
	}
	o = &a->open[a->depth++];
	o->start = a->len;
	o->kind = kind;
	o->nelems = 0;
}

void aml_scope_begin(struct aml *a, const char *path)
{
	aml_byte(a, AML_SCOPE_OP);
	aml_open(a, AML_OPEN_SCOPE);
	aml_name_string(a, path);
}

void aml_device_begin(struct aml *a, const char *path)
{
	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_DEVICE_OP);
	aml_open(a, AML_OPEN_SCOPE);
	aml_name_string(a, path);
}

void aml_package_begin(struct aml *a)
{
	aml_count_element(a);
	aml_byte(a, AML_PACKAGE_OP);
	aml_open(a, AML_OPEN_PACKAGE);
}

void aml_buffer_begin(struct aml *a)
{
	aml_count_element(a);
	aml_byte(a, AML_BUFFER_OP);
	aml_open(a, AML_OPEN_BUFFER);
}

void aml_end(struct aml *a)
{
	uint8_t prefix[AML_PKGLEN_MAX_BYTES + AML_INTEGER_MAX_BYTES];
	uint8_t extra[AML_INTEGER_MAX_BYTES];
	unsigned int nextra = 0, npkg;
	struct aml_open *o;
	size_t body;

	if (!a->depth) {
		aml_fail(a, -EINVAL);
		return;
	}
	o = &a->open[--a->depth];
	body = a->len - o->start;

	if (o->kind == AML_OPEN_PACKAGE) {
		if (o->nelems > AML_PACKAGE_MAX_ELEMS)
			aml_fail(a, -E2BIG);
		extra[nextra++] = o->nelems;
	} else if (o->kind == AML_OPEN_BUFFER) {
		nextra = aml_integer_encode(extra, body);
	}
	body += nextra;
	npkg = aml_pkglen_size(body);
	if (!npkg) {
		aml_fail(a, -E2BIG);
		return;
	}
	aml_pkglen_encode(prefix, body + npkg);
	memcpy(prefix + npkg, extra, nextra);
	aml_insert(a, o->start, prefix, npkg + nextra);
}

void aml_rt_begin(struct aml *a)
{
	aml_buffer_begin(a);
}

void aml_rt_end(struct aml *a, bool checksum)
{
	uint8_t sum = 0;
	size_t i;

	if (!a->depth || a->open[a->depth - 1].kind != AML_OPEN_BUFFER) {
		aml_fail(a, -EINVAL);
		return;
	}
	aml_byte(a, AML_RES_END_TAG);
	/* The checksum covers every descriptor byte, the end tag's included. */
	if (checksum && !a->err)
		for (i = a->open[a->depth - 1].start; i < a->len; i++)
			sum += a->buf[i];
	aml_byte(a, checksum ? (uint8_t)-sum : 0);
	aml_end(a);
}

/*
 * Word/DWord/QWord address space descriptors share one layout: resource
 * type, general flags, type-specific flags, then granularity, minimum,
 * maximum, translation offset and length, each `width` bytes.
 */
static void aml_rt_address(struct aml *a, uint8_t tag, unsigned int width, uint8_t type,
			   uint8_t type_flags, uint64_t min, uint64_t max)
{
	const uint64_t field[] = { 0, min, max, 0, max - min + 1 };
	unsigned int i, b;

	if (min > max) {
		aml_fail(a, -EINVAL);
		return;
	}
	aml_byte(a, tag);
	aml_word(a, 3 + 5 * width);
	aml_byte(a, type);
	/* A bridge's window: producer, fixed size and place, positive decode. */
	aml_byte(a, AML_ADDR_MIN_FIXED | AML_ADDR_MAX_FIXED);
	aml_byte(a, type_flags);
	for (i = 0; i < 5; i++)
		for (b = 0; b < width; b++)
			aml_byte(a, field[i] >> (8 * b));
}

void aml_rt_word_bus_number(struct aml *a, uint16_t min, uint16_t max)
{
	aml_rt_address(a, AML_RES_WORD_ADDRESS, 2, AML_ADDR_BUS_NUMBER, 0, min, max);
}

void aml_rt_word_io(struct aml *a, uint16_t min, uint16_t max)
{
	aml_rt_address(a, AML_RES_WORD_ADDRESS, 2, AML_ADDR_IO, AML_IO_RANGE_ENTIRE, min, max);
}

void aml_rt_dword_memory(struct aml *a, uint32_t min, uint32_t max, enum aml_mem_cache cache)
{
	aml_rt_address(a, AML_RES_DWORD_ADDRESS, 4, AML_ADDR_MEMORY,
		       cache << 1 | AML_MEM_READ_WRITE, min, max);
}

void aml_rt_qword_memory(struct aml *a, uint64_t min, uint64_t max, enum aml_mem_cache cache)
{
	aml_rt_address(a, AML_RES_QWORD_ADDRESS, 8, AML_ADDR_MEMORY,
		       cache << 1 | AML_MEM_READ_WRITE, min, max);
}

void aml_rt_io(struct aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
	aml_byte(a, AML_RES_IO);
	aml_byte(a, AML_IO_DECODE16);
	aml_word(a, min);
	aml_word(a, max);
	aml_byte(a, align);
	aml_byte(a, len);
}

void aml_rt_memory32_fixed(struct aml *a, uint32_t base, uint32_t len, bool read_write)
{
	aml_byte(a, AML_RES_MEMORY32_FIXED);
	aml_word(a, 9);
	aml_byte(a, read_write ? AML_MEM_READ_WRITE : 0);
	aml_dword(a, base);
	aml_dword(a, len);
}

void aml_rt_irq_noflags(struct aml *a, unsigned int irq)
{
	if (irq > 15) {
		aml_fail(a, -EINVAL);
		return;
	}
	aml_byte(a, AML_RES_IRQ_NOFLAGS);
	aml_word(a, 1u << irq);
}
