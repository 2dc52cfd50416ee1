/* user/test_xmm.c: a program's SSE registers survive the page faults that zero and copy
 * frames. The kernel zeroes and copies pages with the XMM registers (mm/page.asm), which
 * hold the faulting program's values at that moment; it must put them back. Each case
 * loads xmm0-xmm7 with a pattern, takes one fault (or sleeps, so that the idle loop
 * zeroes frames meanwhile), and reads them out again, all inside one asm statement, so
 * that nothing but the kernel can touch the registers in between. The program also
 * runs on Linux: build/rootfs/bin/test_xmm on the host must pass the same way. */
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "user/lib/ktap.h"
#include "user/lib/mem.h"

#define NREGS 8
#define NR_NANOSLEEP 162

struct regs {
    uint8_t bytes[NREGS * 16];
};

static struct regs pattern(int seed)
{
    struct regs r;
    for (unsigned i = 0; i < sizeof(r.bytes); i++)
        r.bytes[i] = (uint8_t)(seed * 37 + i * 11 + 1);
    return r;
}

#define LOAD_XMM(in) \
    "movdqu 0(" in "), %%xmm0\n\tmovdqu 16(" in "), %%xmm1\n\t" \
    "movdqu 32(" in "), %%xmm2\n\tmovdqu 48(" in "), %%xmm3\n\t" \
    "movdqu 64(" in "), %%xmm4\n\tmovdqu 80(" in "), %%xmm5\n\t" \
    "movdqu 96(" in "), %%xmm6\n\tmovdqu 112(" in "), %%xmm7\n\t"
#define STORE_XMM(out) \
    "movdqu %%xmm0, 0(" out ")\n\tmovdqu %%xmm1, 16(" out ")\n\t" \
    "movdqu %%xmm2, 32(" out ")\n\tmovdqu %%xmm3, 48(" out ")\n\t" \
    "movdqu %%xmm4, 64(" out ")\n\tmovdqu %%xmm5, 80(" out ")\n\t" \
    "movdqu %%xmm6, 96(" out ")\n\tmovdqu %%xmm7, 112(" out ")\n\t"
#define XMM_CLOBBERS "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7"

/* Built for SSE2 (the rest of the program is not): the asm names the XMM registers. */
#define SSE2 __attribute__((target("sse2")))

/* One byte written at addr between loading and reading the registers: the fault. */
static SSE2 struct regs across_write(volatile char *addr, int seed)
{
    struct regs in = pattern(seed), out;
    __asm__ volatile(LOAD_XMM("%1") "movb $1, (%0)\n\t" STORE_XMM("%2")
                     : : "r"(addr), "r"(in.bytes), "r"(out.bytes) : "memory", XMM_CLOBBERS);
    return out;
}

/* nanosleep between loading and reading them: the CPU idles, zeroing free frames. */
static SSE2 struct regs across_sleep(int seed)
{
    struct regs in = pattern(seed), out;
    struct timespec ts = {0, 30000000};
    int ret;
    __asm__ volatile(LOAD_XMM("%2") "int $0x80\n\t" STORE_XMM("%3")
                     : "=a"(ret) : "0"(NR_NANOSLEEP), "r"(in.bytes), "r"(out.bytes),
                       "b"(&ts), "c"(0) : "memory", XMM_CLOBBERS);
    (void)ret;
    return out;
}

static int kept(struct regs out, int seed)
{
    struct regs want = pattern(seed);
    return memcmp(out.bytes, want.bytes, sizeof(want.bytes)) == 0;
}

int main(void)
{
    ktap_plan(4);
    char *fresh = map_pages(64);
    int ok = 1;
    for (int i = 0; i < 64; i++)            /* most of them zeroed at the fault */
        ok &= kept(across_write(fresh + i * PAGE_SIZE, i), i);
    ktap_check(ok, "kept_across_demand_zero_faults", "64 pages");

    ok = kept(across_sleep(100), 100);
    ktap_check(ok, "kept_across_an_idle_sleep", "30 ms");

    char *shared = map_pages(16);
    memset(shared, 7, 16 * PAGE_SIZE);
    pid_t pid = fork();
    if (pid == 0) {                        /* the child copies every page */
        int child_ok = 1;
        for (int i = 0; i < 16; i++)
            child_ok &= kept(across_write(shared + i * PAGE_SIZE, 200 + i), 200 + i);
        _exit(child_ok ? 0 : 1);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "kept_across_cow_faults_in_child",
               "status %x", status);
    ok = 1;
    for (int i = 0; i < 16; i++)            /* the parent: the last mapping, or a copy */
        ok &= kept(across_write(shared + i * PAGE_SIZE, 300 + i), 300 + i);
    ktap_check(ok && shared[PAGE_SIZE + 1] == 7, "kept_across_cow_faults_in_parent", "16 pages");
    return ktap_finish();
}
