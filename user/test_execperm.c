/* user/test_execperm.c: execve checks what it is given in Linux's order and with Linux's
 * errno: the path first (ENOENT, ENOTDIR), then permission and kind (EACCES), and only
 * then the contents (ENOEXEC). Runs unchanged on Linux, as root or not (PAGODA_ROOT). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/proc.h"

struct exec_case {
    const char *name, *path;     /* path in the root file system; "" stays "" */
    int want;                    /* the errno execve must give */
};

static const struct exec_case cases[] = {
    { "empty_path",        "",                             ENOENT },
    { "missing_file",      "/tests/no_such_program",       ENOENT },
    { "missing_dir",       "/no_such_dir/prog",            ENOENT },
    { "component_is_file", "/tests/small.txt/prog",        ENOTDIR },
    { "trailing_slash",    "/tests/text-0755/",            ENOTDIR },
    { "directory",         "/tests/dir",                   EACCES },
    { "root_directory",    "/",                            EACCES },
    { "elf_mode_0644",     "/tests/badelf/noexec_elf",     EACCES },
    { "text_mode_0644",    "/tests/text-0644",             EACCES },
    { "text_mode_0755",    "/tests/text-0755",             ENOEXEC },
    { "symlink_to_dir",    "/tests/link-dir",              EACCES },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* In the child: exec; if it comes back, exit with its errno. A program that runs exits 0
 * (noexec_elf is a copy of echo), which no case expects. */
static void exec_path(void *arg)
{
    const char *path = arg;
    char *argv[] = { (char *)path, NULL };
    char *envp[] = { NULL };
    execve(path, argv, envp);
    _exit(errno);
}

int main(void)
{
    ktap_plan(NCASES);
    for (size_t i = 0; i < NCASES; i++) {
        char path[256];
        const char *p = cases[i].path[0] ? root_path(path, sizeof(path), cases[i].path) : "";
        char how[80];
        int status = run_in_child(exec_path, (void *)p);
        int ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == cases[i].want;
        ktap_check(ok, cases[i].name, "execve(\"%s\"): child %s, expected exit %d (%s)", p,
                   describe_status(status, how, sizeof(how)), cases[i].want,
                   strerror(cases[i].want));
    }
    return ktap_finish();
}
