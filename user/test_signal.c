/* user/test_signal.c: signal handlers through glibc's own signal, sigaction, raise, abort
 * and sigsetjmp: siginfo and ucontext, masks, SA_* flags, SIGCHLD, SIGPIPE, alarms, stop
 * and continue, fork and exec. On Linux: build/rootfs/bin/test_signal (all pass). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

static volatile sig_atomic_t hits, depth, max_depth;
static volatile uintptr_t seen_addr;
static volatile int seen_code, seen_pid, seen_status;
static sigjmp_buf escape;

static void count(int sig) { (void)sig; hits++; }

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa = {.sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags};
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void on_plain(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void record(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    hits++;
    seen_addr = (uintptr_t)si->si_addr;
    seen_code = si->si_code;
    seen_pid = si->si_pid;
    seen_status = si->si_status;
}

static void record_and_escape(int sig, siginfo_t *si, void *uc)
{
    record(sig, si, uc);
    siglongjmp(escape, 1);
}

static void test_raise(void)
{
    hits = 0;
    signal(SIGUSR1, count);
    raise(SIGUSR1);
    ktap_check(hits == 1, "signal_raise_runs_handler", "handler ran %d times", hits);
}

static void test_segv_maperr(void)
{
    on(SIGSEGV, record_and_escape, 0);
    hits = 0;
    if (sigsetjmp(escape, 1) == 0)
        read_byte(0x12345678u);
    ktap_check(hits == 1 && seen_addr == 0x12345678u && seen_code == SEGV_MAPERR,
               "segv_siginfo_maperr", "hits %d addr %#lx code %d", hits,
               (unsigned long)seen_addr, seen_code);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    ktap_check(!sigismember(&now, SIGSEGV), "siglongjmp_restores_mask",
               "SIGSEGV still blocked after siglongjmp");
}

/* The Appel-Li primitive: the handler unprotects the page and returns; the write is
 * restarted and succeeds. */
static char *protected_page;
static void unprotect(int sig, siginfo_t *si, void *uc)
{
    record(sig, si, uc);
    mprotect(protected_page, PAGE_SIZE, PROT_READ | PROT_WRITE);
}

static void test_segv_accerr_restart(void)
{
    protected_page = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    on(SIGSEGV, unprotect, 0);
    hits = 0;
    write_byte((uintptr_t)protected_page + 5, 'x');
    ktap_check(hits == 1 && seen_code == SEGV_ACCERR &&
               seen_addr == (uintptr_t)protected_page + 5 && protected_page[5] == 'x',
               "segv_accerr_handler_fixes_and_restarts", "hits %d code %d byte %d", hits,
               seen_code, protected_page[5]);
    munmap(protected_page, PAGE_SIZE);
    signal(SIGSEGV, SIG_DFL);
}

/* A page of a file mapping wholly past the end of the file: SIGBUS, BUS_ADRERR. The
 * partial last page reads as zeros beyond the end. */
static void test_sigbus_past_eof(const char *self)
{
    int fd = open(self, O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    size_t inside = PAGE_UP(st.st_size);
    char *map = mmap(NULL, inside + PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    on(SIGBUS, record_and_escape, 0);
    hits = 0;
    char tail = inside > (size_t)st.st_size ? map[st.st_size] : 0;
    if (sigsetjmp(escape, 1) == 0)
        read_byte((uintptr_t)map + inside + 1);
    ktap_check(hits == 1 && seen_code == BUS_ADRERR && seen_addr == (uintptr_t)map + inside + 1 &&
               tail == 0, "sigbus_past_end_of_mapped_file", "hits %d code %d addr %#lx tail %d",
               hits, seen_code, (unsigned long)seen_addr, tail);
    munmap(map, inside + PAGE_SIZE);
    signal(SIGBUS, SIG_DFL);
}

/* The handler edits the saved registers: skip the 2-byte ud2 and set eax. */
static void skip_ud2(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    record(sig, si, ctx);
    uc->uc_mcontext.gregs[REG_EIP] += 2;
    uc->uc_mcontext.gregs[REG_EAX] = 42;
}

static void test_ucontext_edit(void)
{
    on(SIGILL, skip_ud2, 0);
    hits = 0;
    int eax;
    uintptr_t at;
    __asm__ volatile("lea 1f, %1\n\tmov $1, %0\n1:\tud2" : "=a"(eax), "=r"(at));
    ktap_check(hits == 1 && eax == 42 && seen_addr == at && seen_code == ILL_ILLOPN,
               "ucontext_registers_changed_by_handler", "eax %d addr %#lx (ud2 at %#lx) code %d",
               eax, (unsigned long)seen_addr, (unsigned long)at, seen_code);
    signal(SIGILL, SIG_DFL);
}

static void test_mask_and_pending(void)
{
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    signal(SIGUSR1, count);
    hits = 0;
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    sigpending(&pending);
    int held = hits == 0 && sigismember(&pending, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    ktap_check(held && hits == 1, "blocked_signal_pends_until_unblocked",
               "held %d, hits after unblock %d", held, hits);
    struct sigaction sa;
    sigaction(SIGKILL, NULL, &sa);
    ktap_check(sigaction(SIGKILL, &sa, NULL) < 0 && errno == EINVAL &&
               syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4) < 0 && errno == EINVAL &&
               syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)0xC0000000u, NULL, 8) < 0 &&
               errno == EFAULT && kill(getpid(), 65) < 0 && errno == EINVAL &&
               syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8) < 0 && errno == EINVAL,
               "bad_arguments_refused", "errno %d", errno);
}

