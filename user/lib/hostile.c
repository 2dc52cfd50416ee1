/* user/lib/hostile.c: where the fuzzer's bad arguments come from. Each value is picked from
 * the edge cases a kernel must check (Tanenbaum, MOS 9.7: attacks through
 * the system-call interface), with a share of plain random numbers and of valid values, so that
 * calls also get past their first check. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user/lib/hostile.h"
#include "user/lib/mem.h"
#include "user/lib/prng.h"

#define KERNEL_BASE 0xC0000000u
#define VICTIM_PAGES 4
#define SCRATCH_PAGES 2
#define PATH_SLOT 512              /* a path's room in scratch (two paths for rename) */

/* One mapping carved into: victim pages (read-write, also handed to munmap, mprotect and
 * mlock), an unmapped guard, a read-only page, a guard, scratch pages for the structures the
 * fuzzer builds (never handed to the memory calls) and a last guard. */
static uint8_t *victim, *readonly, *scratch;
static uint32_t gone;              /* a page that was mapped and is not any more */

static const char *const paths[] = {
    "/", "/bin", "/bin/", "/tests", "/tests/small.txt", "/tests/big.bin", "/tests/empty",
    "/tests/dir", "/tests/link-small", "/tests/link-dir", "/tests/link-deep",
    "/tests/badelf/bad_magic", "/tests/badelf/load_in_kernel", "/tests/badelf/phnum_absurd",
    "/tests/badelf/memsz_wraps", "/tests/small.txt/x", "/nonexistent", "", ".", "..",
    "////", "/tests/../tests/./dir", "clock", "fifo",
};

/* Paths for the calls that change the file system: names in the scratch directory
 * (files, directories, links, one inside another), missing and misplaced ones, its edges
 * and the root. Never a name elsewhere, and nothing relative (the working directory may
 * be /bin): the fuzzer's own program and /bin/echo must stay. */
#define D HOSTILE_FS_DIR
static const char *const fs_paths[] = {
    D "/f0", D "/f1", D "/d0", D "/d0/f2", D "/d0/d1", D "/d0/d1/f3", D "/l0", D "/l1",
    D, D "/", D "/.", D "/d0/..", D "/d0/d1/../../f1", D "/f0/x", D "/none/f4", D "//d0///f2",
    D "/f0/", D "/d0/", "/", "",
};
#undef D

static uint32_t pick(const uint32_t *values, uint32_t n)
{
    return values[prng_below(n)];
}
#define PICK(...) pick((const uint32_t[]){__VA_ARGS__}, \
                       sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

void hostile_init(void)
{
    size_t pages = VICTIM_PAGES + 1 + 1 + 1 + SCRATCH_PAGES + 1;
    uint8_t *m = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        _exit(1);
    victim = m;
    readonly = m + (VICTIM_PAGES + 1) * PAGE_SIZE;
    scratch = readonly + 2 * PAGE_SIZE;
    for (size_t i = 0; i < VICTIM_PAGES * PAGE_SIZE; i += 4)
        *(uint32_t *)(victim + i) = prng_next();
    strcpy((char *)readonly, "/tests/small.txt");
    gone = (uint32_t)(uintptr_t)(victim + VICTIM_PAGES * PAGE_SIZE);
    if (munmap((void *)(uintptr_t)gone, PAGE_SIZE) != 0 ||
        munmap(readonly + PAGE_SIZE, PAGE_SIZE) != 0 ||
        munmap(scratch + SCRATCH_PAGES * PAGE_SIZE, PAGE_SIZE) != 0 ||
        mprotect(readonly, PAGE_SIZE, PROT_READ) != 0)
        _exit(1);
}

/* The pointers both kinds share: NULL and near it, the kernel, the top of the address
 * space, user memory that ends at the kernel, an unmapped page, the last bytes before one,
 * the victim pages, and a random word. */
