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

#define MAX_WORDS	2100

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

/* ---- -netdev, -nic, PCI devices ---- */

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const struct netdev_config *netdev(unsigned int i)
{
	assert_true(i < r.cfg.nr_netdevs);
	return &r.cfg.netdevs[i];
}

static const struct pci_dev_config *pci(unsigned int i)
{
	assert_true(i < r.cfg.nr_pci_devs);
	return &r.cfg.pci_devs[i];
}

static void assert_mac(const struct pci_dev_config *p, uint64_t mac)
{
	uint8_t want[6];
	unsigned int k;

	for (k = 0; k < 6; k++)
		want[k] = (uint8_t)(mac >> (40 - 8 * k));
	assert_memory_equal(p->net.mac, want, 6);
}

static void assert_addr(const struct pci_dev_config *p, const char *bus, unsigned int slot,
			unsigned int fn)
{
	if (bus)
		assert_string_equal(p->bus, bus);
	else
		assert_null(p->bus);
	assert_int_equal(p->slot, slot);
	assert_int_equal(p->fn, fn);
}

static void test_netdev_user_defaults(void **state)
{
	const struct netdev_config *n;

	OK("-netdev", "user,id=n0");
	assert_int_equal(r.cfg.nr_netdevs, 1);
	assert_int_equal(r.cfg.nr_pci_devs, 0);
	n = netdev(0);
	assert_int_equal(n->kind, NETDEV_USER);
	assert_string_equal(n->id, "n0");
	assert_int_equal(n->user.net, IP(10, 0, 2, 0));
	assert_int_equal(n->user.mask, IP(255, 255, 255, 0));
	assert_int_equal(n->user.host, IP(10, 0, 2, 2));
	assert_int_equal(n->user.dhcpstart, IP(10, 0, 2, 15));
	assert_int_equal(n->user.dns, IP(10, 0, 2, 3));
	assert_false(n->user.restrict_);
	assert_int_equal(n->user.nr_hostfwd, 0);
	teardown(NULL);
	/* The type may be spelled out, and comes first either way. */
	OK("-netdev", "type=user,id=n1");
	assert_string_equal(netdev(0)->id, "n1");
	assert_int_equal(netdev(0)->kind, NETDEV_USER);
}

/* net= and the addresses QEMU derives from it. */
static void test_netdev_user_net(void **state)
{
	static const struct {
		const char *net;
		uint32_t want_net, mask, host, dhcp, dns;
	} t[] = {
		{ "192.168.76.0/24", IP(192, 168, 76, 0), IP(255, 255, 255, 0),
		  IP(192, 168, 76, 2), IP(192, 168, 76, 15), IP(192, 168, 76, 3) },
		{ "10.0.2.0/255.255.255.0", IP(10, 0, 2, 0), IP(255, 255, 255, 0),
		  IP(10, 0, 2, 2), IP(10, 0, 2, 15), IP(10, 0, 2, 3) },
		{ "10.0.2.77/24", IP(10, 0, 2, 0), IP(255, 255, 255, 0),	/* masked */
		  IP(10, 0, 2, 2), IP(10, 0, 2, 15), IP(10, 0, 2, 3) },
		{ "10.1.0.0/16", IP(10, 1, 0, 0), IP(255, 255, 0, 0),
		  IP(10, 1, 2, 2), IP(10, 1, 2, 15), IP(10, 1, 2, 3) },
		{ "10.1.0.0/016", IP(10, 1, 0, 0), IP(255, 255, 0, 0),	/* QEMU's strtol */
		  IP(10, 1, 2, 2), IP(10, 1, 2, 15), IP(10, 1, 2, 3) },
		{ "10.9.8.0/28", IP(10, 9, 8, 0), IP(255, 255, 255, 240),
		  IP(10, 9, 8, 2), IP(10, 9, 8, 15), IP(10, 9, 8, 3) },
		{ "10.9.8.0/4", IP(0, 0, 0, 0), IP(240, 0, 0, 0),
		  IP(0, 0, 2, 2), IP(0, 0, 2, 15), IP(0, 0, 2, 3) },
		/* Without a mask, QEMU's table. */
		{ "10.0.2.0", IP(10, 0, 0, 0), IP(255, 0, 0, 0),
		  IP(10, 0, 2, 2), IP(10, 0, 2, 15), IP(10, 0, 2, 3) },
		{ "172.17.0.0", IP(172, 16, 0, 0), IP(255, 240, 0, 0),
		  IP(172, 16, 2, 2), IP(172, 16, 2, 15), IP(172, 16, 2, 3) },
		{ "150.1.0.0", IP(150, 1, 0, 0), IP(255, 255, 0, 0),
		  IP(150, 1, 2, 2), IP(150, 1, 2, 15), IP(150, 1, 2, 3) },
		{ "192.168.1.0", IP(192, 168, 0, 0), IP(255, 255, 0, 0),
		  IP(192, 168, 2, 2), IP(192, 168, 2, 15), IP(192, 168, 2, 3) },
		{ "198.18.5.0", IP(198, 18, 0, 0), IP(255, 254, 0, 0),
		  IP(198, 18, 2, 2), IP(198, 18, 2, 15), IP(198, 18, 2, 3) },
		{ "198.19.0.0", IP(198, 19, 0, 0), IP(255, 255, 255, 240),	/* only .18 */
		  IP(198, 19, 0, 2), IP(198, 19, 0, 15), IP(198, 19, 0, 3) },
		{ "192.0.2.0", IP(192, 0, 2, 0), IP(255, 255, 255, 240),
		  IP(192, 0, 2, 2), IP(192, 0, 2, 15), IP(192, 0, 2, 3) },
		{ "224.1.2.0", IP(224, 1, 2, 0), IP(255, 255, 255, 0),
		  IP(224, 1, 2, 2), IP(224, 1, 2, 15), IP(224, 1, 2, 3) },
	};
	char arg[64];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(arg, sizeof(arg), "user,id=n,net=%s", t[i].net);
		OK("-netdev", arg);
		assert_int_equal(netdev(0)->user.net, t[i].want_net);
		assert_int_equal(netdev(0)->user.mask, t[i].mask);
		assert_int_equal(netdev(0)->user.host, t[i].host);
		assert_int_equal(netdev(0)->user.dhcpstart, t[i].dhcp);
		assert_int_equal(netdev(0)->user.dns, t[i].dns);
		teardown(NULL);
	}
}

static void test_netdev_user_addrs(void **state)
{
	const struct netdev_config *n;

	OK("-netdev", "user,id=n0,net=192.168.100.0/24,host=192.168.100.1,dns=192.168.100.53,"
	   "dhcpstart=192.168.100.100,restrict=on");
	n = netdev(0);
	assert_int_equal(n->user.net, IP(192, 168, 100, 0));
	assert_int_equal(n->user.host, IP(192, 168, 100, 1));
	assert_int_equal(n->user.dns, IP(192, 168, 100, 53));
	assert_int_equal(n->user.dhcpstart, IP(192, 168, 100, 100));
	assert_true(n->user.restrict_);
	teardown(NULL);
	/* As in QEMU, dns may lie outside the network unless restrict=on. */
	OK("-netdev", "user,id=n0,dns=8.8.8.8,restrict=off");
	assert_int_equal(netdev(0)->user.dns, IP(8, 8, 8, 8));
	assert_false(netdev(0)->user.restrict_);
	teardown(NULL);
	OK("-netdev", "user,id=n0,host=10.0.2.3,dns=10.0.2.2");
	assert_int_equal(netdev(0)->user.host, IP(10, 0, 2, 3));
	assert_int_equal(netdev(0)->user.dns, IP(10, 0, 2, 2));
}

static void test_netdev_user_hostfwd(void **state)
{
	const struct netdev_hostfwd *f;
	const struct netdev_config *n;

	OK("-netdev", "user,id=n0,hostfwd=tcp::2222-:22,hostfwd=udp:127.0.0.1:5353-10.0.2.15:53,"
	   "hostfwd=::8080-10.0.2.20:80,hostfwd=tcp:0.0.0.0:0-:1");
	n = netdev(0);
	assert_int_equal(n->user.nr_hostfwd, 4);
	f = &n->user.hostfwd[0];
	assert_false(f->udp);
	assert_int_equal(f->host_addr, 0);
	assert_int_equal(f->host_port, 2222);
	assert_int_equal(f->guest_addr, 0);
	assert_int_equal(f->guest_port, 22);
	f = &n->user.hostfwd[1];
	assert_true(f->udp);
	assert_int_equal(f->host_addr, IP(127, 0, 0, 1));
	assert_int_equal(f->host_port, 5353);
	assert_int_equal(f->guest_addr, IP(10, 0, 2, 15));
	assert_int_equal(f->guest_port, 53);
	f = &n->user.hostfwd[2];
	assert_false(f->udp);
	assert_int_equal(f->host_port, 8080);
	assert_int_equal(f->guest_addr, IP(10, 0, 2, 20));
	assert_int_equal(f->guest_port, 80);
	f = &n->user.hostfwd[3];
	assert_int_equal(f->host_port, 0);		/* QEMU allows 0 */
	assert_int_equal(f->guest_port, 1);
	teardown(NULL);
	/* tcp and udp on one port, and two addresses on one port, do not clash. */
	OK("-netdev", "user,id=n0,hostfwd=tcp::53-:53,hostfwd=udp::53-:53");
	assert_int_equal(netdev(0)->user.nr_hostfwd, 2);
	teardown(NULL);
	OK("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:80-:80,hostfwd=tcp:127.0.0.2:80-:81");
	assert_int_equal(netdev(0)->user.nr_hostfwd, 2);
	teardown(NULL);
	/* The guest address is checked against net= whatever the order. */
	OK("-netdev", "user,id=n0,hostfwd=tcp::1-192.168.7.9:2,net=192.168.7.0/24");
	assert_int_equal(netdev(0)->user.hostfwd[0].guest_addr, IP(192, 168, 7, 9));
	teardown(NULL);
	/* -nic takes the same, repeated too. */
	OK("-nic", "user,hostfwd=tcp::2222-:22,hostfwd=tcp::8080-:80,model=virtio-net-pci");
	assert_int_equal(netdev(0)->user.nr_hostfwd, 2);
	assert_int_equal(netdev(0)->user.hostfwd[1].guest_port, 80);
}

