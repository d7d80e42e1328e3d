// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: every option filling the machine description, and
 * every refusal naming the option (and property) at fault.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "cli/internal.h"
#include "cli/size.h"

#define MAX_WORDS	40

/* One cli_parse() run, with what it printed. */
struct run {
	struct vm_config cfg;
	char *argv[MAX_WORDS + 2];
	int ret;
	char *out, *err;
	size_t out_len, err_len;
};

static struct run r;

static void run_words(const char *const *words)
{
	FILE *out, *err;
	int argc = 0;

	r.argv[argc++] = "sriovm";
	for (; *words; words++) {
		assert_true(argc <= MAX_WORDS);
		r.argv[argc++] = (char *)*words;
	}
	r.argv[argc] = NULL;
	out = open_memstream(&r.out, &r.out_len);
	err = open_memstream(&r.err, &r.err_len);
	assert_non_null(out);
	assert_non_null(err);
	memset(&r.cfg, 0xa5, sizeof(r.cfg));	/* cli_parse must set every field */
	r.ret = cli_parse(argc, r.argv, &r.cfg, out, err);
	fclose(out);
	fclose(err);
}

static int teardown(void **state)
{
	if (!r.ret)
		cli_free(&r.cfg);
	free(r.out);
	free(r.err);
	memset(&r, 0, sizeof(r));
	return 0;
}

#define RUN(...)	run_words((const char *[]){ __VA_ARGS__, NULL })

/* A successful parse: 0, nothing printed. -kernel is added for brevity. */
#define OK(...)							\
	do {							\
		run_words((const char *[]){ "-kernel", "bzImage", __VA_ARGS__, NULL }); \
		assert_ok();					\
	} while (0)

static void assert_ok(void)
{
	if (r.ret)
		print_error("cli_parse: %d: %s", r.ret, r.err);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.err_len, 0);
	assert_int_equal(r.out_len, 0);
}

/* Help printed: 1, text on out (containing what), nothing on err or in cfg. */
static void assert_help(const char *what)
{
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.err_len, 0);
	assert_non_null(strstr(r.out, what));
	assert_null(r.cfg.kernel);
}

/* ---- defaults and good parses ---- */

static void test_defaults(void **state)
{
	OK("-no-reboot");	/* OK() needs one word after -kernel */
	assert_int_equal(r.cfg.ram_size, VM_DEFAULT_RAM);
	assert_int_equal(r.cfg.ncpus, 1);
	assert_string_equal(r.cfg.kernel, "bzImage");
	assert_null(r.cfg.initrd);
	assert_null(r.cfg.append);
	assert_null(r.cfg.name);
	assert_int_equal(r.cfg.serial, SERIAL_STDIO);
	assert_null(r.cfg.serial_path);
	assert_false(r.cfg.debug_exit.present);
}

static void test_kernel_only(void **state)
{
	RUN("-kernel", "/boot/vmlinuz");
	assert_ok();
	assert_string_equal(r.cfg.kernel, "/boot/vmlinuz");
	assert_false(r.cfg.no_reboot);
	/* A copy: cfg does not depend on argv. */
	assert_ptr_not_equal(r.cfg.kernel, r.argv[2]);
}

static void test_boot_strings(void **state)
{
	OK("-initrd", "initrd.img", "-append", "console=ttyS0 quiet,x=1", "-name", "vm1");
	assert_string_equal(r.cfg.initrd, "initrd.img");
	/* -append is a plain string: commas stay as they are. */
	assert_string_equal(r.cfg.append, "console=ttyS0 quiet,x=1");
	assert_string_equal(r.cfg.name, "vm1");
}

static void test_append_empty(void **state)
{
	OK("-append", "");
	assert_string_equal(r.cfg.append, "");
}

static void test_repeated_options_last_wins(void **state)
{
	OK("-kernel", "second", "-append", "a", "-append", "b", "-m", "1G", "-m", "2G",
	   "-smp", "2", "-smp", "3", "-initrd", "i1", "-initrd", "i2");
	assert_string_equal(r.cfg.kernel, "second");
	assert_string_equal(r.cfg.append, "b");
	assert_string_equal(r.cfg.initrd, "i2");
	assert_int_equal(r.cfg.ram_size, 2 * SIZE_GiB);
	assert_int_equal(r.cfg.ncpus, 3);
}

