/* user/fuzz.c: a seeded system-call fuzzer. Children issue thousands of random system calls
 * with hostile arguments; the parent checks that each child ends and that the kernel lives on.
 *
 * Usage: fuzz [-v] [-c CHILDREN] [-n CALLS] [-o CHILD] SEED
 *   -v  print every call (and its result) before and after making it, to replay a failure
 *   -c  how many children run one after another (default 96); -n calls each (default 1000)
 *   -o  run only child number CHILD (from 0), to shorten a replay
 * A run is a function of SEED: the same seed makes the same calls (syzkaller's random
 * programs, much smaller). Run as process 1 it ends with the kernel's leak check.
 * Do not run it on Linux: as root there, open(O_CREAT) of its paths would create files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/hostile.h"
#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/prng.h"
#include "user/lib/proc.h"

#define PROGRESS_EVERY 64          /* a child writes one byte to its pipe per this many calls */
#define STUCK_POLLS 50             /* polls (10 ms apart) with the child asleep: kill it */
#define POLL_NS 10000000L
#define ASLEEP_CYCLES 1000000      /* under this much run time in a poll, a child was asleep */
#define RUNAWAY_CYCLES 1000000000LL /* 8 times seeds 1-100 longest child: a runaway */

/* An argument's kind, one letter per argument in a call's signature. */
enum { A_FD = 'f', A_IN = 'i', A_OUT = 'o', A_LEN = 'l', A_INT = 'n', A_PATH = 'p',
       A_ADDR = 'a', A_PID = 'k', A_TIME = 't', A_IOV = 'v', A_DESC = 'd', A_MMAP = 'm',
       A_FSPATH = 'w' };

struct call {
    uint32_t nr;
    const char *name;
    const char *args;              /* the signature: an A_* letter per argument */
};

/* Every number of kernel/syscall.c's tables, except these, which would make the run useless:
 *  - exit (1) and exit_group (252): a child would stop after a few calls (it exits anyway);
 *  - execve (11) is made only with paths that cannot run (hostile_path's list holds no
 *    program), because a program that works would replace the fuzzer;
 *  - kill (37), tkill, tgkill, wait4, waitpid, setpgid, setpriority and prlimit64 name
 *    only the caller (hostile_pid), never process 1, the parent;
 *  - the calls that end a child's run are made seldom (rare): pause and rt_sigsuspend
 *    sleep until the parent kills, sigreturn and rt_sigreturn load registers from a frame
 *    that is not one (the child dies), alarm and setitimer end it with SIGALRM.
 * fork, vfork and clone are made, and their children leave at once (raw_call). */