static void test_netdev_user_hostfwd_max(void **state)
{
	char arg[1024];
	int len = snprintf(arg, sizeof(arg), "user,id=n0");
	unsigned int i;

	for (i = 0; i < NETDEV_MAX_HOSTFWD; i++)
		len += snprintf(arg + len, sizeof(arg) - (size_t)len, ",hostfwd=tcp::%u-:22",
				2000 + i);
	OK("-netdev", arg);
	assert_int_equal(netdev(0)->user.nr_hostfwd, NETDEV_MAX_HOSTFWD);
	assert_int_equal(netdev(0)->user.hostfwd[NETDEV_MAX_HOSTFWD - 1].host_port,
			 2000 + NETDEV_MAX_HOSTFWD - 1);
	teardown(NULL);
	snprintf(arg + len, sizeof(arg) - (size_t)len, ",hostfwd=tcp::3000-:22");
	RUN("-kernel", "k", "-netdev", arg);
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "sriovm: -netdev user,id=n0: more than 16 hostfwd rules"));
}

static void test_netdev_tap(void **state)
{
	const struct netdev_config *n;

	OK("-netdev", "tap,id=t0");
	n = netdev(0);
	assert_int_equal(n->kind, NETDEV_TAP);
	assert_string_equal(n->id, "t0");
	assert_null(n->tap.ifname);
	assert_true(n->tap.vnet_hdr);
	assert_false(n->tap.vnet_hdr_set);
	teardown(NULL);
	OK("-netdev", "tap,id=t0,ifname=tap0,script=no,downscript=no,vnet_hdr=off");
	n = netdev(0);
	assert_string_equal(n->tap.ifname, "tap0");
	assert_false(n->tap.vnet_hdr);
	assert_true(n->tap.vnet_hdr_set);
	teardown(NULL);
	OK("-netdev", "tap,id=t0,ifname=sriovm-tap-0123,vnet_hdr=on,script=,downscript=");
	assert_string_equal(netdev(0)->tap.ifname, "sriovm-tap-0123");	/* 15 characters */
	assert_true(netdev(0)->tap.vnet_hdr);
	assert_true(netdev(0)->tap.vnet_hdr_set);
	teardown(NULL);
	OK("-netdev", "tap,id=t0,ifname=tap%d");	/* the kernel's template */
	assert_string_equal(netdev(0)->tap.ifname, "tap%d");
}

static void test_netdev_socket(void **state)
{
	static const struct {
		const char *arg;
		bool listen;
		uint32_t addr;
		uint16_t port;
	} t[] = {
		{ "socket,id=s,listen=:1234", true, 0, 1234 },
		{ "socket,id=s,listen=127.0.0.1:5000", true, IP(127, 0, 0, 1), 5000 },
		{ "socket,id=s,listen=localhost:5000", true, IP(127, 0, 0, 1), 5000 },
		{ "socket,id=s,connect=127.0.0.1:65535", false, IP(127, 0, 0, 1), 65535 },
		{ "socket,id=s,connect=localhost:1", false, IP(127, 0, 0, 1), 1 },
		{ "socket,id=s,connect=10.1.2.3:80", false, IP(10, 1, 2, 3), 80 },
		{ "stream,id=s,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=1234",
		  true, IP(127, 0, 0, 1), 1234 },
		{ "stream,id=s,server=on,addr.type=inet,addr.host=,addr.port=1234", true, 0, 1234 },
		{ "stream,id=s,server=on,addr.type=inet,addr.host=0.0.0.0,addr.port=9", true, 0, 9 },
		{ "stream,id=s,server=off,addr.type=inet,addr.host=localhost,addr.port=1234",
		  false, IP(127, 0, 0, 1), 1234 },
		{ "stream,id=s,addr.type=inet,addr.host=192.168.1.1,addr.port=22", false,
		  IP(192, 168, 1, 1), 22 },		/* server defaults to off */
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		OK("-netdev", t[i].arg);
		assert_int_equal(netdev(0)->kind, NETDEV_SOCKET);
		assert_string_equal(netdev(0)->id, "s");
		assert_int_equal(netdev(0)->socket.listen, t[i].listen);
		assert_int_equal(netdev(0)->socket.addr, t[i].addr);
		assert_int_equal(netdev(0)->socket.port, t[i].port);
		teardown(NULL);
	}
}

static void test_netdev_hubport(void **state)
{
	OK("-netdev", "hubport,id=h0,hubid=0", "-netdev", "hubport,id=h1,hubid=2147483647");
	assert_int_equal(netdev(0)->kind, NETDEV_HUBPORT);
	assert_int_equal(netdev(0)->hubport.hubid, 0);
	assert_int_equal(netdev(1)->hubport.hubid, 2147483647);
}

/* Many netdevs, in command-line order (and the arrays grow). */
static void test_netdev_many(void **state)
{
	static const char *const w[] = {
		"-kernel", "k",
		"-netdev", "user,id=a", "-netdev", "tap,id=b,ifname=tb", "-netdev", "hubport,id=c,hubid=1",
		"-netdev", "socket,id=d,listen=:1", "-netdev", "user,id=e", "-netdev", "tap,id=f",
		"-netdev", "hubport,id=g,hubid=1", "-netdev", "user,id=h", "-netdev", "user,id=i",
		"-netdev", "tap,id=j,ifname=tj", "-netdev", "user,id=k", "-netdev", "user,id=l",
		"-netdev", "user,id=m", "-netdev", "user,id=n", "-netdev", "user,id=o",
		"-netdev", "user,id=p", "-netdev", "tap,id=q,ifname=tq", "-netdev", "user,id=r",
		NULL
	};
	static const char ids[] = "abcdefghijklmnopqr";
	char id[2] = { 0 };
	unsigned int i;

	run_words(w);
	assert_ok();
	assert_int_equal(r.cfg.nr_netdevs, 18);
	for (i = 0; i < 18; i++) {
		id[0] = ids[i];
		assert_string_equal(netdev(i)->id, id);
	}
	assert_string_equal(netdev(1)->tap.ifname, "tb");
	assert_string_equal(netdev(16)->tap.ifname, "tq");
	assert_int_equal(netdev(2)->kind, NETDEV_HUBPORT);
}

static void test_nic(void **state)
{
	const struct pci_dev_config *p;

	OK("-nic", "user");
	assert_int_equal(r.cfg.nr_netdevs, 1);
	assert_int_equal(r.cfg.nr_pci_devs, 1);
	assert_string_equal(netdev(0)->id, "__org.qemu.nic0");
	assert_int_equal(netdev(0)->kind, NETDEV_USER);
	p = pci(0);
	assert_int_equal(p->kind, PCI_DEV_VIRTIO_NET);
	assert_null(p->id);
	assert_string_equal(p->net.netdev, "__org.qemu.nic0");
	assert_false(p->addr_set);
	assert_addr(p, NULL, 1, 0);
	assert_false(p->multifunction);
	assert_false(p->net.mac_set);
	assert_mac(p, 0x525400123456ULL);
	assert_null(p->sriov_pf);
	teardown(NULL);
	/* Without a type -nic is user, and the model defaults to virtio-net-pci. */
	OK("-nic", "");
	assert_int_equal(netdev(0)->kind, NETDEV_USER);
	assert_int_equal(pci(0)->kind, PCI_DEV_VIRTIO_NET);
	teardown(NULL);
	OK("-nic", "model=virtio,mac=52:54:00:00:00:01");
	assert_int_equal(netdev(0)->kind, NETDEV_USER);
	assert_true(pci(0)->net.mac_set);
	assert_mac(pci(0), 0x525400000001ULL);
	teardown(NULL);
	OK("-nic", "tap,ifname=tap0,script=no,downscript=no,model=virtio-net-pci", "-nic",
	   "user,id=u0,net=192.168.9.0/24");
	assert_int_equal(r.cfg.nr_netdevs, 2);
	assert_int_equal(netdev(0)->kind, NETDEV_TAP);
	assert_string_equal(netdev(0)->tap.ifname, "tap0");
	assert_string_equal(netdev(0)->id, "__org.qemu.nic0");
	assert_string_equal(netdev(1)->id, "u0");	/* -nic's id= names the netdev */
	assert_int_equal(netdev(1)->user.net, IP(192, 168, 9, 0));
	assert_string_equal(pci(1)->net.netdev, "u0");
	assert_null(pci(1)->id);
	assert_addr(pci(0), NULL, 1, 0);
	assert_addr(pci(1), NULL, 2, 0);
	assert_mac(pci(0), 0x525400123456ULL);
	assert_mac(pci(1), 0x525400123457ULL);
	teardown(NULL);
	OK("-nic", "hubport,hubid=3", "-nic", "socket,connect=127.0.0.1:4444");
	assert_int_equal(netdev(0)->hubport.hubid, 3);
	assert_string_equal(netdev(1)->id, "__org.qemu.nic1");
	assert_int_equal(netdev(1)->socket.port, 4444);
}

static void test_nic_none(void **state)
{
	OK("-nic", "none");
	assert_int_equal(r.cfg.nr_netdevs, 0);
	assert_int_equal(r.cfg.nr_pci_devs, 0);
	teardown(NULL);
	/* none adds nothing and does not use up a number. */
	OK("-nic", "none", "-nic", "user", "-nic", "type=none");
	assert_int_equal(r.cfg.nr_netdevs, 1);
	assert_string_equal(netdev(0)->id, "__org.qemu.nic0");
}

static void test_virtio_net(void **state)
{
	const struct pci_dev_config *p;

	OK("-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0");
	assert_int_equal(r.cfg.nr_pci_devs, 1);
	p = pci(0);
	assert_int_equal(p->kind, PCI_DEV_VIRTIO_NET);
	assert_null(p->id);
	assert_string_equal(p->net.netdev, "n0");
	assert_false(p->addr_set);
	assert_addr(p, NULL, 1, 0);
	assert_false(p->multifunction);
	assert_false(p->net.mac_set);
	assert_mac(p, 0x525400123456ULL);
	assert_null(p->sriov_pf);
	teardown(NULL);
	/* QEMU resolves netdev= after every -netdev: order does not matter. */
	OK("-device", "virtio-net-pci,netdev=n0,id=nic0", "-netdev", "tap,id=n0");
	assert_string_equal(pci(0)->id, "nic0");
	assert_string_equal(pci(0)->net.netdev, "n0");
	teardown(NULL);
	/* Without netdev= the NIC has no link partner. */
	OK("-device", "virtio-net-pci");
	assert_null(pci(0)->net.netdev);
	teardown(NULL);
	OK("-device", "driver=virtio-net-pci,mac=02:AB:cd:00:00:0F,addr=0x5,bus=pcie.0");
	assert_true(pci(0)->net.mac_set);
	assert_mac(pci(0), 0x02abcd00000fULL);
	assert_true(pci(0)->addr_set);
	assert_addr(pci(0), NULL, 5, 0);
	teardown(NULL);
	OK("-device", "virtio-net-pci,mac=52-54-00-aa-bb:cc,addr=0x00000001.00");
	assert_mac(pci(0), 0x525400aabbccULL);		/* QEMU takes '-' too */
	assert_addr(pci(0), NULL, 1, 0);
	teardown(NULL);
	/* Harmless: sriovm's device is modern-only anyway. */
	OK("-device", "virtio-net-pci,disable-legacy=on,disable-modern=off");
	teardown(NULL);
	OK("-device", "virtio-net-pci,disable-legacy=true,disable-modern=no,multifunction=off");
}

