/* user/lib/escape.c: leave a faulting access through its signal handler (see escape.h).
 * sigsetjmp saves the signal mask, so the signal is unblocked again after the jump. */
#include "user/lib/escape.h"

sigjmp_buf escape_env;
siginfo_t escape_info;

void escape_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    escape_info = *si;
    siglongjmp(escape_env, 1);
}

void escape_catch(int sig, void (*fn)(int, siginfo_t *, void *))
{
    struct sigaction sa = {.sa_sigaction = fn, .sa_flags = SA_SIGINFO};
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, 0);
}