static const struct call calls[] = {
    {2, "fork", ""},              {3, "read", "fol"},           {4, "write", "fil"},
    {5, "open", "pnn"},           {6, "close", "f"},            {7, "waitpid", "kon"},
    {11, "execve", "pii"},        {12, "chdir", "p"},           {13, "time", "o"},
    {19, "lseek", "fnn"},         {20, "getpid", ""},           {24, "getuid", ""},
    {29, "pause", ""},            {33, "access", "pn"},         {34, "nice", "n"},
    {37, "kill", "kn"},           {41, "dup", "f"},             {42, "pipe", "o"},
    {45, "brk", "a"},             {47, "getgid", ""},           {49, "geteuid", ""},
    {50, "getegid", ""},          {54, "ioctl", "fno"},         {63, "dup2", "ff"},
    {64, "getppid", ""},          {75, "setrlimit", "ni"},      {78, "gettimeofday", "oo"},
    {85, "readlink", "pol"},      {90, "mmap", "m"},            {91, "munmap", "al"},
    {96, "getpriority", "nk"},    {97, "setpriority", "nkn"},   {114, "wait4", "kono"},
    {120, "clone", "nnooo"},      {122, "uname", "o"},          {125, "mprotect", "aln"},
    {140, "_llseek", "fnnon"},    {145, "readv", "fvn"},        {146, "writev", "fvn"},
    {150, "mlock", "al"},         {151, "munlock", "al"},       {152, "mlockall", "n"},
    {153, "munlockall", ""},      {158, "sched_yield", ""},     {162, "nanosleep", "to"},
    {174, "rt_sigaction", "nio"}, {175, "rt_sigprocmask", "nio"}, {183, "getcwd", "ol"},
    {190, "vfork", ""},           {191, "ugetrlimit", "no"},    {192, "mmap2", "alnnfn"},
    {195, "stat64", "po"},        {196, "lstat64", "po"},       {197, "fstat64", "fo"},
    {199, "getuid32", ""},        {200, "getgid32", ""},        {201, "geteuid32", ""},
    {202, "getegid32", ""},       {220, "getdents64", "fol"},   {221, "fcntl64", "fnn"},
    {224, "gettid", ""},          {243, "set_thread_area", "d"},
    {258, "set_tid_address", "o"}, {265, "clock_gettime", "no"},
    {267, "clock_nanosleep", "nnto"}, {295, "openat", "fpnn"}, {300, "fstatat64", "fpon"},
    {311, "set_robust_list", "il"}, {330, "dup3", "ffn"},       {331, "pipe2", "on"},
    {340, "prlimit64", "knio"},   {355, "getrandom", "oln"},    {383, "statx", "fpnno"},
    {386, "rseq", "ilnn"},        {403, "clock_gettime64", "no"},
    {407, "clock_nanosleep_time64", "nnto"},
    /* the calls that write the file system, in HOSTILE_FS_DIR (open and openat twice) */
    {5, "open", "wnn"},           {295, "openat", "fwnn"},      {9, "link", "ww"},
    {10, "unlink", "w"},          {36, "sync", ""},             {38, "rename", "ww"},
    {39, "mkdir", "wn"},          {40, "rmdir", "w"},           {83, "symlink", "ww"},
    {92, "truncate", "wn"},       {93, "ftruncate", "fn"},      {118, "fsync", "f"},
    {148, "fdatasync", "f"},      {194, "ftruncate64", "fnn"},
    /* signals and process groups */
    {27, "alarm", "n"},           {57, "setpgid", "kk"},        {65, "getpgrp", ""},
    {66, "setsid", ""},           {67, "sigaction", "nio"},     {104, "setitimer", "nio"},
    {105, "getitimer", "no"},     {119, "sigreturn", ""},       {126, "sigprocmask", "nio"},
    {132, "getpgid", "k"},        {147, "getsid", "k"},         {173, "rt_sigreturn", ""},
    {176, "rt_sigpending", "ol"}, {179, "rt_sigsuspend", "il"}, {186, "sigaltstack", "io"},
    {238, "tkill", "kn"},         {270, "tgkill", "kkn"},
    {SYS_pagoda_vmstat, "pagoda_vmstat", "ok"},   {SYS_pagoda_frame_of, "pagoda_frame_of", "a"},
    {SYS_pagoda_policy, "pagoda_policy", "pol"},  {SYS_pagoda_heapstat, "pagoda_heapstat", "o"},
    {SYS_pagoda_policy_info, "pagoda_policy_info", "no"},
    {0, "unknown", "nnn"},        /* a number the kernel does not implement (random_call) */
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static int verbose;

/* a[5] goes in ebp, which the compiler may use itself (as the frame or GOT pointer): the asm
 * pushes these three statics while ebp still addresses them, then loads ebp from the stack. */
static uint32_t call_ebp, call_std, call_forks;

/* int $0x80 with the Linux i386 registers. With call_std, the direction flag is set first
 * (the kernel must clear it on entry). With call_forks, a child of fork/vfork/clone (eax 0)
 * exits at once, before it could touch this process's state. */
static uint32_t raw_call(uint32_t nr, const uint32_t a[6])
{
    uint32_t ret;
    call_ebp = a[5];
    asm volatile("pushl %%ebp\n\t"
                 "pushl %[forks]\n\t"
                 "pushl %[std]\n\t"
                 "pushl %[ebp6]\n\t"
                 "popl %%ebp\n\t"
                 "cmpl $0, (%%esp)\n\t"
                 "je 1f\n\t"
                 "std\n"
                 "1:\tint $0x80\n\t"
                 "cld\n\t"
                 "cmpl $0, 4(%%esp)\n\t"
                 "je 2f\n\t"
                 "testl %%eax, %%eax\n\t"
                 "jne 2f\n\t"
                 "movl $1, %%eax\n\t"          /* the new child: exit(0) */
                 "xorl %%ebx, %%ebx\n\t"
                 "int $0x80\n"
                 "2:\taddl $8, %%esp\n\t"
                 "popl %%ebp"
                 : "=a"(ret)
                 : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4]),
                   [ebp6] "m"(call_ebp), [std] "m"(call_std), [forks] "m"(call_forks)
                 : "memory", "cc");
    return ret;
}

