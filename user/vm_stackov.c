/* user/vm_stackov.c: a stack overflow caught and reported. Primitive (Appel and Li,
 * ASPLOS 1991): TRAP on the guard page below the stack's limit, with the handler running
 * on a stack of its own (sigaltstack + SA_ONSTACK): the overflowing stack has no room
 * for a signal frame. The handler reports the faulting address (si_addr) and leaves with
 * siglongjmp. On Linux: build/rootfs/bin/vm_stackov (the same lines but the address,
 * which depends on where the stack is placed). */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>

static sigjmp_buf recover;
static char altstack[65536];
static volatile uintptr_t lowest, fault_addr;
static volatile int code;

static void on_overflow(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    code = si->si_code;
    siglongjmp(recover, 1);
}

__attribute__((noinline)) static int recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    lowest = (uintptr_t)frame;
    if (depth == 1 << 30)               /* never reached: the stack ends long before */
        return 0;
    return recurse(depth + 1) + frame[0];
}

int main(void)
{
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_overflow, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigaction(SIGSEGV, &sa, NULL);
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    uintptr_t top = (uintptr_t)&rl;
    if (sigsetjmp(recover, 1) == 0)
        recurse(0);
    /* The fault is just below the deepest frame, past the limit: in the guard page. */
    int near = fault_addr < lowest && lowest - fault_addr <= 4096 + 1024;
    printf("vm_stackov: stack overflow caught on the alternate stack: %s, SEGV_MAPERR %s\n",
           near ? "fault just below the deepest frame" : "fault elsewhere",
           code == SEGV_MAPERR ? "yes" : "no");
    printf("vm_stackov: the stack grew to about %lu KiB (RLIMIT_STACK %lu KiB)\n",
           (unsigned long)((top - fault_addr + 512 * 1024) / (1024 * 1024) * 1024),
           (unsigned long)(rl.rlim_cur / 1024));
    printf("vm_stackov: guard page at %#lx\n", (unsigned long)(fault_addr & ~4095ul));
    return near && code == SEGV_MAPERR ? 0 : 1;
}
