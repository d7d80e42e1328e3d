// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage loading for the 64-bit boot protocol (Documentation/arch/x86/
 * boot.rst): the protected-mode kernel goes to 1 MiB, the boot CPU starts
 * in long mode at its startup_64 (load address + 0x200) with RSI pointing
 * at the zero page.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <asm/bootparam.h>
#include <asm/processor-flags.h>
#include <linux/kvm.h>

#include "arch/x86/boot.h"
#include "arch/x86/e820.h"
#include "arch/x86/layout.h"

#define BOOT_FLAG_MAGIC		0xaa55
#define HDRS_MAGIC		0x53726448	/* "HdrS" */
#define SETUP_HDR_OFFSET	0x1f1
#define LOADER_TYPE_UNDEFINED	0xff
#define STARTUP_64_OFFSET	0x200

/* msr-index.h is not UAPI. */
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)

#define GDT_SEL_CODE		0x10	/* __BOOT_CS */
#define GDT_SEL_DATA		0x18	/* __BOOT_DS */
#define GDT_SEL_TSS		0x20
#define GDT_ENTRIES		5

#define PTE_PRESENT		0x1ULL
#define PTE_RW			0x2ULL
#define PTE_PS			0x80ULL
#define PD_PAGES		4		/* 4 x 1 GiB of 2 MiB pages */

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static int boot_check_header(const struct boot_files *f, struct setup_header *hdr,
			     size_t *setup_size, const char **why)
{
	const uint8_t *k = f->kernel;
	size_t hdr_end;

	if (f->kernel_size < 0x264 || get_le16(k + 0x1fe) != BOOT_FLAG_MAGIC ||
	    get_le32(k + 0x202) != HDRS_MAGIC) {
		*why = "not a Linux bzImage (no boot sector magic or HdrS header)";
		return -ENOEXEC;
	}
	/* The header ends at 0x202 + the byte at 0x201 (its jump offset). */
	hdr_end = 0x202 + k[0x201];
	if (hdr_end > f->kernel_size || hdr_end < 0x264)
		hdr_end = 0x264;
	if (hdr_end - SETUP_HDR_OFFSET > sizeof(*hdr))
		hdr_end = SETUP_HDR_OFFSET + sizeof(*hdr);
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr, k + SETUP_HDR_OFFSET, hdr_end - SETUP_HDR_OFFSET);

	if (hdr->version < BOOT_MIN_PROTOCOL) {
		*why = "boot protocol too old (need 2.12 or newer with a 64-bit entry point)";
		return -ENOEXEC;
	}
	if (!(hdr->xloadflags & XLF_KERNEL_64)) {
		*why = "kernel has no 64-bit entry point (xloadflags.XLF_KERNEL_64 clear)";
		return -ENOEXEC;
	}
	if (!(hdr->loadflags & LOADED_HIGH)) {
		*why = "not a bzImage (zImage kernels are not supported)";
		return -ENOEXEC;
	}
	*setup_size = ((size_t)(hdr->setup_sects ? hdr->setup_sects : 4) + 1) * 512;
	if (*setup_size >= f->kernel_size) {
		*why = "kernel image is truncated";
		return -ENOEXEC;
	}
	return 0;
}

static void boot_write_gdt(const struct guest_mem *mem)
{
	uint64_t gdt[GDT_ENTRIES] = {
		[GDT_SEL_CODE / 8] = 0x00af9b000000ffffULL,	/* 64-bit code, present */
		[GDT_SEL_DATA / 8] = 0x00cf93000000ffffULL,	/* flat data */
		[GDT_SEL_TSS / 8] = 0x00808b0000000000ULL,	/* busy TSS, for KVM's TR */
	};
	uint64_t idt = 0;

	guest_mem_write(mem, GDT_ADDR, gdt, sizeof(gdt));
	guest_mem_write(mem, IDT_ADDR, &idt, sizeof(idt));
}

/* Identity-maps the first 4 GiB: everything the kernel touches before it
 * builds its own page tables (image, zero page, command line, initrd). */
