/* mm/pager.c: the fill step of a page fault (Tanenbaum, MOS 3.6.2, steps 5-7). An anonymous page
 * starts as zeros; a file-backed page is read from the executable; a swapped-out
 * page is read from its slot. While the disk works the frame is Busy and the
 * faulting process sleeps; then the PTE is written. */
#include "mm/pager.h"
#include "mm/vma.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/pgtable.h"
#include "mm/memlayout.h"
#include "mm/vmstat.h"
#include "mm/trace.h"
#include "mm/check.h"
#include "fs/vfs.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/cmdline.h"

/* Read the file's part of this page; the rest (a data segment's tail, bss) is zero. A
 * page of an mmap wholly past the end of the file has nothing behind it: -ENXIO, which
 * the fault handler turns into SIGBUS (BUS_ADRERR), as on Linux. */
static int fill_from_file(struct vma *v, uint32_t va, void *page)
{
    uint32_t off_in_vma = va - v->start;
    if (off_in_vma >= v->file_bytes && (v->flags & VMA_MMAP))
        return -ENXIO;
    if (off_in_vma >= v->file_bytes) {
        memset32(page, 0, PGSIZE / 4);
        return 0;
    }
    if (vfs_read_page(v->file, v->file_off + off_in_vma, page) < 0)
        return -EIO;
    uint32_t from_file = v->file_bytes - off_in_vma;
    if (from_file < PGSIZE)
        memset((char *)page + from_file, 0, PGSIZE - from_file);
    return 0;
}

/* A page that was never resident: zeros or the file. A prepaged page is brought in
 * without a fault, so it is counted apart (and not traced as a fault). */
static int fill_new_page(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write,
                         int prepage)
{
    /* An anonymous page starts as zeros: take a frame the idle loop zeroed, if any. */
    uint32_t pa = evict_alloc_frame(!(v->flags & VMA_FILE));
    if (!pa)
        return -ENOMEM;
    void *page = P2V(pa);
    if (v->flags & VMA_FILE) {
        /* Tanenbaum, MOS 3.6.2 step 6: schedule the disk read. The frame is Busy until it is done. */
        frame_of(pa)->state = FRAME_BUSY;
        trace_frame(pa);
        int err = fill_from_file(v, va, page);
        frame_of(pa)->state = FRAME_USER;
        trace_frame(pa);
        if (err < 0) {
            evict_free_frame(pa);
            return err;
        }
        if (prepage) {
            frame_of(pa)->flags |= FRAME_PREPAGED;
            VM_COUNT(prepaged);
        } else {
            VM_COUNT(file_fills);
            VM_COUNT(major_faults);
        }
    } else {
        check_zeroed(pa);               /* vm.check=1 (one test when it is off) */
        VM_COUNT(zero_fills);
        VM_COUNT(minor_faults);
    }
    /* Tanenbaum, MOS 3.6.2 step 7: update the page table. Accessed, and for a write fault dirty, as
     * the restarted instruction would leave it (Linux's pte_mkyoung and pte_mkdirty):
     * a page evicted before that instruction even runs again would make one fault
     * evict the page the other needs, for ever. A read fault's page is clean: its
     * contents can be recreated (zeros, or the file), so evicting it needs no write. */
    uint32_t bits = prepage ? 0 : PTE_A | (write ? PTE_D : 0);   /* prepaged: not used yet */
    int err = page_map(mm, va, pte, pa, vma_pte_flags(v->prot) | bits);
    if (err)
        evict_free_frame(pa);
    else if (!prepage)                  /* traced once mapped: the line shows the PTE */
        trace_fault(mm, v->flags & VMA_FILE ? TRACE_FILE_FILL : TRACE_ZERO_FILL, va, pa, write);
    return err;
}

/* Wait while another process reads (or writes) this slot's frame; then it is either
 * resident and unchanged, or gone from the cache. */
