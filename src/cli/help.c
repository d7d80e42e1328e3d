// SPDX-License-Identifier: GPL-2.0
/*
 * Help texts, printed from the option and device tables so that what
 * --help lists and what the parser accepts cannot drift apart.
 */
#include <string.h>

#include "cli/help.h"
#include "vmm/config.h"

#define HELP_COLUMN	32

void help_usage(FILE *out)
{
	const struct cli_option *o;
	int n;

	fputs("Usage: sriovm [options]\n"
	      "Boots a Linux guest on KVM. The options are a subset of QEMU's, spelled\n"
	      "-opt or --opt; an option or property outside it is refused by name.\n"
	      "\n"
	      "Options:\n", out);
	for (o = cli_options; o->name; o++) {
		n = fprintf(out, "  -%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		/* A long synopsis gets its description on a line of its own. */
		if (n >= HELP_COLUMN) {
			fputc('\n', out);
			n = 0;
		}
		fprintf(out, "%*s%s\n", HELP_COLUMN - n, "", o->help);
	}
	fputs("\n"
	      "SIZE takes the suffixes b, k, M, G, T, P, E (powers of 1024).\n"
	      "-nic and -device virtio-net-pci without mac= get 52:54:00:12:34:56 and up,\n"
	      "as in QEMU. -nic's model is virtio-net-pci, also when not given (QEMU's\n"
	      "q35 default is e1000e). -netdev tap runs no scripts: set the tap up\n"
	      "beforehand (QEMU runs /etc/qemu-ifup unless script=no).\n"
	      "Ctrl-A x quits; Ctrl-A Ctrl-A sends Ctrl-A to the guest.\n", out);
}

void help_version(FILE *out)
{
	fputs("sriovm version " SRIOVM_VERSION "\n"
	      "Its command line is a QEMU-compatible subset: what it does not support, it refuses.\n", out);
}

void help_devices(FILE *out)
{
	const struct cli_device *d;

	fputs("Supported -device types (\"-device TYPE,help\" lists properties):\n", out);
	for (d = cli_devices; d->name; d++)
		fprintf(out, "  %-24s%s\n", d->name, d->help);
}

void help_device_props(FILE *out, const struct cli_device *d)
{
	fprintf(out, "%s properties:\n%s", d->name, d->props);
}

void help_machines(FILE *out)
{
	fputs("Supported machines:\n"
	      "  q35      PCI Express machine (ECAM, ACPI), the only one\n", out);
}

void help_netdevs(FILE *out)
{
	const struct cli_netdev *t;

	fputs("Supported -netdev types (\"-netdev TYPE,help\" lists properties):\n", out);
	for (t = cli_netdevs; t->name; t++)
		fprintf(out, "  %-24s%s\n", t->name, t->help);
}

void help_netdev_props(FILE *out, const struct cli_netdev *t)
{
	fprintf(out, "-netdev %s,id=ID properties:\n%s", t->name, t->props);
}

void help_nic_models(FILE *out)
{
	fputs("Supported NIC models (-nic model=):\n"
	      "  virtio-net-pci          also spelled virtio; the default\n", out);
}