static void test_double_dash(void **state)
{
	RUN("--kernel", "k", "--m", "1G", "--smp", "2", "--nographic", "--no-reboot",
	    "--device", "isa-debug-exit", "--machine", "q35", "--enable-kvm");
	assert_ok();
	assert_string_equal(r.cfg.kernel, "k");
	assert_int_equal(r.cfg.ram_size, SIZE_GiB);
	assert_int_equal(r.cfg.ncpus, 2);
	assert_true(r.cfg.no_reboot);
	assert_true(r.cfg.debug_exit.present);
}

static void test_m(void **state)
{
	static const struct {
		const char *arg;
		uint64_t bytes;
	} t[] = {
		{ "1G", SIZE_GiB },
		{ "2048", 2 * SIZE_GiB },		/* a bare number is MiB */
		{ "size=1G", SIZE_GiB },
		{ "1.5G", 3 * SIZE_GiB / 2 },
		{ "65536k", 64 * SIZE_MiB },
		{ "32M", 32 * SIZE_MiB },		/* VM_MIN_RAM */
		{ "33554432b", 32 * SIZE_MiB },
		{ "0x40", 64 * SIZE_MiB },
		{ "1T", SIZE_TiB },			/* the maximum */
		{ "1024g", SIZE_TiB },
		{ "100001k", 102408192 },		/* rounded up to 8 KiB, as QEMU does */
		{ "size=32.5", 32 * SIZE_MiB + 512 * SIZE_KiB },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		OK("-m", t[i].arg);
		assert_int_equal(r.cfg.ram_size, t[i].bytes);
		teardown(NULL);
	}
}

static void test_smp(void **state)
{
	static const struct {
		const char *arg;
		unsigned int n;
	} t[] = {
		{ "4", 4 },
		{ "1", 1 },
		{ "64", VM_MAX_CPUS },
		{ "cpus=2", 2 },
		{ "4,sockets=1,cores=4,threads=1", 4 },
		{ "cpus=4,maxcpus=4", 4 },
		{ "4,cores=4", 4 },
		{ "4,sockets=1", 4 },
		{ "4,threads=1", 4 },
		{ "cores=8", 8 },			/* cpus from the topology */
		{ "sockets=1,cores=6,threads=1", 6 },
		{ "maxcpus=3", 3 },			/* cpus from maxcpus */
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		OK("-smp", t[i].arg);
		assert_int_equal(r.cfg.ncpus, t[i].n);
		teardown(NULL);
	}
}

static void test_name(void **state)
{
	static const struct {
		const char *arg;
		const char *name;
	} t[] = {
		{ "foo", "foo" },
		{ "guest=foo", "foo" },
		{ "my,,vm", "my,vm" },			/* ",," is an escaped comma */
		{ "guest=a,,b,,", "a,b," },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		OK("-name", t[i].arg);
		assert_string_equal(r.cfg.name, t[i].name);
		teardown(NULL);
	}
}

static void test_serial(void **state)
{
	OK("-serial", "stdio");
	assert_int_equal(r.cfg.serial, SERIAL_STDIO);
	teardown(NULL);
	OK("-serial", "none");
	assert_int_equal(r.cfg.serial, SERIAL_NONE);
	teardown(NULL);
	OK("-serial", "null");
	assert_int_equal(r.cfg.serial, SERIAL_NONE);
	teardown(NULL);
	OK("-serial", "file:/tmp/serial.log");
	assert_int_equal(r.cfg.serial, SERIAL_FILE);
	assert_string_equal(r.cfg.serial_path, "/tmp/serial.log");
	teardown(NULL);
	/* Everything after "file:" is the path, colons and commas included. */
	OK("-serial", "file:a:b,c");
	assert_string_equal(r.cfg.serial_path, "a:b,c");
}

