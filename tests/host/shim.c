/* tests/host/shim.c: what kernel code expects from the kernel when it is compiled
 * into a host test: printk, panic, no-op cli, yield and wakeup, kmalloc, the timer's
 * tick count, and the TAP runner. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "tests/host/check.h"

struct host_test host_tests[MAX_HOST_TESTS];
int host_ntests, host_current_failed;

int vprintk(const char *fmt, va_list ap)
{
    return vprintf(fmt, ap);
}

int printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("PANIC: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    abort();
}

void push_cli(void) {}
void pop_cli(void) {}
void yield(void) {}
/* One thread: nobody else can hold what a host test waits for. */
void sleep(void *chan) { (void)chan; abort(); }
void wakeup(void *chan) { (void)chan; }
volatile uint32_t ticks;           /* the wall clock stays at the epoch */

/* The kernel heap's contract (objects up to one page), on top of malloc, so the
 * sanitizers see every overrun and leak. */
void *kmalloc(size_t size)
{
    return size == 0 || size > 4096 ? NULL : malloc(size);
}

void kfree(void *p)
{
    free(p);
}

/* glibc has strlcpy only from 2.38 on; Debian 12 ships 2.36. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
    }
    return len;
}

int run_host_tests(void)
{
    int failed = 0;
    printf("TAP version 13\n1..%d\n", host_ntests);
    for (int i = 0; i < host_ntests; i++) {
        host_current_failed = 0;
        host_tests[i].fn();
        printf("%sok %d %s\n", host_current_failed ? "not " : "", i + 1, host_tests[i].name);
        failed += host_current_failed;
    }
    return failed ? 1 : 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    return run_host_tests();
}
