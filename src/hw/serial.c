// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART. Transmission completes at once, so THR is always empty and
 * the "THR empty" interrupt follows the usual rule: pending after a THR
 * write or when ETBEI is enabled, cleared by reading IIR or writing THR.
 * Loopback mode (MCR.LOOP) mirrors the modem-control lines into MSR, which
 * Linux's 8250 autoconfig checks before it trusts the port.
 */
#include <string.h>

#include <linux/serial_reg.h>

#include "hw/serial.h"

static void serial_update_irq(struct serial *s)
{
	int level = 0;

	if ((s->ier & UART_IER_RLSI) && s->lsr_extra)
		level = 1;
	else if ((s->ier & UART_IER_RDI) && s->rx_count)
		level = 1;
	else if ((s->ier & UART_IER_THRI) && s->thr_ipending)
		level = 1;
	if (level != s->irq_level) {
		s->irq_level = level;
		s->ops->set_irq(s->opaque, level);
	}
}

static unsigned int serial_fifo_cap(const struct serial *s)
{
	return (s->fcr & UART_FCR_ENABLE_FIFO) ? SERIAL_FIFO_SIZE : 1;
}

static void serial_rx_push(struct serial *s, uint8_t c)
{
	if (s->rx_count >= serial_fifo_cap(s)) {
		s->lsr_extra |= UART_LSR_OE;
		return;
	}
	s->rx[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = c;
	s->rx_count++;
}

/* Tops the FIFO up from the input source. */
static void serial_rx_fill(struct serial *s)
{
	uint8_t buf[SERIAL_FIFO_SIZE];
	unsigned int room = serial_fifo_cap(s) - s->rx_count, n, i;

	if (!room || !s->ops->rx_pull || (s->mcr & UART_MCR_LOOP))
		return;
	n = s->ops->rx_pull(s->opaque, buf, room);
	for (i = 0; i < n && i < room; i++)
		serial_rx_push(s, buf[i]);
}

static uint8_t serial_rx_pop(struct serial *s)
{
	uint8_t c = 0;

	if (s->rx_count) {
		c = s->rx[s->rx_head];
		s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
		s->rx_count--;
		serial_rx_fill(s);
	}
	return c;
}

static uint8_t serial_iir(struct serial *s)
{
	uint8_t fifo = (s->fcr & UART_FCR_ENABLE_FIFO) ? 0xc0 : 0;

	if (s->lsr_extra && (s->ier & UART_IER_RLSI))
		return fifo | UART_IIR_RLSI;
	if ((s->ier & UART_IER_RDI) && s->rx_count)
		return fifo | UART_IIR_RDI;
	if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
		/* Reading IIR acknowledges the THR-empty interrupt. */
		s->thr_ipending = false;
		return fifo | UART_IIR_THRI;
	}
	return fifo | UART_IIR_NO_INT;
}

static uint8_t serial_msr(const struct serial *s)
{
	uint8_t m = s->mcr;

	if (!(m & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	return ((m & UART_MCR_OUT2) ? UART_MSR_DCD : 0) |
	       ((m & UART_MCR_OUT1) ? UART_MSR_RI : 0) |
	       ((m & UART_MCR_RTS) ? UART_MSR_CTS : 0) |
	       ((m & UART_MCR_DTR) ? UART_MSR_DSR : 0);
}

static uint8_t serial_read(struct serial *s, unsigned int off)
{
	bool dlab = s->lcr & UART_LCR_DLAB;
	uint8_t v;

	switch (off) {
	case UART_RX:
		if (dlab)
			return s->dll;
		return serial_rx_pop(s);
	case UART_IER:
		return dlab ? s->dlm : s->ier;
	case UART_IIR:
		return serial_iir(s);
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		v = UART_LSR_TEMT | UART_LSR_THRE | s->lsr_extra;
		if (s->rx_count)
			v |= UART_LSR_DR;
		s->lsr_extra = 0;	/* error bits clear on read */
		return v;
	case UART_MSR:
		return serial_msr(s);
	default:
		return s->scr;
	}
}

static void serial_write(struct serial *s, unsigned int off, uint8_t v)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_TX:
		if (dlab) {
			s->dll = v;
			break;
		}
		if (s->mcr & UART_MCR_LOOP)
			serial_rx_push(s, v);
		else if (s->ops->tx)
			s->ops->tx(s->opaque, v);
		s->thr_ipending = true;
		break;
	case UART_IER:
		if (dlab) {
			s->dlm = v;
			break;
		}
		/* Enabling ETBEI with THR empty raises the interrupt. */
		if ((v & UART_IER_THRI) && !(s->ier & UART_IER_THRI))
			s->thr_ipending = true;
		s->ier = v & 0x0f;
		break;
	case UART_FCR:
		if ((v ^ s->fcr) & UART_FCR_ENABLE_FIFO)
			v |= UART_FCR_CLEAR_RCVR;
		if (v & UART_FCR_CLEAR_RCVR)
			s->rx_head = s->rx_count = 0;
		s->fcr = v & (UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_MASK);
		serial_rx_fill(s);
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		s->mcr = v & 0x1f;
		serial_rx_fill(s);	/* input held back during loopback */
		break;
	case UART_SCR:
		s->scr = v;
		break;
	default:
		break;		/* LSR and MSR are read-only */
	}
}

void serial_io(void *opaque, uint64_t offset, void *data, unsigned int len, bool is_write)
{
	struct serial *s = opaque;
	uint8_t *p = data;
	unsigned int i;

	pthread_mutex_lock(&s->lock);
	/* A wider access touches consecutive registers, one byte each. */
	for (i = 0; i < len && offset + i < SERIAL_NR_PORTS; i++) {
		if (is_write)
			serial_write(s, offset + i, p[i]);
		else
			p[i] = serial_read(s, offset + i);
	}
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

void serial_rx_kick(struct serial *s)
{
	pthread_mutex_lock(&s->lock);
	serial_rx_fill(s);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

void serial_init(struct serial *s, const struct serial_ops *ops, void *opaque)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->ops = ops;
	s->opaque = opaque;
	s->lcr = UART_LCR_WLEN8;
	s->mcr = UART_MCR_OUT2;
	s->irq_level = 0;
}

void serial_destroy(struct serial *s)
{
	pthread_mutex_destroy(&s->lock);
}
