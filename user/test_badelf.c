/* user/test_badelf.c: execve of malformed executables (made by user/test_badelf.py) fails with
 * the right errno, and the caller carries on; a missing file gives ENOENT. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define CANARY 0xba5eba11u

/* What execve of each file gives. Pagoda rejects every one before it drops the caller's
 * memory: ENOEXEC when the headers are not an i386 executable, EINVAL when the segments ask
 * for the impossible. Linux (6.1, 686) checks the headers the same way, but looks at the
 * segments only after the point of no return, so there the process dies instead. */
struct badelf_case {
    const char *file;
    int pagoda_errno;
    int linux_errno;    /* 0: on Linux execve succeeds and the process then ends as below */
    int linux_signal;   /* 0: it runs (and exits 0) */
};

static const struct badelf_case cases[] = {
    { "bad_magic",        ENOEXEC, ENOEXEC, 0 },
    { "class64",          ENOEXEC, 0, 0 },          /* Linux's i386 loader ignores EI_CLASS */
    { "machine_x86_64",   ENOEXEC, ENOEXEC, 0 },
    { "machine_arm",      ENOEXEC, ENOEXEC, 0 },
    { "type_relocatable", ENOEXEC, ENOEXEC, 0 },
    { "truncated_header", ENOEXEC, ENOEXEC, 0 },
    { "phnum_absurd",     ENOEXEC, ENOEXEC, 0 },    /* more program headers than fit a page */
    { "phoff_past_eof",   ENOEXEC, ENOEXEC, 0 },
    { "load_in_kernel",   EINVAL, 0, SIGSEGV },     /* a PT_LOAD at 0xC0000000 */
    { "memsz_wraps",      EINVAL, 0, SIGSEGV },     /* vaddr + memsz past 4 GiB */
    { "filesz_gt_memsz",  EINVAL, 0, SIGSEGV },
    { "offset_past_eof",  EINVAL, 0, SIGBUS },      /* Linux maps it; the first fetch fails */
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* How an exec attempt ended: the errno execve returned (0: it did not return) and the
 * child's wait status. */
struct outcome {
    int exec_errno;
    int status;
};

static volatile uint32_t canary = CANARY;

/* In a child: execve path; if that fails, report errno through fd and exit 0 only if the
 * child's memory survived the attempt. A program that did start finds fd open but never
 * writes to it. */
static void exec_and_report(const char *path, int fd)
{
    char *argv[] = { (char *)path, "#", "badelf", "program", "ran", NULL };
    char *envp[] = { NULL };
    execve(path, argv, envp);
    int err = errno;
    write_full(fd, &err, sizeof(err));
    _exit(canary == CANARY ? 0 : 1);
}

static struct outcome try_exec(const char *path)
{
    struct outcome o = { 0, -1 };
    int fds[2];
    if (pipe(fds) != 0)
        return o;
    pid_t pid = fork();
    if (pid == 0)
        exec_and_report(path, fds[1]);
    close(fds[1]);
    if (read_full(fds[0], &o.exec_errno, sizeof(o.exec_errno)) != 0)
        o.exec_errno = 0;
    close(fds[0]);
    o.status = pid > 0 ? wait_status(pid) : -1;
    return o;
}

static int outcome_matches(const struct badelf_case *c, const struct outcome *o)
{
    int survived = WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
    if (on_pagoda())
        return o->exec_errno == c->pagoda_errno && survived;
    if (c->linux_errno)
        return o->exec_errno == c->linux_errno && survived;
    if (c->linux_signal)
        return o->exec_errno == 0 && WIFSIGNALED(o->status) && WTERMSIG(o->status) == c->linux_signal;
    return o->exec_errno == 0 && survived;
}

/* What the running kernel should do with c, in words. */
static const char *expectation(const struct badelf_case *c, char *buf, size_t len)
{
    int err = on_pagoda() ? c->pagoda_errno : c->linux_errno;
    if (err)
        snprintf(buf, len, "errno %d (%s)", err, strerror(err));
    else if (c->linux_signal)
        snprintf(buf, len, "the program to start and die of signal %d", c->linux_signal);
    else
        snprintf(buf, len, "the program to run");
    return buf;
}

static void check_case(const struct badelf_case *c)
{
    char dir[200], path[300], name[64], how[80], expect[80];
    snprintf(path, sizeof(path), "%s/%s", root_path(dir, sizeof(dir), "/tests/badelf"), c->file);
    snprintf(name, sizeof(name), "badelf_%s", c->file);
    struct outcome o = try_exec(path);
    ktap_check(outcome_matches(c, &o), name, "execve gave errno %d (%s), child %s; expected %s",
               o.exec_errno, o.exec_errno ? strerror(o.exec_errno) : "it did not return",
               describe_status(o.status, how, sizeof(how)), expectation(c, expect, sizeof(expect)));
}

int main(void)
{
    ktap_plan(NCASES + 1);
    for (size_t i = 0; i < NCASES; i++)
        check_case(&cases[i]);
    char path[256];
    struct outcome o = try_exec(root_path(path, sizeof(path), "/tests/badelf/no_such_file"));
    ktap_check(o.exec_errno == ENOENT && o.status == 0, "missing_file_enoent",
               "execve gave errno %d, child's wait status %#x", o.exec_errno, o.status);
    return ktap_finish();
}
