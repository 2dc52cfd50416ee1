/* user/test_syscalls.c: the other system calls glibc programs make: brk, mmap2, munmap,
 * mprotect, files, directories, pipes and dup, uname, getrandom, sleeping, ioctl, writev,
 * pread and pwrite. */
#define _FILE_OFFSET_BITS 64   /* 64-bit readdir, stat and lseek, as programs should use */
#define _LARGEFILE64_SOURCE    /* struct stat64 for the raw stat64/fstat64 calls */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

#define NO_SUCH_SYSCALL 500
#define SYS_RSEQ 386
#define SLEEP_NS 20000000L    /* 20 ms */

/* ---- memory: brk, mmap2, munmap, mprotect --------------------------------------------- */

static void check_brk(void)
{
    uintptr_t start = syscall(SYS_brk, 0);
    uintptr_t grown = syscall(SYS_brk, start + 3 * PAGE_SIZE);
    int written = 0;
    if (grown == start + 3 * PAGE_SIZE) {
        write_byte(grown - 1, 'b');
        written = read_byte(grown - 1) == 'b';
    }
    uintptr_t shrunk = syscall(SYS_brk, start);
    ktap_check(written && shrunk == start, "brk_grow_shrink", "brk %#lx, grown to %#lx, shrunk to %#lx",
               (unsigned long)start, (unsigned long)grown, (unsigned long)shrunk);
    check_killed_by("brk_shrink_unmaps", read_byte_at, (void *)(PAGE_UP(start) + PAGE_SIZE), SIGSEGV);
}

/* Three anonymous pages: zero at first, then they keep what is written; then the middle one
 * is unmapped and the first made read-only, and children try them. */
static void check_mmap(void)
{
    char *p = mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        ktap_check(0, "mmap_anonymous", "mmap failed: %s", strerror(errno));
        return;
    }
    long nonzero = first_mismatch(p, 3 * PAGE_SIZE, 0);
    memset(p, 'm', 3 * PAGE_SIZE);
    long bad = first_mismatch(p, 3 * PAGE_SIZE, 'm');
    ktap_check(nonzero < 0 && bad < 0, "mmap_anonymous", "byte %ld was not zero, byte %ld did not keep 'm'",
               nonzero, bad);
    int unmapped = munmap(p + PAGE_SIZE, PAGE_SIZE);
    ktap_check(unmapped == 0 && read_byte((uintptr_t)p + 2 * PAGE_SIZE) == 'm', "munmap_keeps_neighbours",
               "munmap gave %d", unmapped);
    check_killed_by("munmap_removes_page", read_byte_at, p + PAGE_SIZE, SIGSEGV);
    int protected = mprotect(p, PAGE_SIZE, PROT_READ);
    ktap_check(protected == 0 && read_byte((uintptr_t)p) == 'm', "mprotect_read_only_readable",
               "mprotect gave %d", protected);
    check_killed_by("mprotect_read_only_write_segv", write_byte_at, p, SIGSEGV);
    munmap(p, 3 * PAGE_SIZE);
}

/* ---- files and directories ------------------------------------------------------------- */

static void check_file_reads(const char *path)
{
    char buf[4] = "";
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, 4) : -1;
    ktap_check(n == 4 && memcmp(buf, "\177ELF", 4) == 0, "open_read", "open %s gave %d, read %zd",
               path, fd, n);
    off_t pos = lseek(fd, 1, SEEK_SET);
    n = read(fd, buf, 3);
    ktap_check(pos == 1 && n == 3 && memcmp(buf, "ELF", 3) == 0, "lseek_then_read",
               "lseek gave %lld, read %zd", (long long)pos, n);
    struct stat64 st = { 0 };
    long long end = -1;
    long r = syscall(SYS__llseek, fd, 0, 0, &end, SEEK_END);
    long f = syscall(SYS_fstat64, fd, &st);
    ktap_check(r == 0 && f == 0 && end == st.st_size && st.st_size > 4096 && S_ISREG(st.st_mode),
               "llseek_end_is_fstat64_size", "_llseek gave %ld, end %lld; fstat64 gave %ld, size %lld",
               r, end, f, (long long)st.st_size);
    int closed = close(fd);
    errno = 0;
    n = read(fd, buf, 1);
    ktap_check(closed == 0 && n == -1 && errno == EBADF, "read_after_close_ebadf",
               "close gave %d, read then %zd (errno %d)", closed, n, errno);
}

