/* user/init.c: process 1: prints a banner and runs /bin/sh, starting a new one whenever
 * it ends ("init PROGRAM ARGS..." runs that instead). As process 1 it also reaps orphans. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/proc.h"

static char *shell_argv[] = { "/bin/sh", NULL };
static char *shell_env[] = { "HOME=/", "PATH=/bin", NULL };

static pid_t start(char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, shell_env);
        fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* Waits until pid ends. Orphans are handed to process 1; any reaped meanwhile are dropped. */
static int wait_for(pid_t pid)
{
    int status;
    for (;;) {
        pid_t done = wait(&status);
        if (done == pid)
            return status;
        if (done < 0 && errno != EINTR)
            return -1;
    }
}

int main(int argc, char **argv)
{
    char **program = argc > 1 ? argv + 1 : shell_argv;
    printf("\nPagoda: init (pid %d) running %s\n", getpid(), program[0]);
    printf("To leave QEMU: Ctrl-a x on the serial console (or close the window). "
           "Type help for the shell's commands.\n");
    fflush(stdout);
    for (;;) {
        pid_t pid = start(program);
        if (pid < 0) {
            fprintf(stderr, "init: fork: %s\n", strerror(errno));
            sleep(1);
            continue;
        }
        int status = wait_for(pid);
        char how[80];
        printf("init: %s %s; starting it again\n", program[0],
               describe_status(status, how, sizeof(how)));
        fflush(stdout);
        sleep(1);   /* a program that ends at once (or cannot start) must not make init spin */
    }
}
