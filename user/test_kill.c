/* user/test_kill.c: SIGKILL (and SIGTERM, whose default action kills) ends a process
 * promptly in every kind of sleep that waits for another process or for I/O: wait4, a
 * pipe read, a pipe write to a full pipe, nanosleep, pause, sigsuspend, a console read,
 * and a stop. (A sleep on a disk transfer into a frame is not interruptible: the
 * transfer must finish before the frame can be freed; docs/signals.md.)
 * On Linux: build/rootfs/bin/test_kill < /dev/tty (stdin must be a terminal nobody types on). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/proc.h"

static void sleep_in_wait4(void)
{
    if (fork() == 0) {
        for (;;)
            pause();
    }
    wait(NULL);
}

static void sleep_in_pipe_read(void)
{
    int fd[2];
    char c;
    pipe(fd);
    read(fd[0], &c, 1);
}

static void sleep_in_pipe_write(void)
{
    static char buf[65536];
    int fd[2];
    pipe(fd);
    write(fd[1], buf, sizeof(buf));     /* fills the pipe, then waits for a reader */
}

static void sleep_in_nanosleep(void)
{
    struct timespec t = {1000, 0};
    nanosleep(&t, NULL);
}

static void sleep_in_pause(void) { pause(); }

static void sleep_in_sigsuspend(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigsuspend(&none);
}

static void sleep_in_console_read(void)
{
    char c;
    read(0, &c, 1);
}

static void sleep_stopped(void) { raise(SIGSTOP); }

static const struct {
    const char *name;
    void (*sleep)(void);
} sleeps[] = {
    {"wait4", sleep_in_wait4},         {"pipe_read", sleep_in_pipe_read},
    {"pipe_write", sleep_in_pipe_write}, {"nanosleep", sleep_in_nanosleep},
    {"pause", sleep_in_pause},         {"sigsuspend", sleep_in_sigsuspend},
    {"console_read", sleep_in_console_read}, {"stopped", sleep_stopped},
};
#define NSLEEPS (int)(sizeof(sleeps) / sizeof(sleeps[0]))

/* The child says it is about to sleep; the parent gives it 50 ms to get there, sends
 * sig and expects it dead of sig. (Arriving before the sleep would still kill it, so
 * the check cannot fail on a slow machine; it only tests less.) */
static void kill_in(int i, int sig)
{
    int ready[2];
    char c;
    pipe(ready);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);                  /* wait4's sleeper has a child: kill them together */
        close(ready[0]);
        write(ready[1], "r", 1);
        sleeps[i].sleep();
        _exit(0);
    }
    setpgid(pid, pid);
    close(ready[1]);
    read(ready[0], &c, 1);
    close(ready[0]);
    struct timespec t = {0, 50000000};
    nanosleep(&t, NULL);
    kill(-pid, sig);
    int status = wait_status(pid);
    char name[64];
    snprintf(name, sizeof(name), "%s_%s", sig == SIGKILL ? "sigkill" : "sigterm", sleeps[i].name);
    ktap_check(WIFSIGNALED(status) && WTERMSIG(status) == sig, name, "%s: status %#x",
               strsignal(sig), status);

}

int main(void)
{
    ktap_plan(2 * NSLEEPS);
    pid_t me = getpid();
    for (int i = 0; i < NSLEEPS; i++)
        kill_in(i, SIGKILL);
    for (int i = 0; i < NSLEEPS - 1; i++)   /* a stopped process ignores SIGTERM until SIGCONT */
        kill_in(i, SIGTERM);
    if (me == 1)                        /* process 1 takes only signals it handles */
        ktap_check(kill(1, SIGKILL) == 0 && getpid() == 1, "init_survives_sigkill", "kill 1");
    else
        ktap_skip("init_survives_sigkill", "not process 1");
    while (wait(NULL) > 0)
        ;                               /* wait4's orphaned grandchildren, reparented to us */
    return ktap_finish();
}
