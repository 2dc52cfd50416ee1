/* mm/mremap.c: mremap(2) (Linux i386 163): a region shrinks, grows where it lies, or
 * moves to where it fits. glibc's realloc uses it for blocks it got from mmap, which are
 * then moved without copying a byte: only their page-table entries move (and the reverse
 * map's record of where each frame is mapped), the frames and swap slots stay where they
 * are. That is the point of paging shown in one call: a virtual address is a name, and
 * renaming memory costs one PTE a page (Silberschatz, OSC 9.1). */
#include "mm/vma.h"
#include "mm/mm.h"
#include "mm/rmap.h"
#include "mm/frame.h"
#include "mm/uffd.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/memlayout.h"
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

/* Move the PTEs of [from, from + len) to [to, to + len). The page tables at the
 * destination are made first, since making one may sleep (and reclaim); then every entry
 * moves with nothing that can sleep, so the pages are never half in both places. */
static int move_ptes(struct mm *mm, uint32_t from, uint32_t to, uint32_t len)
{
    if (ptshare_break_range(mm, from, from + len) < 0 || ptshare_break_range(mm, to, to + len) < 0)
        return -ENOMEM;
    for (uint32_t off = 0; off < len; off += PGSIZE)
        if (!pgtable_walk(mm->pgdir, to + off, 1))
            return -ENOMEM;
    for (uint32_t off = 0; off < len; off += PGSIZE) {
        pte_t *src = pgtable_walk(mm->pgdir, from + off, 0);
        if (!src || !*src)
            continue;
        pte_t *dst = pgtable_walk(mm->pgdir, to + off, 0);
        *dst = *src;                    /* a frame, or a swap entry (its slot's count holds) */
        if (*src & PTE_P)
            rmap_move(frame_of(PTE_ADDR(*src)), mm, from + off, to + off);
        pgtable_set(mm->pgdir, from + off, src, 0);
    }
    return 0;
}

/* Region v, exactly [old, old + len) after the split, moves to `to` and gets `new_len`. */
static long move_region(struct mm *mm, struct vma *v, uint32_t to, uint32_t new_len)
{
    uint32_t old = v->start, len = v->end - v->start;
    int err = move_ptes(mm, old, to, len);
    if (err)
        return err;
    if (v->uffd)
        uffd_unregister_region(mm, v);  /* Linux without UFFD_FEATURE_EVENT_REMAP: the pager
                                         * is not told of the move, so it serves it no more */
    vma_move(mm, v, to, to + new_len);
    return to;
}

/* Where a region that cannot grow in place goes, into *to: the caller's address
 * (MREMAP_FIXED: whatever was mapped there is unmapped first, as mmap's MAP_FIXED does)
 * or a free gap. 0 or -errno (an address above 2 GiB is a negative long: kept apart). */
static int destination(struct mm *mm, uint32_t flags, uint32_t want, uint32_t len, uint32_t *to)
{
    *to = want;
    if (flags & MREMAP_FIXED)
        return vma_unmap_range(mm, want, want + len);
    *to = vma_find_free(mm, len);
    return *to ? 0 : -ENOMEM;
}

SYSCALL(mremap)
{
    uint32_t old = ARG1(tf), old_len = PGROUNDUP(ARG2(tf)), new_len = PGROUNDUP(ARG3(tf));
    uint32_t flags = ARG4(tf), want = ARG5(tf);
    struct mm *mm = myproc()->mm;
    if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) || flags == MREMAP_FIXED ||
        old % PGSIZE || new_len == 0 || old_len == 0 || new_len > USER_TOP)
        return -EINVAL;                 /* (old_len 0, which duplicates a shared mapping on
                                         * Linux, and MREMAP_DONTUNMAP are not built) */
    if ((flags & MREMAP_FIXED) && (want % PGSIZE || want > USER_TOP - new_len ||
                                   (want < old + old_len && old < want + new_len)))
        return -EINVAL;
    struct vma *v = vma_find(mm, old);
    if (!v || v->start > old || old_len > v->end - old || (v->flags & (VMA_HEAP | VMA_GROWSDOWN)))
        return -EFAULT;                 /* not inside one region (brk's and the stack's are
                                         * their own calls') */
    if ((v->flags & VMA_SHARED) && new_len > old_len)
        return -EINVAL;                 /* a shared object keeps its size: docs/page-cache.md */
    if (new_len < old_len) {
        int err = vma_unmap_range(mm, old + new_len, old + old_len);
        if (err || !(flags & MREMAP_FIXED))
            return err ? err : (long)old;
        old_len = new_len;
    }
    if (!(flags & MREMAP_FIXED) && new_len == old_len)
        return old;
    if (!(flags & MREMAP_FIXED) && old + old_len == v->end && new_len <= USER_TOP - old &&
        !vma_overlaps(mm, v->end, old + new_len)) {
        vma_grow(mm, v, v->start, old + new_len);
        return old;                     /* grown where it lies */
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    uint32_t to;
    int err = destination(mm, flags, want, new_len, &to);
    if (!err)
        err = vma_split_bounds(mm, old, old + old_len);
    return err ? err : move_region(mm, vma_find(mm, old), to, new_len);
}
