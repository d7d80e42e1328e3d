// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's size syntax, parsed with integer arithmetic only.
 *
 * QEMU goes through a double for fractions and rounds to the nearest byte;
 * sriovm refuses a fraction that does not come out as a whole number of
 * bytes instead, so "1.5G" works and "0.1k" (102.4 bytes) is an error rather
 * than a silent rounding.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "cli/size.h"

/* 1 EiB: with 10 * unit below 2^64, the fraction arithmetic cannot wrap. */
#define SIZE_UNIT_MAX	(1ULL << 60)

static uint64_t size_suffix(char c)
{
	switch (tolower((unsigned char)c)) {
	case 'b':
		return 1;
	case 'k':
		return 1ULL << 10;
	case 'm':
		return 1ULL << 20;
	case 'g':
		return 1ULL << 30;
	case 't':
		return 1ULL << 40;
	case 'p':
		return 1ULL << 50;
	case 'e':
		return 1ULL << 60;
	}
	return 0;
}

/* Decimal digits into *val; returns how many there were, or -ERANGE. */
static int size_digits(const char **p, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	for (; isdigit((unsigned char)*s); s++, n++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return -ERANGE;
	}
	*p = s;
	*val = v;
	return n;
}

/*
 * The fraction digits frac[0..n) times mul, which must come out whole.
 * Horner's rule from the last digit: t = (digit * mul + t) / 10. Each t is
 * mul times the value of a tail of the fraction, which is itself a whole
 * number whenever the full product is (it differs from 10^k times the full
 * product by a multiple of mul), so a remainder at any step means the
 * result is not a whole number of bytes. t stays below mul, so
 * digit * mul + t < 10 * mul never wraps.
 */
static int size_fraction(const char *frac, int n, uint64_t mul, uint64_t *val)
{
	uint64_t t = 0;

	while (n--) {
		t += (uint64_t)(frac[n] - '0') * mul;
		if (t % 10)
			return -EINVAL;
		t /= 10;
	}
	*val = t;
	return 0;
}

static int size_parse_hex(const char *str, uint64_t unit, uint64_t *bytes)
{
	unsigned long long v;
	uint64_t b;
	char *end;

	/* strtoull would take a sign or spaces after "0x"; we do not. */
	if (!isxdigit((unsigned char)str[2]))
		return -EINVAL;
	errno = 0;
	v = strtoull(str, &end, 16);
	if (errno == ERANGE)
		return -ERANGE;
	/* As in QEMU, a hexadecimal size takes neither fraction nor suffix. */
	if (*end)
		return -EINVAL;
	if (__builtin_mul_overflow((uint64_t)v, unit, &b))
		return -ERANGE;
	*bytes = b;
	return 0;
}

int size_parse(const char *str, uint64_t unit, uint64_t *bytes)
{
	const char *p = str, *frac = NULL;
	uint64_t ival, fval = 0, mul, v;
	int nint, nfrac = 0, ret;

	if (!str || unit == 0 || unit > SIZE_UNIT_MAX)
		return -EINVAL;
	if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X'))
		return size_parse_hex(str, unit, bytes);

	nint = size_digits(&p, &ival);
	if (nint < 0)
		return nint;
	if (*p == '.') {
		frac = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		nfrac = (int)(p - frac);
	}
	/* Catches "", "-1", "+1", " 1", "." and "k". */
	if (nint + nfrac == 0)
		return -EINVAL;

	mul = *p ? size_suffix(*p) : 0;
	if (mul)
		p++;
	else
		mul = unit;
	if (*p)
		return -EINVAL;

	if (nfrac) {
		ret = size_fraction(frac, nfrac, mul, &fval);
		if (ret)
			return ret;
	}
	if (__builtin_mul_overflow(ival, mul, &v) || __builtin_add_overflow(v, fval, &v))
		return -ERANGE;
	*bytes = v;
	return 0;
}
