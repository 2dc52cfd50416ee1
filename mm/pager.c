/* mm/pager.c: the fill step of a page fault (Tanenbaum, MOS 3.6.2, steps 5-7) for private
 * regions, as two tables of region operations (mm/vma.h): an anonymous page starts as
 * zeros; a private file page is the file's page from the page cache (mm/pagecache.c),
 * shared read-only until written; a swapped-out page is read from its slot. While the
 * disk works the frame is Busy and the faulting process sleeps; then the PTE is written.
 * Shared regions have their own table (mm/shmem.c). */
#include "mm/pager.h"
#include "mm/ptshare.h"
#include "mm/vma.h"
#include "mm/cow.h"
#include "mm/pagecache.h"
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
#include "kernel/panic.h"      /* the labs' stubs (docs/labs/swap.md, lazy.md) */

/* An anonymous page starts as zeros: a frame the idle loop zeroed, if there is one. */
static int zero_page(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    /* LAB lazy: BEGIN */
    uint32_t pa = evict_alloc_frame(1);
    if (!pa)
        return -ENOMEM;
    check_zeroed(pa);                   /* vm.check=1 (one test when it is off) */
    VM_COUNT(zero_fills);
    VM_COUNT(minor_faults);
    /* Tanenbaum, MOS 3.6.2 step 7: update the page table. Accessed, and for a write fault
     * dirty, as the restarted instruction would leave it (Linux's pte_mkyoung and
     * pte_mkdirty): a page evicted before that instruction even runs again would make one
     * fault evict the page the other needs, for ever. A read fault's page is clean: its
     * contents can be recreated (zeros), so evicting it needs no write. */
    int err = rmap_map(mm, va, pte, pa, vma_pte_flags(v->prot) | PTE_A | (write ? PTE_D : 0));
    if (err)
        evict_free_frame(pa);
    else                                /* traced once mapped: the line shows the PTE */
        trace_fault(mm, TRACE_ZERO_FILL, va, pa, write);
    return err;
    /* LAB lazy: STUB
    (void)mm, (void)v, (void)va, (void)pte, (void)write;
    panic("lab lazy: write zero_page() in mm/pager.c (docs/labs/lazy.md)");
    LAB lazy: END */
}

/* How many bytes of page va come from the file: PGSIZE, fewer (the file's last page, or
 * the end of a data segment: zeros follow), 0 (bss: all zeros), or -ENXIO for a page of
 * an mmap wholly past the end of the file, which the fault handler turns into SIGBUS
 * (BUS_ADRERR), as on Linux. An mmap goes by the file's size now (a tmpfs file grows and
 * shrinks under its mappings); exec's regions by the segment's size in the executable. */
static int file_part(struct vma *v, uint32_t va)
{
    uint32_t in_vma = va - v->start;
    uint32_t bytes = v->file_bytes > in_vma ? v->file_bytes - in_vma : 0;
    if (v->flags & VMA_MMAP) {
        uint32_t off = v->file_off + in_vma;
        bytes = v->file->size > off ? v->file->size - off : 0;
        if (bytes == 0)
            return -ENXIO;
    }
    return bytes < PGSIZE ? (int)bytes : (int)PGSIZE;
}

/* Tanenbaum, MOS 3.6.2 step 6, through the page cache: the file's page, read from the
 * disk only if no process has it in memory already. A whole page that is only read is
 * the cached page itself, mapped read-only: every process running one program shares
 * its text, and a write copies it (cow_fault). A prepaged page is brought in without a
 * fault, so it is counted apart and not traced. */
static int map_cached(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, int prepage)
{
    struct frame *f;
    int took = pcache_get(&v->file->cache, vma_index(v, va), &f);
    if (took < 0)
        return took;
    uint32_t bits = prepage ? 0 : PTE_A;   /* prepaged: not used yet */
    int err = rmap_map(mm, va, pte, frame_pa(f), (vma_pte_flags(v->prot) & ~PTE_W) | bits);
    if (err)
        return err;                     /* the cache keeps the page */
    if (prepage && took != TRACE_CACHE_HIT) {
        f->flags |= FRAME_PREPAGED;
        VM_COUNT(prepaged);
    } else if (!prepage) {
        pcache_count_fault(took);
        trace_fault(mm, took, va, frame_pa(f), 0);
    }
    return 0;
}

/* A private page of its own: the first `part` bytes of the cached page, zeros after
 * (a partial last page must not show what follows in the file), or a first touch that
 * writes. The frame is taken first: getting it may evict, and must not evict the
 * cached page between the look-up and the copy. */
static int copy_cached(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write,
                       int part)
{
    uint32_t pa = evict_alloc_frame(0);
    if (!pa)
        return -ENOMEM;
    struct frame *f;
    int took = pcache_get(&v->file->cache, vma_index(v, va), &f);
    if (took < 0) {
        evict_free_frame(pa);
        return took;
    }
    memcpy(P2V(pa), P2V(frame_pa(f)), part);
    memset((char *)P2V(pa) + part, 0, PGSIZE - part);
    int err = rmap_map(mm, va, pte, pa, vma_pte_flags(v->prot) | PTE_A | (write ? PTE_D : 0));
    if (err) {
        evict_free_frame(pa);
        return err;
    }
    pcache_count_fault(took);
    trace_fault(mm, took, va, pa, write);
    return 0;
}

static int file_page(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write,
                     int prepage)
{
    int part = file_part(v, va);
    if (part < 0)
        return part;
    if (part == 0)
        return zero_page(mm, v, va, pte, write);
    if (part == PGSIZE && !write)
        return map_cached(mm, v, va, pte, prepage);
    return copy_cached(mm, v, va, pte, write, part);
}

/* LAB swap: BEGIN */
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
    err = rmap_map(mm, va, pte, frame_pa(f), flags);
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
/* LAB swap: STUB
static int swap_in(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    (void)mm, (void)v, (void)va, (void)pte, (void)write;
    panic("lab swap: write swap_in() in mm/pager.c (docs/labs/swap.md)");
}
LAB swap: END */

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
        pte_t *pte = ptshare_break(mm, a) < 0 ? NULL : pgtable_walk(mm->pgdir, a, 1);
        if (!pte || (*pte == 0 && file_page(mm, v, a, pte, 0, 1) < 0))
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

/* A region's own pages: zeros, or a copy on swap (the PTE holds its slot). */
static int anon_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    if (pte_is_swap(*pte))
        return swap_in(mm, v, va, pte, write);
    return zero_page(mm, v, va, pte, write);
}

/* A private file mapping: the file's page, or (once written) a private copy, which
 * goes to swap like an anonymous page. */
static int file_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    if (pte_is_swap(*pte))
        return swap_in(mm, v, va, pte, write);
    int err = file_page(mm, v, va, pte, write, 0);
    if (!err)
        prepage_after(mm, v, va);
    return err;
}

const struct vma_ops pager_anon_ops = {
    .name = "anon", .fill = anon_fill, .write_protected = cow_fault,
};
const struct vma_ops pager_file_ops = {
    .name = "file", .fill = file_fill, .write_protected = cow_fault,
};

int pager_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    evict_local(mm, v);                 /* at its RSS limit: one of its own pages goes */
    return v->ops->fill(mm, v, va, pte, write);
}
