// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int kvm_open(struct kvm *kvm, const char *path, char *msg, size_t len)
{
	unsigned int i;
	int ret, v;

	kvm->cpuid = NULL;
	kvm->fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(msg, len, "%s does not exist: sriovm needs KVM "
				 "(is the kvm module loaded?)", path);
		else
			snprintf(msg, len, "%s: %s%s", path, strerror(-ret),
				 ret == -EACCES ? " (is this user in the kvm group?)" : "");
		return ret;
	}
	v = ioctl(kvm->fd, KVM_GET_API_VERSION, 0);
	if (v < 0) {
		ret = -errno;
		snprintf(msg, len, "%s is not a KVM device (KVM_GET_API_VERSION: %s)", path,
			 strerror(-ret));
		goto err;
	}
	if (v != KVM_API_VERSION) {
		snprintf(msg, len, "%s: KVM API version %d, sriovm needs %d", path, v,
			 KVM_API_VERSION);
		ret = -EINVAL;
		goto err;
	}
	for (i = 0; i < sizeof(kvm_required_caps) / sizeof(kvm_required_caps[0]); i++) {
		if (ioctl(kvm->fd, KVM_CHECK_EXTENSION, kvm_required_caps[i].cap) <= 0) {
			snprintf(msg, len, "%s: this KVM lacks %s, which sriovm needs", path,
				 kvm_required_caps[i].name);
			ret = -ENOTSUP;
			goto err;
		}
	}
	kvm->tsc_deadline = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	kvm->vcpu_mmap_size = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm->vcpu_mmap_size <= 0) {
		snprintf(msg, len, "%s: KVM_GET_VCPU_MMAP_SIZE failed", path);
		ret = -EINVAL;
		goto err;
	}
	kvm->cpuid = calloc(1, sizeof(*kvm->cpuid) +
			    CPUID_MAX_ENTRIES * sizeof(kvm->cpuid->entries[0]));
	if (!kvm->cpuid) {
		ret = -ENOMEM;
		snprintf(msg, len, "%s: %s", path, strerror(-ret));
		goto err;
	}
	kvm->cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(kvm->fd, KVM_GET_SUPPORTED_CPUID, kvm->cpuid) < 0) {
		ret = -errno;
		snprintf(msg, len, "%s: KVM_GET_SUPPORTED_CPUID: %s", path, strerror(-ret));
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
