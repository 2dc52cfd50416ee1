/* user/test_sigbad.c: hostile signal use kills only the program: a handler or restorer
 * in the kernel half, no stack for the frame, a fault inside a handler that blocks it,
 * and forged sigreturn frames asking for kernel selectors, IOPL or virtual-8086 mode.
 * A well-formed hand-made frame is obeyed. On Linux: build/rootfs/bin/test_sigbad (the
 * four checks where Linux repairs or masks a frame instead of refusing it are skipped). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

#define KERNEL_ADDR 0xC0001000u

/* The kernel's struct sigaction for rt_sigaction, so any restorer can be given. */
struct ksigaction {
    uintptr_t handler;
    unsigned long flags;
    uintptr_t restorer;
    uint64_t mask;
};
#define SA_RESTORER 0x04000000

static void raw_action(int sig, uintptr_t handler, unsigned long flags, uintptr_t restorer)
{
    struct ksigaction ka = {handler, flags, restorer, 0};
    syscall(SYS_rt_sigaction, sig, &ka, NULL, 8);
}

static void nothing(int sig) { (void)sig; }

static void handler_in_kernel(void *unused)
{
    (void)unused;
    raw_action(SIGUSR1, KERNEL_ADDR, SA_RESTORER, (uintptr_t)nothing);
    raise(SIGUSR1);
}

static void restorer_in_kernel(void *unused)
{
    (void)unused;
    raw_action(SIGUSR1, (uintptr_t)nothing, SA_RESTORER, KERNEL_ADDR);
    raise(SIGUSR1);
}

static void altstack_unmapped(void *unused)
{
    (void)unused;
    void *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t ss = {.ss_sp = p, .ss_size = 4 * PAGE_SIZE};
    sigaltstack(&ss, NULL);
    munmap(p, 4 * PAGE_SIZE);
    struct sigaction sa = {.sa_handler = nothing, .sa_flags = SA_ONSTACK};
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
}

/* esp points at an unmapped page when the SIGILL arrives: no room for its frame. */
static void esp_unmapped(void *unused)
{
    (void)unused;
    signal(SIGILL, nothing);
    __asm__ volatile("mov $0x1000, %esp\n\tud2");
}

static void fault_again(int sig) { (void)sig; read_byte(0); }

static void fault_in_handler(void *unused)
{
    (void)unused;
    signal(SIGSEGV, fault_again);       /* SIGSEGV is blocked while its handler runs */
    read_byte(0);
}

/* struct rt_sigframe as the kernel writes it (see kernel/sigframe.c). */
struct frame {
    uint32_t pretcode, sig, pinfo, puc;
    uint8_t info[128];
    uint32_t uc_flags, uc_link, ss_sp, ss_flags, ss_size;
    uint32_t gs, fs, es, ds, edi, esi, ebp, esp, ebx, edx, ecx, eax;
    uint32_t trapno, err, eip, cs, eflags, esp_at_signal, ss, fpstate, oldmask, cr2;
    uint64_t sigmask;
};

static struct frame forged;
static char landing_stack[8192] __attribute__((aligned(16)));

static void landed(void) { _exit(42); }

