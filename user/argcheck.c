/* user/argcheck.c: test_forkexec's helper: checks the argv, environment, pid and auxiliary
 * vector it was exec'd with against the copy in its environment (lib/argcheck.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "user/lib/argcheck.h"

extern char **environ;
extern char _start[];

static long env_number(const char *name)
{
    const char *value = getenv(name);
    return value ? atol(value) : -1;
}

static int args_match(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char name[32];
        snprintf(name, sizeof(name), "ARGCHECK_ARG%d", i);
        const char *expect = getenv(name);
        if (!expect || strcmp(expect, argv[i]) != 0)
            return 0;
    }
    return argv[argc] == NULL;
}

static long count_environ(void)
{
    long n = 0;
    while (environ[n])
        n++;
    return n;
}

/* glibc's start-up has already used these; a wrong one usually crashes before main. */
static int auxv_sane(void)
{
    return getauxval(AT_PAGESZ) == 4096 && getauxval(AT_ENTRY) == (unsigned long)_start &&
           getauxval(AT_RANDOM) != 0;
}

int main(int argc, char **argv)
{
    if (argc != env_number("ARGCHECK_ARGC"))
        return ARGCHECK_BAD_ARGC;
    if (!args_match(argc, argv))
        return ARGCHECK_BAD_ARG;
    if (count_environ() != env_number("ARGCHECK_ENVC"))
        return ARGCHECK_BAD_ENVC;
    if (getpid() != env_number("ARGCHECK_PID") || getppid() != env_number("ARGCHECK_PPID"))
        return ARGCHECK_BAD_PID;
    if (!auxv_sane())
        return ARGCHECK_BAD_AUXV;
    return ARGCHECK_OK;
}