static uint32_t make_arg(char kind, uint32_t nr)
{
    switch (kind) {
    case A_FD: return hostile_fd();
    case A_IN: return hostile_ptr_in();
    case A_OUT: return hostile_ptr_out();
    case A_LEN: return hostile_len();
    case A_PATH: return hostile_path();
    case A_FSPATH: return hostile_fs_path();
    case A_ADDR: return hostile_addr();
    case A_PID: return hostile_pid();
    case A_TIME: return hostile_timespec();
    case A_IOV: return hostile_iovec();
    case A_DESC: return hostile_user_desc(0);
    case A_MMAP: return hostile_mmap_args();
    default: return nr == 2 || nr == 190 || nr == 120 ? hostile_int() & ~0x10100u /* VM, THREAD */
                                                      : hostile_int();
    }
}

/* One call with its arguments, as make_call makes it. */
struct made {
    const struct call *c;
    uint32_t nr, a[6];
};

/* The calls that end a child's run (see the comment above calls): one pick in RARE. */
#define RARE 50

static int rare(uint32_t nr)
{
    return nr == 29 || nr == 179 || nr == 119 || nr == 173 || nr == 27 || nr == 104;
}

static void random_call(struct made *m)
{
    do
        m->c = &calls[prng_below(NCALLS)];
    while (rare(m->c->nr) && !prng_one_in(RARE));
    m->nr = m->c->nr;
    if (m->nr == 0)                    /* below 512 (logged once each), or far beyond */
        m->nr = prng_one_in(8) ? 1006 + prng_below(3) : 387 + prng_below(125);
    memset(m->a, 0, sizeof(m->a));
    for (int i = 0; m->c->args[i]; i++)
        m->a[i] = make_arg(m->c->args[i], m->nr);
}

static void log_call(int child, int i, const struct made *m, const char *what, uint32_t ret)
{
    char line[200];
    int n = snprintf(line, sizeof(line), "fuzz: [%d.%d] %s(%d) %#x %#x %#x %#x %#x %#x%s",
                     child, i, m->c->name, (int)m->nr, m->a[0], m->a[1], m->a[2], m->a[3],
                     m->a[4], m->a[5], call_std ? " std" : "");
    if (what)
        n += snprintf(line + n, sizeof(line) - n, " = %d\n", (int)ret);
    else
        n += snprintf(line + n, sizeof(line) - n, " ...\n");
    if (write(HOSTILE_LOG_FD, line, n) < 0)
        return;                        /* the log fd is gone: nothing to say it with */
}

/* glibc's thread-pointer descriptor (its TLS, addressed through gs), as the child found it. */
static uint32_t tls_desc[4];

static void save_tls(void)
{
    uint32_t gs, base;
    asm("movl %%gs, %0" : "=r"(gs));
    asm("movl %%gs:0, %0" : "=r"(base));       /* the thread control block points to itself */
    tls_desc[0] = gs >> 3;
    tls_desc[1] = base;
    tls_desc[2] = 0xFFFFF;
    tls_desc[3] = 0x51;                        /* seg_32bit, limit_in_pages, useable */
}

/* Repairs what some calls break on purpose, so that a child goes on making calls: glibc's
 * TLS descriptor after set_thread_area (gs is reloaded on the way out of the kernel), and
 * a pipe's ends, of which one is mostly closed, since a child reading its own empty pipe (or
 * writing its own full one) would sleep until the parent kills it. */
static void repair(const struct made *m, uint32_t ret)
{
    if (m->nr == 243) {
        uint32_t a[6] = {(uint32_t)(uintptr_t)tls_desc};
        raw_call(243, a);
    }
    if ((m->nr == 42 || m->nr == 331) && ret == 0 && prng_below(4)) {
        const int *fds = (const int *)(uintptr_t)m->a[0];
        uint32_t a[6] = {(uint32_t)fds[prng_below(2)]};
        raw_call(6, a);                        /* close */
    }
}

/* A child: its own stream of calls, from the seed and its number. */
static void child_run(uint32_t seed, int child, int ncalls)
{
    prng_seed(((uint64_t)seed << 32) | (uint32_t)child);
    hostile_init();
    save_tls();
    close(0);                          /* console reads would sleep until the parent kills, */
    close(1);                          /* and random bytes written to the console would only */
    close(2);                          /* fill the log (the log fd is kept for -v) */
    for (int i = 0; i < ncalls; i++) {
        struct made m;
        random_call(&m);
        call_std = prng_one_in(8);
        call_forks = m.nr == 2 || m.nr == 190 || m.nr == 120;
        if (verbose)
            log_call(child, i, &m, NULL, 0);
        uint32_t ret = raw_call(m.nr, m.a);
        call_std = call_forks = 0;
        if (verbose)
            log_call(child, i, &m, "=", ret);
        repair(&m, ret);
        if (i % PROGRESS_EVERY == PROGRESS_EVERY - 1 && write(HOSTILE_PROGRESS_FD, "", 1) != 1)
            _exit(3);                  /* cannot happen: hostile_fd never names this fd */
    }
    _exit(0);
}