static void test_nographic(void **state)
{
	OK("-nographic");
	assert_int_equal(r.cfg.serial, SERIAL_STDIO);
	teardown(NULL);
	/* -serial wins over -nographic, in either order. */
	OK("-serial", "none", "-nographic");
	assert_int_equal(r.cfg.serial, SERIAL_NONE);
	teardown(NULL);
	OK("-nographic", "-serial", "file:log");
	assert_int_equal(r.cfg.serial, SERIAL_FILE);
	assert_string_equal(r.cfg.serial_path, "log");
}

static void test_display(void **state)
{
	OK("-display", "none");
	teardown(NULL);
	OK("-display", "type=none", "-nographic");
}

static void test_no_reboot(void **state)
{
	OK("-no-reboot");
	assert_true(r.cfg.no_reboot);
}

static void test_machine(void **state)
{
	static const char *const t[][2] = {
		{ "-machine", "q35" },
		{ "-machine", "type=q35" },
		{ "-machine", "q35,accel=kvm" },
		{ "-machine", "type=q35,accel=kvm" },
		{ "-machine", "accel=kvm" },
		{ "-M", "q35" },
		{ "-M", "q35,accel=kvm" },
		{ "--machine", "q35" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		OK(t[i][0], t[i][1]);
		teardown(NULL);
	}
}

static void test_accel_cpu(void **state)
{
	OK("-accel", "kvm");
	teardown(NULL);
	OK("-accel", "accel=kvm");
	teardown(NULL);
	OK("-enable-kvm");
	teardown(NULL);
	OK("-cpu", "host");
	teardown(NULL);
	OK("-enable-kvm", "-accel", "kvm", "-machine", "q35,accel=kvm", "-cpu", "host");
}

static void test_debug_exit_defaults(void **state)
{
	OK("-device", "isa-debug-exit");
	assert_true(r.cfg.debug_exit.present);
	assert_int_equal(r.cfg.debug_exit.iobase, 0x501);
	assert_int_equal(r.cfg.debug_exit.iosize, 0x02);
}

static void test_debug_exit_props(void **state)
{
	static const struct {
		const char *arg;
		uint16_t iobase, iosize;
	} t[] = {
		{ "isa-debug-exit,iobase=0xf4,iosize=0x04", 0xf4, 4 },
		{ "isa-debug-exit,iobase=244,iosize=1", 0xf4, 1 },
		{ "isa-debug-exit,iobase=0364", 0xf4, 2 },		/* C syntax: octal */
		{ "isa-debug-exit,iosize=4", 0x501, 4 },
		{ "isa-debug-exit,iosize=0x10", 0x501, 0x10 },	/* a range, not a width */
		{ "driver=isa-debug-exit,iobase=0xf4", 0xf4, 2 },
		{ "isa-debug-exit,id=exit0,iobase=0xf4", 0xf4, 2 },
		{ "isa-debug-exit,iobase=0xfffc,iosize=4", 0xfffc, 4 },	/* the last ports */
		{ "isa-debug-exit,iobase=0,iosize=0xffff", 0, 0xffff },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		OK("-device", t[i].arg);
		assert_true(r.cfg.debug_exit.present);
		assert_int_equal(r.cfg.debug_exit.iobase, t[i].iobase);
		assert_int_equal(r.cfg.debug_exit.iosize, t[i].iosize);
		teardown(NULL);
	}
}

/* A line as a QEMU user writes it for a test guest. */
static void test_qemu_line(void **state)
{
	RUN("-M", "q35", "-accel", "kvm", "-cpu", "host", "-m", "1G", "-smp", "2",
	    "-kernel", "bzImage", "-initrd", "initrd.cpio.gz",
	    "-append", "console=ttyS0 quiet panic=-1", "-nographic", "-no-reboot",
	    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-display", "none",
	    "-name", "guest=t1", "-serial", "stdio");
	assert_ok();
	assert_int_equal(r.cfg.ram_size, SIZE_GiB);
	assert_int_equal(r.cfg.ncpus, 2);
	assert_string_equal(r.cfg.kernel, "bzImage");
	assert_string_equal(r.cfg.initrd, "initrd.cpio.gz");
	assert_string_equal(r.cfg.append, "console=ttyS0 quiet panic=-1");
	assert_string_equal(r.cfg.name, "t1");
	assert_int_equal(r.cfg.serial, SERIAL_STDIO);
	assert_true(r.cfg.no_reboot);
	assert_true(r.cfg.debug_exit.present);
	assert_int_equal(r.cfg.debug_exit.iobase, 0xf4);
	assert_int_equal(r.cfg.debug_exit.iosize, 4);
}

static void test_cli_free_twice(void **state)
{
	OK("-name", "n", "-initrd", "i", "-serial", "file:f", "-append", "a");
	cli_free(&r.cfg);
	assert_null(r.cfg.kernel);
	assert_null(r.cfg.initrd);
	assert_null(r.cfg.append);
	assert_null(r.cfg.name);
	assert_null(r.cfg.serial_path);
	cli_free(&r.cfg);
}

/* ---- help and version ---- */

static void test_help(void **state)
{
	static const char *const spellings[] = { "-h", "-help", "--help", "--h" };
	unsigned int i;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		RUN(spellings[i]);
		assert_help("Usage: sriovm");
		teardown(NULL);
	}
}

