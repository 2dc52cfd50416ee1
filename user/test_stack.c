/* user/test_stack.c: the stack grows on demand: a 64 KiB local, pusha into an untouched page,
 * an untouched page first written by read(2), and the size limit (beyond it: SIGSEGV). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define BIG_OBJECT (64 * 1024)
#define PUSHA_DEPTH (256 * 1024)     /* far below anything touched before the test */
#define READ_DEPTH (1024 * 1024)     /* deeper still, so the pusha page is not in the way */
#define READ_LEN 256
#define READ_BYTE 0x6b
#define PUSHA_EAX 0x5a17c0deu

/* pusha_at's results. Static, because while esp points elsewhere no local can be reached. */
static uint32_t saved_esp, slot_esp, slot_eax;

static uintptr_t current_esp(void)
{
    uintptr_t sp;
    asm volatile("movl %%esp, %0" : "=r"(sp));
    return sp;
}

/* Moves esp to new_esp and pushes all eight registers: 32 bytes in the page below new_esp.
 * Then copies out the pushed esp and eax slots and puts esp back. */
static void pusha_at(uintptr_t new_esp)
{
    asm volatile("movl %%esp, %[saved]\n\t"
                 "movl %[sp], %%esp\n\t"
                 "pushal\n\t"
                 "movl 12(%%esp), %%ecx\n\t"   /* pushal order: eax ecx edx ebx esp ebp esi edi */
                 "movl %%ecx, %[esp_slot]\n\t"
                 "movl 28(%%esp), %%ecx\n\t"
                 "movl %%ecx, %[eax_slot]\n\t"
                 "movl %[saved], %%esp"
                 : [saved] "=m"(saved_esp), [esp_slot] "=m"(slot_esp), [eax_slot] "=m"(slot_eax)
                 : [sp] "r"(new_esp), "a"(PUSHA_EAX)
                 : "ecx", "memory");
}

/* On Pagoda, confirms the test's premise: the page at addr was not resident yet. */
static int untouched(const void *addr)
{
    return !on_pagoda() || pagoda_frame_of(addr) == -EFAULT;
}

static void check_pusha(void)
{
    uintptr_t page_end = PAGE_DOWN(current_esp()) - PUSHA_DEPTH;
    int fresh = untouched((void *)(page_end - 4));
    pusha_at(page_end);
    ktap_check(fresh && slot_esp == page_end && slot_eax == PUSHA_EAX, "pusha_into_new_page",
               "page was %s; pushed esp %#x (expected %#x), eax %#x (expected %#x)",
               fresh ? "new" : "already resident", slot_esp, (unsigned)page_end, slot_eax, PUSHA_EAX);
}

struct read_result {
    int fresh;
    ssize_t got;
    long bad;
};

/* buf is never written by this program: the kernel's copy into it, across a page boundary
 * deep below everything touched so far, is the first touch of those pages. */
__attribute__((noinline)) static void read_into_deep_stack(int fd, struct read_result *r)
{
    char buf[READ_DEPTH];
    char *target = (char *)PAGE_UP(buf + 8 * PAGE_SIZE) - READ_LEN / 2;
    r->fresh = untouched(target) && untouched(target + READ_LEN - 1);
    r->got = read(fd, target, READ_LEN);
    r->bad = first_mismatch(target, READ_LEN, READ_BYTE);
}

static void check_read_into_new_page(void)
{
    struct read_result r = { 0, -1, -1 };
    char data[READ_LEN];
    int fds[2];
    memset(data, READ_BYTE, sizeof(data));
    if (pipe(fds) == 0 && write(fds[1], data, sizeof(data)) == sizeof(data)) {
        read_into_deep_stack(fds[0], &r);
        close(fds[0]);
        close(fds[1]);
    }
    ktap_check(r.fresh && r.got == READ_LEN && r.bad < 0, "read_into_new_page",
               "pages were %s; read gave %zd, first wrong byte %ld",
               r.fresh ? "new" : "already resident", r.got, r.bad);
}

/* Fills a 64 KiB local from its lowest address up, so the deepest page is touched first;
 * volatile keeps every store and load. Returns the first wrong offset, or -1. */
__attribute__((noinline)) static long fill_big_object(void)
{
    volatile char obj[BIG_OBJECT];
    for (long i = 0; i < BIG_OBJECT; i++)
        obj[i] = (char)(i * 7 + 1);
    for (long i = 0; i < BIG_OBJECT; i++)
        if (obj[i] != (char)(i * 7 + 1))
            return i;
    return -1;
}

int main(void)
{
    ktap_plan(5);
    check_pusha();
    check_read_into_new_page();
    long bad = fill_big_object();
    ktap_check(bad < 0, "stack_64k_object", "byte %ld of the 64 KiB local is wrong", bad);
    ktap_diag("stack top %#lx, limit %zu KiB", (unsigned long)stack_top(), stack_limit() / 1024);
    check_exits_with("stack_grows_to_limit", touch_within_stack_limit, NULL, 0);
    check_killed_by("stack_beyond_limit_segv", touch_beyond_stack_limit, NULL, SIGSEGV);
    return ktap_finish();
}
