/* mm/ptshare.c: fork that shares page tables (vm.cow=2; the "On-demand fork" of Zhao
 * et al., EuroSys 2021). Fork copies the page directory only: the child's user entries
 * point at the parent's page tables, and both lose PTE_W. On x86 a directory entry's R/W
 * bit is ANDed with the PTE's (Intel SDM vol. 3, 4.6), so any write under a shared table
 * faults, and the fault handler gives the writer a table of its own first (unshare),
 * copying that table's PTEs the way a vm.cow=1 fork copies them all (mm/cow.c).
 * A fork of a big address space costs a directory copy, not a PTE per page.
 *
 * The frame of a shared table (FRAME_PGTABLE) counts its sharers in refs and names one of
 * them, the owner, in own_map.mm: the reverse-map entries of its pages (mm/rmap.c) name
 * the owner only, and the owner's resident and swapped counts hold them. Eviction and the
 * accessed-bit sweeps go through the reverse map and so change the PTE for every sharer
 * at once, which is right: the PTE is one. pgtable_invalidate flushes such a change
 * whichever sharer is live. Everything that changes PTEs on behalf of one address space
 * (faults, munmap, mprotect, mremap, mlock, madvise, userfaultfd) breaks the sharing first.
 * A table stops being shared when its refs fall to 1; its last sharer gets PTE_W back at
 * its next change. */
#include "mm/ptshare.h"
#include "mm/mm.h"
#include "mm/cow.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/frame.h"
#include "mm/pgtable.h"
#include "mm/pageout.h"
#include "mm/memlayout.h"
#include "mm/vmstat.h"
#include "kernel/printk.h"
#include "kernel/errno.h"

static struct frame *table_frame(pde_t pde)
{
    return frame_of(PTE_ADDR(pde));
}

/* Every user directory entry pgtable_walk makes is writable: one without W is shared,
 * or was until its other sharers left. */
static int ptshare_readonly(pde_t pde)
{
    return (pde & PTE_P) && !(pde & PTE_W);
}

static int ptshare_shared(pde_t pde)
{
    return ptshare_readonly(pde) && table_frame(pde)->refs >= 2;
}

void ptshare_fork(struct mm *parent, struct mm *child)
{
    for (uint32_t i = 0; i < PDX(USER_TOP); i++) {
        pde_t pde = parent->pgdir[i];
        if (!(pde & PTE_P))
            continue;
        struct frame *t = table_frame(pde);
        if (t->refs < 2) {              /* not shared yet: the parent's alone */
            t->refs = 1;
            t->own_map.mm = parent;
        }
        t->refs++;
        parent->pgdir[i] = child->pgdir[i] = pde & ~PTE_W;
        VM_COUNT(tables_shared);
    }
}

/* Another address space whose directory points at the table at index pdx. O(address
 * spaces), on the rare event of an owner leaving a table it shares. */
static int ptshare_maps(struct mm *o, uint32_t pdx, uint32_t table)
{
    return (o->pgdir[pdx] & PTE_P) && PTE_ADDR(o->pgdir[pdx]) == table;
}

static struct mm *ptshare_other(struct mm *mm, uint32_t pdx)
{
    for (struct mm *o = mm_all; o; o = o->next_mm)
        if (o != mm && ptshare_maps(o, pdx, PTE_ADDR(mm->pgdir[pdx])))
            return o;
    return NULL;
}

/* The owner leaves the table: its reverse-map entries and counts go to another sharer. */
static void ptshare_reown(struct mm *from, uint32_t pdx)
{
    struct mm *to = ptshare_other(from, pdx);
    pte_t *table = P2V(PTE_ADDR(from->pgdir[pdx]));
    for (uint32_t j = 0; j < NPTENTRIES; j++) {
        if (table[j] & PTE_P) {
            rmap_reown(from, to, (pdx << 22) | (j << PGSHIFT), &table[j]);
        } else if (table[j]) {
            from->swapped--;            /* one swap entry, one slot reference: now to's */
            to->swapped++;
        }
    }
    table_frame(from->pgdir[pdx])->own_map.mm = to;
}

/* mm is no sharer of the table at pdx any more (its directory entry is changed by the caller). */
static void ptshare_leave(struct mm *mm, uint32_t pdx)
{
    struct frame *t = table_frame(mm->pgdir[pdx]);
    if (t->own_map.mm == mm)
        ptshare_reown(mm, pdx);
    if (--t->refs == 1)
        t->own_map.mm = NULL;           /* the last sharer's own table again */
}