static struct frame *swap_cache_wait(uint32_t slot)
{
    struct frame *f;
    push_cli();
    while ((f = swap_cache_lookup(slot)) && f->state == FRAME_BUSY)
        sleep(f);
    pop_cli();
    return f;
}

/* Read the slot into a new frame that is in the swap cache (so a second fault on the
 * same slot waits for this read instead of starting another). */
static struct frame *read_slot(uint32_t slot, int *err)
{
    uint32_t pa = evict_alloc_frame(0);   /* may sleep evicting: look again after */
    if (!pa) {
        *err = -ENOMEM;
        return NULL;
    }
    if (swap_cache_lookup(slot)) {
        evict_free_frame(pa);
        return NULL;                    /* someone else brought it in meanwhile */
    }
    struct frame *f = frame_of(pa);
    f->state = FRAME_BUSY;
    trace_frame(pa);
    swap_cache_add(f, slot);
    *err = swap_read(slot, P2V(pa));
    f->state = FRAME_USER;
    trace_frame(pa);
    wakeup(f);
    if (*err) {
        swap_cache_drop(f);
        evict_free_frame(pa);
        return NULL;
    }
    VM_COUNT(swap_ins);
    VM_COUNT(major_faults);
    return f;
}

/* A page out on swap. After a read fault it stays read-only and keeps its slot (the
 * swap cache): evicted again unmodified, it need not be written. A write fault makes
 * it private and dirty at once. */
static int swap_in(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    uint32_t slot = swp_slot(*pte);
    struct frame *f;
    int err = 0;
    while (!(f = swap_cache_wait(slot))) {
        f = read_slot(slot, &err);
        if (f)
            break;
        if (err)
            return err;
    }
    uint32_t flags = (vma_pte_flags(v->prot) & ~PTE_W) | PTE_A;
    if (write && f->refs == 0) {
        swap_cache_drop(f);             /* about to differ from the slot */
        trace_frame(frame_pa(f));
        flags |= PTE_W | PTE_D;
    }
    pte_t old = *pte;
    err = page_map(mm, va, pte, frame_pa(f), flags);
    if (err && f->refs == 0) {
        swap_cache_drop(f);             /* read for nobody: the slot keeps the page */
        evict_free_frame(frame_pa(f));
    }
    if (err)
        return err;
    swap_slot_put(swp_slot(old));       /* the PTE no longer holds the slot */
    mm->swapped--;
    trace_fault(mm, TRACE_SWAP_IN, va, frame_pa(f), write);
    return 0;
}

/* Prepaging (vm.prepage=N): after a fault in a file-backed region, bring in the next N
 * pages of the file that are not resident yet, betting that the program reads on. */
static void prepage_after(struct mm *mm, struct vma *v, uint32_t va)
{
    static long n = -1;
    if (n < 0)
        n = cmdline_int("vm.prepage", 0);
    for (long i = 1; i <= n; i++) {
        uint32_t a = va + i * PGSIZE;
        if (a >= v->end || a - v->start >= v->file_bytes)
            break;
        pte_t *pte = pgtable_walk(mm->pgdir, a, 1);
        if (!pte || (*pte == 0 && fill_new_page(mm, v, a, pte, 0, 1) < 0))
            break;
    }
}

void pager_settle(struct frame *f, int referenced)
{
    if (!(f->flags & FRAME_PREPAGED))
        return;
    f->flags &= ~FRAME_PREPAGED;
    if (referenced)
        vmstat_global.prepage_hits++;
    else
        vmstat_global.prepage_unused++;
}

int pager_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    evict_local(mm, v);                 /* at its RSS limit: one of its own pages goes */
    if (pte_is_swap(*pte))
        return swap_in(mm, v, va, pte, write);
    int err = fill_new_page(mm, v, va, pte, write, 0);
    if (!err && (v->flags & VMA_FILE))
        prepage_after(mm, v, va);
    return err;
}
