/* SPDX-License-Identifier: GPL-2.0 */
/* 16550A UART (COM1), transmit and receive with interrupts. */
#ifndef SRIOVM_HW_SERIAL_H
#define SRIOVM_HW_SERIAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define SERIAL_FIFO_SIZE	16
#define SERIAL_NR_PORTS		8

struct serial_ops {
	void (*set_irq)(void *opaque, int level);
	void (*tx)(void *opaque, uint8_t c);	/* NULL: output discarded */
	/*
	 * Takes up to max pending input bytes without blocking; returns how
	 * many. Called with the serial lock held whenever the receive FIFO
	 * has room. NULL: no input.
	 */
	unsigned int (*rx_pull)(void *opaque, uint8_t *buf, unsigned int max);
};

struct serial {
	pthread_mutex_t lock;
	const struct serial_ops *ops;
	void *opaque;

	uint8_t ier, lcr, mcr, lsr_extra, scr, fcr, dll, dlm;
	bool thr_ipending;
	int irq_level;
	uint8_t rx[SERIAL_FIFO_SIZE];
	unsigned int rx_head, rx_count;
};

void serial_init(struct serial *s, const struct serial_ops *ops, void *opaque);
void serial_destroy(struct serial *s);
/* Port access handler, offset 0..7 (bus_io_fn). */
void serial_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write);
/*
 * New input is pending: fills the receive FIFO from ops->rx_pull. Input
 * waits at its source while the FIFO is full, so a guest that never reads
 * loses nothing and blocks nobody.
 */
void serial_rx_kick(struct serial *s);

#endif
