/* user/test_regions.c: an address space's regions stay disjoint, whatever a program does
 * to them (docs/robustness.md, "Overlapping regions"). Two ways of making them overlap,
 * which the fuzzer found:
 *  - brk growing a heap that munmap or mprotect has split: the break must extend the
 *    piece that ends at it (or make a new region), never the lowest piece, which would
 *    then cover the hole and the pieces above it;
 *  - mmap of nearly 3 GiB when little is free: the gap is measured as a size, or the
 *    length wraps past 4 GiB and mmap returns a kernel address instead of ENOMEM.
 * The heap is moved with the raw brk call (glibc's sbrk keeps its own idea of the break)
 * and put back after each test, before anything could call malloc. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define LOW_PAGES 64              /* the heap below the hole */
#define HOLE_PAGES 2              /* munmap'd out of the middle of the heap */
#define HIGH_PAGES 64             /* above the hole: touched, so fork shares them */
#define GROW_PAGES 64             /* what the break grows by afterwards */
#define FILL 0x6b

static uintptr_t raw_brk(uintptr_t addr)
{
    return (uintptr_t)syscall(SYS_brk, addr);
}

static uintptr_t page(uintptr_t base, int n)
{
    return base + (uintptr_t)n * PAGE_SIZE;
}

/* A read of addr by write(2): 0 if the kernel copied it, else the errno. */
static int kernel_reads(uintptr_t addr)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    int err = write(p[1], (const void *)addr, 1) == 1 ? 0 : errno;
    close(p[0]);
    close(p[1]);
    return err;
}

/* The resident pages of pid (Pagoda's counters), -1 if unknown. */
static long resident(pid_t pid)
{
    struct pagoda_vmstat st;
    return pagoda_vmstat(&st, pid) == 0 ? (long)st.resident_pages : -1;
}

/* Right after fork, the child maps what its parent maps, no page twice: their resident
 * counts differ by the few pages each touched since (a stack page copied, glibc's fork
 * bookkeeping). A PTE two regions claimed was counted twice in the child: HIGH_PAGES more. */
static int fork_counts_once(void)
{
    int p[2];
    long child = -1;
    if (pipe(p) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        long n = resident(getpid());
        _exit(write_full(p[1], &n, sizeof(n)) == 0 ? 0 : 1);
    }
    close(p[1]);
    int got = pid > 0 && read_full(p[0], &child, sizeof(child)) == 0;
    long parent = resident(getpid());
    close(p[0]);
    int status = pid > 0 ? wait_status(pid) : -1;
    long diff = child > parent ? child - parent : parent - child;
    return ktap_check(got && status == 0 && parent > 0 && diff < HIGH_PAGES / 4,
                      "fork_counts_each_page_once", "child %ld resident pages, parent %ld",
                      child, parent);
}

/* munmap a hole into the heap, then grow the break: the hole stays a hole. */
static void brk_over_hole(uintptr_t start)
{
    uintptr_t hole = page(start, LOW_PAGES), high = page(hole, HOLE_PAGES);
    uintptr_t top = page(high, HIGH_PAGES), grown = page(top, GROW_PAGES);
    int ok = raw_brk(top) == top;
    if (ok) {
        memset((void *)high, FILL, HIGH_PAGES * PAGE_SIZE);
        ok = munmap((void *)hole, HOLE_PAGES * PAGE_SIZE) == 0 && raw_brk(grown) == grown;
    }
    if (!ktap_check(ok, "brk_grows_a_split_heap", "brk, munmap or brk again failed")) {
        raw_brk(start);
        return;
    }
    int err = kernel_reads(hole);
    ktap_check(err == EFAULT, "hole_stays_unmapped", "write(2) from the hole: %s",
               err ? strerror(err) : "copied");
    check_exits_with("new_heap_above_hole_writable", write_byte_at,
                     (void *)page(top, GROW_PAGES - 1), 0);
    ktap_check(first_mismatch((void *)high, HIGH_PAGES * PAGE_SIZE, FILL) < 0,
               "heap_keeps_its_pages", "the pages above the hole changed");
    if (pagoda_only("fork_counts_each_page_once"))
        fork_counts_once();
    raw_brk(start);
}

/* mprotect the heap's last page read-only, then grow the break: that page stays
 * read-only, and the new heap is read-write. */
static void brk_over_readonly(uintptr_t start)
{
    uintptr_t ro = page(start, LOW_PAGES - 1), top = page(start, LOW_PAGES);
    uintptr_t grown = page(top, GROW_PAGES);
    int ok = raw_brk(top) == top && mprotect((void *)ro, PAGE_SIZE, PROT_READ) == 0 &&
             raw_brk(grown) == grown;
    if (ktap_check(ok, "brk_grows_past_readonly", "brk, mprotect or brk again failed")) {
        check_killed_by("readonly_page_stays_readonly", write_byte_at, (void *)ro, SIGSEGV);
        check_exits_with("new_heap_writable", write_byte_at, (void *)page(top, 1), 0);
    }
    raw_brk(start);
}

/* With a region at 1 GiB, no gap holds len bytes: ENOMEM, not a wrapped address.
 * MAP_NORESERVE: without it mmap refuses the length before it looks for a gap, since it
 * is more than RAM and swap (heuristic overcommit, docs/robustness.md). */
static void mmap_too_long(uint32_t len, const char *name)
{
    void *floor = mmap((void *)0x40000000, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
                       MAP_FIXED, -1, 0);
    errno = 0;
    void *p = floor == MAP_FAILED ? MAP_FAILED : mmap(NULL, len, PROT_READ | PROT_WRITE,
                                                      MAP_PRIVATE | MAP_ANONYMOUS |
                                                      MAP_NORESERVE, -1, 0);
    ktap_check(floor != MAP_FAILED && p == MAP_FAILED && errno == ENOMEM, name,
               "mmap of %#x bytes: %p (%s)", len, p, strerror(errno));
    if (p != MAP_FAILED)
        munmap(p, len);
    if (floor != MAP_FAILED)
        munmap(floor, PAGE_SIZE);
}

int main(void)
{
    ktap_plan(10);
    ktap_diag("regions: brk over a split heap, mmap longer than any gap");
    fflush(stdout);                     /* stdout's buffer exists before brk is moved */
    uintptr_t start = PAGE_UP(raw_brk(0));
    if (raw_brk(start) != start)
        ktap_diag("brk to the page boundary %#lx failed", (unsigned long)start);
    brk_over_hole(start);
    brk_over_readonly(start);
    mmap_too_long(0xC0000000u, "mmap_3gib_enomem");
    mmap_too_long(0xBFFFF000u, "mmap_3gib_less_a_page_enomem");
    return ktap_finish();
}
