// SPDX-License-Identifier: GPL-2.0
/* Range dispatch, and the devices that end the VM (debug-exit, ACPI PM). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/layout.h"
#include "bus/bus.h"
#include "hw/acpi_pm.h"
#include "hw/debug_exit.h"
#include "vmm/claims.h"

static uint64_t last_off;
static unsigned int calls;

static void dev_io(void *opaque, uint64_t off, void *data, unsigned int len, bool w)
{
	last_off = off;
	calls++;
	if (!w)
		memset(data, (int)(uintptr_t)opaque, len);
}

static void test_register_and_dispatch(void **state)
{
	struct bus b;
	uint32_t v = 0;

	bus_init(&b);
	assert_int_equal(bus_register(&b, 0x3f8, 8, dev_io, (void *)0x11), 0);
	assert_int_equal(bus_register(&b, 0x100, 0x10, dev_io, (void *)0x22), 0);
	assert_int_equal(bus_register(&b, 0x3f0, 8, dev_io, (void *)0x33), 0);
	assert_int_equal(bus_register(&b, 0x3f7, 2, dev_io, NULL), -EBUSY);
	assert_int_equal(bus_register(&b, 0x3ff, 1, dev_io, NULL), -EBUSY);
	assert_int_equal(bus_register(&b, 0, 0, dev_io, NULL), -EINVAL);
	assert_int_equal(bus_register(&b, UINT64_MAX, 2, dev_io, NULL), -EINVAL);

	assert_true(bus_access(&b, 0x3fd, &v, 1, false));
	assert_int_equal(last_off, 5);
	assert_int_equal(v, 0x11);
	assert_true(bus_access(&b, 0x10c, &v, 4, false));
	assert_int_equal(v, 0x22222222);
	/* Straddling the end of a range, or a hole: unclaimed. */
	calls = 0;
	assert_false(bus_access(&b, 0x3fe, &v, 4, false));
	assert_false(bus_access(&b, 0x200, &v, 1, false));
	assert_false(bus_access(&b, 0x3f8, &v, 0, false));
	assert_int_equal(calls, 0);

	assert_int_equal(bus_unregister(&b, 0x100, (void *)0x33), -ENOENT);
	assert_int_equal(bus_unregister(&b, 0x100, (void *)0x22), 0);
	assert_false(bus_access(&b, 0x10c, &v, 4, false));
	bus_destroy(&b);
}

static void test_many_ranges(void **state)
{
	struct bus b;
	uint8_t v;
	unsigned int i;

	bus_init(&b);
	/* Registered in reverse order, found by binary search. */
	for (i = 100; i-- > 0;)
		assert_int_equal(bus_register(&b, i * 0x1000, 0x800, dev_io, (void *)(uintptr_t)i), 0);
	for (i = 0; i < 100; i++) {
		assert_true(bus_access(&b, i * 0x1000 + 0x7ff, &v, 1, false));
		assert_int_equal(v, i);
		assert_false(bus_access(&b, i * 0x1000 + 0x800, &v, 1, false));
	}
	bus_destroy(&b);
}

static enum power_event last_ev;
static int last_status, nreq;

static void request(void *opaque, enum power_event ev, int status)
{
	last_ev = ev;
	last_status = status;
	nreq++;
}

static void test_debug_exit(void **state)
{
	struct debug_exit d = { { request, NULL } };
	uint32_t v = 5;
	uint8_t r;

	debug_exit_io(&d, 0, &v, 4, true);
	assert_int_equal(last_ev, POWER_EXIT);
	assert_int_equal(last_status, 11);
	v = 0;
	debug_exit_io(&d, 0, &v, 1, true);
	assert_int_equal(last_status, 1);
	assert_int_equal(debug_exit_status(0x80), 1);	/* 8 bits of status */
	debug_exit_io(&d, 0, &r, 1, false);
	assert_int_equal(r, 0xff);
}

static void test_acpi_pm(void **state)
{
	struct acpi_pm pm = { { request, NULL } };
	uint8_t v;

	nreq = 0;
	v = ACPI_S5_SLP_TYP << 2;			/* SLP_EN clear: nothing */
	acpi_pm_io(&pm, 0, &v, 1, true);
	assert_int_equal(nreq, 0);
	v = 3 << 2 | 0x20;				/* S3 is not supported */
	acpi_pm_io(&pm, 0, &v, 1, true);
	assert_int_equal(nreq, 0);
	v = ACPI_S5_SLP_TYP << 2 | 0x20;
	acpi_pm_io(&pm, 0, &v, 1, true);
	assert_int_equal(nreq, 1);
	assert_int_equal(last_ev, POWER_OFF);
	v = ACPI_RESET_VALUE;
	acpi_pm_io(&pm, PIO_ACPI_RESET - PIO_ACPI_SLEEP_CTL, &v, 1, true);
	assert_int_equal(last_ev, POWER_RESET);
	v = 0xff;
	acpi_pm_io(&pm, PIO_ACPI_SLEEP_STS - PIO_ACPI_SLEEP_CTL, &v, 1, false);
	assert_int_equal(v, 0);
}

/* The machine's fixed ranges: found before KVM, each conflict named. */
static void test_claims(void **state)
{
	struct vm_config cfg = { 0 };
	struct vm_claim c[VM_MAX_CLAIMS];
	unsigned int i, j, n;

	/* The platform's own ranges never overlap. */
	assert_int_equal(vm_claims_check(&cfg), 0);
	n = vm_claims(&cfg, NULL, c);
	for (i = 0; i < n; i++) {
		assert_false(c[i].user);
		assert_null(c[i].opaque);
		for (j = 0; j < i; j++)
			assert_false(c[i].io == c[j].io && c[i].base < c[j].base + c[j].size &&
				     c[j].base < c[i].base + c[i].size);
	}

	cfg.debug_exit = (struct debug_exit_config){ true, 0xf4, 4 };
	assert_int_equal(vm_claims_check(&cfg), 0);
	assert_int_equal(vm_claims(&cfg, NULL, c), n + 1);
	assert_true(c[n].user);
	assert_int_equal(c[n].base, 0xf4);
	cfg.debug_exit = (struct debug_exit_config){ true, 0xffff, 1 };
	assert_int_equal(vm_claims_check(&cfg), 0);
	/* Touching a range from either side, or inside an in-kernel device. */
	cfg.debug_exit = (struct debug_exit_config){ true, 0x3f0, 9 };
	assert_int_equal(vm_claims_check(&cfg), -EBUSY);
	cfg.debug_exit = (struct debug_exit_config){ true, 0x3ff, 2 };
	assert_int_equal(vm_claims_check(&cfg), -EBUSY);
	cfg.debug_exit = (struct debug_exit_config){ true, 0x400, 2 };
	assert_int_equal(vm_claims_check(&cfg), 0);
	cfg.debug_exit = (struct debug_exit_config){ true, 0x43, 1 };
	assert_int_equal(vm_claims_check(&cfg), -EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_dispatch),
		cmocka_unit_test(test_many_ranges),
		cmocka_unit_test(test_debug_exit),
		cmocka_unit_test(test_acpi_pm),
		cmocka_unit_test(test_claims),
	};

	return cmocka_run_group_tests_name("bus", tests, NULL, NULL);
}
