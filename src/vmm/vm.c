// SPDX-License-Identifier: GPL-2.0
/* Building, running and tearing down one boot of the machine. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/bios.h"
#include "arch/x86/boot.h"
#include "arch/x86/layout.h"
#include "lib/kernel.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "vmm/claims.h"
#include "vmm/devices.h"
#include "vmm/platform.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

/* Below 4 GiB, above the IOAPIC/LAPIC, where no device decodes. */
#define KVM_IDENTITY_MAP_ADDR	0xfffbc000ULL
#define KVM_TSS_ADDR		0xfffbd000ULL

static int read_file(const char *opt, const char *path, uint8_t **buf, size_t *size)
{
	struct stat st;
	ssize_t n;
	size_t done = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		goto err;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		log_error(NULL, "%s %s: not a regular file", opt, path);
		goto out;
	}
	*size = st.st_size;
	*buf = malloc(*size ? *size : 1);
	if (!*buf) {
		ret = -ENOMEM;
		goto err;
	}
	while (done < *size) {
		n = read(fd, *buf + done, *size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			free(*buf);
			*buf = NULL;
			goto err;
		}
		done += n;
	}
	goto out;
err:
	log_error(NULL, "%s %s: %s", opt, path, strerror(-ret));
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

static struct boot_files vm_boot_files(const struct vm_config *cfg, const struct vm_images *img)
{
	return (struct boot_files){
		.kernel = img->kernel,
		.kernel_size = img->kernel_size,
		.initrd = img->initrd,
		.initrd_size = img->initrd_size,
		.cmdline = cfg->append,
		.rsdp = ACPI_START,
	};
}

static void vm_boot_error(const struct vm_config *cfg, const struct boot_error *err)
{
	if (!strcmp(err->opt, "-kernel"))
		log_error(NULL, "-kernel %s: %s", cfg->kernel, err->why);
	else if (!strcmp(err->opt, "-initrd"))
		log_error(NULL, "-initrd %s: %s", cfg->initrd, err->why);
	else if (!strcmp(err->opt, "-m"))
		log_error(NULL, "-m %lluM: %s",
			(unsigned long long)(cfg->ram_size >> 20), err->why);
	else
		log_error(NULL, "%s: %s", err->opt, err->why);
}

int vm_images_load(struct vm_images *img, const struct vm_config *cfg)
{
	struct boot_files f;
	struct boot_error err;
	struct guest_mem layout;
	int ret;

	memset(img, 0, sizeof(*img));
	ret = read_file("-kernel", cfg->kernel, &img->kernel, &img->kernel_size);
	if (!ret && cfg->initrd)
		ret = read_file("-initrd", cfg->initrd, &img->initrd, &img->initrd_size);
	if (ret)
		goto err;
	/* Refuse a kernel, initrd or RAM size that cannot boot before any KVM work. */
	x86_guest_mem_layout(&layout, cfg->ram_size);
	f = vm_boot_files(cfg, img);
	ret = boot_check(&layout, &f, &err);
	if (ret) {
		vm_boot_error(cfg, &err);
		goto err;
	}
	return 0;
err:
	vm_images_free(img);
	return ret;
}

void vm_images_free(struct vm_images *img)
{
	free(img->kernel);
	free(img->initrd);
	memset(img, 0, sizeof(*img));
}

