/* user/test_forkexec.c: fork, execve and wait: pids and parent pids, exit statuses and
 * deaths by signal, argv and environment across exec (checked by /bin/argcheck), waitpid. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/argcheck.h"
#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

#define NCHILDREN 20
#define BIG_ARG_LEN 6000   /* longer than a page: argv copying must cross pages */

/* The child tells the parent what getpid() and getppid() say. */
static void check_pids(void)
{
    int fds[2];
    pid_t seen[2] = { -1, -1 };
    if (pipe(fds) != 0) {
        ktap_check(0, "child_pid_matches_fork", "pipe failed");
        ktap_check(0, "child_ppid_is_parent", "pipe failed");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        pid_t mine[2] = { getpid(), getppid() };
        write_full(fds[1], mine, sizeof(mine));
        _exit(0);
    }
    close(fds[1]);
    read_full(fds[0], seen, sizeof(seen));
    close(fds[0]);
    wait_status(pid);
    ktap_check(pid > 0 && seen[0] == pid, "child_pid_matches_fork",
               "fork returned %d, child's getpid() said %d", pid, seen[0]);
    ktap_check(seen[1] == getpid(), "child_ppid_is_parent",
               "child's getppid() said %d, parent is %d", seen[1], getpid());
}

static void exit_with(void *code)
{
    _exit((int)(intptr_t)code);
}

static void illegal_instruction(void *unused)
{
    (void)unused;
    asm volatile("ud2");
}

/* Only the low 8 bits of an exit code reach the parent; the signal number is reported as is. */
static void check_statuses(void)
{
    check_exits_with("exit_status_low_byte", exit_with, (void *)0x1ab, 0xab);
    check_killed_by("wait_reports_sigsegv", write_byte_at, NULL, SIGSEGV);
    check_killed_by("wait_reports_sigill", illegal_instruction, NULL, SIGILL);
}

/* Adds "NAME=value" to env at *n. */
static void add_env(char **env, int *n, const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 2;
    env[*n] = malloc(len);
    snprintf(env[*n], len, "%s=%s", name, value);
    (*n)++;
}

/* In the child: exec argcheck with awkward arguments (blanks, an empty one, one longer than
 * a page) and an environment that repeats them, so argcheck can compare. */
static void exec_argcheck(void *unused)
{
    (void)unused;
    static char big[BIG_ARG_LEN + 1];
    memset(big, 'x', BIG_ARG_LEN);
    big[BIG_ARG_LEN - 1] = 'y';
    char *argv[] = { "argcheck", "one", "two words", "", big, "last", NULL };
    int argc = sizeof(argv) / sizeof(argv[0]) - 1;
    char *env[argc + 8], name[32], value[32];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        snprintf(name, sizeof(name), "ARGCHECK_ARG%d", i);
        add_env(env, &n, name, argv[i]);
    }
    snprintf(value, sizeof(value), "%d", argc);
    add_env(env, &n, "ARGCHECK_ARGC", value);
    snprintf(value, sizeof(value), "%d", getpid());
    add_env(env, &n, "ARGCHECK_PID", value);
    snprintf(value, sizeof(value), "%d", getppid());
    add_env(env, &n, "ARGCHECK_PPID", value);
    snprintf(value, sizeof(value), "%d", n + 1);
    add_env(env, &n, "ARGCHECK_ENVC", value);
    env[n] = NULL;
    char path[256];
    execve(bin_path(path, sizeof(path), "argcheck"), argv, env);
    _exit(100 + errno);
}

/* A child that exits with code once something (or end of file) arrives on fd. */
static pid_t child_exiting_after_read(int fd, int unused_fd, int code)
{
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(unused_fd);
        while (read(fd, &c, 1) < 0 && errno == EINTR)
            ;
        _exit(code);
    }
    return pid;
}

/* Child a exits at once, b waits for the parent: waitpid(b) must wait for b, not take a. */
static void check_waitpid(void)
{
    int gate[2], a_gone[2], status = -1;
    char c;
    if (pipe(gate) != 0 || pipe(a_gone) != 0) {
        ktap_check(0, "waitpid_wnohang_running", "pipe failed");
        return;
    }
    pid_t a = fork();
    if (a == 0)
        _exit(11);   /* a_gone's write end closes with a: the parent sees end of file */
    close(a_gone[1]);
    pid_t b = child_exiting_after_read(gate[0], gate[1], 22);
    close(gate[0]);
    read(a_gone[0], &c, 1);
    close(a_gone[0]);
    pid_t r = waitpid(b, &status, WNOHANG);
    ktap_check(r == 0, "waitpid_wnohang_running", "waitpid(b, WNOHANG) gave %d, b is blocked", r);
    close(gate[1]);
    r = waitpid(b, &status, 0);
    ktap_check(r == b && WIFEXITED(status) && WEXITSTATUS(status) == 22, "waitpid_picks_pid",
               "waitpid(%d) gave %d with status %#x", b, r, status);
    r = waitpid(a, &status, 0);
    ktap_check(r == a && WIFEXITED(status) && WEXITSTATUS(status) == 11, "waitpid_other_child",
               "waitpid(%d) gave %d with status %#x", a, r, status);
}

/* NCHILDREN children exit with their own numbers; wait() must hand back each one once. */
static void check_wait_all(void)
{
    pid_t pids[NCHILDREN];
    int found = 0, wrong = 0;
    for (int i = 0; i < NCHILDREN; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(i + 1);
    }
    for (;;) {
        int status;
        pid_t r = wait(&status);
        if (r < 0)
            break;
        int i = WEXITSTATUS(status) - 1;
        if (i >= 0 && i < NCHILDREN && pids[i] == r) {
            pids[i] = 0;
            found++;
        } else {
            wrong++;
        }
    }
    ktap_check(found == NCHILDREN && wrong == 0, "wait_collects_all",
               "%d of %d children reaped as expected, %d unexpected", found, NCHILDREN, wrong);
}

static void check_echild(void)
{
    errno = 0;
    pid_t r = wait(NULL);
    ktap_check(r == -1 && errno == ECHILD, "wait_echild_without_children",
               "wait gave %d, errno %d", r, errno);
    errno = 0;
    r = waitpid(getpid(), NULL, 0);
    ktap_check(r == -1 && errno == ECHILD, "waitpid_self_echild",
               "waitpid(own pid) gave %d, errno %d", r, errno);
}

int main(void)
{
    ktap_plan(12);
    check_pids();
    check_statuses();
    check_exits_with("exec_passes_argv_envp", exec_argcheck, NULL, ARGCHECK_OK);
    check_waitpid();
    check_wait_all();
    check_echild();
    return ktap_finish();
}
