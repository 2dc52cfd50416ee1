/* user/lib/mem.c: memory helpers for the test programs (see mem.h).
 * Addresses arrive as integers from other files, so every bad access really happens. */
#define _GNU_SOURCE    /* program_invocation_name: argv[0] */
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "user/lib/mem.h"

#define DEFAULT_STACK_LIMIT (8u << 20)

extern char **environ;

char read_byte(uintptr_t addr)
{
    return *(volatile char *)addr;
}

void write_byte(uintptr_t addr, char value)
{
    *(volatile char *)addr = value;
}

void read_byte_at(void *arg)
{
    read_byte((uintptr_t)arg);
}

void write_byte_at(void *arg)
{
    write_byte((uintptr_t)arg, 1);
}

void jump_to(void *arg)
{
    ((void (*)(void))arg)();
}

static uintptr_t string_end(const char *s)
{
    return s ? (uintptr_t)(s + strlen(s) + 1) : 0;
}

/* The loader copies the exec file name, the environment and argv strings to the top of the
 * stack; the page boundary above the highest of them is the top. */
uintptr_t stack_top(void)
{
    uintptr_t top = string_end((const char *)getauxval(AT_EXECFN));
    if (string_end(program_invocation_name) > top)
        top = string_end(program_invocation_name);
    for (char **e = environ; e && *e; e++)
        if (string_end(*e) > top)
            top = string_end(*e);
    return PAGE_UP(top);
}

size_t stack_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return DEFAULT_STACK_LIMIT;
    return rl.rlim_cur;
}

/* Writes to the stack at the size limit plus (or minus) some pages. */
static void touch_near_stack_limit(long pages_above)
{
    write_byte(stack_top() - stack_limit() + pages_above * (long)PAGE_SIZE, 1);
}

void touch_within_stack_limit(void *unused)
{
    (void)unused;
    touch_near_stack_limit(16);
}

void touch_beyond_stack_limit(void *unused)
{
    (void)unused;
    touch_near_stack_limit(-16);
}

void warm_stack(size_t kib)
{
    volatile char area[kib * 1024];
    for (size_t i = 0; i < sizeof(area); i += PAGE_SIZE)
        area[i] = 0;
}

long first_mismatch(const void *p, size_t len, unsigned char value)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < len; i++)
        if (b[i] != value)
            return i;
    return -1;
}

void *map_pages(size_t npages)
{
    void *p = mmap(NULL, npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "mmap of %zu pages: %s\n", npages, strerror(errno));
        exit(1);
    }
    return p;
}