/* --help lists every option the parser takes, each with a description. */
static void test_help_lists_every_option(void **state)
{
	const struct cli_option *o;
	char line[128];

	RUN("--help");
	assert_help("Usage");
	for (o = cli_options; o->name; o++) {
		snprintf(line, sizeof(line), "\n  -%s%s", o->name, o->arg ? " " : "");
		if (!strstr(r.out, line))
			print_error("--help does not list -%s\n", o->name);
		assert_non_null(strstr(r.out, line));
		assert_non_null(o->help);
		assert_non_null(strstr(r.out, o->help));
	}
}

static void test_version(void **state)
{
	RUN("-version");
	assert_help("sriovm version " SRIOVM_VERSION "\n");
	assert_non_null(strstr(r.out, "QEMU-compatible"));
	teardown(NULL);
	RUN("--version");
	assert_help("sriovm version ");
}

/* help stops the parse: what came before is freed, what follows unread. */
static void test_help_stops_parsing(void **state)
{
	RUN("-kernel", "k", "-name", "n", "--help", "-bogus");
	assert_help("Usage");
	assert_null(r.cfg.name);
	teardown(NULL);
	/* ...and needs no -kernel. */
	RUN("-m", "1G", "-version");
	assert_help("sriovm version");
}

static void test_device_help(void **state)
{
	RUN("-device", "help");
	assert_help("isa-debug-exit");
	teardown(NULL);
	RUN("-device", "?");
	assert_help("isa-debug-exit");
	teardown(NULL);
	RUN("-device", "isa-debug-exit,help");
	assert_help("iobase=");
	assert_non_null(strstr(r.out, "iosize="));
	teardown(NULL);
	RUN("-device", "isa-debug-exit,iobase=1,?");
	assert_help("iobase=");
}

/* -device help lists every type of the table. */
static void test_device_help_lists_every_type(void **state)
{
	const struct cli_device *d;

	RUN("-device", "help");
	assert_help("Supported -device types");
	for (d = cli_devices; d->name; d++) {
		assert_non_null(strstr(r.out, d->name));
		assert_non_null(strstr(r.out, d->help));
	}
}

static void test_machine_help(void **state)
{
	RUN("-machine", "help");
	assert_help("q35");
	teardown(NULL);
	RUN("-M", "?");
	assert_help("q35");
}

/* ---- refusals ---- */

struct bad {
	const char *words[12];
	const char *msg;	/* what the error line must contain */
};

#define K	"-kernel", "k"