static void forge(void)
{
    uint32_t cs, ss, ds, es, fs, gs, eflags;
    __asm__ volatile("mov %%cs, %0; mov %%ss, %1; mov %%ds, %2; mov %%es, %3; mov %%fs, %4;"
                     "mov %%gs, %5; pushf; pop %6"
                     : "=r"(cs), "=r"(ss), "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs), "=r"(eflags));
    memset(&forged, 0, sizeof(forged));
    forged.cs = cs, forged.ss = ss, forged.ds = ds, forged.es = es;
    forged.fs = fs, forged.gs = gs, forged.eflags = eflags;
    forged.eip = (uintptr_t)landed;
    forged.esp = (uintptr_t)landing_stack + sizeof(landing_stack) - 16;
}

static void sigreturn_with(struct frame *f)
{
    __asm__ volatile("mov %0, %%esp\n\tmov $173, %%eax\n\tint $0x80" : : "r"((uintptr_t)f + 4));
}

static void forged_valid(void *unused) { (void)unused; forge(); sigreturn_with(&forged); }
static void forged_kernel_cs(void *u) { (void)u; forge(); forged.cs = 0x08; sigreturn_with(&forged); }
static void forged_kernel_ss(void *u) { (void)u; forge(); forged.ss = 0x10; sigreturn_with(&forged); }
static void forged_kernel_ds(void *u) { (void)u; forge(); forged.ds = 0x10; sigreturn_with(&forged); }
static void forged_rpl0_gs(void *u) { (void)u; forge(); forged.gs &= ~3u; sigreturn_with(&forged); }
static void forged_iopl(void *u) { (void)u; forge(); forged.eflags |= 0x3000; sigreturn_with(&forged); }
static void forged_vm86(void *u) { (void)u; forge(); forged.eflags |= 0x20000; sigreturn_with(&forged); }

static void forged_unmapped(void *unused)
{
    (void)unused;
    sigreturn_with((struct frame *)0x10000);
}

/* The classic sigreturn (119) reads a struct sigcontext 8 bytes below esp. */
static void forged_classic_kernel_cs(void *unused)
{
    (void)unused;
    forge();
    forged.cs = 0x08;
    __asm__ volatile("mov %0, %%esp\n\tmov $119, %%eax\n\tint $0x80"
                     : : "r"((uintptr_t)&forged.gs + 8));
}

int main(void)
{
    pid_t me = getpid();
    ktap_plan(15);
    check_killed_by("handler_in_kernel_half", handler_in_kernel, NULL, SIGSEGV);
    check_killed_by("restorer_in_kernel_half", restorer_in_kernel, NULL, SIGSEGV);
    check_killed_by("sigaltstack_unmapped", altstack_unmapped, NULL, SIGSEGV);
    check_killed_by("stack_pointer_unmapped", esp_unmapped, NULL, SIGSEGV);
    check_killed_by("fault_inside_handler_kills", fault_in_handler, NULL, SIGSEGV);
    check_exits_with("sigreturn_wellformed_frame_obeyed", forged_valid, NULL, 42);
    check_killed_by("sigreturn_kernel_cs_refused", forged_kernel_cs, NULL, SIGSEGV);
    check_killed_by("sigreturn_kernel_ss_refused", forged_kernel_ss, NULL, SIGSEGV);
    struct pagoda_kstat ks;
    if (pagoda_heapstat(&ks) == -ENOSYS) {
        /* Linux on x86-64 repairs a bad ds to 0, accepts RPL 0 for a DPL 3 gs, and
         * masks IOPL and VM out of a frame: where Pagoda refuses, it carries on. */
        ktap_skip("sigreturn_kernel_ds_refused", "Linux repairs it");
        ktap_skip("sigreturn_rpl0_gs_refused", "Linux accepts it");
        ktap_skip("sigreturn_iopl_refused", "Linux drops IOPL silently");
        ktap_skip("sigreturn_vm86_refused", "Linux drops VM silently");
    } else {
        check_killed_by("sigreturn_kernel_ds_refused", forged_kernel_ds, NULL, SIGSEGV);
        check_killed_by("sigreturn_rpl0_gs_refused", forged_rpl0_gs, NULL, SIGSEGV);
        check_killed_by("sigreturn_iopl_refused", forged_iopl, NULL, SIGSEGV);
        check_killed_by("sigreturn_vm86_refused", forged_vm86, NULL, SIGSEGV);
    }
    check_killed_by("sigreturn_unmapped_frame", forged_unmapped, NULL, SIGSEGV);
    check_killed_by("classic_sigreturn_kernel_cs_refused", forged_classic_kernel_cs, NULL,
                    SIGSEGV);
    ktap_check(getpid() == me, "parent_unharmed", "pid %d", getpid());
    return ktap_finish();
}
