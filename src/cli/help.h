/* SPDX-License-Identifier: GPL-2.0 */
/* --help, --version and the "help" listings of -device, -netdev, -nic, -machine. */
#ifndef SRIOVM_CLI_HELP_H
#define SRIOVM_CLI_HELP_H

#include <stdio.h>

#include "cli/internal.h"

#ifndef SRIOVM_VERSION
#define SRIOVM_VERSION	"0.1.0"
#endif

void help_usage(FILE *out);
void help_version(FILE *out);
void help_devices(FILE *out);
void help_device_props(FILE *out, const struct cli_device *d);
void help_machines(FILE *out);
void help_netdevs(FILE *out);
void help_netdev_props(FILE *out, const struct cli_netdev *t);
void help_nic_models(FILE *out);

#endif
