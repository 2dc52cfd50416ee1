/* user/test_shared.c: pages shared between processes and files: MAP_SHARED anonymous
 * memory across fork, file mappings seeing write(2) and the reverse, private mappings
 * copying on write, one program's text in one set of frames, and the errors of bad
 * mmap, mprotect, msync, mincore and madvise calls. Runs on Linux too (the Pagoda-only
 * checks skip): gcc -static -m32 -I. user/test_shared.c user/lib/ktap.c user/lib/mem.c
 * user/lib/pagoda.c, then run it as root (it makes and removes FILE_PATH). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"

#define FILE_PATH "/shared-test.dat"
#define NPAGES 4

int main(int argc, char **argv);

static int wait_child(pid_t pid)
{
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Parent and child share MAP_SHARED|MAP_ANONYMOUS memory: each sees the other's writes,
 * and (on Pagoda) the page is one frame in both. */
static void shared_anon_fork(void)
{
    unsigned char *m = mmap(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        ktap_check(0, "shared_anon_map", "mmap: %s", strerror(errno));
        return;
    }
    m[0] = 1;                           /* resident before fork: fork shares the frame */
    long frame = pagoda_frame_of(m);
    int to_child[2];
    pipe(to_child);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        int same = !on_pagoda() || pagoda_frame_of(m) == frame;
        for (int i = 0; i < NPAGES; i++)
            memset(m + i * PAGE_SIZE + 1, 0x40 + i, PAGE_SIZE - 1);
        read(to_child[0], &c, 1);       /* the parent has written page 0's first byte */
        _exit(!same ? 3 : m[0] == 0x77 ? 0 : 2);
    }
    while (m[PAGE_SIZE * (NPAGES - 1) + PAGE_SIZE - 1] != 0x40 + NPAGES - 1)
        sched_yield();                  /* the child's last write */
    int seen = 1;
    for (int i = 0; i < NPAGES; i++)
        seen &= first_mismatch(m + i * PAGE_SIZE + 1, PAGE_SIZE - 1, 0x40 + i) < 0;
    ktap_check(seen, "shared_anon_child_writes_seen", "the parent misses the child's writes");
    m[0] = 0x77;
    write(to_child[1], "x", 1);
    int st = wait_child(pid);
    ktap_check(st == 0, "shared_anon_parent_write_seen_and_one_frame", "child status %d "
               "(2: missed the parent's write, 3: another frame)", st);
    munmap(m, NPAGES * PAGE_SIZE);
}

/* A private anonymous mapping is copied by fork: the child's writes stay its own. */
static void private_anon_fork(void)
{
    unsigned char *m = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 5;
    pid_t pid = fork();
    if (pid == 0) {
        m[0] = 6;
        _exit(0);
    }
    wait_child(pid);
    ktap_check(m[0] == 5, "private_anon_not_shared", "the child's write reached the parent");
    munmap(m, PAGE_SIZE);
}

/* pwrite and pread by lseek, which every kernel here has. */
static void put_at(int fd, const char *bytes, size_t n, off_t off)
{
    lseek(fd, off, SEEK_SET);
    write(fd, bytes, n);
}

static char byte_at(int fd, off_t off)
{
    char c = 0;
    lseek(fd, off, SEEK_SET);
    read(fd, &c, 1);
    return c;
}

static int make_file(const char *bytes, size_t n)
{
    int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0 && write(fd, bytes, n) != (ssize_t)n) {
        close(fd);
        return -1;
    }
    return fd;
}

/* write(2) to a file is seen at once through a shared mapping of it; a private mapping
 * copies on write, and neither the file nor a shared mapping sees the copy. */
