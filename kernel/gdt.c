/* kernel/gdt.c: builds the GDT and the TSS and loads them. Segmentation is flat
 * (base 0, limit 4 GiB): paging does all the protection; TLS uses %gs bases. */
#include "kernel/gdt.h"
#include "kernel/x86.h"
#include "kernel/string.h"

/* Only esp0/ss0 matter: the stack the CPU switches to on a trap from user mode. */
struct tss {
    uint32_t link, esp0, ss0, unused[22];
    uint16_t trap, iomap_base;
} __attribute__((packed));

static struct segdesc gdt[NSEGS];
static struct tss tss;

struct segdesc segdesc_make(uint32_t base, uint32_t limit_pages, int dpl, int code, int present)
{
    struct segdesc d;
    uint32_t limit = limit_pages - 1;     /* in 4 KiB units (G=1) */
    d.limit_lo = limit & 0xFFFF;
    d.base_lo = base & 0xFFFF;
    d.base_mid = (base >> 16) & 0xFF;
    d.access = (present ? 0x80 : 0) | (dpl << 5) | 0x10 | (code ? 0x0A : 0x02);
    d.limit_hi_flags = 0xC0 | ((limit >> 16) & 0x0F);   /* G=1, D/B=32-bit */
    d.base_hi = base >> 24;
    return d;
}

static struct segdesc tss_desc(uint32_t base, uint32_t limit)
{
    struct segdesc d;
    d.limit_lo = limit & 0xFFFF;
    d.base_lo = base & 0xFFFF;
    d.base_mid = (base >> 16) & 0xFF;
    d.access = 0x89;                      /* present, DPL 0, 32-bit available TSS */
    d.limit_hi_flags = (limit >> 16) & 0x0F;
    d.base_hi = base >> 24;
    return d;
}

void gdt_init(void)
{
    gdt[SEG_KCODE] = segdesc_make(0, 0x100000, 0, 1, 1);
    gdt[SEG_KDATA] = segdesc_make(0, 0x100000, 0, 0, 1);
    gdt[SEG_UCODE] = segdesc_make(0, 0x100000, 3, 1, 1);
    gdt[SEG_UDATA] = segdesc_make(0, 0x100000, 3, 0, 1);
    tss.ss0 = KDATA_SEL;
    tss.iomap_base = sizeof(tss);         /* no I/O permission bitmap: user port I/O faults */
    gdt[SEG_TSS] = tss_desc((uint32_t)&tss, sizeof(tss) - 1);

    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = {
        sizeof(gdt) - 1, (uint32_t)gdt
    };
    __asm__ volatile("lgdt %0" : : "m"(gdtr));
    /* Reload every segment register so the new descriptors take effect. */
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss; mov %1, %%fs; mov %1, %%gs"
                     : : "r"(KDATA_SEL), "r"(0));
    __asm__ volatile("ljmp %0, $1f; 1:" : : "i"(KCODE_SEL));
    ltr(SEG_TSS << 3);
}

void gdt_set_tss(int seg, const void *t, uint32_t size)
{
    gdt[seg] = tss_desc((uint32_t)t, size - 1);
}

void tss_set_kernel_stack(uint32_t esp0)
{
    tss.esp0 = esp0;
}

void gdt_load_tls(const struct segdesc tls[SEG_TLS_COUNT])
{
    memcpy(&gdt[SEG_TLS_MIN], tls, SEG_TLS_COUNT * sizeof(struct segdesc));
}
