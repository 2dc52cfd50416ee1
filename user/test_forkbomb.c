/* user/test_forkbomb.c: forking until fork fails: it must fail with EAGAIN (the process
 * limit), not crash or hang the system, and after the children are reaped fork works again. */
#include <errno.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define MAX_CHILDREN 1024    /* a kernel without a limit fails the test, not the machine */
#define LINUX_NPROC 64
#define NOBODY 65534

/* On Linux, root is exempt from RLIMIT_NPROC: become nobody, then set a small limit. */
static void limit_processes_on_linux(void)
{
    if (on_pagoda())
        return;
    if (getuid() == 0 && (setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
        ktap_diag("cannot stop being root: fork may not be limited");
    struct rlimit rl = { LINUX_NPROC, LINUX_NPROC };
    if (setrlimit(RLIMIT_NPROC, &rl) != 0)
        ktap_diag("setrlimit(RLIMIT_NPROC) failed");
}

static void wait_for_gate(int gate_read, int gate_write)
{
    char c;
    close(gate_write);   /* or the gate never reaches end of file */
    while (read(gate_read, &c, 1) < 0 && errno == EINTR)
        ;
    _exit(0);
}

/* Forks children that block on the gate until fork fails. Returns how many were made;
 * *err is fork's errno (0 if it never failed). */
static int fork_until_failure(int gate[2], int *err)
{
    int n = 0;
    *err = 0;
    while (n < MAX_CHILDREN) {
        pid_t pid = fork();
        if (pid < 0) {
            *err = errno;
            break;
        }
        if (pid == 0)
            wait_for_gate(gate[0], gate[1]);
        n++;
    }
    return n;
}

/* Reaps children until none is left; returns how many exited with status 0. */
static int reap_all(int *others)
{
    int clean = 0, status;
    *others = 0;
    while (wait(&status) > 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            clean++;
        else
            (*others)++;
    }
    return clean;
}

static void exit_seven(void *unused)
{
    (void)unused;
    _exit(7);
}

int main(void)
{
    struct pagoda_kstat start = { 0 }, end = { 0 };
    int gate[2], err, others;
    ktap_plan(4);
    int have_kstat = on_pagoda() && pagoda_heapstat(&start) == 0;
    limit_processes_on_linux();
    if (pipe(gate) != 0)
        ktap_diag("pipe failed");
    int made = fork_until_failure(gate, &err);
    ktap_diag("%d children made before fork failed", made);
    ktap_check(made > 0 && err == EAGAIN, "fork_fails_with_eagain",
               "after %d children fork gave errno %d, expected EAGAIN (%d)", made, err, EAGAIN);
    close(gate[1]);
    close(gate[0]);
    int reaped = reap_all(&others);
    ktap_check(reaped == made && others == 0, "all_children_reaped",
               "%d of %d children exited cleanly, %d otherwise", reaped, made, others);
    check_exits_with("fork_works_again", exit_seven, NULL, 7);
    if (pagoda_only("process_slots_freed"))
        ktap_check(have_kstat && pagoda_heapstat(&end) == 0 && end.procs_used == start.procs_used,
                   "process_slots_freed", "%u processes before, %u after",
                   start.procs_used, end.procs_used);
    return ktap_finish();
}
