/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers in the kernel's manner, for every layer. */
#ifndef SRIOVM_LIB_KERNEL_H
#define SRIOVM_LIB_KERNEL_H

#include <stddef.h>

/* The structure that embeds member at ptr. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* The size of a member, without an object. */
#define sizeof_field(type, member) (sizeof(((type *)0)->member))

/* The offset just past a member. */
#define offsetofend(type, member) (offsetof(type, member) + sizeof_field(type, member))

#endif
