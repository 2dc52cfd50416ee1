/* user/test_overcommit.c: memory a program may write is promised lazily, but not beyond
 * what RAM and swap could ever hold (docs/robustness.md, "Mappings that cannot fit"). The
 * fuzzer's seed 6 mapped 2 GiB of anonymous memory MAP_FIXED over its own text; the kernel
 * said yes, and the program ran the zeros (00 00 is `add %al,(%eax)`) a page fault at a
 * time for tens of minutes. Linux's heuristic overcommit refuses such a request with
 * ENOMEM; a read-only mapping, or one made with MAP_NORESERVE, is not a promise and
 * still works, a page at a time. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define GiB (1024u * 1024u * 1024u)
#define HUGE_LEN (2 * GiB)
#define STRIDE (64u << 20)                /* touch one page in every 64 MiB */
#define MARKED ((void *)0x20000000)       /* a free page for a MAP_FIXED target */
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

extern char __executable_start[];         /* GNU ld: the first byte of the program */

/* mmap's errno, or 0 after unmapping what it gave. */
static int map_err(void *addr, size_t len, int prot, int flags)
{
    void *p = mmap(addr, len, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        return errno;
    munmap(p, len);
    return 0;
}

static void huge_rw_refused(void)
{
    int err = map_err(NULL, HUGE_LEN, RW, ANON);
    ktap_check(err == ENOMEM, "mmap_2gib_rw_enomem", "mmap(2 GiB, rw): %s", strerror(err));
}

/* MAP_FIXED that is refused leaves what was there in place. */
static void fixed_refused_keeps_old(void)
{
    char *old = mmap(MARKED, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0);
    if (old == MAP_FAILED) {
        ktap_check(0, "mmap_fixed_2gib_keeps_old", "mmap(%p): %s", MARKED, strerror(errno));
        return;
    }
    strcpy(old, "still here");
    void *p = mmap(old, HUGE_LEN, RW, ANON | MAP_FIXED, -1, 0);
    int err = p == MAP_FAILED ? errno : 0;
    ktap_check(err == ENOMEM && strcmp(old, "still here") == 0, "mmap_fixed_2gib_keeps_old",
               "mmap(%p, 2 GiB, MAP_FIXED): %s, old page %s", (void *)old, strerror(err),
               err ? "kept" : "gone");
    munmap(old, err ? PAGE_SIZE : HUGE_LEN);
}

/* The call from seed 6, in a child: refused, the child's text is intact and it exits. */
static void fixed_over_text_refused(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        long r = syscall(SYS_mmap2, __executable_start, HUGE_LEN, RW | PROT_EXEC,
                         ANON | MAP_FIXED, -1, 0);
        _exit(r == -1 && errno == ENOMEM ? 0 : 1);
    }
    int status = pid > 0 ? wait_status(pid) : -1;
    ktap_check(status == 0, "mmap_2gib_over_text_enomem", "the child's wait status %#x",
               status);
}

/* A mapping that is no promise works lazily: a page in every STRIDE, and no more, is
 * made resident. */
static void lazy(const char *name, int prot, int flags)
{
    struct pagoda_vmstat before, after;
    char *p = mmap(NULL, HUGE_LEN, prot, flags, -1, 0);
    if (p == MAP_FAILED) {
        ktap_check(0, name, "mmap(2 GiB): %s", strerror(errno));
        return;
    }
    pagoda_vmstat(&before, getpid());
    int zeros = 1;
    for (uint32_t off = 0; off < HUGE_LEN; off += STRIDE) {
        if (prot & PROT_WRITE)
            p[off] = (char)(off / STRIDE + 1);
        zeros &= p[off + 1] == 0 && (!(prot & PROT_WRITE) || p[off] == (char)(off / STRIDE + 1));
    }
    pagoda_vmstat(&after, getpid());
    uint32_t touched = HUGE_LEN / STRIDE, grew = after.resident_pages - before.resident_pages;
    int unmapped = munmap(p, HUGE_LEN) == 0;
    ktap_check(zeros && grew <= touched && unmapped, name,
               "contents %s, %u pages resident for %u touched, munmap %s", zeros ? "ok" : "bad",
               grew, touched, unmapped ? "ok" : "failed");
}

/* A mapping that fits RAM and swap is promised: half of RAM. */
static void fitting_works(void)
{
    struct pagoda_vmstat st;
    pagoda_vmstat(&st, 0);
    size_t len = (size_t)st.frames_total / 2 * PAGE_SIZE;
    int err = map_err(NULL, len, RW, ANON);
    ktap_check(err == 0, "mmap_half_ram_works", "mmap(%zu KiB): %s", len / 1024, strerror(err));
}

/* brk is a promise too: the break does not move by 2 GiB. */
static void brk_refused(void)
{
    uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
    uintptr_t got = (uintptr_t)syscall(SYS_brk, cur + HUGE_LEN);
    if (got != cur)
        syscall(SYS_brk, cur);
    ktap_check(got == cur, "brk_2gib_refused", "brk(%#lx + 2 GiB) gave %#lx",
               (unsigned long)cur, (unsigned long)got);
}

int main(void)
{
    if (!pagoda_only("overcommit"))
        return 0;
    ktap_plan(7);
    huge_rw_refused();
    fixed_refused_keeps_old();
    fixed_over_text_refused();
    lazy("mmap_2gib_readonly_lazy", PROT_READ, ANON);
    lazy("mmap_2gib_noreserve_lazy", RW, ANON | MAP_NORESERVE);
    fitting_works();
    brk_refused();
    return ktap_finish();
}
