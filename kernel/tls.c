/* kernel/tls.c: set_thread_area, the call that gives a program its own data segments
 * (glibc keeps its thread pointer in %gs). Descriptors are checked as Linux checks them. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/gdt.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

/* struct user_desc from <asm/ldt.h>. */
struct user_desc {
    uint32_t entry_number, base_addr, limit;
    uint32_t seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1,
        seg_not_present : 1, useable : 1;
};

/* The two spellings of "no descriptor": every field 0, or Linux's LDT_empty pattern
 * (read-only and not present). Either clears the slot. */
static int desc_empty(const struct user_desc *d)
{
    int zero = !d->base_addr && !d->limit && !d->contents && !d->seg_32bit &&
               !d->limit_in_pages && !d->useable;
    return zero && d->read_exec_only == d->seg_not_present;
}

/* What Linux accepts (arch/x86/kernel/tls.c, tls_desc_okay): 32-bit data segments
 * only, present. A code segment could be loaded into %cs with any base; a 16-bit one
 * needs the espfix dance; a not-present one would fault on the way back to user mode.
 * Base and limit are not checked: a segment's reach into the kernel half still goes
 * through the page tables, whose kernel pages user mode cannot touch (Silberschatz,
 * Operating System Concepts 8.4: segmentation with paging). */
static int desc_okay(const struct user_desc *d)
{
    return d->seg_32bit && d->contents <= 1 && !d->seg_not_present;
}

/* The descriptor the CPU reads (Linux's fill_ldt): DPL 3, data, writable unless
 * read_exec_only, expand-down if contents is 1, byte or page granular limit. */
static struct segdesc desc_fill(const struct user_desc *d)
{
    struct segdesc s;
    s.limit_lo = d->limit & 0xFFFF;
    s.base_lo = d->base_addr & 0xFFFF;
    s.base_mid = (d->base_addr >> 16) & 0xFF;
    s.access = 0x80 | (3 << 5) | 0x10 | (d->contents << 2) | ((!d->read_exec_only) << 1) | 1;
    s.limit_hi_flags = (d->limit_in_pages << 7) | (d->seg_32bit << 6) | (d->useable << 4) |
                       ((d->limit >> 16) & 0x0F);
    s.base_hi = d->base_addr >> 24;
    return s;
}

static int slot_free(const struct segdesc *s)
{
    static const struct segdesc zero;
    return memcmp(s, &zero, sizeof(zero)) == 0;
}

/* entry_number -1 asks for a free slot; its number goes back to the caller. */
SYSCALL(set_thread_area)
{
    struct user_desc d;
    struct proc *p = myproc();
    if (copyin(&d, ARG1(tf), sizeof(d)) < 0)
        return -EFAULT;
    if (!desc_empty(&d) && !desc_okay(&d))
        return -EINVAL;
    int slot = (int)d.entry_number;
    if (slot == -1) {
        for (slot = 0; slot < SEG_TLS_COUNT && !slot_free(&p->tls[slot]); slot++)
            ;
        if (slot == SEG_TLS_COUNT)
            return -ESRCH;
        d.entry_number = SEG_TLS_MIN + slot;
        if (copyout(ARG1(tf), &d, sizeof(d)) < 0)
            return -EFAULT;
    } else {
        uint32_t idx = d.entry_number - SEG_TLS_MIN;   /* unsigned: INT_MIN cannot overflow */
        if (idx >= SEG_TLS_COUNT)
            return -EINVAL;
        slot = (int)idx;
    }
    if (desc_empty(&d))
        memset(&p->tls[slot], 0, sizeof(p->tls[slot]));
    else
        p->tls[slot] = desc_fill(&d);
    gdt_load_tls(p->tls);
    return 0;
}