static const struct bad bad_cases[] = {
	/* the option loop */
	{ { "-foo" }, "sriovm: -foo: unsupported option\n" },
	{ { K, "--foo" }, "sriovm: --foo: unsupported option\n" },
	{ { K, "-netdev", "user,id=n0" }, "sriovm: -netdev: unsupported option\n" },
	{ { K, "-hda", "disk.img" }, "sriovm: -hda: unsupported option\n" },
	{ { K, "---m", "1G" }, "sriovm: ---m: unsupported option\n" },
	{ { K, "--m=1G" }, "sriovm: --m=1G: unsupported option\n" },
	{ { K, "-M=q35" }, "sriovm: -M=q35: unsupported option\n" },
	{ { K, "-Kernel", "k" }, "sriovm: -Kernel: unsupported option\n" },
	{ { K, "disk.img" }, "sriovm: 'disk.img': unexpected argument" },
	{ { K, "-" }, "sriovm: '-': unexpected argument" },
	{ { K, "" }, "sriovm: '': unexpected argument" },
	{ { K, "-m" }, "sriovm: -m: missing argument\n" },
	{ { K, "--smp" }, "sriovm: -smp: missing argument\n" },
	{ { "-kernel" }, "sriovm: -kernel: missing argument\n" },
	{ { K, "-device" }, "sriovm: -device: missing argument\n" },
	{ { K, "-serial" }, "sriovm: -serial: missing argument\n" },
	{ { K, "-append" }, "sriovm: -append: missing argument\n" },
	{ { K, "-M" }, "sriovm: -M: missing argument\n" },
	{ { 0 }, "sriovm: no -kernel given" },
	{ { "-m", "1G", "-initrd", "i" }, "sriovm: no -kernel given" },
	/* -kernel, -initrd, -name */
	{ { "-kernel", "" }, "sriovm: -kernel: empty path" },
	{ { K, "-initrd", "" }, "sriovm: -initrd: empty path" },
	{ { K, "-name", "guest=a,process=b" }, "sriovm: -name: unknown property 'process'" },
	{ { K, "-name", "a,debug-threads=on" }, "sriovm: -name: unknown property 'debug-threads'" },
	{ { K, "-name", "a,guest=b" }, "sriovm: -name: property 'guest' given twice" },
	{ { K, "-name", "a," }, "sriovm: -name: empty item" },
	/* -m */
	{ { K, "-m", "16M" }, "sriovm: -m: 16M is below the minimum of 32M" },
	{ { K, "-m", "31" }, "sriovm: -m: 31 is below the minimum of 32M" },
	{ { K, "-m", "0" }, "sriovm: -m: 0 is below the minimum" },
	{ { K, "-m", "2T" }, "sriovm: -m: 2T is above the maximum of 1T" },
	{ { K, "-m", "1025G" }, "sriovm: -m: 1025G is above the maximum" },
	{ { K, "-m", "1T1" }, "sriovm: -m: invalid size '1T1'" },
	{ { K, "-m", "abc" }, "sriovm: -m: invalid size 'abc'" },
	{ { K, "-m", "-1" }, "sriovm: -m: invalid size '-1'" },
	{ { K, "-m", "512MB" }, "sriovm: -m: invalid size '512MB'" },
	{ { K, "-m", "1.5b" }, "sriovm: -m: invalid size '1.5b'" },
	{ { K, "-m", "0.3k" }, "sriovm: -m: invalid size '0.3k'" },
	{ { K, "-m", "size=" }, "sriovm: -m: invalid size ''" },
	{ { K, "-m", "16E" }, "sriovm: -m: invalid size '16E' (too large)" },
	{ { K, "-m", "99999999999999999999" }, "(too large)" },
	{ { K, "-m", "" }, "sriovm: -m: no size given" },
	{ { K, "-m", "1G,slots=2" },
	  "sriovm: -m: unsupported property 'slots' (sriovm has no memory hotplug)" },
	{ { K, "-m", "1G,slots=2,maxmem=4G" }, "sriovm: -m: unsupported property 'slots'" },
	{ { K, "-m", "size=1G,maxmem=4G" }, "sriovm: -m: unsupported property 'maxmem'" },
	{ { K, "-m", "size=1G,foo=1" }, "sriovm: -m: unknown property 'foo'" },
	{ { K, "-m", "foo=1" }, "sriovm: -m: unknown property 'foo'" },
	{ { K, "-m", "1G,size=2G" }, "sriovm: -m: property 'size' given twice" },
	{ { K, "-m", "1G," }, "sriovm: -m: empty item" },
	{ { K, "-m", "1G,2G" }, "sriovm: -m: '2G' needs a value" },
	/* -smp */
	{ { K, "-smp", "0" }, "sriovm: -smp: invalid value '0' for 'cpus' (expected 1..64)" },
	{ { K, "-smp", "65" }, "sriovm: -smp: invalid value '65' for 'cpus' (expected 1..64)" },
	{ { K, "-smp", "abc" }, "sriovm: -smp: invalid value 'abc' for 'cpus' (expected a number)" },
	{ { K, "-smp", "-1" }, "sriovm: -smp: invalid value '-1' for 'cpus'" },
	{ { K, "-smp", "" }, "sriovm: -smp: no number of vCPUs given" },
	{ { K, "-smp", "4,maxcpus=8" },
	  "sriovm: -smp: maxcpus=8 differs from cpus=4 (sriovm has no CPU hotplug)" },
	{ { K, "-smp", "maxcpus=8,cpus=2" }, "(sriovm has no CPU hotplug)" },
	{ { K, "-smp", "4,sockets=1,cores=2,threads=1" },
	  "sriovm: -smp: sockets (1) * cores (2) * threads (1) = 2, not cpus (4)" },
	{ { K, "-smp", "5,cores=2" }, "= 2, not cpus (5)" },
	{ { K, "-smp", "4,sockets=2,cores=2" },
	  "sriovm: -smp: sockets=2,threads=1: sriovm presents its vCPUs as cores of one socket" },
	{ { K, "-smp", "2,threads=2" }, "sriovm: -smp: sockets=1,threads=2" },
	{ { K, "-smp", "sockets=8,cores=16" }, "sriovm: -smp: 128 vCPUs: at most 64" },
	{ { K, "-smp", "maxcpus=128" }, "sriovm: -smp: 128 vCPUs: at most 64" },
	{ { K, "-smp", "cores=65" }, "invalid value '65' for 'cores' (expected 1..64)" },
	{ { K, "-smp", "4,threads=0" }, "invalid value '0' for 'threads'" },
	{ { K, "-smp", "4,dies=1" }, "sriovm: -smp: unknown property 'dies'" },
	{ { K, "-smp", "cpus=4,cpus=4" }, "sriovm: -smp: property 'cpus' given twice" },
	{ { K, "-smp", "4,=1" }, "sriovm: -smp: empty property name" },
	/* -serial, -display */
	{ { K, "-serial", "tcp:localhost:4444,server" },
	  "sriovm: -serial tcp:localhost:4444,server: unsupported serial backend 'tcp'" },
	{ { K, "-serial", "mon:stdio" }, "unsupported serial backend 'mon'" },
	{ { K, "-serial", "pty" }, "sriovm: -serial pty: unsupported serial backend 'pty'" },
	{ { K, "-serial", "/dev/ttyS0" }, "unsupported serial backend '/dev/ttyS0'" },
	{ { K, "-serial", "Stdio" }, "unsupported serial backend 'Stdio'" },
	{ { K, "-serial", "file:" }, "sriovm: -serial file:: no file name given" },
	{ { K, "-serial", "file" }, "sriovm: -serial file: no file name given" },
	{ { K, "-serial", "stdio:x" }, "sriovm: -serial stdio:x: 'stdio' takes no options" },
	{ { K, "-serial", "none:" }, "'none' takes no options" },
	{ { K, "-serial", "" }, "sriovm: -serial: no serial backend given" },
	{ { K, "-serial", ":x" }, "sriovm: -serial: no serial backend given" },
	{ { K, "-serial", "stdio", "-serial", "none" },
	  "sriovm: -serial none: only one serial port is supported" },
	{ { K, "-display", "gtk" }, "sriovm: -display gtk: unsupported display" },
	{ { K, "-display", "sdl,gl=on" }, "sriovm: -display sdl: unsupported display" },
	{ { K, "-display", "none,gl=on" }, "sriovm: -display: unknown property 'gl'" },
	{ { K, "-display", "" }, "sriovm: -display: no display type given" },
	/* -machine, -accel, -cpu */
	{ { K, "-machine", "pc" }, "sriovm: -machine pc: unsupported machine type" },
	{ { K, "-machine", "pc-q35-7.2" }, "sriovm: -machine pc-q35-7.2: unsupported machine type" },
	{ { K, "-M", "microvm" }, "sriovm: -M microvm: unsupported machine type" },
	{ { K, "-machine", "type=virt" }, "sriovm: -machine virt: unsupported machine type" },
	{ { K, "-machine", "q35,accel=tcg" },
	  "sriovm: -machine: unsupported accelerator 'tcg' (sriovm only runs on KVM)" },
	{ { K, "-machine", "q35,accel=kvm:tcg" }, "unsupported accelerator 'kvm:tcg'" },
	{ { K, "-machine", "q35,kernel-irqchip=split" },
	  "sriovm: -machine: unknown property 'kernel-irqchip'" },
	{ { K, "-machine", "q35,type=q35" }, "sriovm: -machine: property 'type' given twice" },
	{ { K, "-accel", "tcg" },
	  "sriovm: -accel: unsupported accelerator 'tcg' (sriovm only runs on KVM)" },
	{ { K, "-accel", "accel=hvf" }, "sriovm: -accel: unsupported accelerator 'hvf'" },
	{ { K, "-accel", "kvm,thread=multi" }, "sriovm: -accel: unknown property 'thread'" },
	{ { K, "-accel", "" }, "sriovm: -accel: no accelerator given" },
	{ { K, "-cpu", "max" },
	  "sriovm: -cpu max: unsupported CPU model (sriovm passes the host CPU through" },
	{ { K, "-cpu", "qemu64,+x2apic" }, "sriovm: -cpu qemu64: unsupported CPU model" },
	{ { K, "-cpu", "hostx" }, "sriovm: -cpu hostx: unsupported CPU model" },
	{ { K, "-cpu", "host,+x2apic" }, "sriovm: -cpu host: unsupported CPU feature '+x2apic'" },
	{ { K, "-cpu", "host,pmu=off,-x2apic" }, "unsupported CPU feature 'pmu=off'" },
	{ { K, "-cpu", "" }, "sriovm: -cpu: no CPU model given" },
	/* -device */
	{ { K, "-device", "foo" }, "sriovm: -device foo: unsupported device type\n" },
	{ { K, "-device", "virtio-net-pci,netdev=n0" },
	  "sriovm: -device virtio-net-pci: unsupported device type\n" },
	{ { K, "-device", "foo,help" }, "sriovm: -device foo: unsupported device type\n" },
	{ { K, "-device", "driver=foo" }, "sriovm: -device foo: unsupported device type\n" },
	{ { K, "-device", "" }, "sriovm: -device: no device type given" },
	{ { K, "-device", "driver=" }, "sriovm: -device: no device type given" },
	{ { K, "-device", "iobase=0xf4" }, "sriovm: -device: no device type given" },
	{ { K, "-device", ",isa-debug-exit" }, "sriovm: -device: empty item" },
	{ { K, "-device", "isa-debug-exit,foo=1" },
	  "sriovm: -device isa-debug-exit: unknown property 'foo'\n" },
	{ { K, "-device", "isa-debug-exit,bus=isa.0" },
	  "sriovm: -device isa-debug-exit: unknown property 'bus'\n" },
	{ { K, "-device", "isa-debug-exit,iobase" },
	  "sriovm: -device: 'iobase' needs a value ('iobase=...')" },
	{ { K, "-device", "isa-debug-exit,iobase=0x10000" },
	  "sriovm: -device isa-debug-exit: invalid value '0x10000' for 'iobase' (expected 0..65535)" },
	{ { K, "-device", "isa-debug-exit,iobase=-1" },
	  "sriovm: -device isa-debug-exit: invalid value '-1' for 'iobase' (expected a number)" },
	{ { K, "-device", "isa-debug-exit,iobase=xyz" }, "'xyz' for 'iobase' (expected a number)" },
	{ { K, "-device", "isa-debug-exit,iobase=" }, "'' for 'iobase' (expected a number)" },
	{ { K, "-device", "isa-debug-exit,iosize=0" },
	  "sriovm: -device isa-debug-exit: invalid value '0' for 'iosize' (expected 1..65535)" },
	{ { K, "-device", "isa-debug-exit,iobase=0xfffe,iosize=4" },
	  "sriovm: -device isa-debug-exit: ports 0xfffe..0x10001 go past the last I/O port" },
	{ { K, "-device", "isa-debug-exit,iobase=0xf4,iobase=0xf4" },
	  "sriovm: -device: property 'iobase' given twice" },
	{ { K, "-device", "isa-debug-exit", "-device", "isa-debug-exit,iobase=0xf4" },
	  "sriovm: -device isa-debug-exit: only one such device is supported" },
	{ { K, "-device", "isa-debug-exit,id=1bad" }, "sriovm: -device isa-debug-exit: invalid id '1bad'" },
	{ { K, "-device", "isa-debug-exit,id=" }, "invalid id ''" },
	{ { K, "-device", "isa-debug-exit,id=a b" }, "invalid id 'a b'" },
	/* the first error wins, and later words are not read */
	{ { K, "-foo", "-m", "1" }, "sriovm: -foo: unsupported option\n" },
};