/* SA_RESTART: a read interrupted by an alarm is restarted; without it, EINTR. */
static int alarm_pipe[2];
static void alarm_writes(int sig) { (void)sig; hits++; write(alarm_pipe[1], "!", 1); }

/* An alarm every usec (once, if !again). A disk read between arming and sleeping lets
 * virtual time run ahead under -icount, so an alarm can come before the sleep it is
 * meant to interrupt: a repeating one interrupts the sleep all the same. */
static void arm(int usec, int again)
{
    struct itimerval it = {.it_interval = {0, again ? usec : 0}, .it_value = {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void) { arm(0, 0); }

static void test_restart(void)
{
    char c;
    pipe(alarm_pipe);
    on_plain(SIGALRM, alarm_writes, SA_RESTART);
    hits = 0;
    arm(20000, 0);                      /* early or not, the handler writes the byte */
    ssize_t n = read(alarm_pipe[0], &c, 1);
    ktap_check(n == 1 && c == '!' && hits == 1, "sa_restart_restarts_pipe_read",
               "read %zd errno %d hits %d", n, errno, hits);
    on_plain(SIGALRM, count, 0);
    arm(20000, 1);
    n = read(alarm_pipe[0], &c, 1);
    disarm();
    ktap_check(n < 0 && errno == EINTR, "no_sa_restart_read_eintr", "read %zd errno %d", n, errno);
    arm(20000, 1);
    struct timespec req = {5, 0}, rem = {0, 0};
    int r = nanosleep(&req, &rem);
    disarm();
    ktap_check(r < 0 && errno == EINTR && rem.tv_sec >= 4, "nanosleep_eintr_with_remainder",
               "nanosleep %d errno %d rem %lds", r, errno, (long)rem.tv_sec);
    arm(20000, 1);
    r = pause();
    disarm();
    ktap_check(r < 0 && errno == EINTR, "pause_eintr", "pause %d errno %d", r, errno);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(1);
    }
    arm(20000, 1);
    pid_t w = waitpid(child, NULL, 0);
    disarm();
    ktap_check(w < 0 && errno == EINTR, "wait4_eintr", "waitpid %d errno %d", w, errno);
    kill(child, SIGKILL);
    int status = wait_status(child);
    ktap_check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "sigkill_ends_pause",
               "status %#x", status);
    ktap_check(alarm(5) == 0 && alarm(0) >= 4, "alarm_returns_seconds_left", "alarm");
    close(alarm_pipe[0]);
    close(alarm_pipe[1]);
}

static void test_sigsuspend(void)
{
    sigset_t usr1, old, empty, after;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&empty);
    signal(SIGUSR1, count);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    hits = 0;
    raise(SIGUSR1);
    int r = sigsuspend(&empty);
    sigprocmask(SIG_BLOCK, NULL, &after);
    ktap_check(r < 0 && errno == EINTR && hits == 1 && sigismember(&after, SIGUSR1),
               "sigsuspend_runs_handler_and_restores_mask", "r %d hits %d", r, hits);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static char altstack[16384];
static volatile uintptr_t handler_sp;
static void where_am_i(int sig) { (void)sig; char here; handler_sp = (uintptr_t)&here; }

static void test_altstack(void)
{
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)}, old;
    sigaltstack(&ss, NULL);
    on_plain(SIGUSR2, where_am_i, SA_ONSTACK);
    raise(SIGUSR2);
    int inside = handler_sp > (uintptr_t)altstack &&
                 handler_sp < (uintptr_t)altstack + sizeof(altstack);
    ss.ss_size = 100;
    int small = sigaltstack(&ss, NULL) < 0 && errno == ENOMEM;
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, &old);
    ktap_check(inside && small && old.ss_sp == altstack, "sa_onstack_runs_on_sigaltstack",
               "handler sp %#lx, stack %p, small %d", (unsigned long)handler_sp, altstack, small);
}

static void nested(int sig)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (hits++ == 0)
        raise(sig);
    depth--;
}

static void test_nodefer_resethand(void)
{
    hits = max_depth = 0;
    on_plain(SIGUSR1, nested, 0);
    raise(SIGUSR1);
    int deferred = hits == 2 && max_depth == 1;
    hits = max_depth = 0;
    on_plain(SIGUSR1, nested, SA_NODEFER);
    raise(SIGUSR1);
    ktap_check(deferred && hits == 2 && max_depth == 2, "sa_nodefer_nests",
               "deferred %d, nodefer depth %d", deferred, max_depth);
    pid_t pid = fork();
    if (pid == 0) {
        on_plain(SIGUSR1, count, SA_RESETHAND);
        raise(SIGUSR1);
        raise(SIGUSR1);                 /* the default action now: terminate */
        _exit(0);
    }
    int status = wait_status(pid);
    ktap_check(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1, "sa_resethand_once",
               "status %#x", status);
}