/* Default MACs: 52:54:00:12:34:56 and up, -nic NICs first, skipping mac=. */
static void test_mac_order(void **state)
{
	OK("-device", "virtio-net-pci", "-device", "virtio-net-pci,mac=52:54:00:12:34:57",
	   "-device", "virtio-net-pci", "-nic", "user", "-device", "virtio-net-pci",
	   "-device", "virtio-net-pci,mac=52:54:00:12:34:5a");
	assert_mac(pci(3), 0x525400123456ULL);		/* the -nic, created first */
	assert_mac(pci(0), 0x525400123458ULL);		/* ...57 is taken by mac= */
	assert_mac(pci(1), 0x525400123457ULL);
	assert_mac(pci(2), 0x525400123459ULL);
	assert_mac(pci(4), 0x52540012345bULL);		/* ...5a taken by a later mac= */
	assert_mac(pci(5), 0x52540012345aULL);
	assert_false(pci(0)->net.mac_set);
	assert_true(pci(1)->net.mac_set);
}

static void test_root_port(void **state)
{
	const struct pci_dev_config *p;

	OK("-device", "pcie-root-port,id=rp0");
	p = pci(0);
	assert_int_equal(p->kind, PCI_DEV_ROOT_PORT);
	assert_string_equal(p->id, "rp0");
	assert_addr(p, NULL, 1, 0);
	assert_false(p->addr_set);
	assert_int_equal(p->root_port.chassis, 0);
	assert_int_equal(p->root_port.slot, 0);
	assert_int_equal(p->root_port.port, 0);
	teardown(NULL);
	OK("-device", "pcie-root-port,id=rp0,bus=pcie.0,chassis=255,slot=8191,port=0x10,"
	   "addr=0x1f.0x7", "-device", "pcie-root-port,id=rp1,addr=1F,chassis=1,multifunction=on");
	p = pci(0);
	assert_int_equal(p->root_port.chassis, 255);
	assert_int_equal(p->root_port.slot, 8191);
	assert_int_equal(p->root_port.port, 16);
	assert_true(p->addr_set);
	assert_addr(p, NULL, 0x1f, 7);
	assert_false(p->multifunction);
	assert_addr(pci(1), NULL, 0x1f, 0);
	assert_true(pci(1)->multifunction);
	teardown(NULL);
	/* Different chassis or slot: no clash. */
	OK("-device", "pcie-root-port,id=a", "-device", "pcie-root-port,id=b,chassis=1",
	   "-device", "pcie-root-port,id=c,slot=1");
	assert_int_equal(r.cfg.nr_pci_devs, 3);
}

/* The functions of QEMU's docs/system/sriov.rst line, without sriov-pf=. */
static void test_topology_port_functions(void **state)
{
	OK("-netdev", "user,id=n", "-netdev", "user,id=o", "-netdev", "user,id=p",
	   "-netdev", "user,id=q", "-device", "pcie-root-port,id=b",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x3,netdev=q",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x2,netdev=p",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,netdev=o",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x0,netdev=n,id=f");
	assert_int_equal(r.cfg.nr_pci_devs, 5);
	assert_addr(pci(0), NULL, 1, 0);
	assert_addr(pci(1), "b", 0, 3);
	assert_addr(pci(2), "b", 0, 2);
	assert_addr(pci(3), "b", 0, 1);
	assert_addr(pci(4), "b", 0, 0);
	/* No multifunction=on needed below a port. */
	assert_false(pci(4)->multifunction);
	assert_string_equal(pci(4)->id, "f");
	assert_mac(pci(1), 0x525400123456ULL);
	assert_mac(pci(4), 0x525400123459ULL);
	assert_null(pci(1)->sriov_pf);
}

/* QEMU's docs/system/sriov.rst line, unchanged: three VFs given before their PF. */
static void test_sriov_seed_line(void **state)
{
	unsigned int i;

	OK("-netdev", "user,id=n", "-netdev", "user,id=o", "-netdev", "user,id=p",
	   "-netdev", "user,id=q", "-device", "pcie-root-port,id=b",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x3,netdev=q,sriov-pf=f",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x2,netdev=p,sriov-pf=f",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,netdev=o,sriov-pf=f",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x0,netdev=n,id=f");
	assert_int_equal(r.cfg.nr_pci_devs, 5);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(pci(i)->kind, PCI_DEV_VIRTIO_NET);
		assert_string_equal(pci(i)->sriov_pf, "f");
		assert_addr(pci(i), "b", 0, 4 - i);
		assert_false(pci(i)->multifunction);
		assert_null(pci(i)->id);
	}
	assert_string_equal(pci(1)->net.netdev, "q");
	assert_string_equal(pci(3)->net.netdev, "o");
	assert_null(pci(4)->sriov_pf);
	assert_string_equal(pci(4)->id, "f");
	assert_addr(pci(4), "b", 0, 0);
	/* QEMU 11.1's defaults: command-line order, not VF order (VF 1 is at 0.1). */
	assert_mac(pci(1), 0x525400123456ULL);
	assert_mac(pci(2), 0x525400123457ULL);
	assert_mac(pci(3), 0x525400123458ULL);
	assert_mac(pci(4), 0x525400123459ULL);
}

/* VFs in any order, with and without netdev= and mac=, and ids of their own. */
static void test_sriov_props(void **state)
{
	OK("-netdev", "hubport,id=h,hubid=1", "-nic", "user",
	   "-device", "pcie-root-port,id=rp,chassis=1",
	   "-device", "virtio-net-pci,bus=rp,addr=0x0.0x2,sriov-pf=pf,mac=52:54:00:12:34:57",
	   "-device", "virtio-net-pci,sriov-pf=pf,addr=0x0.0x1,bus=rp,id=vf1,netdev=h",
	   "-device", "virtio-net-pci,bus=rp,addr=0x0.0x3,sriov-pf=pf,multifunction=on",
	   "-device", "virtio-net-pci,bus=rp,id=pf");
	assert_string_equal(pci(2)->sriov_pf, "pf");
	assert_string_equal(pci(3)->id, "vf1");
	assert_string_equal(pci(3)->net.netdev, "h");
	assert_null(pci(2)->net.netdev);
	assert_addr(pci(5), "rp", 0, 0);	/* the PF takes 0.0 as any device below a port */
	assert_mac(pci(0), 0x525400123456ULL);	/* the -nic first */
	assert_mac(pci(2), 0x525400123457ULL);
	assert_mac(pci(3), 0x525400123458ULL);	/* ...57 is taken by mac= */
	assert_mac(pci(4), 0x525400123459ULL);
	assert_mac(pci(5), 0x52540012345aULL);
}

/* virtio-iommu-pci: its properties, and iommu_platform on behind it. */
static void test_virtio_iommu(void **state)
{
	OK("-device", "virtio-net-pci,iommu_platform=on", "-device", "virtio-net-pci");
	assert_true(pci(0)->net.iommu_platform);
	assert_false(pci(1)->net.iommu_platform);
	teardown(NULL);
	OK("-device", "virtio-iommu-pci");
	assert_int_equal(pci(0)->kind, PCI_DEV_VIRTIO_IOMMU);
	assert_true(pci(0)->iommu.boot_bypass);
	assert_int_equal(pci(0)->iommu.aw_bits, 39);
	assert_addr(pci(0), NULL, 1, 0);
	teardown(NULL);
	OK("-device", "pcie-root-port,id=b", "-nic", "user",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,sriov-pf=f",
	   "-device", "virtio-net-pci,bus=b,id=f,iommu_platform=on",
	   "-device", "virtio-iommu-pci,id=iommu0,addr=0x7,boot-bypass=off,aw-bits=48,granule=4k");
	assert_true(pci(1)->net.iommu_platform);	/* the -nic's too */
	assert_true(pci(2)->net.iommu_platform);
	assert_true(pci(3)->net.iommu_platform);
	assert_false(pci(4)->iommu.boot_bypass);
	assert_int_equal(pci(4)->iommu.aw_bits, 48);
	assert_string_equal(pci(4)->id, "iommu0");
	assert_addr(pci(4), NULL, 7, 0);
}

/* admin-vq: on for a PF unless off, off elsewhere (bad_cases: on without VFs). */
static void test_admin_vq(void **state)
{
	OK("-device", "pcie-root-port,id=b", "-device", "virtio-net-pci",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,sriov-pf=f",
	   "-device", "virtio-net-pci,bus=b,id=f");
	assert_false(pci(1)->net.admin_vq);
	assert_false(pci(2)->net.admin_vq);	/* a VF */
	assert_true(pci(3)->net.admin_vq);
	teardown(NULL);
	OK("-device", "pcie-root-port,id=b",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,sriov-pf=f",
	   "-device", "virtio-net-pci,bus=b,id=f,admin-vq=off");
	assert_false(pci(2)->net.admin_vq);
	teardown(NULL);
	OK("-device", "virtio-net-pci,admin-vq=off");
	assert_false(pci(0)->net.admin_vq);
}

/* Several PFs on one bus (seed 001), with strides other than 1. */
static void test_sriov_two_pfs(void **state)
{
	OK("-device", "pcie-root-port,id=b",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x4,sriov-pf=a",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x2,sriov-pf=a",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x5,sriov-pf=c",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x3,sriov-pf=c",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x0,id=a",
	   "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,id=c",
	   "-device", "virtio-net-pci,bus=b,addr=0x2.0x0,sriov-pf=d",
	   "-device", "virtio-net-pci,bus=b,addr=0x1.0x0,id=d");
	assert_int_equal(r.cfg.nr_pci_devs, 9);
	assert_string_equal(pci(3)->sriov_pf, "c");
	assert_string_equal(pci(7)->sriov_pf, "d");
}

