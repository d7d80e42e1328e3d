/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's size syntax: "512", "512M", "1.5G", "4096k", "0x1000". Suffixes
 * b, k, M, G, T, P, E (any case) are powers of 1024; a number without one
 * is multiplied by a caller-chosen unit (bytes for most options, MiB for -m).
 */
#ifndef SRIOVM_CLI_SIZE_H
#define SRIOVM_CLI_SIZE_H

#include <stdint.h>

#define SIZE_KiB	(1ULL << 10)
#define SIZE_MiB	(1ULL << 20)
#define SIZE_GiB	(1ULL << 30)
#define SIZE_TiB	(1ULL << 40)

/*
 * Parses str into *bytes. unit (1 .. 1 EiB) applies when there is no suffix.
 * Returns 0, -EINVAL (empty, negative, junk, a hexadecimal number with a
 * fraction or suffix, a fraction that is not a whole number of bytes) or
 * -ERANGE (more than 2^64 - 1 bytes). *bytes is set only on success.
 */
int size_parse(const char *str, uint64_t unit, uint64_t *bytes);

#endif
