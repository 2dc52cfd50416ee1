/* kernel/sched.c: sleep and wakeup. Until the process table exists (a later step),
 * nobody can sleep, so drivers complete their work by polling. */
#include "kernel/sched.h"
#include "kernel/panic.h"

int sched_running(void)
{
    return 0;
}

void sleep(void *chan)
{
    (void)chan;
    panic("sleep: no processes yet");
}

void wakeup(void *chan)
{
    (void)chan;
}

void yield(void)
{
}
