// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "vmm/platform.h"
#include "vmm/vm.h"

static int plat_map(void *opaque, bool io, uint64_t base, uint64_t size, bus_io_fn fn,
		    void *dev)
{
	struct vm *vm = opaque;

	return bus_register(io ? &vm->pio : &vm->mmio, base, size, fn, dev);
}

static void plat_unmap(void *opaque, bool io, uint64_t base, void *dev)
{
	struct vm *vm = opaque;

	bus_unregister(io ? &vm->pio : &vm->mmio, base, dev);
}

static int plat_ioeventfd(void *opaque, uint64_t addr, unsigned int len, int fd, bool assign)
{
	struct vm *vm = opaque;
	struct kvm_ioeventfd ioe = {
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
	};

	return ioctl(vm->fd, KVM_IOEVENTFD, &ioe) < 0 ? -errno : 0;
}

static int plat_msi_alloc(void *opaque, int *fd)
{
	struct vm *vm = opaque;

	return irq_msi_alloc(&vm->irq, fd);
}

static int plat_msi_set(void *opaque, int route, uint64_t addr, uint32_t data)
{
	struct vm *vm = opaque;

	return irq_msi_set(&vm->irq, route, addr, data);
}

static void plat_msi_free(void *opaque, int route)
{
	struct vm *vm = opaque;

	irq_msi_free(&vm->irq, route);
}

static const struct pci_platform_ops vm_platform_ops = {
	.map = plat_map,
	.unmap = plat_unmap,
	.ioeventfd = plat_ioeventfd,
	.msi_alloc = plat_msi_alloc,
	.msi_set = plat_msi_set,
	.msi_free = plat_msi_free,
};

void vm_platform_init(struct vm *vm, struct pci_platform *plat)
{
	plat->ops = &vm_platform_ops;
	plat->opaque = vm;
}