static uint32_t common_ptr(void)
{
    uint32_t victim_at = (uint32_t)(uintptr_t)victim + prng_below(VICTIM_PAGES * PAGE_SIZE);
    switch (prng_below(10)) {
    case 0: return PICK(0, 1, 0x10, 0xFFF, 0x1000);
    case 1: return KERNEL_BASE + (prng_below(4) ? prng_below(0x1000000) & ~3u : 0);
    case 2: return PICK(0xFFFFF000u, 0xFFFFFFFCu, 0xFFFFFFFFu, 0x80000000u);
    case 3: return KERNEL_BASE - 1 - prng_below(16);
    case 4: return gone + prng_below(PAGE_SIZE);
    case 5: return gone - 1 - prng_below(64);          /* straddles the mapped/unmapped edge */
    case 6: return prng_next();
    default: return victim_at;
    }
}

uint32_t hostile_ptr_in(void)
{
    switch (prng_below(6)) {
    case 0: return (uint32_t)(uintptr_t)readonly + prng_below(PAGE_SIZE);
    case 1: return (uint32_t)(uintptr_t)&hostile_init;  /* program text */
    default: return common_ptr();
    }
}

uint32_t hostile_ptr_out(void)
{
    switch (prng_below(8)) {
    case 0: return (uint32_t)(uintptr_t)readonly + prng_below(PAGE_SIZE);   /* EFAULT */
    case 1: return (uint32_t)(uintptr_t)&hostile_init;                     /* EFAULT */
    case 2: return (uint32_t)(uintptr_t)scratch + prng_below(PAGE_SIZE);
    default: return common_ptr();
    }
}

uint32_t hostile_len(void)
{
    switch (prng_below(4)) {
    case 0: return PICK(0, 1, 2, 3, 4, 8, 16, 255, 256, 4095, 4096, 4097, 8192, 65536);
    case 1: return PICK(0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xFFFFF000u, 0x40000000u,
                        0xC0000000u, 0x10000000u, 0x00100000u);
    case 2: return prng_next();
    default: return prng_below(2 * PAGE_SIZE);
    }
}

uint32_t hostile_int(void)
{
    switch (prng_below(5)) {
    case 0: return prng_below(16);
    case 1: return PICK(0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 0xFFFFFF9Cu /* AT_FDCWD */,
                        0x100, 0x1000, 0x10000, 0x800000);
    case 2: return 1u << prng_below(32);
    case 3: return prng_next() & prng_next();          /* a few bits, as flags have */
    default: return prng_next();
    }
}

uint32_t hostile_fd(void)
{
    uint32_t fd;
    switch (prng_below(6)) {
    case 0: fd = PICK(0xFFFFFFFFu, 0xFFFFFF9Cu, 0x80000000u, 0x7FFFFFFFu, 32, 33, 64, 1024,
                      0xFFFFFFFEu);
            break;
    case 1: fd = prng_next(); break;
    default: fd = prng_below(12); break;               /* the ones likely to be open */
    }
    return fd == HOSTILE_LOG_FD || fd == HOSTILE_PROGRESS_FD ? 29 : fd;
}

uint32_t hostile_addr(void)
{
    uint32_t victim_page = (uint32_t)(uintptr_t)victim + prng_below(VICTIM_PAGES) * PAGE_SIZE;
    switch (prng_below(6)) {
    case 0: return PICK(0, 0x1000, KERNEL_BASE, KERNEL_BASE - PAGE_SIZE, 0xFFFFF000u,
                        0x08048000u, 0x40000000u);
    case 1: return victim_page + prng_below(2) * (1 + prng_below(PAGE_SIZE - 1)); /* misaligned */
    case 2: return prng_next() & ~(PAGE_SIZE - 1);
    case 3: return gone;
    default: return victim_page;
    }
}

/* Where a path string goes: one of two places in scratch (a call may take two paths), or
 * cut short at the unmapped edge with no NUL, a path longer than PATH_MAX, or a bad
 * pointer. */
