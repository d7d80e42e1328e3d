// SPDX-License-Identifier: GPL-2.0
/* 16550A behaviour Linux's 8250 driver depends on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <linux/serial_reg.h>

#include "hw/serial.h"

static int irq_level;
static char txbuf[64];
static unsigned int ntx;

static const char *input;	/* what the host side has queued */
static unsigned int ninput;

static void set_irq(void *opaque, int level) { irq_level = level; }
static void tx(void *opaque, uint8_t c) { if (ntx < sizeof(txbuf)) txbuf[ntx++] = c; }

static unsigned int rx_pull(void *opaque, uint8_t *buf, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && ninput) {
		buf[n++] = *input++;
		ninput--;
	}
	return n;
}

static const struct serial_ops ops = { set_irq, tx, rx_pull };
static struct serial s;

static uint8_t rd(unsigned int off)
{
	uint8_t v;

	serial_io(&s, off, &v, 1, false);
	return v;
}

static void wr(unsigned int off, uint8_t v)
{
	serial_io(&s, off, &v, 1, true);
}

static int setup(void **state)
{
	serial_init(&s, &ops, NULL);
	irq_level = 0;
	ntx = 0;
	input = "";
	ninput = 0;
	return 0;
}

static int teardown(void **state)
{
	serial_destroy(&s);
	return 0;
}

static void test_transmit(void **state)
{
	wr(UART_TX, 'h');
	wr(UART_TX, 'i');
	assert_int_equal(ntx, 2);
	assert_memory_equal(txbuf, "hi", 2);
	assert_int_equal(rd(UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT),
			 UART_LSR_THRE | UART_LSR_TEMT);
}

static void test_thre_interrupt(void **state)
{
	wr(UART_IER, UART_IER_THRI);
	assert_int_equal(irq_level, 1);			/* THR empty when enabled */
	assert_int_equal(rd(UART_IIR) & 0x0f, UART_IIR_THRI);
	assert_int_equal(irq_level, 0);			/* acknowledged by IIR read */
	assert_int_equal(rd(UART_IIR) & 0x0f, UART_IIR_NO_INT);
	wr(UART_TX, 'x');
	assert_int_equal(irq_level, 1);
}

static void test_receive(void **state)
{
	wr(UART_FCR, UART_FCR_ENABLE_FIFO);
	wr(UART_IER, UART_IER_RDI);
	input = "ab";
	ninput = 2;
	serial_rx_kick(&s);
	assert_int_equal(irq_level, 1);
	assert_int_equal(rd(UART_IIR) & 0x0f, UART_IIR_RDI);
	assert_true(rd(UART_LSR) & UART_LSR_DR);
	assert_int_equal(rd(UART_RX), 'a');
	assert_int_equal(rd(UART_RX), 'b');
	assert_false(rd(UART_LSR) & UART_LSR_DR);
	assert_int_equal(irq_level, 0);
}

static void test_input_waits_at_source(void **state)
{
	static const char text[] = "0123456789abcdefXYZ";
	unsigned int i;

	/* FIFO off: one byte at a time, the rest stays with the host side. */
	input = text;
	ninput = sizeof(text) - 1;
	serial_rx_kick(&s);
	assert_int_equal(ninput, sizeof(text) - 2);
	assert_false(rd(UART_LSR) & UART_LSR_OE);	/* never an overrun */
	/*
	 * FIFO on: 16 at a time; reading drains the source in order. Turning
	 * the FIFO on clears it, as on a 16550, so the held '0' is gone.
	 */
	wr(UART_FCR, UART_FCR_ENABLE_FIFO);
	assert_int_equal(ninput, sizeof(text) - 1 - 1 - 16);
	for (i = 1; i < sizeof(text) - 1; i++)
		assert_int_equal(rd(UART_RX), text[i]);
	assert_int_equal(ninput, 0);
	assert_false(rd(UART_LSR) & (UART_LSR_DR | UART_LSR_OE));
}

static void test_loopback(void **state)
{
	/* Linux's autoconfig: MCR = LOOP | OUT2 | RTS must read MSR 0x90. */
	wr(UART_MCR, UART_MCR_LOOP | 0x0a);
	assert_int_equal(rd(UART_MSR) & 0xf0, 0x90);
	wr(UART_MCR, UART_MCR_LOOP | 0x0f);
	assert_int_equal(rd(UART_MSR) & 0xf0, 0xf0);
	wr(UART_TX, 'z');				/* looped back, not sent */
	assert_int_equal(ntx, 0);
	assert_int_equal(rd(UART_RX), 'z');
	wr(UART_MCR, UART_MCR_OUT2);
	assert_int_equal(rd(UART_MSR) & 0xf0, UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
}

static void test_divisor_and_scratch(void **state)
{
	wr(UART_LCR, UART_LCR_DLAB | UART_LCR_WLEN8);
	wr(UART_DLL, 0x01);
	wr(UART_DLM, 0x02);
	assert_int_equal(ntx, 0);			/* DLAB: not a transmit */
	assert_int_equal(rd(UART_DLL), 0x01);
	assert_int_equal(rd(UART_DLM), 0x02);
	wr(UART_LCR, UART_LCR_WLEN8);
	wr(UART_SCR, 0x5a);
	assert_int_equal(rd(UART_SCR), 0x5a);
	assert_int_equal(rd(UART_IER), 0);
}

static void test_overrun(void **state)
{
	unsigned int i;

	/* Without FIFO the holding register keeps one byte; loopback overruns. */
	wr(UART_MCR, UART_MCR_LOOP);
	for (i = 0; i < 3; i++)
		wr(UART_TX, 'a' + i);
	assert_true(rd(UART_LSR) & UART_LSR_OE);
	assert_false(rd(UART_LSR) & UART_LSR_OE);	/* cleared by the read */
	assert_int_equal(rd(UART_RX), 'a');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transmit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thre_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_waits_at_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_divisor_and_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrun, setup, teardown),
	};

	return cmocka_run_group_tests_name("serial", tests, NULL, NULL);
}