/* How one child ended, as the parent saw it. */
struct outcome {
    int status;                    /* its wait status */
    int killed;                    /* why the parent killed it (KILLED_*), or 0 */
    int calls;                     /* at least this many calls made (its progress bytes) */
    long long ran;                 /* its run time when last seen (cycles, see below) */
};
enum { KILLED_ASLEEP = 1, KILLED_RUNAWAY };

/* The child's own run time (run_cycles, instructions under -icount): it grows while the
 * child runs, in user space or in the kernel, and hardly at all while it sleeps (a sleeper
 * on the timer wakes each tick to look at the time). -1 once it is gone. */
static long long child_runtime(pid_t pid)
{
    struct pagoda_vmstat st;
    return pagoda_vmstat(&st, pid) == 0 ? (long long)st.run_cycles : -1;
}

static int kill_child(pid_t pid, int child, int kind, struct outcome *out)
{
    int status;
    if (kind == KILLED_ASLEEP)
        printf("# child %d has slept for %d polls: killing it\n", child, STUCK_POLLS);
    else
        printf("# child %d has run for %lld cycles: killing it\n", child, out->ran);
    fflush(stdout);
    kill(pid, SIGKILL);
    out->killed = kind;
    return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* Waits for the child. The bound is the child's progress, not the clock: a child that runs
 * is left alone until it has run RUNAWAY_CYCLES, far more than a thousand calls need; one
 * that has slept for STUCK_POLLS polls sleeps in a call that may never return (read of its
 * own empty pipe, pause, a long nanosleep). Either is killed, which must end it. A runaway
 * is a child that mapped fresh memory over its own text and now runs zeros (00 00 is
 * `add %al,(%eax)`, a page fault every 2048 instructions: mmap may promise what fits in
 * RAM and swap, docs/robustness.md). If a killed child does not die, this wait never
 * returns and the boot test's timeout reports the hang (with the message printed here
 * naming the child). */
static int wait_child(pid_t pid, int child, struct outcome *out)
{
    struct timespec poll = {0, POLL_NS};
    long long last = -2;
    int status, still = 0;
    out->killed = 0;
    out->ran = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        long long now = child_runtime(pid);
        still = now - last < ASLEEP_CYCLES ? still + 1 : 0;
        last = now;
        out->ran = now;
        if (still >= STUCK_POLLS)
            return kill_child(pid, child, KILLED_ASLEEP, out);
        if (now > RUNAWAY_CYCLES)
            return kill_child(pid, child, KILLED_RUNAWAY, out);
        nanosleep(&poll, NULL);
    }
    return status;
}

/* Forks child number `child` with its progress pipe and log fd, and waits for it. */
static int run_child(uint32_t seed, int child, int ncalls, struct outcome *out)
{
    int p[2];
    if (pipe(p) != 0 || dup2(p[1], HOSTILE_PROGRESS_FD) < 0 || dup2(1, HOSTILE_LOG_FD) < 0)
        return -1;
    close(p[1]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        child_run(seed, child, ncalls);
    }
    close(HOSTILE_PROGRESS_FD);
    close(HOSTILE_LOG_FD);
    if (pid < 0) {
        close(p[0]);
        return -1;
    }
    out->status = wait_child(pid, child, out);
    char buf[256];
    ssize_t n;
    out->calls = 0;
    while ((n = read(p[0], buf, sizeof(buf))) > 0)   /* EOF: its children are gone too */
        out->calls += n * PROGRESS_EVERY;
    close(p[0]);
    return out->status == -1 ? -1 : 0;
}

/* The children of a child that outlived it: process 1 inherits them and must reap them
 * (they exit at once), or their slots would fill the process table. */
static int reap_orphans(void)
{
    int n = 0, status;
    while (waitpid(-1, &status, 0) > 0)
        n++;
    return n;
}

/* Removes path and, if it is a directory, everything in it: 0, or -1 if something stayed.
 * A directory deeper than SCRATCH_DEPTH can only be a loop (rename of a directory into
 * itself let through), and counts as something that stayed. */
#define SCRATCH_DEPTH 16

