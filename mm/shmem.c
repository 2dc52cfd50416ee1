/* mm/shmem.c: shared mappings (Silberschatz, OSC 9.7.1 "shared memory in the Win32 API"
 * and 3.4.1; Tanenbaum, MOS 3.5.5 "Shared Pages"). A shared region maps the pages of a
 * page cache object directly: the same frame in every process that maps it, writable
 * where the region is, so a write is seen by all at once and a page mapped by N processes
 * is one resident page with N reverse-map entries. Nothing is copied on fork or on write.
 * The object is a file's (tmpfs, or an ext2 file read-only) or, for MAP_ANONYMOUS, a
 * struct shmem made here, which lives as long as some region maps it. */
#include "mm/shmem.h"
#include "mm/pagecache.h"
#include "mm/vma.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include "mm/trace.h"
#include "mm/kheap.h"
#include "fs/vfs.h"
#include "kernel/errno.h"

struct shmem {
    struct pcache cache;
    int refs;                    /* regions that map it */
};

struct shmem *shmem_create(void)
{
    struct shmem *s = kzalloc(sizeof(*s));
    if (s) {
        pcache_init(&s->cache, NULL, NULL, NULL);
        s->refs = 1;
    }
    return s;
}

void shmem_dup(struct shmem *s) { s->refs++; }
struct pcache *shmem_object(struct shmem *s) { return &s->cache; }

void shmem_put(struct shmem *s)
{
    if (--s->refs > 0)
        return;
    pcache_release(&s->cache);
    kfree(s);
}

/* A file's page at or past the end of the file does not exist: SIGBUS (as on Linux). */
static int past_end(struct vma *v, uint32_t va)
{
    return v->file && (uint64_t)vma_index(v, va) * PGSIZE >= v->file->size;
}

/* A file's page is made writable only through mkwrite, which gives it its blocks (so
 * that writing it back later needs no allocation): a page first mapped for a read is
 * mapped read-only, and its first write comes back here as a write-protect fault. */
static int needs_mkwrite(struct pcache *pc)
{
    return pc->ops && pc->ops->mkwrite;
}

/* mkwrite for page index; the object notes that write-back may now have work. */
static int make_writable(struct pcache *pc, uint32_t index)
{
    int err = pc->ops->mkwrite(pc, index);
    if (!err)
        pcache_mark_written(pc);
    return err;
}

/* The page is the object's: found in the cache (or brought in) and mapped with the
 * region's rights. mkwrite may sleep, so it comes before the look-up: nothing may sleep
 * between finding the frame and mapping it, or the frame could be evicted in between. */
static int shared_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    if (past_end(v, va))
        return -ENXIO;
    struct pcache *pc = vma_object(v);
    uint32_t index = vma_index(v, va);
    int err = write && needs_mkwrite(pc) ? make_writable(pc, index) : 0;
    struct frame *f;
    int took = err ? err : pcache_get(pc, index, &f);
    if (took < 0)
        return took;
    uint32_t flags = vma_pte_flags(v->prot) | PTE_A | (write ? PTE_D : 0);
    if (!write && needs_mkwrite(pc))
        flags &= ~PTE_W;
    err = rmap_map(mm, va, pte, frame_pa(f), flags);
    if (err)
        return err;
    pcache_count_fault(took);
    trace_fault(mm, took, va, frame_pa(f), write);
    return 0;
}

/* Read-only in the PTE of a writable region: a file's page on its first write (or its
 * first since it was written back), or a page mprotect made writable later. The page is
 * shared, not copied, so the write is let through (after mkwrite, for a file). */
static int shared_write_protected(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte)
{
    struct pcache *pc = vma_object(v);
    if (needs_mkwrite(pc)) {
        int err = make_writable(pc, vma_index(v, va));
        if (err)
            return err;
        if (!(*pte & PTE_P))
            return 0;                   /* evicted while mkwrite slept: fault again */
    }
    VM_COUNT(minor_faults);
    pgtable_set(mm->pgdir, va, pte, *pte | PTE_W | PTE_D);
    return 0;
}

const struct vma_ops shmem_vma_ops = {
    .name = "shared",
    .fill = shared_fill,
    .write_protected = shared_write_protected,
};
