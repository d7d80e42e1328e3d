// SPDX-License-Identifier: GPL-2.0
/* bzImage checks, boot_params, E820 and initial register state. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/bootparam.h>
#include <asm/e820.h>
#include <linux/kvm.h>

#include "arch/x86/bios.h"
#include "arch/x86/boot.h"
#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "lib/guest_mem.h"

#define IMG_SIZE	(256 * 1024)
#define SETUP_SECTS	4
#define INIT_SIZE	(8U << 20)

struct fixture {
	struct guest_mem mem;
	uint8_t *img;
	uint8_t initrd[10000];
	struct boot_files f;
};

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

/* A minimal image with the setup header fields boot.rst defines. */
static uint8_t *fake_bzimage(void)
{
	uint8_t *k = calloc(1, IMG_SIZE);
	size_t i;

	k[0x1f1] = SETUP_SECTS;
	put16(k + 0x1fe, 0xaa55);
	k[0x201] = 0x66;			/* header ends at 0x268 */
	put32(k + 0x202, 0x53726448);
	put16(k + 0x206, 0x020f);
	k[0x211] = LOADED_HIGH;
	put32(k + 0x22c, 0x7fffffff);		/* initrd_addr_max */
	put32(k + 0x230, 0x200000);		/* kernel_alignment */
	k[0x234] = 1;				/* relocatable */
	put16(k + 0x236, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	put32(k + 0x238, 2047);			/* cmdline_size */
	put32(k + 0x260, INIT_SIZE);
	for (i = (SETUP_SECTS + 1) * 512; i < IMG_SIZE; i++)
		k[i] = (uint8_t)(i * 7);
	return k;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	x86_guest_mem_layout(&fx->mem, 64ULL << 20);
	assert_int_equal(guest_mem_alloc(&fx->mem), 0);
	fx->img = fake_bzimage();
	memset(fx->initrd, 0x5a, sizeof(fx->initrd));
	fx->f = (struct boot_files){
		.kernel = fx->img, .kernel_size = IMG_SIZE,
		.initrd = fx->initrd, .initrd_size = sizeof(fx->initrd),
		.cmdline = "console=ttyS0 quiet", .rsdp = ACPI_START,
	};
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	guest_mem_free(&fx->mem);
	free(fx->img);
	free(fx);
	return 0;
}

static void test_load_ok(void **state)
{
	struct fixture *fx = *state;
	struct boot_info info;
	struct boot_params *bp;
	struct boot_error why = { 0 };
	uint64_t initrd;
	size_t payload = IMG_SIZE - (SETUP_SECTS + 1) * 512;

	assert_int_equal(boot_load(&fx->mem, &fx->f, &info, &why), 0);
	assert_int_equal(info.entry, HIMEM_START + 0x200);
	assert_int_equal(info.protocol, 0x020f);
	bp = guest_mem_ptr(&fx->mem, ZERO_PAGE_ADDR, sizeof(*bp));
	assert_int_equal(bp->hdr.boot_flag, 0xaa55);
	assert_int_equal(bp->hdr.header, 0x53726448);
	assert_int_equal(bp->hdr.type_of_loader, 0xff);
	assert_int_equal(bp->sentinel, 0);
	assert_int_equal(bp->acpi_rsdp_addr, ACPI_START);
	assert_int_equal(bp->hdr.cmd_line_ptr, CMDLINE_ADDR);
	assert_string_equal(guest_mem_ptr(&fx->mem, CMDLINE_ADDR, 1), "console=ttyS0 quiet");

	/* Kernel payload copied to 1 MiB. */
	assert_memory_equal(guest_mem_ptr(&fx->mem, HIMEM_START, payload),
			    fx->img + (SETUP_SECTS + 1) * 512, payload);

	/* initrd: page aligned, at the top of RAM, above the decompression area. */
	initrd = bp->hdr.ramdisk_image | (uint64_t)bp->ext_ramdisk_image << 32;
	assert_int_equal(initrd, info.initrd_addr);
	assert_int_equal(initrd & 0xfff, 0);
	assert_true(initrd + sizeof(fx->initrd) <= (64ULL << 20));
	assert_true(initrd + sizeof(fx->initrd) > (64ULL << 20) - 4096);
	/* Decompression runs at 1 MiB rounded up to kernel_alignment (2 MiB). */
	assert_true(initrd >= 0x200000 + INIT_SIZE);
	assert_int_equal(bp->hdr.ramdisk_size, sizeof(fx->initrd));
	assert_memory_equal(guest_mem_ptr(&fx->mem, initrd, sizeof(fx->initrd)), fx->initrd,
			    sizeof(fx->initrd));

	/* E820 in the zero page: RAM below 640K, reserved BIOS area, RAM, ECAM. */
	assert_int_equal(bp->e820_entries, 4);
	assert_int_equal(bp->e820_table[0].addr, 0);
	assert_int_equal(bp->e820_table[0].size, EBDA_START);
	assert_int_equal(bp->e820_table[0].type, E820_RAM);
	assert_int_equal(bp->e820_table[1].type, E820_RESERVED);
	assert_int_equal(bp->e820_table[2].addr, HIMEM_START);
	assert_int_equal(bp->e820_table[2].size, (64ULL << 20) - HIMEM_START);
	assert_int_equal(bp->e820_table[3].addr, ECAM_BASE);
	assert_int_equal(bp->e820_table[3].size, ECAM_SIZE);
	assert_int_equal(bp->e820_table[3].type, E820_RESERVED);
}

static void test_page_tables(void **state)
{
	struct fixture *fx = *state;
	struct boot_info info;
	struct boot_error why;
	uint64_t *pml4, *pdpt, *pd;

	assert_int_equal(boot_load(&fx->mem, &fx->f, &info, &why), 0);
	pml4 = guest_mem_ptr(&fx->mem, PML4_ADDR, 4096);
	pdpt = guest_mem_ptr(&fx->mem, PDPT_ADDR, 4096);
	pd = guest_mem_ptr(&fx->mem, PD_ADDR, 4 * 4096);
	assert_int_equal(pml4[0] & ~0xfffULL, PDPT_ADDR);
	assert_int_equal(pdpt[3] & ~0xfffULL, PD_ADDR + 3 * 4096);
	/* Identity: entry n maps 2 MiB page n, present, writable, large. */
	assert_int_equal(pd[0], 0x83);
	assert_int_equal(pd[2047], (2047ULL << 21) | 0x83);
}

static void test_regs(void **state)
{
	struct boot_info info = { .entry = HIMEM_START + 0x200 };
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	memset(&sregs, 0xaa, sizeof(sregs));
	boot_regs(&info, &regs, &sregs);
	assert_int_equal(regs.rip, HIMEM_START + 0x200);
	assert_int_equal(regs.rsi, ZERO_PAGE_ADDR);
	assert_int_equal(regs.rflags, 2);
	assert_int_equal(sregs.cs.l, 1);
	assert_int_equal(sregs.cs.selector, 0x10);
	assert_int_equal(sregs.ds.selector, 0x18);
	assert_int_equal(sregs.efer & 0x500, 0x500);	/* LME | LMA */
	assert_int_equal(sregs.cr3, PML4_ADDR);
	assert_true(sregs.cr0 & 0x80000001);
}

static void expect_error(struct fixture *fx, int err, const char *opt, const char *words)
{
	struct boot_info info;
	struct boot_error why = { 0 };
	uint8_t before[64];

	/* boot_check() decides the same without writing guest memory. */
	memcpy(before, guest_mem_ptr(&fx->mem, ZERO_PAGE_ADDR, sizeof(before)), sizeof(before));
	assert_int_equal(boot_check(&fx->mem, &fx->f, &why), err);
	assert_string_equal(why.opt, opt);
	assert_non_null(strstr(why.why, words));
	memset(&why, 0, sizeof(why));
	assert_int_equal(boot_load(&fx->mem, &fx->f, &info, &why), err);
	assert_string_equal(why.opt, opt);
	assert_non_null(strstr(why.why, words));
	assert_memory_equal(before, guest_mem_ptr(&fx->mem, ZERO_PAGE_ADDR, sizeof(before)),
			    sizeof(before));
}

static void test_not_a_kernel(void **state)
{
	struct fixture *fx = *state;

	put32(fx->img + 0x202, 0x12345678);
	expect_error(fx, -ENOEXEC, "-kernel", "not a Linux bzImage");
	fx->f.kernel_size = 100;	/* shorter than a setup header */
	expect_error(fx, -ENOEXEC, "-kernel", "not a Linux bzImage");
}

static void test_old_protocol(void **state)
{
	struct fixture *fx = *state;

	put16(fx->img + 0x206, 0x0206);
	expect_error(fx, -ENOEXEC, "-kernel", "too old");
}

static void test_no_64bit_entry(void **state)
{
	struct fixture *fx = *state;

	put16(fx->img + 0x236, 0);
	expect_error(fx, -ENOEXEC, "-kernel", "64-bit");
}

static void test_truncated(void **state)
{
	struct fixture *fx = *state;

	fx->img[0x1f1] = 10;		/* setup code larger than the file */
	fx->f.kernel_size = 0x1000;
	expect_error(fx, -ENOEXEC, "-kernel", "truncated");
}

static void test_ram_too_small(void **state)
{
	struct fixture *fx = *state;

	put32(fx->img + 0x260, 80U << 20);	/* init_size beyond 64 MiB */
	expect_error(fx, -ENOMEM, "-m", "not enough RAM");
}

static void test_pref_address(void **state)
{
	struct fixture *fx = *state;

	/*
	 * A kernel that decompresses at 16 MiB (pref_address) with 50 MiB
	 * init_size does not fit in 64 MiB, though 1 MiB + 50 MiB would.
	 */
	put32(fx->img + 0x260, 50U << 20);
	put32(fx->img + 0x258, 16U << 20);
	expect_error(fx, -ENOMEM, "-m", "not enough RAM");
	/* Not relocatable: pref_address is where it goes, whatever the alignment. */
	put32(fx->img + 0x258, 0);
	put32(fx->img + 0x260, 8U << 20);
	fx->f.initrd = NULL;
	fx->img[0x234] = 0;
	put32(fx->img + 0x258, 60U << 20);
	expect_error(fx, -ENOMEM, "-m", "not enough RAM");
}

static void test_initrd_too_big(void **state)
{
	struct fixture *fx = *state;
	static uint8_t big[60 << 20];

	fx->f.initrd = big;
	fx->f.initrd_size = sizeof(big);
	expect_error(fx, -ENOMEM, "-initrd", "initrd does not fit");
}

static void test_cmdline_too_long(void **state)
{
	struct fixture *fx = *state;
	char *s = malloc(4000);

	memset(s, 'a', 3999);
	s[3999] = 0;
	fx->f.cmdline = s;
	expect_error(fx, -E2BIG, "-append", "longer than the kernel accepts");
	free(s);
}

static void test_e820_high_ram(void **state)
{
	struct guest_mem mem;
	struct boot_e820_entry t[8];
	unsigned int n;

	x86_guest_mem_layout(&mem, 6ULL << 30);
	n = e820_build(&mem, t, 8);
	assert_int_equal(n, 5);
	assert_int_equal(t[2].addr + t[2].size, LOW_RAM_MAX);
	assert_int_equal(t[4].addr, HIGH_RAM_START);
	assert_int_equal(t[4].size, (6ULL << 30) - LOW_RAM_MAX);
	assert_int_equal(t[4].type, E820_RAM);
	assert_int_equal(guest_mem_top(&mem), HIGH_RAM_START + (6ULL << 30) - LOW_RAM_MAX);
	/* A short table truncates rather than overflowing. */
	assert_int_equal(e820_build(&mem, t, 2), 2);
}

static void test_guest_mem_bounds(void **state)
{
	struct fixture *fx = *state;
	uint64_t end = 64ULL << 20;
	uint8_t b = 0;

	assert_non_null(guest_mem_ptr(&fx->mem, end - 1, 1));
	assert_null(guest_mem_ptr(&fx->mem, end - 1, 2));
	assert_null(guest_mem_ptr(&fx->mem, end, 1));
	assert_null(guest_mem_ptr(&fx->mem, 0, UINT64_MAX));
	assert_null(guest_mem_ptr(&fx->mem, UINT64_MAX, 2));
	assert_int_equal(guest_mem_write(&fx->mem, end, &b, 1), -EFAULT);
	assert_int_equal(guest_mem_read(&fx->mem, end - 1, &b, 1), 0);
}

static void test_reset_vector(void **state)
{
	struct fixture *fx = *state;
	const uint8_t *p;

	assert_int_equal(bios_write_reset_vector(&fx->mem), 0);
	p = guest_mem_ptr(&fx->mem, BIOS_RESET_VECTOR, 16);
	/* mov dx, PIO_ACPI_RESET; mov al, ACPI_RESET_VALUE; out dx, al; hlt */
	assert_int_equal(p[0], 0xba);
	assert_int_equal(p[1] | p[2] << 8, PIO_ACPI_RESET);
	assert_int_equal(p[3], 0xb0);
	assert_int_equal(p[4], ACPI_RESET_VALUE);
	assert_int_equal(p[5], 0xee);
	assert_int_equal(p[6], 0xf4);
	/* The vector lies in the E820 reserved BIOS area, so Linux leaves it. */
	assert_true(BIOS_RESET_VECTOR >= EBDA_START && BIOS_RESET_VECTOR + 16 <= HIMEM_START);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_tables, setup, teardown),
		cmocka_unit_test(test_regs),
		cmocka_unit_test_setup_teardown(test_not_a_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_64bit_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_too_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pref_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_too_long, setup, teardown),
		cmocka_unit_test(test_e820_high_ram),
		cmocka_unit_test_setup_teardown(test_guest_mem_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_vector, setup, teardown),
	};

	return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
