/* user/lib/argcheck.h: the contract between test_forkexec and /bin/argcheck: the
 * environment carries a second copy of what argv and the process should look like. */
#ifndef USER_LIB_ARGCHECK_H
#define USER_LIB_ARGCHECK_H

/* argcheck exits with ARGCHECK_OK when every check passed, otherwise with the
 * number of the first check that failed (enum argcheck_failure). */
#define ARGCHECK_OK 42

enum argcheck_failure {
    ARGCHECK_BAD_ARGC = 1,   /* argc differs from $ARGCHECK_ARGC */
    ARGCHECK_BAD_ARG,        /* argv[i] differs from $ARGCHECK_ARG<i> */
    ARGCHECK_BAD_ENVC,       /* number of environment strings differs from $ARGCHECK_ENVC */
    ARGCHECK_BAD_PID,        /* getpid() or getppid() differs from $ARGCHECK_PID or _PPID */
    ARGCHECK_BAD_AUXV,       /* AT_PAGESZ, AT_ENTRY or AT_RANDOM is wrong */
};

#endif
