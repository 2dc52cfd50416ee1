/* mm/sys_mm.c: the memory system calls that make and edit regions: brk (the heap),
 * mmap/mmap2 (anonymous and file mappings, private or shared), munmap and mprotect,
 * which only edit regions (pages still arrive one fault at a time), mlock, munlock,
 * mlockall and munlockall; and sysinfo, the machine's memory in numbers. The calls
 * about the pages of regions (msync, mincore, madvise) are in mm/sys_pages.c. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "mm/vma.h"
#include "mm/mlock.h"
#include "mm/memlayout.h"
#include "mm/uaccess.h"
#include "mm/shmem.h"
#include "mm/frame.h"
#include "mm/swap.h"
#include "mm/pagecache.h"
#include "kernel/trap.h"
#include "kernel/string.h"
#include "fs/file.h"
#include "fs/vfs.h"

#define PROT_MASK (VM_READ | VM_WRITE | VM_EXEC)   /* PROT_* have the same values */
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000

#define HEAP_PROT (VM_READ | VM_WRITE)
#define HEAP_FLAGS (VMA_ANON | VMA_HEAP)

/* The region a growing break extends: the one that ends at the old break, if it is still
 * the heap as brk made it. Not "the first heap region": munmap or mprotect inside the heap
 * splits it, and growing the lower piece would lay it over the upper one (and over the
 * hole munmap made). Overlapping regions have PTEs that two regions claim: fork copies
 * them twice, two reverse-map entries for one PTE, and the child's exit drops one, leaving
 * the frame naming a freed address space. A piece made read-only or locked is not
 * extended either: the new heap is plain read-write, as Linux's brk makes a new region
 * when the one below differs (Silberschatz, Operating System Concepts 9.1: the heap
 * grows up into the hole of a sparse address space). */
static struct vma *heap_top(struct mm *mm, uint32_t old_end)
{
    for (struct vma *v = vma_first(mm); v && v->start < old_end; v = vma_next(v))
        if (v->end == old_end && v->prot == HEAP_PROT && v->flags == HEAP_FLAGS)
            return v;
    return NULL;
}

/* Linux's heuristic overcommit (vm.overcommit_memory=0, __vm_enough_memory in mm/util.c):
 * memory a program may write without a file behind it (the heap, private writable
 * mappings) is promised lazily, a page at a time, but a single request larger than all
 * of RAM and swap together is refused with ENOMEM, since it could never be kept.
 * Without it a program could map 2 GiB of zeros over its own text (the fuzzer's seed 6)
 * and then run them: 00 00 is `add %al,(%eax)`, half a million zero-fill faults, tens
 * of minutes of a machine's time for a mapping that cannot fit (Silberschatz, Operating
 * System Concepts 9.4: demand paging over-allocates memory, within bounds). */
static int enough_memory(uint32_t len)
{
    return len / PGSIZE <= frames_total_count() + swap_slots_total();
}

/* brk(addr): move the end of the heap; returns the (possibly unchanged) break. */
SYSCALL(brk)
{
    struct mm *mm = myproc()->mm;
    uint32_t want = ARG1(tf);
    if (want < mm->brk_start || want >= MMAP_TOP)
        return mm->brk;
    uint32_t old_end = PGROUNDUP(mm->brk), new_end = PGROUNDUP(want);
    if (new_end > old_end) {
        if (vma_overlaps(mm, old_end, new_end) || !enough_memory(new_end - old_end))
            return mm->brk;             /* would run into another region, or never fit */
        struct vma *heap = heap_top(mm, old_end);
        if (heap) {
            vma_grow(mm, heap, heap->start, new_end);
        } else if (!vma_add(mm, old_end, new_end, HEAP_PROT, HEAP_FLAGS, NULL, 0, 0)) {
            return mm->brk;
        }
    } else if (new_end < old_end) {
        if (vma_unmap_range(mm, new_end, old_end) < 0)
            return mm->brk;
    }
    mm->brk = want;
    return want;
}

/* The file behind an mmap: *out, or an error as Linux gives it. A shared mapping writes
 * the file's own pages, so it needs the file open for writing if it may write, and a file
 * whose pages cannot be written back (no writepage) is shared read-only: *nowrite says
 * mprotect may not make the region writable later. */
static int mmap_file(int fd, uint32_t prot, int shared, struct inode **out, int *nowrite)
{
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    if (f->type != FILE_INODE || !S_ISREG(f->ip->mode))
        return -ENODEV;                 /* a pipe, the console, a directory */
    if (!f->readable)
        return -EACCES;
    const struct pcache_ops *ops = f->ip->cache.ops;
    int no_writeback = ops && !ops->writepage;
    if (shared && (prot & VM_WRITE) && !f->writable)
        return -EACCES;
    if (shared && (prot & VM_WRITE) && no_writeback)
        return -ENODEV;
    *nowrite = shared && (!f->writable || no_writeback);
    *out = f->ip;
    return 0;
}

/* The region's flags, and for MAP_SHARED|MAP_ANONYMOUS its object. */
static uint32_t mmap_flags(struct inode *ip, int shared, int nowrite)
{
    uint32_t flags = ip ? VMA_FILE | VMA_MMAP : VMA_ANON;
    if (shared)
        flags |= VMA_SHARED | (nowrite ? VMA_NOWRITE : 0);
    return flags;
}