static void test_sigchld(void)
{
    on(SIGCHLD, record, 0);
    hits = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    int status = wait_status(pid);
    ktap_check(hits == 1 && seen_pid == pid && seen_code == CLD_EXITED && seen_status == 7 &&
               WEXITSTATUS(status) == 7, "sigchld_on_child_exit", "hits %d pid %d code %d st %d",
               hits, seen_pid, seen_code, seen_status);
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++)
        if (fork() == 0)
            _exit(0);
    pid_t w = wait(NULL);              /* waits for all three, then there are none */
    ktap_check(w < 0 && errno == ECHILD, "sigchld_ignored_reaps_children", "wait %d errno %d",
               w, errno);
    signal(SIGCHLD, SIG_DFL);
}

static void write_to_closed_pipe(void *unused)
{
    int fd[2];
    (void)unused;
    pipe(fd);
    close(fd[0]);
    write(fd[1], "x", 1);
}

static void test_sigpipe(void)
{
    check_killed_by("sigpipe_kills_writer", write_to_closed_pipe, NULL, SIGPIPE);
    int fd[2];
    pipe(fd);
    close(fd[0]);
    signal(SIGPIPE, SIG_IGN);
    ssize_t n = write(fd[1], "x", 1);
    ktap_check(n < 0 && errno == EPIPE, "sigpipe_ignored_epipe", "write %zd errno %d", n, errno);
    close(fd[1]);
    signal(SIGPIPE, SIG_DFL);
}

static void do_abort(void *unused) { (void)unused; abort(); }

static void test_stop_continue(void)
{
    check_killed_by("abort_sigabrt", do_abort, NULL, SIGABRT);
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    int status;
    kill(pid, SIGSTOP);
    pid_t w1 = waitpid(pid, &status, WUNTRACED);
    int stopped = w1 == pid && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP;
    kill(pid, SIGCONT);
    pid_t w2 = waitpid(pid, &status, WCONTINUED);
    int continued = w2 == pid && WIFCONTINUED(status);
    kill(pid, SIGTERM);
    status = wait_status(pid);
    ktap_check(stopped && continued && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
               "sigstop_sigcont_wuntraced_wcontinued", "stopped %d continued %d status %#x",
               stopped, continued, status);
}

static void test_groups(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        for (;;)
            pause();
    }
    setpgid(pid, pid);                  /* both sides, as a shell does: no race */
    int own = getpgid(pid) == pid && getpgrp() != pid;
    int bad = setpgid(pid, 99999) < 0 && errno == EPERM;
    kill(-pid, SIGINT);
    int status = wait_status(pid);
    ktap_check(own && bad && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
               "kill_process_group", "own %d bad %d status %#x", own, bad, status);
}

/* The handler uses the FPU; the interrupted computation's registers are intact. */
static void fpu_user(int sig) { (void)sig; volatile double x = 3.0; x = x * x; hits = (int)x; }

static void test_fpu_preserved(void)
{
    signal(SIGUSR1, fpu_user);
    volatile double a = 1.5;
    double b;
    int nr = SYS_kill;                  /* the signal arrives with 1.5 in st(0) */
    __asm__ volatile("fldl %2\n\t" "int $0x80\n\t" "fstpl %0"
                     : "=m"(b), "+a"(nr) : "m"(a), "b"(getpid()), "c"(SIGUSR1) : "memory");
    ktap_check(b == 1.5 && hits == 9, "fpu_state_survives_handler", "b %g hits %d", b, hits);
}

/* After exec, a caught signal is back to SIG_DFL and an ignored one stays ignored. */
static int exec_check(void)
{
    struct sigaction a, b;
    sigaction(SIGUSR1, NULL, &a);
    sigaction(SIGUSR2, NULL, &b);
    return a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN ? 0 : 1;
}

static void test_fork_exec(char *self)
{
    signal(SIGUSR1, count);
    signal(SIGUSR2, SIG_IGN);
    hits = 0;
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGUSR1);                 /* the inherited handler */
        if (hits != 1)
            _exit(2);
        char *argv[] = {self, "exec-check", NULL};
        execv(self, argv);
        _exit(3);
    }
    int status = wait_status(pid);
    ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork_inherits_exec_resets",
               "status %#x", status);
    signal(SIGUSR2, SIG_DFL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
        return exec_check();
    ktap_plan(28);
    test_raise();
    test_segv_maperr();
    test_segv_accerr_restart();
    test_ucontext_edit();
    test_sigbus_past_eof(argv[0]);
    test_mask_and_pending();
    test_restart();
    test_sigsuspend();
    test_altstack();
    test_nodefer_resethand();
    test_sigchld();
    test_sigpipe();
    test_stop_continue();
    test_groups();
    test_fpu_preserved();
    test_fork_exec(argv[0]);
    return ktap_finish();
}
