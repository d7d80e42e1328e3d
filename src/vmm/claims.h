/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's fixed address ranges: every port and MMIO range that the
 * platform or the command line places (BARs are not here: the guest moves
 * them). One list serves two steps, so they cannot disagree: the check of a
 * machine description, which runs before /dev/kvm is opened so that a
 * conflict is reported the same on every host, and the registration of
 * each boot's handlers.
 */
#ifndef SRIOVM_VMM_CLAIMS_H
#define SRIOVM_VMM_CLAIMS_H

#include <stdbool.h>
#include <stdint.h>

#include "bus/bus.h"
#include "vmm/config.h"

struct vm;

struct vm_claim {
	const char *what;	/* "the serial port COM1", "-device isa-debug-exit" */
	bool user;		/* placed by the command line (its fault on a conflict) */
	bool io;		/* port I/O, else MMIO */
	uint64_t base, size;
	bus_io_fn fn;		/* NULL: served inside KVM, or not a handler of its own */
	void *opaque;
};

#define VM_MAX_CLAIMS	16

/* Fills out[] with cfg's claims (handlers bound to vm, or none if NULL). */
unsigned int vm_claims(const struct vm_config *cfg, struct vm *vm, struct vm_claim *out);
/*
 * 0, or -EBUSY after printing which range of the command line overlaps
 * which: "-device isa-debug-exit: ports 0x3f8-0x3f9 are taken by ...".
 */
int vm_claims_check(const struct vm_config *cfg);
/* Registers the claims that have handlers on vm's port and MMIO buses. */
int vm_claims_register(struct vm *vm);

#endif
