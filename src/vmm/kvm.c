// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "arch/x86/cpuid.h"
#include "vmm/kvm.h"

static const struct {
	int cap;
	const char *name;
} kvm_required_caps[] = {
	{ KVM_CAP_IRQCHIP, "in-kernel irqchip" },
	{ KVM_CAP_USER_MEMORY, "user memory slots" },
	{ KVM_CAP_SET_TSS_ADDR, "TSS address" },
	{ KVM_CAP_EXT_CPUID, "extended CPUID" },
	{ KVM_CAP_PIT2, "in-kernel PIT" },
	{ KVM_CAP_IRQFD, "irqfd" },
	{ KVM_CAP_IOEVENTFD, "ioeventfd" },
	{ KVM_CAP_IMMEDIATE_EXIT, "immediate exit" },
};

int kvm_open(struct kvm *kvm, const char **why)
{
	unsigned int i;
	int ret;

	kvm->cpuid = NULL;
	kvm->fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		ret = -errno;
		*why = errno == ENOENT ? "/dev/kvm does not exist (is the kvm module loaded?)" :
		       "cannot open /dev/kvm (check its permissions)";
		return ret;
	}
	if (ioctl(kvm->fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		*why = "unsupported KVM API version";
		ret = -EINVAL;
		goto err;
	}
	for (i = 0; i < sizeof(kvm_required_caps) / sizeof(kvm_required_caps[0]); i++) {
		if (ioctl(kvm->fd, KVM_CHECK_EXTENSION, kvm_required_caps[i].cap) <= 0) {
			*why = kvm_required_caps[i].name;
			ret = -ENOTSUP;
			goto err;
		}
	}
	kvm->tsc_deadline = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	kvm->vcpu_mmap_size = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm->vcpu_mmap_size <= 0) {
		*why = "KVM_GET_VCPU_MMAP_SIZE failed";
		ret = -EINVAL;
		goto err;
	}
	kvm->cpuid = calloc(1, sizeof(*kvm->cpuid) +
			    CPUID_MAX_ENTRIES * sizeof(kvm->cpuid->entries[0]));
	if (!kvm->cpuid) {
		ret = -ENOMEM;
		*why = "out of memory";
		goto err;
	}
	kvm->cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(kvm->fd, KVM_GET_SUPPORTED_CPUID, kvm->cpuid) < 0) {
		ret = -errno;
		*why = "KVM_GET_SUPPORTED_CPUID failed";
		goto err;
	}
	return 0;
err:
	kvm_close(kvm);
	return ret;
}

void kvm_close(struct kvm *kvm)
{
	free(kvm->cpuid);
	kvm->cpuid = NULL;
	if (kvm->fd >= 0)
		close(kvm->fd);
	kvm->fd = -1;
}