static int remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = depth < SCRATCH_DEPTH ? opendir(path) : NULL;
    if (!d)
        return -1;
    int err = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char sub[512];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        err |= remove_tree(sub, depth + 1);
    }
    closedir(d);
    return err | rmdir(path);
}

/* Before each child: HOSTILE_FS_DIR empty, whatever the last child left there (files,
 * directories, links, or no directory at all). 0, or -1 if it could not be emptied. */
static int scratch_reset(void)
{
    int err = remove_tree(HOSTILE_FS_DIR, 0);
    return mkdir(HOSTILE_FS_DIR, 0755) == 0 ? err : -1;
}

/* The last word on the disk: a file written after the storm, which the boot test reads
 * back from the image (with e2fsck: tests/boot/fuzz_suite.py). */
static int write_done(uint32_t seed)
{
    char line[32];
    int n = snprintf(line, sizeof(line), "seed %u\n", seed);
    int fd = open(HOSTILE_FS_DIR "/done", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, line, n) == n && fsync(fd) == 0;
    return close(fd) == 0 && ok;
}

/* After the storm: fork, exec and a pipe still work (echo's output comes back). */
static int kernel_alive(void)
{
    int p[2];
    char path[64], buf[16] = "";
    if (pipe(p) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        execl(bin_path(path, sizeof(path), "echo"), "echo", "alive", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    int got = read_full(p[0], buf, 6) == 0;
    close(p[0]);
    int status = pid > 0 ? wait_status(pid) : -1;
    return got && memcmp(buf, "alive\n", 6) == 0 && status == 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: fuzz [-v] [-c CHILDREN] [-n CALLS] [-o CHILD] SEED\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int nchildren = 96, ncalls = 1000, only = -1, opt;
    while ((opt = getopt(argc, argv, "vc:n:o:")) != -1) {
        switch (opt) {
        case 'v': verbose = 1; break;
        case 'c': nchildren = atoi(optarg); break;
        case 'n': ncalls = atoi(optarg); break;
        case 'o': only = atoi(optarg); break;
        default: usage();
        }
    }
    if (optind != argc - 1 || nchildren < 1 || ncalls < 1)
        usage();
    uint32_t seed = strtoul(argv[optind], NULL, 0);
    ktap_plan(5);
    ktap_diag("fuzz: seed %u, %d children of %d calls", seed, nchildren, ncalls);
    int failures = 0, unclean = 0, asleep = 0, runaway = 0, calls = 0, orphans = 0;
    long long most = 0;
    for (int c = 0; c < nchildren; c++) {
        struct outcome out;
        char how[80];
        if (only >= 0 && c != only)
            continue;
        if (scratch_reset() != 0) {
            ktap_diag("child %d: " HOSTILE_FS_DIR " could not be emptied before it", c);
            unclean++;
        }
        if (run_child(seed, c, ncalls, &out) != 0) {
            ktap_diag("child %d: fork or wait failed", c);
            failures++;
            continue;
        }
        orphans += reap_orphans();
        asleep += out.killed == KILLED_ASLEEP;
        runaway += out.killed == KILLED_RUNAWAY;
        calls += out.calls;
        most = out.ran > most ? out.ran : most;
        ktap_diag("child %d: %s after %d+ calls, %lld Mcycles%s", c,
                  describe_status(out.status, how, sizeof(how)), out.calls, out.ran / 1000000,
                  out.killed == KILLED_ASLEEP ? " (killed while asleep)"
                  : out.killed ? " (killed running away)" : "");
    }
    ktap_check(failures == 0, "children_ended", "%d children could not be run or waited for",
               failures);
    /* Children die early of what they do to themselves (munmap of their own stack, a
     * signal to themselves) or are killed asleep: an eighth of the calls must be made. */
    ktap_check(calls >= (only >= 0 ? 1 : nchildren) * ncalls / 8 || ncalls < PROGRESS_EVERY,
               "calls_made", "only %d calls of %d were made", calls, nchildren * ncalls);
    ktap_check(kernel_alive(), "kernel_alive", "fork, exec of echo and a pipe failed");
    ktap_check(unclean == 0 && scratch_reset() == 0, "scratch_emptied",
               "%d children left " HOSTILE_FS_DIR " in a state it could not be emptied from",
               unclean);
    ktap_check(write_done(seed), "file_written", "writing " HOSTILE_FS_DIR "/done failed");
    ktap_diag("fuzz: seed %u: %d calls, %d children killed asleep, %d running away, "
              "%d orphans reaped; the longest child ran %lld Mcycles", seed, calls, asleep,
              runaway, orphans, most / 1000000);
    return ktap_finish();
}