/* The 255-VF line: one PF at 0x0.0, VFs at 0x0.0x1 ... 0x1f.0x7, each with its netdev. */
static void test_sriov_255_vfs(void **state)
{
	static char nds[255][32], vfs[255][80];
	static const char *w[2 + 2 * 255 + 2 + 2 * 255 + 2 + 1];
	unsigned int i, n = 0;

	w[n++] = "-kernel";
	w[n++] = "k";
	w[n++] = "-device";
	w[n++] = "pcie-root-port,id=rp";
	/* In reverse, as QEMU's example gives them; MACs follow this order. */
	for (i = 255; i >= 1; i--) {
		snprintf(nds[i - 1], sizeof(nds[i - 1]), "hubport,id=h%u,hubid=%u", i, i);
		snprintf(vfs[i - 1], sizeof(vfs[i - 1]),
			 "virtio-net-pci,bus=rp,addr=0x%x.0x%x,netdev=h%u,sriov-pf=pf", i / 8,
			 i % 8, i);
		w[n++] = "-netdev";
		w[n++] = nds[i - 1];
		w[n++] = "-device";
		w[n++] = vfs[i - 1];
	}
	w[n++] = "-device";
	w[n++] = "virtio-net-pci,bus=rp,addr=0x0.0x0,id=pf";
	w[n] = NULL;
	run_words(w);
	assert_ok();
	assert_int_equal(r.cfg.nr_pci_devs, 257);
	for (i = 1; i <= 255; i++) {
		const struct pci_dev_config *p = pci(256 - i);

		assert_addr(p, "rp", i / 8, i % 8);
		assert_string_equal(p->sriov_pf, "pf");
		assert_mac(p, 0x525400123456ULL + 255 - i);
	}
	assert_mac(pci(256), 0x525400123456ULL + 255);
	assert_null(pci(256)->sriov_pf);
}

/* Addresses a device without addr= gets. */
static void test_topology_auto(void **state)
{
	OK("-device", "pcie-root-port,id=b,addr=3", "-device", "pcie-root-port,id=a,chassis=1",
	   "-device", "virtio-net-pci", "-device", "virtio-net-pci,addr=5.1",
	   "-device", "virtio-net-pci", "-device", "virtio-net-pci,addr=5,multifunction=on",
	   "-device", "virtio-net-pci,bus=a", "-device", "virtio-net-pci,bus=b,addr=0x1f.7",
	   "-device", "virtio-net-pci,bus=b", "-nic", "user", "-device", "virtio-net-pci");
	assert_addr(pci(9), NULL, 1, 0);	/* the -nic comes first */
	assert_addr(pci(0), NULL, 3, 0);
	assert_addr(pci(1), NULL, 2, 0);
	assert_addr(pci(2), NULL, 4, 0);
	assert_addr(pci(3), NULL, 5, 1);
	/* Slot 5 has a function in use: QEMU would take 5.0 and then fail. */
	assert_addr(pci(4), NULL, 6, 0);
	assert_addr(pci(5), NULL, 5, 0);
	assert_addr(pci(6), "a", 0, 0);		/* below a port: 0.0 */
	assert_addr(pci(7), "b", 0x1f, 7);
	assert_addr(pci(8), "b", 0, 0);
	assert_addr(pci(10), NULL, 7, 0);
	assert_false(pci(2)->addr_set);
	assert_true(pci(3)->addr_set);
}

/* libvirt's way: root ports as functions of one slot. */
static void test_topology_multifunction(void **state)
{
	OK("-device", "pcie-root-port,id=p1,chassis=1,bus=pcie.0,addr=0x2.0x1",
	   "-device", "pcie-root-port,id=p0,chassis=0,addr=0x2,multifunction=on",
	   "-device", "pcie-root-port,id=p2,chassis=2,addr=0x2.0x2",
	   "-device", "virtio-net-pci,bus=p2", "-device", "virtio-net-pci,bus=p1");
	assert_addr(pci(0), NULL, 2, 1);
	assert_addr(pci(1), NULL, 2, 0);
	assert_addr(pci(2), NULL, 2, 2);
	assert_addr(pci(3), "p2", 0, 0);
	assert_addr(pci(4), "p1", 0, 0);
}

/* Up to 256 ARI functions below one root port, each with a default MAC. */
static void test_topology_256_functions(void **state)
{
	static char args[256][48];
	static const char *w[2 + 2 + 2 * 256 + 1];
	unsigned int i, n = 0;

	w[n++] = "-kernel";
	w[n++] = "k";
	w[n++] = "-device";
	w[n++] = "pcie-root-port,id=rp";
	for (i = 0; i < 256; i++) {
		snprintf(args[i], sizeof(args[i]), "virtio-net-pci,bus=rp,addr=0x%x.0x%x",
			 i / 8, i % 8);
		w[n++] = "-device";
		w[n++] = args[i];
	}
	w[n] = NULL;
	run_words(w);
	assert_ok();
	assert_int_equal(r.cfg.nr_pci_devs, 257);
	for (i = 0; i < 256; i++) {
		assert_addr(pci(1 + i), "rp", i / 8, i % 8);
		/* QEMU would repeat ...:ff; sriovm counts on. */
		assert_mac(pci(1 + i), 0x525400123456ULL + i);
	}
	assert_mac(pci(256), 0x525400123555ULL);
}

/* The limits on netdevs and PCI devices. */
static void test_limits(void **state)
{
	static char args[VM_MAX_PCI_DEVS + 1][32];
	static const char *w[2 + 2 * (VM_MAX_PCI_DEVS + 1) + 1];
	unsigned int i, n = 0;

	w[n++] = "-kernel";
	w[n++] = "k";
	for (i = 0; i <= VM_MAX_NETDEVS; i++) {
		snprintf(args[i], sizeof(args[i]), "hubport,id=h%u,hubid=%u", i, i);
		w[n++] = "-netdev";
		w[n++] = args[i];
	}
	w[n] = NULL;
	run_words(w);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "sriovm: -netdev hubport,id=h512: too many netdevs "
			    "(at most 512)\n");
	teardown(NULL);
	n = 2;
	for (i = 0; i <= VM_MAX_PCI_DEVS; i++) {
		w[n++] = "-device";
		w[n++] = "virtio-net-pci";
	}
	w[n] = NULL;
	run_words(w);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "sriovm: -device: too many PCI devices (at most 1024)\n");
}

/* Device ids are one name space; netdev ids another. */
static void test_ids(void **state)
{
	OK("-netdev", "user,id=x", "-device", "pcie-root-port,id=x",
	   "-device", "virtio-net-pci,id=y,bus=x,netdev=x", "-device", "isa-debug-exit,id=z");
	assert_string_equal(pci(0)->id, "x");
	assert_string_equal(pci(1)->id, "y");
	assert_string_equal(pci(1)->bus, "x");
}

static void test_nets_freed_twice(void **state)
{
	OK("-netdev", "tap,id=t,ifname=tap7", "-nic", "user", "-device",
	   "pcie-root-port,id=rp", "-device", "virtio-net-pci,id=v,bus=rp,netdev=t");
	cli_free(&r.cfg);
	assert_null(r.cfg.netdevs);
	assert_int_equal(r.cfg.nr_netdevs, 0);
	assert_null(r.cfg.pci_devs);
	assert_int_equal(r.cfg.nr_pci_devs, 0);
	cli_free(&r.cfg);
}

