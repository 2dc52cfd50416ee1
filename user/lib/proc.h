/* user/lib/proc.h: process helpers shared by the test programs: run a function in a
 * forked child and judge how it ended, describe wait statuses, find the installed programs. */
#ifndef USER_LIB_PROC_H
#define USER_LIB_PROC_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>

/* Runs fn(arg) in a forked child, which _exits(0) if fn returns.
 * Returns the child's wait status, or -1 if fork or wait failed. */
int run_in_child(void (*fn)(void *), void *arg);

/* Waits for pid; returns its wait status, or -1 if waitpid failed. */
int wait_status(pid_t pid);

/* "exited 3", "killed by signal 11 (Segmentation fault)", ... in buf. */
const char *describe_status(int status, char *buf, size_t len);

/* KTAP checks that fn(arg), run in a child, is killed by signal signo / exits with code. */
int check_killed_by(const char *name, void (*fn)(void *), void *arg, int signo);
int check_exits_with(const char *name, void (*fn)(void *), void *arg, int code);

/* Where the programs are installed: $PAGODA_BIN (default "/bin") followed by "/prog". */
const char *bin_path(char *buf, size_t len, const char *prog);

/* A path in the root filesystem: $PAGODA_ROOT (default "") followed by path. */
const char *root_path(char *buf, size_t len, const char *path);

/* Pipe helpers for parent/child hand-shakes: whole-buffer writes and reads.
 * Return 0 on success, -1 on error or end of file. */
int write_full(int fd, const void *buf, size_t len);
int read_full(int fd, void *buf, size_t len);

#endif