void vm_request_stop(struct vm *vm, enum vm_stop why, int status)
{
	pthread_mutex_lock(&vm->stop_lock);
	if (vm->stop == VM_RUNNING) {
		vm->exit_status = status;
		__atomic_store_n(&vm->stop, why, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vm->stop_lock);
	/* A vCPU waiting on a stalled terminal must notice the stop. */
	console_interrupt(vm->console);
	/* Fails only on a full counter: already signalled. */
	eventfd_write(vm->stop_fd, 1);
}

static void vm_power_request(void *opaque, enum power_event ev, int status)
{
	struct vm *vm = opaque;

	switch (ev) {
	case POWER_OFF:
		vm_request_stop(vm, VM_STOP_POWEROFF, 0);
		break;
	case POWER_RESET:
		vm_request_stop(vm, VM_STOP_RESET, 0);
		break;
	case POWER_EXIT:
		vm_request_stop(vm, VM_STOP_EXIT, status);
		break;
	}
}

static void vm_serial_irq(void *opaque, int level)
{
	struct vm *vm = opaque;
	struct kvm_irq_level irq = { .irq = IRQ_COM1, .level = level };

	ioctl(vm->fd, KVM_IRQ_LINE, &irq);
}

static void vm_serial_tx(void *opaque, uint8_t c)
{
	struct vm *vm = opaque;

	console_putc(vm->console, c);
}

static unsigned int vm_serial_rx_pull(void *opaque, uint8_t *buf, unsigned int max)
{
	struct vm *vm = opaque;

	return console_pull(vm->console, buf, max);
}

static const struct serial_ops vm_serial_ops = {
	.set_irq = vm_serial_irq,
	.tx = vm_serial_tx,
	.rx_pull = vm_serial_rx_pull,
};

static int vm_create_kvm(struct vm *vm)
{
	uint64_t ident = KVM_IDENTITY_MAP_ADDR;
	struct kvm_pit_config pit = { .flags = 0 };
	unsigned int i;
	int ret;

	vm->fd = ioctl(vm->kvm->fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		return -errno;
	if (ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &ident) < 0 ||
	    ioctl(vm->fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0 ||
	    ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0 ||
	    ioctl(vm->fd, KVM_CREATE_PIT2, &pit) < 0)
		return -errno;
	ret = irq_init(&vm->irq, vm->fd, vm->kvm->fd);
	if (ret)
		return ret;
	vm->irq_ready = true;

	for (i = 0; i < vm->mem.nr_regions; i++) {
		struct kvm_userspace_memory_region r = {
			.slot = i,
			.guest_phys_addr = vm->mem.regions[i].gpa,
			.memory_size = vm->mem.regions[i].size,
			.userspace_addr = (uintptr_t)vm->mem.regions[i].hva,
		};

		if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
			return -errno;
	}
	return 0;
}

/* Each failure is reported here, where it is found. */
static int vm_add_devices(struct vm *vm)
{
	struct power_sink sink = { vm_power_request, vm };
	int ret;

	serial_init(&vm->serial, &vm_serial_ops, vm);
	pci_root_init(&vm->pci);
	vm->devices_ready = true;
	vm->acpi_pm.sink = sink;
	vm->debug_exit.sink = sink;
	/* vm_claims_check() found no overlap before KVM was opened. */
	ret = vm_claims_register(vm);
	if (ret) {
		log_error(NULL, "cannot register the core devices: %s", strerror(-ret));
		return ret;
	}

	vm_platform_init(vm, &vm->plat);
	pci_root_set_platform(&vm->pci, &vm->plat);
	pci_host_bridge_init(&vm->host_bridge);
	ret = pci_bus_attach(&vm->pci.bus0, &vm->host_bridge, 0);
	if (ret) {
		log_error(NULL, "cannot attach the host bridge: %s", strerror(-ret));
		return ret;
	}
	/* Names the -device at fault itself. */
	return vm_devices_create(vm);
}

static uint64_t vm_mmio64_base(const struct vm *vm)
{
	uint64_t top = (guest_mem_top(&vm->mem) + (1ULL << 30) - 1) & ~((1ULL << 30) - 1);

	return top > MMIO64_MIN_BASE ? top : MMIO64_MIN_BASE;
}

/*
 * Buses the guest may number: the root bus and one behind each root port
 * (Linux numbers them itself). No spare: every bus number beyond those
 * found costs 32 probing config reads at boot (see acpi_config).
 */
static uint8_t vm_pci_bus_end(const struct vm_config *cfg)
{
	unsigned int i, n = 0;

	for (i = 0; i < cfg->nr_pci_devs; i++)
		n += cfg->pci_devs[i].kind == PCI_DEV_ROOT_PORT;
	return n < ECAM_BUS_END ? (uint8_t)n : ECAM_BUS_END;
}

/* A virtio-iommu-pci (on bus 0): the VIOT table names it. */
static void vm_acpi_viommu(const struct vm_config *cfg, struct acpi_config *acfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_pci_devs; i++) {
		const struct pci_dev_config *c = &cfg->pci_devs[i];

		if (c->kind == PCI_DEV_VIRTIO_IOMMU) {
			acfg->viommu = true;
			acfg->viommu_bdf = PCI_DEVFN(c->slot, c->fn);
		}
	}
}

static int vm_load(struct vm *vm, const struct vm_images *img)
{
	struct acpi_config acfg = {
		.ncpus = vm->nr_vcpus,
		.mmio64_base = vm_mmio64_base(vm),
		.mmio64_size = MMIO64_SIZE,
		.pci_bus_end = vm_pci_bus_end(vm->cfg),
	};
	struct boot_files f = vm_boot_files(vm->cfg, img);
	struct boot_info info;
	struct boot_error err;
	ssize_t n;
	int ret;

	vm_acpi_viommu(vm->cfg, &acfg);
	n = acpi_build(&acfg, guest_mem_ptr(&vm->mem, ACPI_START, ACPI_SIZE), ACPI_SIZE,
		       ACPI_START);
	if (n < 0) {
		log_error(NULL, "cannot build the ACPI tables: %s", strerror((int)-n));
		return (int)n;
	}
	ret = bios_write_reset_vector(&vm->mem);
	if (ret) {
		log_error(NULL, "cannot write the reset vector: %s", strerror(-ret));
		return ret;
	}
	ret = boot_load(&vm->mem, &f, &info, &err);
	if (ret) {
		vm_boot_error(vm->cfg, &err);
		return ret;
	}
	ret = vcpu_setup_boot(&vm->vcpus[0], &info);
	if (ret)
		log_error(NULL, "cannot set up the boot CPU: %s", strerror(-ret));
	return ret;
}

int vm_create(struct vm *vm, const struct vm_config *cfg, struct kvm *kvm,
	      struct console *console, struct net *net, struct loop *loop,
	      const struct vm_images *img)
{
	unsigned int i;
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->kvm = kvm;
	vm->console = console;
	vm->net = net;
	vm->loop = loop;
	vm->fd = -1;
	vm->nr_vcpus = cfg->ncpus;
	pthread_mutex_init(&vm->stop_lock, NULL);
	bus_init(&vm->pio);
	bus_init(&vm->mmio);

	vm->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->stop_fd < 0) {
		ret = -errno;
		log_error(NULL, "cannot create the VM: %s", strerror(-ret));
		goto err;
	}
	x86_guest_mem_layout(&vm->mem, cfg->ram_size);
	ret = guest_mem_alloc(&vm->mem);
	if (ret) {
		log_error(NULL, "-m: cannot allocate %llu MiB of guest RAM: %s",
			(unsigned long long)(cfg->ram_size >> 20), strerror(-ret));
		goto err;
	}
	dma_space_identity(&vm->dma, &vm->mem);
	ret = vm_create_kvm(vm);
	if (ret) {
		log_error(NULL, "cannot create the KVM VM: %s", strerror(-ret));
		goto err;
	}
	ret = vm_add_devices(vm);
	if (ret)
		goto err;

	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		ret = -ENOMEM;
		log_error(NULL, "cannot create the VM: %s", strerror(-ret));
		goto err;
	}
	for (i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu_create(&vm->vcpus[i], vm, i);
		if (ret) {
			log_error(NULL, "cannot create vCPU %u: %s", i, strerror(-ret));
			vm->nr_vcpus = i;
			goto err;
		}
	}
	ret = vm_load(vm, img);
	if (ret)
		goto err;
	console_attach(console, &vm->serial);
	return 0;