static long do_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd,
                    uint32_t offset)
{
    struct mm *mm = myproc()->mm;
    if (len == 0 || len > USER_TOP || (offset & (PGSIZE - 1)) || (prot & ~PROT_MASK))
        return -EINVAL;
    uint32_t type = flags & (MAP_SHARED | MAP_PRIVATE);
    if (type != MAP_SHARED && type != MAP_PRIVATE)
        return -EINVAL;                 /* exactly one of them (Linux) */
    int shared = type == MAP_SHARED, nowrite = 0;
    len = PGROUNDUP(len);
    int file_backed = shared && !(flags & MAP_ANONYMOUS);   /* the file holds its pages */
    if ((prot & VM_WRITE) && !(flags & MAP_NORESERVE) && !file_backed && !enough_memory(len))
        return -ENOMEM;                 /* before MAP_FIXED unmaps what was there */
    struct inode *ip = NULL;
    if (!(flags & MAP_ANONYMOUS)) {
        int err = mmap_file(fd, prot, shared, &ip, &nowrite);
        if (err)
            return err;
    }
    if (flags & MAP_FIXED) {
        if ((addr & (PGSIZE - 1)) || addr < PGSIZE || addr > USER_TOP - len)
            return -EINVAL;
        int err = vma_unmap_range(mm, addr, addr + len);
        if (err)
            return err;
    } else {
        addr = vma_find_free(mm, len);
        if (!addr)
            return -ENOMEM;
    }
    uint32_t file_bytes = 0;
    if (ip)
        file_bytes = ip->size > offset ? (ip->size - offset < len ? ip->size - offset : len) : 0;
    struct shmem *shm = shared && !ip ? shmem_create() : NULL;
    if (shared && !ip && !shm)
        return -ENOMEM;
    struct vma *v = vma_add(mm, addr, addr + len, prot, mmap_flags(ip, shared, nowrite), ip,
                            ip ? offset : 0, file_bytes);
    if (!v) {
        if (shm)
            shmem_put(shm);
        return -ENOMEM;
    }
    v->shm = shm;                       /* the region holds the new object's reference */
    return addr;
}

/* The old mmap takes a pointer to its six arguments. */
SYSCALL(mmap)
{
    uint32_t a[6];
    if (copyin(a, ARG1(tf), sizeof(a)) < 0)
        return -EFAULT;
    return do_mmap(a[0], a[1], a[2], a[3], (int)a[4], a[5]);
}

/* mmap2: like mmap, but the offset is in pages. */
SYSCALL(mmap2)
{
    if (ARG6(tf) >= (1u << 20))
        return -EINVAL;
    return do_mmap(ARG1(tf), ARG2(tf), ARG3(tf), ARG4(tf), (int)ARG5(tf), ARG6(tf) * PGSIZE);
}

static int check_range(uint32_t addr, uint32_t len)
{
    if ((addr & (PGSIZE - 1)) || len == 0 || addr >= USER_TOP || PGROUNDUP(len) > USER_TOP - addr)
        return -EINVAL;
    return 0;
}

SYSCALL(munmap)
{
    uint32_t addr = ARG1(tf), len = ARG2(tf);
    int err = check_range(addr, len);
    return err ? err : vma_unmap_range(myproc()->mm, addr, addr + PGROUNDUP(len));
}

SYSCALL(mprotect)
{
    uint32_t addr = ARG1(tf), len = ARG2(tf), prot = ARG3(tf);
    int err = check_range(addr, len);
    if (err)
        return err;
    if (prot & ~PROT_MASK)
        return -EINVAL;
    return vma_protect_range(myproc()->mm, addr, addr + PGROUNDUP(len), prot);
}

/* mlock(addr, len), munlock(addr, len): every page that [addr, addr + len) touches. */
static long lock_range(uint32_t addr, uint32_t len, int lock)
{
    uint32_t start = PGROUNDDOWN(addr);
    if (len == 0)
        return 0;
    if (addr >= USER_TOP || len > USER_TOP - addr)
        return -ENOMEM;                 /* Linux: not all of it is mapped */
    return mlock_range(myproc()->mm, start, PGROUNDUP(addr + len), lock);
}

SYSCALL(mlock)
{
    return lock_range(ARG1(tf), ARG2(tf), 1);
}

SYSCALL(munlock)
{
    return lock_range(ARG1(tf), ARG2(tf), 0);
}

/* mlockall(MCL_CURRENT): the regions that exist now. MCL_FUTURE (lock regions made
 * later) and MCL_ONFAULT are not supported: -EINVAL. */
#define MCL_CURRENT 1

SYSCALL(mlockall)
{
    if (ARG1(tf) != MCL_CURRENT)
        return -EINVAL;
    return mlock_all(myproc()->mm, 1);
}

SYSCALL(munlockall)
{
    (void)tf;
    return mlock_all(myproc()->mm, 0);
}

/* sysinfo(info): Linux's struct sysinfo for i386, sizes in pages (mem_unit = PGSIZE):
 * RAM, free frames, the page cache's pages as shared memory, swap, and how many
 * processes exist. Pagoda keeps no load average, so the three loads are 0, and no
 * buffers apart from the page cache (bufferram 0). */
struct linux_sysinfo {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh, mem_unit;
    char reserved[8];
};
_Static_assert(sizeof(struct linux_sysinfo) == 64, "struct sysinfo is 64 bytes on i386");

SYSCALL(sysinfo)
{
    struct linux_sysinfo si;
    memset(&si, 0, sizeof(si));
    si.uptime = (int32_t)(ticks / 100);
    si.totalram = frames_total_count();
    si.freeram = frames_free_count();
    si.sharedram = pcache_pages();
    si.totalswap = swap_slots_total();
    si.freeswap = swap_slots_free();
    si.procs = (uint16_t)procs_in_use();
    si.mem_unit = PGSIZE;
    return copyout(ARG1(tf), &si, sizeof(si));
}