/* The TLB may hold the shared table's entries under mm's old directory entry. */
static void ptshare_flush(struct mm *mm)
{
    if (mm->pgdir == pgdir_current())
        pgtable_flush_all();
}

/* mm gets a copy of the shared table at pdx. The copy does not sleep (cow_copy_table),
 * so no other process sees the table half left. If it fails, what was copied is dropped
 * and mm shares the table as before. */
static int ptshare_copy(struct mm *mm, uint32_t pdx)
{
    pde_t old = mm->pgdir[pdx];
    uint32_t pa = frame_alloc_zeroed(FRAME_PGTABLE);
    if (!pa)
        return -ENOMEM;
    if (table_frame(old)->own_map.mm == mm)
        ptshare_reown(mm, pdx);         /* first: mm's new entries are (mm, va) too */
    mm->pgdir[pdx] = pa | PTE_P | PTE_W | PTE_U;
    ptshare_flush(mm);
    uint32_t base = pdx << 22;
    if (cow_copy_table(mm, P2V(PTE_ADDR(old)), base) < 0) {
        vma_zap_range(mm, base, base + (1u << 22));
        mm->pgdir[pdx] = old;
        ptshare_flush(mm);              /* before the frame goes: the TLB may hold its PTEs */
        frame_free(pa);
        return -ENOMEM;
    }
    struct frame *t = table_frame(old);
    if (--t->refs == 1)
        t->own_map.mm = NULL;
    VM_COUNT(tables_copied);
    return 0;
}

static int ptshare_unshare(struct mm *mm, uint32_t pdx)
{
    if (ptshare_shared(mm->pgdir[pdx]))
        return ptshare_copy(mm, pdx);
    mm->pgdir[pdx] |= PTE_W;            /* the others left: the table is mm's alone */
    ptshare_flush(mm);
    return 0;
}

int ptshare_break_range(struct mm *mm, uint32_t start, uint32_t end)
{
    if (start >= end)
        return 0;
    for (uint32_t pdx = PDX(start); pdx <= PDX(end - 1); pdx++) {
        if (!ptshare_readonly(mm->pgdir[pdx]))
            continue;
        /* Refill the kernel's reserve for the copy's table and reverse-map entries,
         * before anything changes (reclaim may sleep; the entry is looked at again). */
        pageout_reclaim();
        if (ptshare_readonly(mm->pgdir[pdx]) && ptshare_unshare(mm, pdx) < 0)
            return -ENOMEM;
    }
    return 0;
}

void ptshare_exit(struct mm *mm)
{
    for (uint32_t pdx = 0; pdx < PDX(USER_TOP); pdx++)
        if (ptshare_shared(mm->pgdir[pdx])) {
            ptshare_leave(mm, pdx);
            mm->pgdir[pdx] = 0;         /* not live (exit and exec left it): no flush */
        }
}

int ptshare_counted_by(struct mm *mm, uint32_t pdx)
{
    return !ptshare_shared(mm->pgdir[pdx]) || table_frame(mm->pgdir[pdx])->own_map.mm == mm;
}

/* One shared table, seen from mm: its sharers number refs, none may write through its
 * directory entry, and its owner is one of them. */
static int ptshare_table_ok(struct mm *mm, uint32_t pdx, char *why, uint32_t len)
{
    struct frame *t = table_frame(mm->pgdir[pdx]);
    uint32_t n = 0, writable = 0, owner_seen = 0, table = PTE_ADDR(mm->pgdir[pdx]);
    for (struct mm *o = mm_all; o; o = o->next_mm)
        if (ptshare_maps(o, pdx, table)) {
            n++;
            writable += (o->pgdir[pdx] & PTE_W) != 0;
            owner_seen += o == t->own_map.mm;
        }
    if (n == t->refs && !writable && owner_seen)
        return 0;
    ksnprintf(why, len, "page table %x at %x: %u sharers counted %u, %u writable, owner %s",
              table, pdx << 22, n, t->refs, writable, owner_seen ? "among them" : "missing");
    return -1;
}

int ptshare_check(struct mm *mm, char *why, uint32_t len)
{
    for (uint32_t pdx = 0; pdx < PDX(USER_TOP); pdx++)
        if (ptshare_shared(mm->pgdir[pdx]) && ptshare_table_ok(mm, pdx, why, len) < 0)
            return -1;
    return 0;
}
