// SPDX-License-Identifier: GPL-2.0
/*
 * sriovm: parse the QEMU-style command line into a machine description,
 * then boot it, and boot it again on every guest reboot.
 */
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/kernel.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "net/net.h"
#include "vmm/claims.h"
#include "vmm/console.h"
#include "vmm/kvm.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

struct sriovm {
	struct loop loop;
	struct vm vm;
	int quit_fd;
	int sig_fd;
	struct loop_handler quit_h;
	struct loop_handler sig_h;
	/*
	 * Ctrl-A x or a signal: ends sriovm even if the VM had already
	 * stopped for another reason (a reset) in the same loop round.
	 */
	bool quit;
};

/* Ctrl-A x, from the console reader thread. */
static void sriovm_quit(void *opaque)
{
	struct sriovm *s = opaque;
	/* Fails only on a full counter: already signalled. */
	eventfd_write(s->quit_fd, 1);
}

static void sriovm_quit_event(struct loop_handler *h, uint32_t events)
{
	struct sriovm *s = container_of(h, struct sriovm, quit_h);
	uint64_t n;

	if (read(s->quit_fd, &n, sizeof(n)) > 0) {
		s->quit = true;
		vm_request_stop(&s->vm, VM_STOP_EXIT, 0);
	}
}

static void sriovm_signal_event(struct loop_handler *h, uint32_t events)
{
	struct sriovm *s = container_of(h, struct sriovm, sig_h);
	struct signalfd_siginfo si;

	if (read(s->sig_fd, &si, sizeof(si)) != sizeof(si))
		return;
	console_restore_tty();
	log_error(NULL, "terminating on signal %u", si.ssi_signo);
	s->quit = true;
	vm_request_stop(&s->vm, VM_STOP_EXIT, 0);
}

/* A crash must not leave the user's terminal raw. */
static void sriovm_fatal_signal(int sig)
{
	console_restore_tty();
	raise(sig);	/* SA_RESETHAND: the default action now */
}

static int sriovm_setup_signals(struct sriovm *s)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa = { .sa_handler = sriovm_fatal_signal,
				.sa_flags = SA_RESETHAND | SA_NODEFER };
	sigset_t set;
	unsigned int i;
	int ret;

	/* Under ASan its own handlers report the crash; keep them. */
#ifndef __SANITIZE_ADDRESS__
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
#else
	(void)fatal;
	(void)sa;
	(void)i;
#endif

	ret = vcpu_init_kick_signal();
	if (ret)
		return ret;
	/* Termination signals become loop events; SIGPIPE must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	s->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	s->quit_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->sig_fd < 0 || s->quit_fd < 0)
		return -errno;
	s->quit_h.fn = sriovm_quit_event;
	s->sig_h.fn = sriovm_signal_event;
	ret = loop_add(&s->loop, s->quit_fd, EPOLLIN, &s->quit_h);
	if (!ret)
		ret = loop_add(&s->loop, s->sig_fd, EPOLLIN, &s->sig_h);
	return ret;
}

static int sriovm_boot(struct sriovm *s, const struct vm_config *cfg, struct kvm *kvm,
		       struct console *con, struct net *net, struct vm_images *img)
{
	enum vm_stop stop;
	int status;

	for (;;) {
		if (vm_create(&s->vm, cfg, kvm, con, net, &s->loop, img))
			return 1;
		/*
		 * The kernel and initrd are kept (as QEMU keeps them) only to
		 * boot again after a reset; with -no-reboot there is no next
		 * boot, and they are most of the VMM's own memory.
		 */
		if (cfg->no_reboot)
			vm_images_free(img);
		stop = vm_run(&s->vm, &s->loop);
		status = s->vm.exit_status;
		vm_destroy(&s->vm);
		if (s->quit)
			return 0;
		switch (stop) {
		case VM_STOP_RESET:
			if (cfg->no_reboot)
				return 0;
			continue;
		case VM_STOP_POWEROFF:
			return 0;
		case VM_STOP_EXIT:
			return status;
		case VM_STOP_ERROR:
		default:
			return 1;
		}
	}
}

/*
 * The KVM device; SRIOVM_KVM_DEVICE replaces it so that the tests can show,
 * on any host, that every fault of a command line is found without KVM.
 */
static const char *sriovm_kvm_device(void)
{
	const char *p = getenv("SRIOVM_KVM_DEVICE");

	return p && *p ? p : KVM_DEVICE;
}

int main(int argc, char **argv)
{
	static struct sriovm s;		/* large; and must outlive the reader thread */
	struct vm_config cfg;
	struct vm_images img;
	struct console con;
	struct kvm kvm = { .fd = -1 };
	struct net *net = NULL;
	const char *why = NULL;
	char msg[256];
	int ret, status = 1;

	ret = cli_parse(argc, argv, &cfg, stdout, stderr);
	if (ret)
		return ret > 0 ? 0 : 1;
	/*
	 * Everything the command line describes is checked before KVM is
	 * opened: a fault of the command line reads the same on every host.
	 */
	if (vm_images_load(&img, &cfg)) {
		cli_free(&cfg);
		return 1;
	}
	if (vm_claims_check(&cfg))
		goto out_img;
	ret = console_open(&con, &cfg, &why);
	if (ret) {
		if (cfg.serial == SERIAL_FILE)
			log_error(NULL, "-serial file:%s: %s", cfg.serial_path,
				strerror(-ret));
		else
			log_error(NULL, "serial: %s: %s", why, strerror(-ret));
		goto out_img;
	}
	ret = kvm_open(&kvm, sriovm_kvm_device(), msg, sizeof(msg));
	if (ret) {
		log_error(NULL, "%s", msg);
		goto out_con;
	}
	ret = loop_init(&s.loop);
	if (!ret)
		ret = sriovm_setup_signals(&s);
	if (ret) {
		log_error(NULL, "cannot set up the event loop: %s", strerror(-ret));
		goto out_kvm;
	}
	/* Backends outlive guest reboots, as QEMU's do. */
	ret = net_create(&net, cfg.netdevs, cfg.nr_netdevs, &s.loop);
	if (ret)
		goto out_loop;
	ret = console_start(&con, sriovm_quit, &s, &why);
	if (ret) {
		log_error(NULL, "%s: %s", why, strerror(-ret));
		goto out_net;
	}
	status = sriovm_boot(&s, &cfg, &kvm, &con, net, &img);
out_net:
	net_destroy(net);
out_loop:
	loop_destroy(&s.loop);
out_kvm:
	kvm_close(&kvm);
out_con:
	console_close(&con);
out_img:
	vm_images_free(&img);
	cli_free(&cfg);
	return status;
}