static const struct bad *bad_case(void **state)
{
	return *state;
}

static void test_bad(void **state)
{
	const struct bad *b = bad_case(state);
	const char *nl;

	run_words(b->words);
	if (r.ret >= 0 || !r.err || !strstr(r.err, b->msg))
		print_error("got %d \"%s\", expected \"%s\"\n", r.ret, r.err ? r.err : "", b->msg);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, b->msg));
	/* One line, prefixed, nothing on out. */
	assert_true(!strncmp(r.err, "sriovm: ", 8));
	nl = strchr(r.err, '\n');
	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
	assert_int_equal(r.out_len, 0);
	/* Nothing left allocated (and LeakSanitizer would say so too). */
	assert_null(r.cfg.kernel);
	assert_null(r.cfg.initrd);
	assert_null(r.cfg.append);
	assert_null(r.cfg.name);
	assert_null(r.cfg.serial_path);
}

/* An error after options that allocated: everything is freed. */
static void test_error_frees(void **state)
{
	RUN("-kernel", "k", "-initrd", "i", "-append", "a", "-name", "n", "-serial", "file:f",
	    "-device", "nope");
	assert_int_equal(r.ret, -EINVAL);
	assert_null(r.cfg.kernel);
	assert_null(r.cfg.initrd);
	assert_null(r.cfg.append);
	assert_null(r.cfg.name);
	assert_null(r.cfg.serial_path);
}

