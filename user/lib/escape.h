/* user/lib/escape.h: leave a faulting access through its signal handler: the handler
 * records the signal and siglongjmp()s back to where the test called sigsetjmp, so a test
 * survives the SIGBUS or SIGSEGV it provoked, or a signal that ends a wait in the kernel. */
#ifndef USER_LIB_ESCAPE_H
#define USER_LIB_ESCAPE_H

#include <setjmp.h>
#include <signal.h>

/* Where escape_handler jumps to (with value 1): set it with sigsetjmp(escape_env, 1). */
extern sigjmp_buf escape_env;

/* The signal that escaped last. */
extern siginfo_t escape_info;

/* A handler for escape_catch: records the signal in escape_info and jumps to escape_env. */
void escape_handler(int sig, siginfo_t *si, void *uc);

/* Installs fn as sig's SA_SIGINFO handler (fn may end by calling escape_handler). */
void escape_catch(int sig, void (*fn)(int, siginfo_t *, void *));

#endif