static void file_mappings(void)
{
    static char page[PAGE_SIZE];
    memset(page, 'a', sizeof(page));
    int fd = make_file(page, sizeof(page));
    if (fd < 0) {
        ktap_check(0, "file_create", "%s: %s", FILE_PATH, strerror(errno));
        return;
    }
    char *sh = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    char *pr = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    ktap_check(sh != MAP_FAILED && pr != MAP_FAILED && sh[10] == 'a' && pr[10] == 'a',
               "file_mapped", "mmap: %s", strerror(errno));
    put_at(fd, "XYZ", 3, 10);
    ktap_check(memcmp(sh + 10, "XYZ", 3) == 0, "write_seen_through_shared_mapping",
               "mapping shows %.3s", sh + 10);
    ktap_check(memcmp(pr + 10, "XYZ", 3) == 0, "write_seen_through_private_mapping_before_copy",
               "mapping shows %.3s", pr + 10);
    pr[100] = 'P';                      /* the private copy */
    char back = byte_at(fd, 100);
    ktap_check(back == 'a' && sh[100] == 'a', "private_copy_not_seen",
               "file %c, shared mapping %c", back, sh[100]);
    put_at(fd, "Q", 1, 200);
    ktap_check(pr[200] == 'a' && sh[200] == 'Q', "private_copy_keeps_its_bytes",
               "private %c, shared %c", pr[200], sh[200]);
    munmap(sh, PAGE_SIZE);
    munmap(pr, PAGE_SIZE);
    close(fd);
}

static sigjmp_buf escape;
static void on_sigbus(int sig)
{
    (void)sig;
    siglongjmp(escape, 1);
}

/* A page of a shared mapping wholly past the end of the file is SIGBUS. */
static void past_end_sigbus(void)
{
    int fd = make_file("short", 5);
    char *m = mmap(NULL, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    struct sigaction sa = {.sa_handler = on_sigbus}, old;
    sigaction(SIGBUS, &sa, &old);
    volatile int got = 0;
    ktap_check(m != MAP_FAILED && m[0] == 's' && m[5] == 0, "partial_page_zero_tail",
               "the tail of the file's last page is not zero");
    if (sigsetjmp(escape, 1) == 0)
        got = m[PAGE_SIZE];
    else
        got = -1;
    ktap_check(got == -1, "past_end_is_sigbus", "read %d past the end", got);
    sigaction(SIGBUS, &old, NULL);
    munmap(m, 2 * PAGE_SIZE);
    close(fd);
}

/* Bad input, with Linux's errors. */
static void bad_input(void)
{
    int fd = make_file("data", 4);
    close(fd);
    int ro = open(FILE_PATH, O_RDONLY);
    void *m = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    ktap_check(m == MAP_FAILED && errno == EACCES, "shared_write_readonly_fd_eacces",
               "errno %d", errno);
    m = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, ro, 0);
    ktap_check(m != MAP_FAILED && mprotect(m, PAGE_SIZE, PROT_READ | PROT_WRITE) < 0 &&
               errno == EACCES, "mprotect_write_readonly_shared_eacces", "errno %d", errno);
    munmap(m, PAGE_SIZE);
    m = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, -1, 0);
    ktap_check(m == MAP_FAILED && errno == EINVAL, "neither_shared_nor_private_einval",
               "errno %d", errno);
    m = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, 77, 0);
    ktap_check(m == MAP_FAILED && errno == EBADF, "bad_fd_ebadf", "errno %d", errno);
    int p[2];
    pipe(p);
    m = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, p[0], 0);
    ktap_check(m == MAP_FAILED && errno == ENODEV, "pipe_enodev", "errno %d", errno);
    close(p[0]);
    close(p[1]);
    close(ro);
    unlink(FILE_PATH);
}