/* The raw stat64 call, and glibc's stat (statx first on recent glibc), agree on the size. */
static void check_stat(const char *file, const char *dir)
{
    struct stat64 raw = { 0 };
    struct stat st = { 0 }, dst = { 0 };
    long r = syscall(SYS_stat64, file, &raw);
    int s = stat(file, &st), d = stat(dir, &dst);
    ktap_check(r == 0 && s == 0 && raw.st_size == st.st_size && st.st_size > 0 && S_ISREG(st.st_mode),
               "stat64_and_stat_agree", "stat64 gave %ld, size %lld; stat gave %d, size %lld",
               r, (long long)raw.st_size, s, (long long)st.st_size);
    ktap_check(d == 0 && S_ISDIR(dst.st_mode), "stat_directory", "stat %s gave %d, mode %o",
               dir, d, (unsigned)dst.st_mode);
}

static void check_getdents(const char *dir)
{
    int echo = 0, sh = 0, entries = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        entries++;
        echo |= strcmp(e->d_name, "echo") == 0;
        sh |= strcmp(e->d_name, "sh") == 0;
    }
    if (d)
        closedir(d);
    ktap_check(echo && sh, "getdents64_lists_bin", "%s: %d entries, echo %s, sh %s", dir, entries,
               echo ? "found" : "missing", sh ? "found" : "missing");
}

/* ---- pipes, dup, writev ---------------------------------------------------------------- */

static void check_dup(void)
{
    int fds[2];
    char buf[8] = "";
    if (pipe(fds) != 0) {
        ktap_check(0, "pipe_dup_dup2", "pipe failed");
        return;
    }
    int copy = dup(fds[0]);
    int moved = dup2(fds[1], 20);
    ssize_t w = write(moved, "abc", 3);
    close(fds[0]);   /* copy keeps the read end open */
    ssize_t r = read(copy, buf, sizeof(buf));
    ktap_check(copy > fds[1] && moved == 20 && w == 3 && r == 3 && memcmp(buf, "abc", 3) == 0,
               "pipe_dup_dup2", "dup gave %d, dup2 %d, wrote %zd, read %zd", copy, moved, w, r);
    close(copy);
    close(moved);
    close(fds[1]);
}

static void check_writev(void)
{
    int fds[2];
    char buf[32] = "";
    struct iovec iov[3] = { { "gather ", 7 }, { "", 0 }, { "these", 5 } };
    ssize_t w = -1, r = -1;
    if (pipe(fds) == 0) {
        w = writev(fds[1], iov, 3);
        r = read(fds[0], buf, sizeof(buf) - 1);
        close(fds[0]);
        close(fds[1]);
    }
    ktap_check(w == 12 && r == 12 && strcmp(buf, "gather these") == 0, "writev_gathers",
               "writev gave %zd, read %zd: \"%s\"", w, r, buf);
}

/* pread and pwrite: at an offset, the file's position left where it was; ESPIPE on a
 * pipe, EINVAL for a negative offset. */
static void check_pread_pwrite(void)
{
    char buf[8] = "";
    int fd = open("/tmp/pread", O_RDWR | O_CREAT | O_TRUNC, 0600), fds[2];
    ssize_t w = write(fd, "0123456789", 10);
    ssize_t pw = pwrite(fd, "ab", 2, 4), pr = pread(fd, buf, 6, 2);
    off_t pos = lseek(fd, 0, SEEK_CUR);
    ktap_check(w == 10 && pw == 2 && pr == 6 && memcmp(buf, "23ab67", 6) == 0 && pos == 10,
               "pread_pwrite_at_offset", "%zd %zd %zd '%.6s' at %lld", w, pw, pr, buf,
               (long long)pos);
    pipe(fds);
    ssize_t sp = pread(fds[0], buf, 1, 0);
    int esp = errno;
    ssize_t neg = pread(fd, buf, 1, -1);
    int eneg = errno;
    ktap_check(sp < 0 && esp == ESPIPE && neg < 0 && eneg == EINVAL, "pread_errors",
               "pipe %zd/%d, negative %zd/%d", sp, esp, neg, eneg);
    close(fds[0]);
    close(fds[1]);
    close(fd);
    unlink("/tmp/pread");
}

/* ---- the rest -------------------------------------------------------------------------- */

