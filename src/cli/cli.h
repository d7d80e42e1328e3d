/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: a strict subset of QEMU's, parsed into a struct
 * vm_config. An option sriovm does not support is refused by name, never
 * ignored, so a QEMU command line either runs as it would on QEMU or fails
 * saying why.
 */
#ifndef SRIOVM_CLI_CLI_H
#define SRIOVM_CLI_CLI_H

#include <stdio.h>

#include "vmm/config.h"

/*
 * Parses argv into cfg (which it first fills with defaults). Messages go to
 * out (help, version) and err (errors, each naming the option at fault and
 * why, prefixed "sriovm: "). Returns 0: run the VM, and cfg owns copies of
 * its strings until cli_free(); 1: help or version printed, exit 0;
 * -EINVAL (or another -errno): error printed, exit 1. After a non-zero
 * return nothing is left allocated.
 */
int cli_parse(int argc, char **argv, struct vm_config *cfg, FILE *out, FILE *err);

/* Frees the strings cli_parse() stored in cfg; harmless to call twice. */
void cli_free(struct vm_config *cfg);

#endif
