/* user/lib/mem.c: memory helpers for the test programs (see mem.h).
 * Addresses arrive as integers from other files, so every bad access really happens. */
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>

#include "user/lib/mem.h"

#define DEFAULT_STACK_LIMIT (8u << 20)

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

uintptr_t stack_top(void)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    return PAGE_UP(execfn + strlen(execfn) + 1);
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