static void check_identity_calls(void)
{
    struct utsname u;
    int r = uname(&u);
    ktap_check(r == 0 && u.sysname[0] && u.machine[0], "uname", "uname gave %d", r);
    if (r == 0)
        ktap_diag("uname: %s %s %s", u.sysname, u.release, u.machine);
    unsigned char a[16] = { 0 }, b[16] = { 0 };
    ssize_t na = getrandom(a, sizeof(a), 0), nb = getrandom(b, sizeof(b), 0);
    ktap_check(na == 16 && nb == 16 && memcmp(a, b, 16) != 0, "getrandom",
               "getrandom gave %zd and %zd bytes%s", na, nb, memcmp(a, b, 16) ? "" : ", the same twice");
}

static long long now_ns(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
        return -1;
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void check_time_calls(void)
{
    struct timespec req = { 0, SLEEP_NS };
    long long before = now_ns();
    int r = nanosleep(&req, NULL);
    long long slept = now_ns() - before;
    ktap_check(before >= 0 && r == 0 && slept >= SLEEP_NS && slept < 100 * SLEEP_NS, "nanosleep",
               "nanosleep gave %d; the monotonic clock moved %lld ns for %ld ns", r, slept, SLEEP_NS);
    r = sched_yield();
    ktap_check(r == 0, "sched_yield", "sched_yield gave %d", r);
}

static void check_odd_calls(void)
{
    struct termios t;
    errno = 0;
    int r = ioctl(1, TCGETS, &t);
    ktap_check(r == 0 || (r == -1 && errno == ENOTTY), "ioctl_tcgets_stdout",
               "ioctl gave %d, errno %d (%s)", r, errno, strerror(errno));
    errno = 0;
    long u = syscall(NO_SUCH_SYSCALL);
    ktap_check(u == -1 && errno == ENOSYS, "unknown_syscall_enosys", "syscall %d gave %ld, errno %d",
               NO_SUCH_SYSCALL, u, errno);
    /* rseq: Pagoda answers "not here" on purpose (glibc's start-up asks, and copes);
     * Linux has it, and glibc has already registered one, so it refuses differently. */
    if (pagoda_only("rseq_enosys")) {
        errno = 0;
        long q = syscall(SYS_RSEQ, NULL, 0, 0, 0);
        ktap_check(q == -1 && errno == ENOSYS, "rseq_enosys", "rseq gave %ld, errno %d", q, errno);
    }
}

/* Last, since a relative $PAGODA_BIN stops working after it. */
/* Arguments at the edges of their types (found by the fuzzer on the UBSan kernel): a nice
 * increment of INT_MAX (to a nice of 1) clamps to 19, and an _llseek offset with the top bit set is negative:
 * EINVAL. Neither may overflow in the kernel (ubsan-user-syscalls rejects a UBSAN report). */
static void check_extreme_arguments(const char *path)
{
    long r = syscall(SYS_nice, 1) == 0 ? syscall(SYS_nice, 0x7FFFFFFF) : -2;  /* 1 + INT_MAX */
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    ktap_check(r == 0 && now == 19, "nice_int_max_clamps", "nice gave %ld, priority %d", r, now);
    setpriority(PRIO_PROCESS, 0, 0);
    int fd = open(path, O_RDONLY);
    long long result = 0;
    errno = 0;
    r = syscall(SYS__llseek, fd, 0x80000000u, 0, &result, SEEK_SET);
    ktap_check(r == -1 && errno == EINVAL, "llseek_negative_offset_einval",
               "_llseek gave %ld, errno %d", r, errno);
    close(fd);
}

static void check_chdir(const char *dir)
{
    struct stat want = { 0 }, got = { 0 };
    int s = stat(dir, &want);
    int c = chdir(dir);
    int g = stat(".", &got);
    ktap_check(s == 0 && c == 0 && g == 0 && got.st_ino == want.st_ino && got.st_dev == want.st_dev,
               "chdir", "chdir(%s) gave %d; \".\" is inode %llu, expected %llu", dir, c,
               (unsigned long long)got.st_ino, (unsigned long long)want.st_ino);
}

int main(void)
{
    char echo[256], bin[256];
    bin_path(echo, sizeof(echo), "echo");
    bin_path(bin, sizeof(bin), "");
    ktap_plan(28);
    check_brk();
    check_mmap();
    check_file_reads(echo);
    check_stat(echo, bin);
    check_getdents(bin);
    check_dup();
    check_writev();
    check_pread_pwrite();
    check_identity_calls();
    check_time_calls();
    check_odd_calls();
    check_extreme_arguments(echo);
    check_chdir(bin);
    return ktap_finish();
}