static uint32_t place_path(const char *s)
{
    static uint32_t turn;
    size_t n = strlen(s);
    char *at = (char *)scratch + PAGE_SIZE + (turn++ % 2) * PATH_SLOT;
    switch (prng_below(8)) {
    case 0: return hostile_ptr_in();
    case 1:
        memset(scratch, 'a', 2 * PAGE_SIZE - 1);     /* 8191 characters: longer than PATH_MAX */
        scratch[0] = '/';
        scratch[2 * PAGE_SIZE - 1] = 0;
        return (uint32_t)(uintptr_t)scratch;
    case 2:
        at = (char *)(uintptr_t)gone - n;              /* runs into the unmapped page */
        memcpy(at, s, n);
        return (uint32_t)(uintptr_t)at;
    default:
        memcpy(at, s, n + 1);
        return (uint32_t)(uintptr_t)at;
    }
}

uint32_t hostile_path(void)
{
    if (prng_one_in(8))
        return (uint32_t)(uintptr_t)readonly;
    return place_path(paths[prng_below(sizeof(paths) / sizeof(paths[0]))]);
}

uint32_t hostile_fs_path(void)
{
    return place_path(fs_paths[prng_below(sizeof(fs_paths) / sizeof(fs_paths[0]))]);
}

/* Never another process: every signal kills in Pagoda, so kill(1, sig) would end the
 * fuzzer's parent (process 1) and the run, and prlimit64(1, ...) would change its limits.
 * Nor -1: on Linux kill(-1, sig) reaches every process. */
uint32_t hostile_pid(void)
{
    return prng_one_in(6) ? (uint32_t)getpid()
                         : PICK(0, 0xFFFFFFFEu, 0x80000000u, 0x7FFFFFFFu, 99999, 65);
}

uint32_t hostile_timespec(void)
{
    if (prng_one_in(6))
        return hostile_ptr_in();
    uint32_t *ts = (uint32_t *)(scratch + 64);
    ts[0] = prng_one_in(50) ? hostile_int() : 0;        /* a long sleep now and then */
    ts[1] = prng_one_in(4) ? hostile_int() : prng_below(2000000);  /* nsec, maybe invalid */
    ts[2] = ts[3] = 0;                                   /* the 64-bit layout's high words */
    return (uint32_t)(uintptr_t)ts;
}

uint32_t hostile_iovec(void)
{
    if (prng_one_in(5))
        return hostile_ptr_in();
    uint32_t *iov = (uint32_t *)(scratch + 128);
    for (int i = 0; i < 8; i += 2) {
        iov[i] = prng_below(2) ? hostile_ptr_out() : hostile_ptr_in();
        iov[i + 1] = hostile_len();
    }
    return (uint32_t)(uintptr_t)iov;
}

/* struct user_desc: entry, base, limit, then the flag bits (seg_32bit, contents,
 * read_exec_only, limit_in_pages, seg_not_present, useable). */
uint32_t hostile_user_desc(int only_present)
{
    if (prng_one_in(5))
        return hostile_ptr_in();
    uint32_t *d = (uint32_t *)(scratch + 192);
    d[0] = prng_below(2) ? 0xFFFFFFFFu : prng_below(3) ? 6 + prng_below(3) : hostile_int();
    d[1] = prng_below(2) ? (uint32_t)(uintptr_t)victim : common_ptr();
    d[2] = hostile_len() & 0xFFFFF;
    d[3] = prng_next() & 0x7F;
    if (only_present)
        d[3] &= ~0x20u;
    return (uint32_t)(uintptr_t)d;
}

uint32_t hostile_mmap_args(void)
{
    if (prng_one_in(5))
        return hostile_ptr_in();
    uint32_t *a = (uint32_t *)(scratch + 256);
    a[0] = hostile_addr();
    a[1] = hostile_len();
    a[2] = prng_below(8);
    a[3] = prng_below(2) ? MAP_PRIVATE | MAP_ANONYMOUS | (prng_below(2) ? MAP_FIXED : 0)
                         : hostile_int();
    a[4] = hostile_fd();
    a[5] = prng_below(2) ? 0 : hostile_int();
    return (uint32_t)(uintptr_t)a;
}
