/* user/test_dflag.c: a system call entered with the direction flag set (std just before
 * int 0x80) works as one entered without: the kernel clears DF on entry, so its string
 * copies run forwards, and iret gives the program its own DF back. Runs on Linux too. */
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/proc.h"

#define EFLAGS_DF 0x400

/* A raw int 0x80 with DF set; *flags gets EFLAGS as the call left them. */
static long std_syscall(long nr, long a, long b, long c, unsigned long *flags)
{
    long r;
    unsigned long f;
    __asm__ volatile("std\n\t"
                     "int $0x80\n\t"
                     "pushfl\n\t"
                     "popl %1\n\t"
                     "cld"
                     : "=a"(r), "=r"(f)
                     : "a"(nr), "b"(a), "c"(b), "d"(c)
                     : "memory", "cc");
    if (flags)
        *flags = f;
    return r;
}

static const char message[] = "forwards, not backwards: 0123456789abcdefghijklmnopqrstuvwxyz";

int main(void)
{
    ktap_plan(7);
    int fds[2];
    unsigned long flags = 0;
    if (pipe(fds) != 0)
        ktap_diag("pipe failed");
    long w = std_syscall(SYS_write, fds[1], (long)message, sizeof(message), &flags);
    ktap_check(w == (long)sizeof(message), "write_with_df", "write gave %ld", w);
    ktap_check(flags & EFLAGS_DF, "df_given_back", "EFLAGS after the call %#lx", flags);

    char got[sizeof(message)] = "";
    long r = std_syscall(SYS_read, fds[0], (long)got, sizeof(got), NULL);
    ktap_check(r == (long)sizeof(message) && memcmp(got, message, sizeof(message)) == 0,
               "read_with_df", "read gave %ld \"%.*s\"", r, (int)sizeof(got), got);

    char cwd[64] = "";
    r = std_syscall(SYS_getcwd, (long)cwd, sizeof(cwd), 0, NULL);
    ktap_check(r > 0 && strcmp(cwd, "/") == 0, "getcwd_with_df", "getcwd gave %ld \"%s\"", r, cwd);

    struct utsname want, u;
    memset(&u, 0, sizeof(u));
    uname(&want);
    r = std_syscall(SYS_uname, (long)&u, 0, 0, NULL);
    ktap_check(r == 0 && memcmp(&u, &want, sizeof(u)) == 0, "uname_with_df",
               "uname gave %ld, sysname \"%s\" release \"%s\"", r, u.sysname, u.release);

    char path[128];
    root_path(path, sizeof(path), "/tests/small.txt");
    long fd = std_syscall(SYS_open, (long)path, O_RDONLY, 0, NULL);
    char text[64] = "";
    r = fd >= 0 ? std_syscall(SYS_read, fd, (long)text, sizeof(text) - 1, NULL) : -1;
    ktap_check(fd >= 0 && r > 6 && memcmp(text, "Pagoda", 6) == 0, "open_read_file_with_df",
               "open gave %ld, read %ld \"%s\"", fd, r, text);

    /* A fork entered with DF set: both sides come back and the child's exit is seen. */
    long pid = std_syscall(SYS_fork, 0, 0, 0, NULL);
    if (pid == 0)
        _exit(3);
    int status = pid > 0 ? wait_status(pid) : -1;
    ktap_check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 3, "fork_with_df",
               "fork gave %ld, status %#x", pid, status);
    return ktap_finish();
}