/* msync, mincore and madvise on shared and private memory. */
static void page_calls(void)
{
    char *sh = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                    -1, 0);
    char *pr = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
    sh[0] = pr[0] = 'x';
    sh[2 * PAGE_SIZE] = pr[2 * PAGE_SIZE] = 'y';
    unsigned char vec[4];
    int r = mincore(pr, 4 * PAGE_SIZE, vec);
    ktap_check(r == 0 && (vec[0] & 1) && !(vec[1] & 1) && (vec[2] & 1) && !(vec[3] & 1),
               "mincore_touched_pages", "r %d vec %d%d%d%d", r, vec[0], vec[1], vec[2], vec[3]);
    ktap_check(mincore(pr + 1, PAGE_SIZE, vec) < 0 && errno == EINVAL, "mincore_unaligned_einval",
               "errno %d", errno);
    ktap_check(msync(sh, 4 * PAGE_SIZE, MS_SYNC) == 0, "msync_ok", "errno %d", errno);
    ktap_check(msync(sh, PAGE_SIZE, MS_SYNC | MS_ASYNC) < 0 && errno == EINVAL,
               "msync_bad_flags_einval", "errno %d", errno);
    ktap_check(msync(sh + 1, PAGE_SIZE, MS_SYNC) < 0 && errno == EINVAL,
               "msync_unaligned_einval", "errno %d", errno);
    ktap_check(madvise(pr, 4 * PAGE_SIZE, MADV_DONTNEED) == 0 && pr[0] == 0 &&
               pr[2 * PAGE_SIZE] == 0, "dontneed_private_reads_zeros", "pr[0] %d", pr[0]);
    ktap_check(madvise(sh, 4 * PAGE_SIZE, MADV_DONTNEED) == 0 && sh[0] == 'x' &&
               sh[2 * PAGE_SIZE] == 'y', "dontneed_shared_keeps_data", "sh[0] %d", sh[0]);
    ktap_check(madvise(sh, 4 * PAGE_SIZE, MADV_WILLNEED) == 0, "willneed_ok", "errno %d", errno);
    ktap_check(madvise(sh, PAGE_SIZE, 12345) < 0 && errno == EINVAL, "madvise_bad_advice_einval",
               "errno %d", errno);
    munmap(sh, 4 * PAGE_SIZE);
    munmap(pr, 4 * PAGE_SIZE);
    ktap_check(msync(sh, PAGE_SIZE, MS_SYNC) < 0 && errno == ENOMEM, "msync_unmapped_enomem",
               "errno %d", errno);
    ktap_check(mincore(sh, PAGE_SIZE, vec) < 0 && errno == ENOMEM, "mincore_unmapped_enomem",
               "errno %d", errno);
}

static void sysinfo_numbers(void)
{
    struct sysinfo si;
    int r = sysinfo(&si);
    ktap_check(r == 0 && si.mem_unit > 0 && si.totalram > 0 && si.freeram <= si.totalram &&
               si.freeswap <= si.totalswap && si.procs >= 1, "sysinfo",
               "r %d total %lu free %lu procs %u", r, si.totalram, si.freeram, si.procs);
}

/* Two processes running this program share its text: the frame behind main is the same
 * in both. The child is exec'd afresh (not a fork's copy), reports its frame of main
 * through a pipe and waits, so the parent can also see the sharing counted. */
static void text_shared(const char *self)
{
    int up[2], down[2];
    pipe(up);
    pipe(down);
    pid_t pid = fork();
    if (pid == 0) {
        char a[16], b[16];
        snprintf(a, sizeof(a), "%d", up[1]);
        snprintf(b, sizeof(b), "%d", down[0]);
        execl(self, self, "text-child", a, b, (char *)NULL);
        _exit(9);
    }
    long theirs = 0, mine = pagoda_frame_of((void *)main);
    read(up[0], &theirs, sizeof(theirs));
    struct pagoda_vmstat st;
    int on = pagoda_only("text_one_frame");
    if (on) {
        pagoda_vmstat(&st, 0);
        ktap_check(theirs == mine && mine > 0, "text_one_frame", "frames %lx and %lx", mine,
                   theirs);
        ktap_check(st.shared_pages >= 1 && st.cached_pages >= 1, "text_counted_shared_and_cached",
                   "shared %u cached %u", st.shared_pages, st.cached_pages);
    } else {
        ktap_skip("text_counted_shared_and_cached", "Pagoda only");
    }
    write(down[1], "x", 1);
    ktap_check(wait_child(pid) == 0, "text_child_exit", "the child failed");
}

static int text_child(int up, int down)
{
    long frame = pagoda_frame_of((void *)main);
    char c;
    write(up, &frame, sizeof(frame));
    read(down, &c, 1);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "text-child") == 0)
        return text_child(atoi(argv[2]), atoi(argv[3]));
    ktap_plan(30);
    shared_anon_fork();
    private_anon_fork();
    file_mappings();
    past_end_sigbus();
    bad_input();
    page_calls();
    sysinfo_numbers();
    text_shared(argv[0]);
    return ktap_finish();
}