/* cmocka's name for a refusal: its words, as a shell would show them. */
static char *bad_name(const struct bad *b)
{
	char *name = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&name, &len);
	unsigned int i;

	fputs("bad:", f);
	for (i = 0; b->words[i]; i++)
		fprintf(f, strchr(b->words[i], ' ') || !*b->words[i] ? " '%s'" : " %s",
			b->words[i]);
	fclose(f);
	return name;
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		T(test_defaults),
		T(test_kernel_only),
		T(test_boot_strings),
		T(test_append_empty),
		T(test_repeated_options_last_wins),
		T(test_double_dash),
		T(test_m),
		T(test_smp),
		T(test_name),
		T(test_serial),
		T(test_nographic),
		T(test_display),
		T(test_no_reboot),
		T(test_machine),
		T(test_accel_cpu),
		T(test_debug_exit_defaults),
		T(test_debug_exit_props),
		T(test_qemu_line),
		T(test_cli_free_twice),
		T(test_help),
		T(test_help_lists_every_option),
		T(test_version),
		T(test_help_stops_parsing),
		T(test_device_help),
		T(test_device_help_lists_every_type),
		T(test_machine_help),
		T(test_error_frees),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	size_t nbad = sizeof(bad_cases) / sizeof(bad_cases[0]);
	struct CMUnitTest *tests = calloc(nfixed + nbad, sizeof(*tests));
	size_t i;
	int ret;

	if (!tests)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < nbad; i++) {
		tests[nfixed + i] = (struct CMUnitTest){
			.name = bad_name(&bad_cases[i]),
			.test_func = test_bad,
			.teardown_func = teardown,
			.initial_state = (void *)&bad_cases[i],
		};
	}
	ret = _cmocka_run_group_tests("cli", tests, nfixed + nbad, NULL, NULL);
	for (i = 0; i < nbad; i++)
		free((void *)tests[nfixed + i].name);
	free(tests);
	return ret;
}