/* A line as a QEMU user writes it for a networked guest. */
static void test_qemu_net_line(void **state)
{
	RUN("-M", "q35", "-accel", "kvm", "-cpu", "host", "-m", "1G", "-kernel", "bzImage",
	    "-append", "console=ttyS0", "-nographic",
	    "-netdev", "user,id=net0,hostfwd=tcp::2222-:22",
	    "-device", "pcie-root-port,id=rp1,chassis=1,slot=1",
	    "-device", "virtio-net-pci,netdev=net0,bus=rp1,mac=52:54:00:00:00:10,id=nic0",
	    "-netdev", "tap,id=tap0,ifname=tap0,script=no,downscript=no",
	    "-device", "virtio-net-pci,netdev=tap0,disable-legacy=on",
	    "-netdev", "stream,id=s0,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=7777",
	    "-device", "virtio-net-pci,netdev=s0");
	assert_ok();
	assert_int_equal(r.cfg.nr_netdevs, 3);
	assert_int_equal(r.cfg.nr_pci_devs, 4);
	assert_addr(pci(0), NULL, 1, 0);
	assert_addr(pci(1), "rp1", 0, 0);
	assert_addr(pci(2), NULL, 2, 0);
	assert_addr(pci(3), NULL, 3, 0);
	assert_mac(pci(1), 0x525400000010ULL);
	assert_mac(pci(2), 0x525400123456ULL);
	assert_mac(pci(3), 0x525400123457ULL);
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

static void test_netdev_help(void **state)
{
	const struct cli_netdev *t;
	char arg[64];

	RUN("-netdev", "help");
	assert_help("Supported -netdev types");
	for (t = cli_netdevs; t->name; t++) {
		snprintf(arg, sizeof(arg), "\n  %s ", t->name);
		assert_non_null(strstr(r.out, arg));
		assert_non_null(strstr(r.out, t->help));
	}
	teardown(NULL);
	RUN("-netdev", "?");
	assert_help("hubport");
	teardown(NULL);
	for (t = cli_netdevs; t->name; t++) {
		snprintf(arg, sizeof(arg), "%s,id=x,help", t->name);
		RUN("-netdev", arg);
		assert_help(t->props);
		teardown(NULL);
	}
	RUN("-netdev", "user,?");
	assert_help("hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT");
	assert_non_null(strstr(r.out, "dhcpstart="));
	teardown(NULL);
	RUN("-netdev", "tap,help");
	assert_help("script=no");
}

static void test_nic_help(void **state)
{
	RUN("-nic", "help");
	assert_help("Supported -netdev types");
	assert_non_null(strstr(r.out, "Supported NIC models"));
	teardown(NULL);
	RUN("-nic", "user,model=help");
	assert_help("Supported NIC models");
	assert_non_null(strstr(r.out, "virtio-net-pci"));
	teardown(NULL);
	RUN("-kernel", "k", "-nic", "model=?");
	assert_help("virtio-net-pci");
	assert_int_equal(r.cfg.nr_netdevs, 0);
}

static void test_pci_device_help(void **state)
{
	RUN("-device", "virtio-net-pci,help");
	assert_help("netdev=ID");
	assert_non_null(strstr(r.out, "mac=MAC"));
	assert_non_null(strstr(r.out, "addr=SLOT[.FN]"));
	assert_non_null(strstr(r.out, "sriov-pf="));
	assert_non_null(strstr(r.out, "disable-legacy=on"));
	teardown(NULL);
	RUN("-device", "pcie-root-port,?");
	assert_help("chassis=N");
	assert_non_null(strstr(r.out, "slot=N"));
	teardown(NULL);
	RUN("--help");
	assert_help("-netdev tap runs no scripts");
	assert_non_null(strstr(r.out, "52:54:00:12:34:56"));
}

/* 31 slots on pcie.0 for devices without addr=, then none. */
static void test_topology_full_root_bus(void **state)
{
	static const char *w[2 + 2 * 32 + 1];
	unsigned int i, n = 0;

	w[n++] = "-kernel";
	w[n++] = "k";
	for (i = 0; i < 31; i++) {
		w[n++] = "-device";
		w[n++] = "virtio-net-pci";
	}
	w[n] = NULL;
	run_words(w);
	assert_ok();
	for (i = 0; i < 31; i++)
		assert_addr(pci(i), NULL, i + 1, 0);
	teardown(NULL);
	w[n++] = "-nic";
	w[n++] = "user";
	w[n] = NULL;
	run_words(w);
	assert_int_equal(r.ret, -EINVAL);
	assert_string_equal(r.err, "sriovm: -device virtio-net-pci #31: no free slot left on "
			    "pcie.0 (31 slots: put more devices behind pcie-root-ports, or "
			    "share slots with addr=SLOT.FN and multifunction=on)\n");
}

/* ---- refusals ---- */

struct bad {
	const char *words[16];
	const char *msg;	/* what the error line must contain */
};

#define K	"-kernel", "k"

static const struct bad bad_cases[] = {
	/* the option loop */
	{ { "-foo" }, "sriovm: -foo: unsupported option\n" },
	{ { K, "--foo" }, "sriovm: --foo: unsupported option\n" },
	{ { K, "-net", "nic" }, "sriovm: -net: unsupported option\n" },
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
	{ { K, "-device", "e1000,netdev=n0" }, "sriovm: -device e1000: unsupported device type\n" },
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
	/* -netdev */
	{ { K, "-netdev" }, "sriovm: -netdev: missing argument\n" },
	{ { K, "-netdev", "" }, "sriovm: -netdev: no netdev type given\n" },
	{ { K, "-netdev", "id=n0" }, "sriovm: -netdev: no netdev type given\n" },
	{ { K, "-netdev", "foo,id=n0" }, "sriovm: -netdev foo: unsupported netdev type\n" },
	{ { K, "-netdev", "bridge,id=n0,br=br0" }, "sriovm: -netdev bridge: unsupported netdev type\n" },
	{ { K, "-netdev", "vhost-user,id=n0" }, "sriovm: -netdev vhost-user: unsupported netdev type\n" },
	{ { K, "-netdev", "foo,help" }, "sriovm: -netdev foo: unsupported netdev type\n" },
	{ { K, "-netdev", "user" },
	  "sriovm: -netdev user: no id= given (devices name their -netdev with netdev=ID)\n" },
	{ { K, "-netdev", "tap,ifname=tap0" }, "sriovm: -netdev tap: no id= given" },
	{ { K, "-netdev", "user,id=1a" },
	  "sriovm: -netdev user: invalid id '1a' (a letter, then letters, digits, '-', '.' or '_')" },
	{ { K, "-netdev", "user,id=__org.qemu.nic0" }, "sriovm: -netdev user: invalid id '__org" },
	{ { K, "-netdev", "user,id=" }, "sriovm: -netdev user: invalid id ''" },
	{ { K, "-netdev", "user,id=n0", "-netdev", "tap,id=n0" },
	  "sriovm: -netdev tap,id=n0: another -netdev has id 'n0' (netdev ids are unique)\n" },
	{ { K, "-netdev", "user,id=n0,id=n1" }, "sriovm: -netdev: property 'id' given twice\n" },
	{ { K, "-netdev", "user,id=n0,net=10.0.0.0/8,net=10.0.2.0/24" },
	  "sriovm: -netdev: property 'net' given twice\n" },
	{ { K, "-netdev", "user,id=n0,foo=1" }, "sriovm: -netdev user,id=n0: unknown property 'foo'\n" },
	{ { K, "-netdev", "user,id=n0,net" }, "sriovm: -netdev: 'net' needs a value" },
	{ { K, "-netdev", "user,id=n0," }, "sriovm: -netdev: empty item" },
	/* -netdev user */
	{ { K, "-netdev", "user,id=n0,smb=/tmp" },
	  "sriovm: -netdev user,id=n0: unsupported property 'smb' (sriovm's user network has "
	  "IPv4, DHCP, DNS and hostfwd)\n" },
	{ { K, "-netdev", "user,id=n0,ipv6=off" }, "unsupported property 'ipv6'" },
	{ { K, "-netdev", "user,id=n0,ipv4=on" }, "unsupported property 'ipv4'" },
	{ { K, "-netdev", "user,id=n0,tftp=/srv,bootfile=pxe" }, "unsupported property 'tftp'" },
	{ { K, "-netdev", "user,id=n0,guestfwd=tcp:10.0.2.100:1-cmd:cat" },
	  "unsupported property 'guestfwd'" },
	{ { K, "-netdev", "user,id=n0,hostname=vm,dnssearch=a.b" }, "unsupported property 'hostname'" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2" },
	  "sriovm: -netdev user,id=n0: invalid value '10.0.2' for 'net' (expected ADDR[/MASK], "
	  "e.g. 10.0.2.0/24 or 10.0.2.0/255.255.255.0)\n" },
	{ { K, "-netdev", "user,id=n0,net=300.0.2.0/24" }, "invalid value '300.0.2.0/24' for 'net'" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/" }, "invalid value '10.0.2.0/' for 'net'" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/x" }, "invalid value '10.0.2.0/x' for 'net'" },
	{ { K, "-netdev", "user,id=n0,net=/24" }, "invalid value '/24' for 'net'" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/33" },
	  "sriovm: -netdev user,id=n0: net=10.0.2.0/33: the prefix length must be 4..32\n" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/3" }, "the prefix length must be 4..32" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/99999999999999999999999" },
	  "the prefix length must be 4..32" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/224.0.0.0" }, "the prefix length must be 4..32" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/255.0.255.0" },
	  "sriovm: -netdev user,id=n0: net=10.0.2.0/255.0.255.0: the netmask is not contiguous\n" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/32" },
	  "sriovm: -netdev user,id=n0: dns and host address are both 10.0.2.0\n" },
	{ { K, "-netdev", "user,id=n0,host=10.0.3.2" },
	  "sriovm: -netdev user,id=n0: host address 10.0.3.2 is not in net 10.0.2.0/24\n" },
	{ { K, "-netdev", "user,id=n0,net=192.168.0.0/16,host=10.0.2.2" },
	  "host address 10.0.2.2 is not in net 192.168.0.0/16" },
	{ { K, "-netdev", "user,id=n0,host=10.0.2" },
	  "sriovm: -netdev user,id=n0: invalid value '10.0.2' for 'host' (expected an IPv4 address)\n" },
	{ { K, "-netdev", "user,id=n0,dns=x" }, "invalid value 'x' for 'dns'" },
	{ { K, "-netdev", "user,id=n0,dhcpstart=" }, "invalid value '' for 'dhcpstart'" },
	{ { K, "-netdev", "user,id=n0,dns=1.1.1.1,restrict=on" },
	  "sriovm: -netdev user,id=n0: dns address 1.1.1.1 is not in net 10.0.2.0/24 (restrict=on)\n" },
	{ { K, "-netdev", "user,id=n0,dns=10.0.2.2" }, "dns and host address are both 10.0.2.2" },
	{ { K, "-netdev", "user,id=n0,host=10.0.2.3" }, "dns and host address are both 10.0.2.3" },
	{ { K, "-netdev", "user,id=n0,dhcpstart=10.0.3.15" },
	  "sriovm: -netdev user,id=n0: dhcpstart address 10.0.3.15 is not in net 10.0.2.0/24\n" },
	{ { K, "-netdev", "user,id=n0,dhcpstart=10.0.2.2" },
	  "sriovm: -netdev user,id=n0: dhcpstart address 10.0.2.2 is the host address\n" },
	{ { K, "-netdev", "user,id=n0,dhcpstart=10.0.2.3" }, "dhcpstart address 10.0.2.3 is the dns address" },
	{ { K, "-netdev", "user,id=n0,net=10.0.2.0/30" }, "dhcpstart address 10.0.2.3 is the dns address" },
	{ { K, "-netdev", "user,id=n0,restrict=maybe" },
	  "sriovm: -netdev user,id=n0: invalid value 'maybe' for 'restrict' (expected on or off)\n" },
	/* hostfwd */
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp:2222-:22" },
	  "sriovm: -netdev user,id=n0: invalid hostfwd 'tcp:2222-:22': no ':' before the host port "
	  "(expected [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT)\n" },
	{ { K, "-netdev", "user,id=n0,hostfwd=" }, "invalid hostfwd '': no ':' after the protocol" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::2222:22" },
	  "invalid hostfwd 'tcp::2222:22': no '-' after the host port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::x-:22" }, "invalid hostfwd 'tcp::x-:22': bad host port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::-:22" }, "bad host port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::65536-:22" }, "bad host port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::-1-:22" }, "bad host port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp:1.2.3:22-:22" }, "bad host address" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp:localhost:22-:22" }, "bad host address" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-10.0.2:22" }, "bad guest address" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-22" }, "no ':' before the guest port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-:0" }, "bad guest port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-:" }, "bad guest port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-:22x" }, "bad guest port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-:65536" }, "bad guest port" },
	{ { K, "-netdev", "user,id=n0,hostfwd=sctp::1-:2" },
	  "sriovm: -netdev user,id=n0: hostfwd=sctp::1-:2: unknown protocol 'sctp' (tcp or udp)\n" },
	{ { K, "-netdev", "user,id=n0,hostfwd=TCP::1-:2" }, "unknown protocol 'TCP'" },
	{ { K, "-netdev", "user,id=n0,hostfwd=unix:/tmp/s-:22" },
	  "hostfwd=unix:/tmp/s-:22: unix sockets are not supported (tcp or udp)" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-10.0.3.15:22" },
	  "sriovm: -netdev user,id=n0: hostfwd=tcp::22-10.0.3.15:22: guest address 10.0.3.15 is not "
	  "in net 10.0.2.0/24\n" },
	{ { K, "-netdev", "user,id=n0,hostfwd=tcp::22-:22,hostfwd=::22-:23" },
	  "sriovm: -netdev user,id=n0: hostfwd=::22-:23: tcp host port 22 is forwarded twice\n" },
	{ { K, "-netdev", "user,id=n0,hostfwd=udp:127.0.0.1:53-:53,hostfwd=udp::53-:54" },
	  "hostfwd=udp::53-:54: udp host port 53 is forwarded twice" },
	/* -netdev tap */
	{ { K, "-netdev", "tap,id=t0,script=/etc/qemu-ifup" },
	  "sriovm: -netdev tap,id=t0: script=/etc/qemu-ifup: sriovm runs no scripts (use script=no "
	  "and set the tap up beforehand)\n" },
	{ { K, "-netdev", "tap,id=t0,script=no,downscript=/etc/qemu-ifdown" },
	  "downscript=/etc/qemu-ifdown: sriovm runs no scripts (use downscript=no" },
	{ { K, "-netdev", "tap,id=t0,fd=3" },
	  "sriovm: -netdev tap,id=t0: unsupported property 'fd' (sriovm opens one tap queue itself, "
	  "without vhost)\n" },
	{ { K, "-netdev", "tap,id=t0,fds=3:4" }, "unsupported property 'fds'" },
	{ { K, "-netdev", "tap,id=t0,queues=4" }, "unsupported property 'queues'" },
	{ { K, "-netdev", "tap,id=t0,vhost=on" }, "unsupported property 'vhost'" },
	{ { K, "-netdev", "tap,id=t0,br=br0,helper=/usr/lib/qemu/qemu-bridge-helper" },
	  "unsupported property 'br'" },
	{ { K, "-netdev", "tap,id=t0,ifname=" },
	  "sriovm: -netdev tap,id=t0: invalid ifname '' (1..15 characters, no '/', ':' or spaces)\n" },
	{ { K, "-netdev", "tap,id=t0,ifname=0123456789abcdef" }, "invalid ifname '0123456789abcdef'" },
	{ { K, "-netdev", "tap,id=t0,ifname=a/b" }, "invalid ifname 'a/b'" },
	{ { K, "-netdev", "tap,id=t0,ifname=a:b" }, "invalid ifname 'a:b'" },
	{ { K, "-netdev", "tap,id=t0,ifname=a b" }, "invalid ifname 'a b'" },
	{ { K, "-netdev", "tap,id=t0,ifname=.." }, "invalid ifname '..'" },
	{ { K, "-netdev", "tap,id=t0,vnet_hdr=1" },
	  "sriovm: -netdev tap,id=t0: invalid value '1' for 'vnet_hdr' (expected on or off)\n" },
	/* -netdev socket, stream */
	{ { K, "-netdev", "socket,id=s" },
	  "sriovm: -netdev socket,id=s: needs listen=[HOST]:PORT or connect=HOST:PORT\n" },
	{ { K, "-netdev", "socket,id=s,listen=:1,connect=127.0.0.1:2" },
	  "sriovm: -netdev socket,id=s: listen= and connect= exclude each other\n" },
	{ { K, "-netdev", "socket,id=s,listen=1234" },
	  "sriovm: -netdev socket,id=s: listen=1234: expected [HOST]:PORT\n" },
	{ { K, "-netdev", "socket,id=s,connect=1234" }, "connect=1234: expected HOST:PORT" },
	{ { K, "-netdev", "socket,id=s,connect=:1234" },
	  "sriovm: -netdev socket,id=s: connect: no host to connect to\n" },
	{ { K, "-netdev", "socket,id=s,listen=:0" },
	  "sriovm: -netdev socket,id=s: listen: invalid port '0' (expected 1..65535)\n" },
	{ { K, "-netdev", "socket,id=s,listen=:65536" }, "listen: invalid port '65536'" },
	{ { K, "-netdev", "socket,id=s,listen=:" }, "listen: invalid port ''" },
	{ { K, "-netdev", "socket,id=s,listen=:http" }, "listen: invalid port 'http'" },
	{ { K, "-netdev", "socket,id=s,connect=127.0.0.1:1:2" }, "connect: invalid port '1:2'" },
	{ { K, "-netdev", "socket,id=s,listen=1.2.3:1" },
	  "sriovm: -netdev socket,id=s: listen: '1.2.3' is not an IPv4 address\n" },
	{ { K, "-netdev", "socket,id=s,connect=no-such-host.invalid:1" },
	  "sriovm: -netdev socket,id=s: connect: cannot resolve 'no-such-host.invalid' (" },
	{ { K, "-netdev", "socket,id=s,mcast=230.0.0.1:1234" },
	  "sriovm: -netdev socket,id=s: unsupported property 'mcast' (sriovm's socket netdev is one "
	  "TCP connection)\n" },
	{ { K, "-netdev", "socket,id=s,udp=127.0.0.1:1,localaddr=127.0.0.1:2" },
	  "unsupported property 'udp'" },
	{ { K, "-netdev", "socket,id=s,fd=3" }, "unsupported property 'fd'" },
	{ { K, "-netdev", "stream,id=s,addr.type=inet,addr.host=h" },
	  "sriovm: -netdev stream,id=s: no addr.port given\n" },
	{ { K, "-netdev", "stream,id=s,addr.type=inet,addr.port=1" },
	  "sriovm: -netdev stream,id=s: no addr.host given\n" },
	{ { K, "-netdev", "stream,id=s,server=on,addr.host=h,addr.port=1" },
	  "sriovm: -netdev stream,id=s: no addr.type given (addr.type=inet)\n" },
	{ { K, "-netdev", "stream,id=s,addr.type=unix,addr.path=/tmp/s" },
	  "sriovm: -netdev stream,id=s: addr.type=unix: unsupported address type (only inet)\n" },
	{ { K, "-netdev", "stream,id=s,addr.type=fd,addr.str=3" }, "addr.type=fd: unsupported" },
	{ { K, "-netdev", "stream,id=s,addr.type=inet,addr.host=,addr.port=1" },
	  "sriovm: -netdev stream,id=s: addr.host: no host to connect to\n" },
	{ { K, "-netdev", "stream,id=s,server=on,addr.type=inet,addr.host=1.2.3.4,addr.port=0" },
	  "sriovm: -netdev stream,id=s: addr.port: invalid port '0' (expected 1..65535)\n" },
	{ { K, "-netdev", "stream,id=s,server=x,addr.type=inet,addr.host=h,addr.port=1" },
	  "invalid value 'x' for 'server' (expected on or off)" },
	{ { K, "-netdev", "stream,id=s,reconnect=1,addr.type=inet,addr.host=h,addr.port=1" },
	  "sriovm: -netdev stream,id=s: unsupported property 'reconnect' (sriovm's stream netdev is "
	  "one plain TCP connection)\n" },
	{ { K, "-netdev", "stream,id=s,addr.type=inet,addr.host=h,addr.port=1,addr.ipv6=on" },
	  "unsupported property 'addr.ipv6'" },
	{ { K, "-netdev", "stream,id=s,addr.type=inet,addr.host=127.0.0.1,addr.port=1,addr.foo=1" },
	  "sriovm: -netdev stream,id=s: unknown property 'addr.foo'\n" },
	{ { K, "-netdev", "stream,id=s,listen=:1" }, "sriovm: -netdev stream,id=s: no addr.type given" },
	/* -netdev hubport */
	{ { K, "-netdev", "hubport,id=h" }, "sriovm: -netdev hubport,id=h: no hubid= given\n" },
	{ { K, "-netdev", "hubport,id=h,hubid=-1" },
	  "sriovm: -netdev hubport,id=h: invalid value '-1' for 'hubid' (expected a number)\n" },
	{ { K, "-netdev", "hubport,id=h,hubid=2147483648" },
	  "invalid value '2147483648' for 'hubid' (expected 0..2147483647)" },
	{ { K, "-netdev", "hubport,id=h,hubid=0,netdev=n0" },
	  "sriovm: -netdev hubport,id=h: unsupported property 'netdev' (connect a hub port to a NIC "
	  "with the NIC's netdev=)\n" },
	/* -nic */
	{ { K, "-nic" }, "sriovm: -nic: missing argument\n" },
	{ { K, "-nic", "foo" }, "sriovm: -nic foo: unsupported netdev type\n" },
	{ { K, "-nic", "type=" }, "sriovm: -nic: no netdev type given\n" },
	{ { K, "-nic", "user,model=e1000" },
	  "sriovm: -nic user: unsupported NIC model 'e1000' (sriovm's NIC is virtio-net-pci)\n" },
	{ { K, "-nic", "model=e1000e" }, "sriovm: -nic user: unsupported NIC model 'e1000e'" },
	{ { K, "-nic", "none,model=virtio" }, "sriovm: -nic none: takes no properties ('model' given)\n" },
	{ { K, "-nic", "user,mac=01:00:00:00:00:01" },
	  "sriovm: -nic user: mac=01:00:00:00:00:01 is a multicast address (a NIC needs a unicast one)\n" },
	{ { K, "-nic", "user,mac=52:54:00:12:34" },
	  "sriovm: -nic user: invalid value '52:54:00:12:34' for 'mac' (expected XX:XX:XX:XX:XX:XX)\n" },
	{ { K, "-nic", "user,id=9" }, "sriovm: -nic user: invalid id '9'" },
	{ { K, "-nic", "user,id=n0", "-netdev", "user,id=n0" },
	  "sriovm: -netdev user,id=n0: another -netdev has id 'n0'" },
	{ { K, "-netdev", "user,id=n0", "-nic", "tap,id=n0" },
	  "sriovm: -nic tap,id=n0: another -netdev has id 'n0'" },
	{ { K, "-nic", "user,id=n0,smb=/x" }, "sriovm: -nic user,id=n0: unsupported property 'smb'" },
	{ { K, "-nic", "user,foo=1" }, "sriovm: -nic user: unknown property 'foo'\n" },
	{ { K, "-nic", "user,bus=pcie.0" }, "sriovm: -nic user: unknown property 'bus'\n" },
	{ { K, "-nic", "tap,script=/x" }, "sriovm: -nic tap: script=/x: sriovm runs no scripts" },
	{ { K, "-nic", "socket" }, "sriovm: -nic socket: needs listen=[HOST]:PORT or connect=" },
	{ { K, "-nic", "user,model=virtio,model=virtio" }, "sriovm: -nic: property 'model' given twice" },
	/* -device virtio-net-pci, netdev= and mac= */
	{ { K, "-device", "virtio-net-pci,netdev=n0" },
	  "sriovm: -device virtio-net-pci #1: netdev 'n0' not found (no -netdev has that id)\n" },
	{ { K, "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n1,id=v" },
	  "sriovm: -device virtio-net-pci,id=v: netdev 'n1' not found (no -netdev has that id)\n" },
	{ { K, "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0",
	    "-device", "virtio-net-pci,netdev=n0" },
	  "sriovm: -device virtio-net-pci #2: netdev 'n0' is already used by "
	  "-device virtio-net-pci #1\n" },
	{ { K, "-device", "virtio-net-pci,netdev=n0,id=a", "-device", "virtio-net-pci,netdev=n0,id=b",
	    "-netdev", "hubport,id=n0,hubid=1" },
	  "sriovm: -device virtio-net-pci,id=b: netdev 'n0' is already used by "
	  "-device virtio-net-pci,id=a\n" },
	{ { K, "-nic", "user", "-device", "virtio-net-pci,netdev=__org.qemu.nic0,id=v" },
	  "sriovm: -device virtio-net-pci,id=v: netdev '__org.qemu.nic0' is already used by -nic #1\n" },
	{ { K, "-device", "virtio-net-pci,netdev=n0,id=v", "-nic", "user,id=n0" },
	  "sriovm: -device virtio-net-pci,id=v: netdev 'n0' is already used by -nic #1\n" },
	{ { K, "-device", "virtio-net-pci,netdev=" },
	  "sriovm: -device virtio-net-pci: netdev= needs the id of a -netdev\n" },
	{ { K, "-device", "virtio-net-pci,mac=52:54:00:12:34:5" },
	  "sriovm: -device virtio-net-pci: invalid value '52:54:00:12:34:5' for 'mac' "
	  "(expected XX:XX:XX:XX:XX:XX)\n" },
	{ { K, "-device", "virtio-net-pci,mac=52:54:00:12:34:567" }, "invalid value '52:54:00:12:34:567'" },
	{ { K, "-device", "virtio-net-pci,mac=52:54:00:12:34:56:" }, "invalid value '52:54:00:12:34:56:'" },
	{ { K, "-device", "virtio-net-pci,mac=52.54.00.12.34.56" }, "invalid value '52.54.00.12.34.56'" },
	{ { K, "-device", "virtio-net-pci,mac=5254.0012.3456" }, "invalid value '5254.0012.3456'" },
	{ { K, "-device", "virtio-net-pci,mac=g2:54:00:12:34:56" }, "invalid value 'g2:54:00:12:34:56'" },
	{ { K, "-device", "virtio-net-pci,mac=" }, "invalid value '' for 'mac'" },
	{ { K, "-device", "virtio-net-pci,mac=01:00:5e:00:00:01" },
	  "sriovm: -device virtio-net-pci: mac=01:00:5e:00:00:01 is a multicast address" },
	{ { K, "-device", "virtio-net-pci,mac=ff:ff:ff:ff:ff:ff" }, "is a multicast address" },
	{ { K, "-device", "virtio-net-pci,mac=00:00:00:00:00:00" },
	  "sriovm: -device virtio-net-pci: mac=00:00:00:00:00:00: a NIC needs a non-zero address\n" },
	/* -device virtio-net-pci, other properties */
	{ { K, "-device", "virtio-net-pci,romfile=" },
	  "sriovm: -device virtio-net-pci: unsupported property 'romfile' (sriovm's virtio-net-pci "
	  "has fixed features)\n" },
	{ { K, "-device", "virtio-net-pci,vectors=4" }, "unsupported property 'vectors'" },
	{ { K, "-device", "virtio-net-pci,mq=on" }, "unsupported property 'mq'" },
	{ { K, "-device", "virtio-net-pci,csum=off" }, "unsupported property 'csum'" },
	{ { K, "-device", "virtio-net-pci,id=v,failover=on" },
	  "sriovm: -device virtio-net-pci,id=v: unsupported property 'failover'" },
	{ { K, "-device", "virtio-net-pci,disable-legacy=off" },
	  "sriovm: -device virtio-net-pci: disable-legacy=off: sriovm's virtio-net-pci is modern-only "
	  "(disable-legacy=on)\n" },
	{ { K, "-device", "virtio-net-pci,disable-legacy=auto" },
	  "invalid value 'auto' for 'disable-legacy' (expected on or off)" },
	{ { K, "-device", "virtio-net-pci,disable-modern=on" },
	  "sriovm: -device virtio-net-pci: disable-modern=on: sriovm's virtio-net-pci is modern-only "
	  "(disable-modern=off)\n" },
	{ { K, "-device", "virtio-net-pci,foo=1" },
	  "sriovm: -device virtio-net-pci: unknown property 'foo'\n" },
	{ { K, "-device", "virtio-net-pci,id=v,foo=1" },
	  "sriovm: -device virtio-net-pci,id=v: unknown property 'foo'\n" },
	{ { K, "-device", "virtio-net-pci,multifunction=2" },
	  "sriovm: -device virtio-net-pci: invalid value '2' for 'multifunction' (expected on or off)\n" },
	/* addr= */
	{ { K, "-device", "virtio-net-pci,addr=0" },
	  "sriovm: -device virtio-net-pci: addr=0: slot 0 of pcie.0 is the host bridge's "
	  "(use slot 1..1f)\n" },
	{ { K, "-device", "virtio-net-pci,addr=0x0.0x1" }, "addr=0x0.0x1: slot 0 of pcie.0 is the host" },
	{ { K, "-device", "pcie-root-port,id=a,addr=00" }, "addr=00: slot 0 of pcie.0 is the host" },
	{ { K, "-device", "virtio-net-pci,addr=0x20" },
	  "sriovm: -device virtio-net-pci: invalid value '0x20' for 'addr' (expected SLOT[.FUNCTION] in "
	  "hex, slot 0..1f, function 0..7)\n" },
	{ { K, "-device", "virtio-net-pci,addr=32" }, "invalid value '32' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=1.8" }, "invalid value '1.8' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=1." }, "invalid value '1.' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=.1" }, "invalid value '.1' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=1.1.1" }, "invalid value '1.1.1' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=" }, "invalid value '' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=0x" }, "invalid value '0x' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=-1" }, "invalid value '-1' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr= 1" }, "invalid value ' 1' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=1f.7x" }, "invalid value '1f.7x' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=0x1.0x" }, "invalid value '0x1.0x' for 'addr'" },
	{ { K, "-device", "virtio-net-pci,addr=0000000000000000000000000000000000000000.0" },
	  "slot 0 of pcie.0" },
	/* bus= and ids */
	{ { K, "-device", "virtio-net-pci,bus=rp0" },
	  "sriovm: -device virtio-net-pci: bus 'rp0' not found (bus= names pcie.0 or a "
	  "pcie-root-port given before the device)\n" },
	{ { K, "-device", "virtio-net-pci,bus=rp0", "-device", "pcie-root-port,id=rp0" },
	  "sriovm: -device virtio-net-pci: bus 'rp0' not found" },
	{ { K, "-device", "virtio-net-pci,bus=pcie.1" }, "bus 'pcie.1' not found" },
	{ { K, "-device", "virtio-net-pci,bus=" }, "bus '' not found" },
	{ { K, "-device", "virtio-net-pci,id=v", "-device", "virtio-net-pci,bus=v" },
	  "sriovm: -device virtio-net-pci: bus=v: 'v' is a virtio-net-pci, not a pcie-root-port\n" },
	{ { K, "-device", "pcie-root-port,id=a", "-device", "pcie-root-port,id=b,bus=a,chassis=1" },
	  "sriovm: -device pcie-root-port,id=b: bus=a: a pcie-root-port goes on pcie.0 only\n" },
	{ { K, "-device", "isa-debug-exit,id=x", "-device", "pcie-root-port,id=x" },
	  "sriovm: -device pcie-root-port,id=x: another -device has id 'x' (device ids are unique)\n" },
	{ { K, "-device", "pcie-root-port,id=x", "-device", "virtio-net-pci,id=x" },
	  "sriovm: -device virtio-net-pci,id=x: another -device has id 'x'" },
	{ { K, "-device", "virtio-net-pci,id=x", "-device", "isa-debug-exit,id=x" },
	  "sriovm: -device isa-debug-exit,id=x: another -device has id 'x'" },
	/* -device pcie-root-port */
	{ { K, "-device", "pcie-root-port" },
	  "sriovm: -device pcie-root-port: no id= given (the devices below a root port name it with "
	  "bus=ID)\n" },
	{ { K, "-device", "pcie-root-port,id=pcie.0" },
	  "sriovm: -device pcie-root-port,id=pcie.0: id 'pcie.0' is the root bus's name\n" },
	{ { K, "-device", "pcie-root-port,id=a,chassis=256" },
	  "sriovm: -device pcie-root-port,id=a: invalid value '256' for 'chassis' (expected 0..255)\n" },
	{ { K, "-device", "pcie-root-port,id=a,slot=8192" },
	  "invalid value '8192' for 'slot' (expected 0..8191)" },
	{ { K, "-device", "pcie-root-port,id=a,port=0x100" }, "invalid value '0x100' for 'port'" },
	{ { K, "-device", "pcie-root-port,id=a", "-device", "pcie-root-port,id=b" },
	  "sriovm: -device pcie-root-port,id=b: chassis 0 slot 0 are taken by -device "
	  "pcie-root-port,id=a (give each root port its own chassis= or slot=)\n" },
	{ { K, "-device", "pcie-root-port,id=a,chassis=1,slot=2",
	    "-device", "pcie-root-port,id=b,slot=2,chassis=1" }, "chassis 1 slot 2 are taken by" },
	{ { K, "-device", "pcie-root-port,id=a,hotplug=off" },
	  "sriovm: -device pcie-root-port,id=a: unsupported property 'hotplug' (sriovm's root port "
	  "has fixed settings)\n" },
	{ { K, "-device", "pcie-root-port,id=a,io-reserve=0" }, "unsupported property 'io-reserve'" },
	{ { K, "-device", "pcie-root-port,id=a,x-speed=16" },
	  "sriovm: -device pcie-root-port,id=a: unknown property 'x-speed'\n" },
	{ { K, "-device", "pcie-root-port,id=a,netdev=n0" }, "unknown property 'netdev'" },
	/* the topology, once the command line is read */
	{ { K, "-device", "virtio-net-pci,addr=2", "-device", "virtio-net-pci,addr=2.0,id=b" },
	  "sriovm: -device virtio-net-pci,id=b: addr 2.0 on pcie.0 is taken by "
	  "-device virtio-net-pci #1\n" },
	{ { K, "-device", "virtio-net-pci", "-device", "pcie-root-port,id=rp,addr=1" },
	  "sriovm: -device pcie-root-port,id=rp: addr 1.0 on pcie.0 is taken by "
	  "-device virtio-net-pci #1\n" },
	{ { K, "-device", "virtio-net-pci,addr=1", "-nic", "user" },
	  "sriovm: -device virtio-net-pci #1: addr 1.0 on pcie.0 is taken by -nic #1\n" },
	{ { K, "-device", "pcie-root-port,id=rp", "-device", "virtio-net-pci,bus=rp,addr=0x1f.0x7",
	    "-device", "virtio-net-pci,bus=rp,addr=1f.7,id=c" },
	  "sriovm: -device virtio-net-pci,id=c: addr 1f.7 on rp is taken by "
	  "-device virtio-net-pci #1\n" },
	{ { K, "-device", "pcie-root-port,id=rp", "-device", "virtio-net-pci,bus=rp",
	    "-device", "virtio-net-pci,bus=rp" },
	  "sriovm: -device virtio-net-pci #2: rp has a device at 0.0 already (-device virtio-net-pci #1): "
	  "give the others below a root port addr=SLOT.FN\n" },
	{ { K, "-device", "virtio-net-pci,addr=3.1" },
	  "sriovm: -device virtio-net-pci #1: addr 3.1 on pcie.0 needs a device at 3.0 (the guest finds "
	  "the other functions through it)\n" },
	{ { K, "-device", "virtio-net-pci,addr=3.1", "-device", "virtio-net-pci,addr=3.0,id=f0" },
	  "sriovm: -device virtio-net-pci #1: addr 3.1 on pcie.0 needs multifunction=on at 3.0 "
	  "(-device virtio-net-pci,id=f0)\n" },
	{ { K, "-device", "pcie-root-port,id=a,addr=2", "-device", "pcie-root-port,id=b,addr=2.1,chassis=1" },
	  "sriovm: -device pcie-root-port,id=b: addr 2.1 on pcie.0 needs multifunction=on at 2.0 "
	  "(-device pcie-root-port,id=a)\n" },
	{ { K, "-device", "pcie-root-port,id=rp", "-device", "virtio-net-pci,bus=rp,addr=0.1" },
	  "sriovm: -device virtio-net-pci #1: addr 0.1 on rp needs a device at 0.0 (the guest finds "
	  "the other functions through it)\n" },
	{ { K, "-device", "pcie-root-port,id=rp", "-device", "virtio-net-pci,bus=rp,addr=0x1e" },
	  "sriovm: -device virtio-net-pci #1: addr 1e.0 on rp needs a device at 0.0" },
	/* admin-vq= */
	{ { K, "-device", "virtio-net-pci,admin-vq=on" },
	  "sriovm: -device virtio-net-pci #1: admin-vq=on: the admin queue serves a PF's VFs, "
	  "and this device has none (VFs name its id= in sriov-pf=)\n" },
	{ { K, "-device", "pcie-root-port,id=b",
	    "-device", "virtio-net-pci,bus=b,addr=0x0.0x1,sriov-pf=f,admin-vq=on",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci #1: admin-vq=on: the admin queue serves a PF's VFs" },
	{ { K, "-device", "virtio-net-pci,admin-vq=maybe" },
	  "invalid value 'maybe' for 'admin-vq' (expected on or off)" },
	/* composable SR-IOV: sriov-pf= */
	{ { K, "-device", "virtio-net-pci,sriov-pf=" },
	  "sriovm: -device virtio-net-pci: sriov-pf= needs the id of the PF, a -device "
	  "virtio-net-pci\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=f: no -device has that id (the PF is a "
	  "virtio-net-pci with id=f, given after its VFs)\n" },
	{ { K, "-nic", "user,id=u", "-device", "pcie-root-port,id=b",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=u" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=u: no -device has that id" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,id=f",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f,id=v" },
	  "sriovm: -device virtio-net-pci,id=v: sriov-pf=f: the VF comes after its PF "
	  "-device virtio-net-pci,id=f (give the VFs before their PF, as QEMU requires)\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=b" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=b: -device pcie-root-port,id=b is not a "
	  "virtio-net-pci (a VF's PF is a virtio-net-pci)\n" },
	{ { K, "-device", "isa-debug-exit,id=x", "-device", "pcie-root-port,id=b",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=x" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=x: -device isa-debug-exit,id=x is not a "
	  "virtio-net-pci" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.2,sriov-pf=a",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,id=a,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=a: -device virtio-net-pci,id=a is itself a "
	  "VF (sriov-pf=f): a VF cannot be a PF\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.1,id=a,sriov-pf=a" },
	  "sriovm: -device virtio-net-pci,id=a: sriov-pf=a: -device virtio-net-pci,id=a is itself a VF" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "pcie-root-port,id=c,chassis=1",
	    "-device", "virtio-net-pci,bus=c,addr=0.1,sriov-pf=f", "-device", "virtio-net-pci,bus=c",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=f: the VF is on c, its PF -device "
	  "virtio-net-pci,id=f on b (VFs sit on their PF's bus)\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,addr=3.1,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=f: the VF is on pcie.0, its PF" },
	{ { K, "-device", "virtio-net-pci,addr=3.1,sriov-pf=f",
	    "-device", "virtio-net-pci,addr=3.0,multifunction=on,id=f" },
	  "sriovm: -device virtio-net-pci,id=f: cannot host VFs on pcie.0: an SR-IOV PF is a PCI "
	  "Express endpoint (put it and its VFs below a pcie-root-port, bus=ID)\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.0,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,id=f" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=f: a VF's function number is not above the "
	  "PF's (this VF at 0.0, the PF -device virtio-net-pci,id=f at 0.1 on b)\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.5,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,addr=0.4,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,addr=0.2,sriov-pf=f,id=v1",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci #1: sriov-pf=f: the VFs' function numbers have an "
	  "inconsistent stride (this VF at 0.5, the PF -device virtio-net-pci,id=f at 0.0 on b)\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,addr=0x0.0x4,sriov-pf=f,id=v4",
	    "-device", "virtio-net-pci,bus=b,addr=0.2,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci,id=v4: sriov-pf=f: a function number is missing between "
	  "two VFs (this VF at 0.4, the PF -device virtio-net-pci,id=f at 0.0 on b)\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci #2: addr 0.1 on b is taken by -device virtio-net-pci #1\n" },
	{ { K, "-device", "pcie-root-port,id=b", "-device", "virtio-net-pci,bus=b,sriov-pf=f",
	    "-device", "virtio-net-pci,bus=b,id=f" },
	  "sriovm: -device virtio-net-pci,id=f: b has a device at 0.0 already (-device "
	  "virtio-net-pci #1)" },
	{ { K, "-netdev", "user,id=n", "-device", "pcie-root-port,id=b",
	    "-device", "virtio-net-pci,bus=b,addr=0.1,sriov-pf=f,netdev=n",
	    "-device", "virtio-net-pci,bus=b,id=f,netdev=n" },
	  "sriovm: -device virtio-net-pci,id=f: netdev 'n' is already used by "
	  "-device virtio-net-pci #1\n" },
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
	assert_null(r.cfg.netdevs);
	assert_int_equal(r.cfg.nr_netdevs, 0);
	assert_null(r.cfg.pci_devs);
	assert_int_equal(r.cfg.nr_pci_devs, 0);
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
	teardown(NULL);
	/* Netdevs and devices, and an error only the last check finds. */
	RUN("-kernel", "k", "-netdev", "tap,id=t0,ifname=tap0", "-nic", "user,id=u",
	    "-netdev", "user,id=n0,hostfwd=tcp::1-:2", "-device", "isa-debug-exit,id=dx",
	    "-device", "pcie-root-port,id=rp", "-device", "virtio-net-pci,bus=rp,netdev=t0,id=v",
	    "-device", "virtio-net-pci,addr=3.1,mac=52:54:00:00:00:01");
	assert_int_equal(r.ret, -EINVAL);
	assert_non_null(strstr(r.err, "needs a device at 3.0"));
	assert_null(r.cfg.netdevs);
	assert_int_equal(r.cfg.nr_netdevs, 0);
	assert_null(r.cfg.pci_devs);
	assert_int_equal(r.cfg.nr_pci_devs, 0);
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
		T(test_netdev_user_defaults),
		T(test_netdev_user_net),
		T(test_netdev_user_addrs),
		T(test_netdev_user_hostfwd),
		T(test_netdev_user_hostfwd_max),
		T(test_netdev_tap),
		T(test_netdev_socket),
		T(test_netdev_hubport),
		T(test_netdev_many),
		T(test_nic),
		T(test_nic_none),
		T(test_virtio_net),
		T(test_mac_order),
		T(test_root_port),
		T(test_topology_port_functions),
		T(test_sriov_seed_line),
		T(test_sriov_props),
		T(test_sriov_two_pfs),
		T(test_virtio_iommu),
		T(test_admin_vq),
		T(test_sriov_255_vfs),
		T(test_topology_auto),
		T(test_topology_multifunction),
		T(test_topology_256_functions),
		T(test_topology_full_root_bus),
		T(test_limits),
		T(test_ids),
		T(test_nets_freed_twice),
		T(test_qemu_net_line),
		T(test_help),
		T(test_help_lists_every_option),
		T(test_version),
		T(test_help_stops_parsing),
		T(test_device_help),
		T(test_device_help_lists_every_type),
		T(test_machine_help),
		T(test_netdev_help),
		T(test_nic_help),
		T(test_pci_device_help),
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
