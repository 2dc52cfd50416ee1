/* user/lib/proc.c: process helpers for the test programs (see proc.h).
 * Children leave with _exit, never exit: exit would flush stdio buffers copied from the parent. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/proc.h"

int wait_status(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

int run_in_child(void (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    return wait_status(pid);
}

const char *describe_status(int status, char *buf, size_t len)
{
    if (status == -1)
        snprintf(buf, len, "fork or wait failed");
    else if (WIFEXITED(status))
        snprintf(buf, len, "exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(buf, len, "odd wait status %#x", status);
    return buf;
}

int check_killed_by(const char *name, void (*fn)(void *), void *arg, int signo)
{
    char how[80];
    int status = run_in_child(fn, arg);
    int ok = status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == signo;
    return ktap_check(ok, name, "child %s, expected signal %d",
                      describe_status(status, how, sizeof(how)), signo);
}

int check_exits_with(const char *name, void (*fn)(void *), void *arg, int code)
{
    char how[80];
    int status = run_in_child(fn, arg);
    int ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
    return ktap_check(ok, name, "child %s, expected exit %d",
                      describe_status(status, how, sizeof(how)), code);
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *value = getenv(name);
    return value ? value : fallback;
}

const char *bin_path(char *buf, size_t len, const char *prog)
{
    snprintf(buf, len, "%s/%s", env_or("PAGODA_BIN", "/bin"), prog);
    return buf;
}

const char *root_path(char *buf, size_t len, const char *path)
{
    snprintf(buf, len, "%s%s", env_or("PAGODA_ROOT", ""), path);
    return buf;
}

int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}
