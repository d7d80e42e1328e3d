/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event loop: one epoll set served by the main thread. Backends,
 * ioeventfds, timers and stop requests all arrive here as file descriptors.
 */
#ifndef SRIOVM_LIB_LOOP_H
#define SRIOVM_LIB_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop_handler {
	void (*fn)(struct loop_handler *h, uint32_t events);
};

struct loop {
	int epfd;
	bool done;
};

int loop_init(struct loop *l);
void loop_destroy(struct loop *l);
/* h must stay valid until loop_del() or loop_destroy(). */
int loop_add(struct loop *l, int fd, uint32_t events, struct loop_handler *h);
int loop_del(struct loop *l, int fd);
/* Dispatches events until a handler calls loop_quit(). */
int loop_run(struct loop *l);
void loop_quit(struct loop *l);

#endif