err:
	vm_destroy(vm);
	return ret;
}

struct vm_stop_handler {
	struct loop_handler h;
	struct vm *vm;
	struct loop *loop;
};

static void vm_stop_event(struct loop_handler *h, uint32_t events)
{
	struct vm_stop_handler *s = container_of(h, struct vm_stop_handler, h);
	uint64_t n;

	if (read(s->vm->stop_fd, &n, sizeof(n)) < 0) {
		/* EAGAIN: a spurious wake-up; the stop state decides below */
	}
	if (__atomic_load_n(&s->vm->stop, __ATOMIC_ACQUIRE) != VM_RUNNING)
		loop_quit(s->loop);
}

enum vm_stop vm_run(struct vm *vm, struct loop *loop)
{
	struct vm_stop_handler sh = { { vm_stop_event }, vm, loop };
	unsigned int i;
	int ret;

	ret = loop_add(loop, vm->stop_fd, EPOLLIN, &sh.h);
	for (i = 0; !ret && i < vm->nr_vcpus; i++)
		ret = vcpu_start(&vm->vcpus[i]);
	if (ret) {
		log_error(NULL, "cannot start the VM: %s", strerror(-ret));
		vm_request_stop(vm, VM_STOP_ERROR, 1);
	}
	if (!ret)
		ret = loop_run(loop);
	if (ret)
		vm_request_stop(vm, VM_STOP_ERROR, 1);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_stop(&vm->vcpus[i]);
	loop_del(loop, vm->stop_fd);
	return vm->stop;
}

void vm_destroy(struct vm *vm)
{
	unsigned int i;

	/* Detach the console reader before the serial goes away. */
	if (vm->console)
		console_attach(vm->console, NULL);
	for (i = 0; vm->vcpus && i < vm->nr_vcpus; i++) {
		vcpu_stop(&vm->vcpus[i]);
		vcpu_destroy(&vm->vcpus[i]);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
	/*
	 * Backends first: once detached no thread delivers into guest RAM,
	 * and MSI routes go while the irq chip and the VM still exist.
	 */
	vm_devices_destroy(vm);
	if (vm->devices_ready) {
		serial_destroy(&vm->serial);
		pci_root_destroy(&vm->pci);
		vm->devices_ready = false;
	}
	vm_devices_free(vm);
	if (vm->irq_ready)
		irq_destroy(&vm->irq);
	vm->irq_ready = false;
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
	guest_mem_free(&vm->mem);
	bus_destroy(&vm->pio);
	bus_destroy(&vm->mmio);
	if (vm->stop_fd >= 0)
		close(vm->stop_fd);
	vm->stop_fd = -1;
	pthread_mutex_destroy(&vm->stop_lock);
}
