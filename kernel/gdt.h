/* kernel/gdt.h: the segment descriptors (flat kernel and user segments), the TSS
 * that tells the CPU which kernel stack to use on a trap from ring 3, and TLS slots. */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include <stdint.h>

/* Selector values. The indices match Linux i386, so glibc's %gs values are the same. */
#define SEG_KCODE 1
#define SEG_KDATA 2
#define SEG_UCODE 3
#define SEG_UDATA 4
#define SEG_TSS   5
#define SEG_TLS_MIN 6          /* GDT_ENTRY_TLS_MIN on Linux i386 */
#define SEG_TLS_COUNT 3
#define SEG_DFTSS 9            /* the double-fault task's TSS (kernel/doublefault.c) */
#define NSEGS 10

#define KCODE_SEL (SEG_KCODE << 3)
#define KDATA_SEL (SEG_KDATA << 3)
#define UCODE_SEL ((SEG_UCODE << 3) | 3)
#define UDATA_SEL ((SEG_UDATA << 3) | 3)

/* A segment descriptor as the CPU reads it (SDM vol. 3, 3.4.5). */
struct segdesc {
    uint16_t limit_lo, base_lo;
    uint8_t base_mid, access, limit_hi_flags, base_hi;
};

void gdt_init(void);
void tss_set_kernel_stack(uint32_t esp0);
void gdt_set_tss(int seg, const void *tss, uint32_t size);   /* a TSS descriptor at seg */
void gdt_load_tls(const struct segdesc tls[SEG_TLS_COUNT]);
struct segdesc segdesc_make(uint32_t base, uint32_t limit_pages, int dpl, int code, int present);

#endif
