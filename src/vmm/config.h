/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine description: what the command line asked for, checked and
 * typed. The cli layer fills it in; the vmm layer builds a VM from it and
 * never looks at argv.
 */
#ifndef SRIOVM_VMM_CONFIG_H
#define SRIOVM_VMM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define VM_DEFAULT_RAM		(512ULL << 20)	/* QEMU's default is 128M; Debian needs more */
#define VM_MIN_RAM		(32ULL << 20)
#define VM_MAX_CPUS		64

enum serial_kind {
	SERIAL_STDIO,		/* default, and -nographic */
	SERIAL_FILE,		/* -serial file:PATH */
	SERIAL_NONE,		/* -serial none */
};

struct debug_exit_config {
	bool present;
	uint16_t iobase;	/* QEMU default 0x501 */
	uint16_t iosize;	/* QEMU default 0x02 */
};

struct vm_config {
	uint64_t ram_size;		/* bytes, from -m */
	unsigned int ncpus;		/* -smp */
	const char *kernel;		/* -kernel, required */
	const char *initrd;		/* -initrd, may be NULL */
	const char *append;		/* -append, may be NULL */
	const char *name;		/* -name, informational */

	enum serial_kind serial;
	const char *serial_path;	/* SERIAL_FILE only */

	bool no_reboot;			/* -no-reboot: a guest reset exits */
	struct debug_exit_config debug_exit;
};

#endif