static void boot_write_page_tables(const struct guest_mem *mem)
{
	uint64_t *pml4 = guest_mem_ptr(mem, PML4_ADDR, 4096);
	uint64_t *pdpt = guest_mem_ptr(mem, PDPT_ADDR, 4096);
	uint64_t *pd = guest_mem_ptr(mem, PD_ADDR, 4096 * PD_PAGES);
	unsigned int i;

	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	pml4[0] = PDPT_ADDR | PTE_PRESENT | PTE_RW;
	for (i = 0; i < PD_PAGES; i++)
		pdpt[i] = (PD_ADDR + i * 4096ULL) | PTE_PRESENT | PTE_RW;
	for (i = 0; i < 512 * PD_PAGES; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_PRESENT | PTE_RW | PTE_PS;
}

/*
 * Where the kernel decompresses itself: a relocatable kernel moves to its
 * load address rounded up to kernel_alignment, but never below
 * pref_address (LOAD_PHYSICAL_ADDR, 16 MiB for Debian's); a fixed one
 * goes to pref_address. It needs init_size bytes from there.
 */
static uint64_t boot_decompress_base(const struct setup_header *h)
{
	uint64_t align = h->kernel_alignment, base = HIMEM_START;

	if (h->relocatable_kernel && align && !(align & (align - 1)))
		base = (base + align - 1) & ~(align - 1);
	if (!h->relocatable_kernel || h->pref_address > base)
		base = h->pref_address > base ? h->pref_address : base;
	return base;
}

/* Everything boot_load() will do, decided and checked before RAM is touched. */
struct boot_plan {
	struct setup_header hdr;
	size_t setup_size, payload, cmdlen;
	uint64_t initrd_addr;
};

static int boot_fail(struct boot_error *err, const char *opt, const char *why, int ret)
{
	err->opt = opt;
	err->why = why;
	return ret;
}

static int boot_plan(const struct guest_mem *mem, const struct boot_files *f,
		     struct boot_plan *p, struct boot_error *err)
{
	uint64_t low_end = guest_mem_low_end(mem), need_end, initrd_max;
	size_t cmdmax;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = boot_check_header(f, &p->hdr, &p->setup_size, &err->why);
	if (ret)
		return boot_fail(err, "-kernel", err->why, ret);

	p->payload = f->kernel_size - p->setup_size;
	need_end = boot_decompress_base(&p->hdr) + p->hdr.init_size;
	if (low_end < need_end || low_end - HIMEM_START < p->payload)
		return boot_fail(err, "-m", "not enough RAM below 4 GiB to decompress the kernel (raise -m)",
				 -ENOMEM);

	if (f->cmdline) {
		p->cmdlen = strlen(f->cmdline);
		cmdmax = p->hdr.cmdline_size ? p->hdr.cmdline_size : 255;
		if (cmdmax > CMDLINE_MAX - 1)
			cmdmax = CMDLINE_MAX - 1;
		if (p->cmdlen > cmdmax)
			return boot_fail(err, "-append", "kernel command line is longer than the "
					 "kernel accepts", -E2BIG);
	}

	if (f->initrd) {
		/* As high as allowed, above the kernel's decompression area. */
		initrd_max = (uint64_t)p->hdr.initrd_addr_max + 1;
		if (!p->hdr.initrd_addr_max || initrd_max > low_end)
			initrd_max = low_end;
		if (f->initrd_size > initrd_max ||
		    ((initrd_max - f->initrd_size) & ~0xfffULL) < need_end)
			return boot_fail(err, "-initrd", "initrd does not fit in RAM above the "
					 "kernel (raise -m)", -ENOMEM);
		p->initrd_addr = (initrd_max - f->initrd_size) & ~0xfffULL;
	}
	return 0;
}

int boot_check(const struct guest_mem *layout, const struct boot_files *f,
	       struct boot_error *err)
{
	struct boot_plan p;

	return boot_plan(layout, f, &p, err);
}

int boot_load(const struct guest_mem *mem, const struct boot_files *f,
	      struct boot_info *info, struct boot_error *err)
{
	struct boot_params *bp;
	struct boot_plan p;
	int ret;

	ret = boot_plan(mem, f, &p, err);
	if (ret)
		return ret;

	/* Only the fields set below may be nonzero. */
	bp = guest_mem_ptr(mem, ZERO_PAGE_ADDR, sizeof(*bp));
	memset(bp, 0, sizeof(*bp));
	/* Only the setup header is copied: a nonzero sentinel byte would make
	 * the kernel wipe acpi_rsdp_addr and the E820 table. */
	bp->hdr = p.hdr;
	bp->hdr.type_of_loader = LOADER_TYPE_UNDEFINED;
	bp->hdr.loadflags &= ~(KEEP_SEGMENTS | CAN_USE_HEAP);
	bp->hdr.cmd_line_ptr = CMDLINE_ADDR;
	if (f->initrd) {
		bp->hdr.ramdisk_image = (uint32_t)p.initrd_addr;
		bp->ext_ramdisk_image = (uint32_t)(p.initrd_addr >> 32);
		bp->hdr.ramdisk_size = (uint32_t)f->initrd_size;
		bp->ext_ramdisk_size = (uint32_t)((uint64_t)f->initrd_size >> 32);
		guest_mem_write(mem, p.initrd_addr, f->initrd, f->initrd_size);
	}
	bp->acpi_rsdp_addr = f->rsdp;
	bp->e820_entries = e820_build(mem, bp->e820_table, E820_MAX_ENTRIES_ZEROPAGE);

	guest_mem_write(mem, CMDLINE_ADDR, f->cmdline ? f->cmdline : "", p.cmdlen + 1);
	guest_mem_write(mem, HIMEM_START, f->kernel + p.setup_size, p.payload);
	boot_write_gdt(mem);
	boot_write_page_tables(mem);

	info->kernel_addr = HIMEM_START;
	info->entry = HIMEM_START + STARTUP_64_OFFSET;
	info->initrd_addr = p.initrd_addr;
	info->protocol = p.hdr.version;
	return 0;
}

static void boot_segment(struct kvm_segment *s, uint16_t sel, uint8_t type, bool code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

void boot_regs(const struct boot_info *info, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	memset(regs, 0, sizeof(*regs));
	regs->rflags = 0x2;		/* bit 1 is reserved-one; IF clear */
	regs->rip = info->entry;
	regs->rsp = BOOT_STACK;
	regs->rbp = BOOT_STACK;
	regs->rsi = ZERO_PAGE_ADDR;

	boot_segment(&sregs->cs, GDT_SEL_CODE, 0xb, true);
	boot_segment(&sregs->ds, GDT_SEL_DATA, 0x3, false);
	sregs->es = sregs->fs = sregs->gs = sregs->ss = sregs->ds;
	memset(&sregs->tr, 0, sizeof(sregs->tr));
	sregs->tr.selector = GDT_SEL_TSS;
	sregs->tr.limit = 0xffff;
	sregs->tr.type = 0xb;
	sregs->tr.present = 1;

	sregs->gdt.base = GDT_ADDR;
	sregs->gdt.limit = GDT_ENTRIES * 8 - 1;
	sregs->idt.base = IDT_ADDR;
	sregs->idt.limit = 7;

	sregs->cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_ET;
	sregs->cr3 = PML4_ADDR;
	sregs->cr4 = X86_CR4_PAE;
	sregs->efer = EFER_LME | EFER_LMA;
}
