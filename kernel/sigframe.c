/* kernel/sigframe.c: the signal frame a handler runs on, laid out exactly as Linux i386
 * lays it out (so glibc's __restore_rt and ucontext_t work), and sigreturn, which
 * restores the interrupted registers after checking that they are a user's. */
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/fpu.h"
#include "kernel/string.h"
#include "kernel/spinlock.h"
#include "mm/uaccess.h"
#include "mm/kheap.h"

/* struct sigcontext (asm/sigcontext.h, 32-bit): the registers at the signal. Segment
 * registers are 16 bits, each followed by 16 bits of padding. */
struct sigcontext32 {
    uint32_t gs, fs, es, ds, edi, esi, ebp, esp, ebx, edx, ecx, eax;
    uint32_t trapno, err, eip, cs, eflags, esp_at_signal, ss;
    uint32_t fpstate, oldmask, cr2;
};

/* struct _fpstate_32: the old fsave-format header, then the fxsave image (at 112,
 * 16-byte aligned when the whole is), 624 bytes in all. */
struct fpstate_header {
    uint32_t cw, sw, tag, ipoff, cssel, dataoff, datasel;
    uint8_t st[8][10];
    uint16_t status, magic;      /* magic 0: the fxsave image follows (X86_FXSR_MAGIC) */
};
#define FPSTATE_SIZE 624
#define FXSAVE_OFFSET 112
#define FXSAVE_USED 464          /* fxrstor reads bytes 0..463; the rest are zeroed */

/* siginfo_t: 128 bytes; the union holds what each kind of signal carries. */
struct siginfo32 {
    int32_t signo, errno_, code;
    union {
        uint32_t pad[29];
        struct { int32_t pid; uint32_t uid; int32_t status; uint32_t utime, stime; } child;
        struct { int32_t pid; uint32_t uid; } kill;
        struct { uint32_t addr; } fault;
    } u;
};

struct ucontext32 {
    uint32_t flags, link;
    uint32_t ss_sp, ss_flags, ss_size;   /* stack_t uc_stack */
    struct sigcontext32 mcontext;
    uint64_t sigmask;
};

/* The SA_SIGINFO frame: handler(sig, &info, &uc). */
struct rt_sigframe32 {
    uint32_t pretcode;           /* the handler's return address: the restorer */
    int32_t sig;
    uint32_t pinfo, puc;
    struct siginfo32 info;
    struct ucontext32 uc;
    uint8_t retcode[8];
};

/* The classic frame: handler(sig). Its fields up to sc are written; after sc comes an
 * unused 624-byte fpstate, then extramask (the mask's high word) and retcode. */
struct sigframe32_head {
    uint32_t pretcode;
    int32_t sig;
    struct sigcontext32 sc;
};
#define SIGFRAME_EXTRAMASK (sizeof(struct sigframe32_head) + FPSTATE_SIZE)
#define SIGFRAME_RETCODE (SIGFRAME_EXTRAMASK + 4)
#define SIGFRAME_SIZE (SIGFRAME_RETCODE + 8)

/* The sizes Linux i386 has (asm/sigframe.h, asm/sigcontext.h): glibc relies on them. */
_Static_assert(sizeof(struct sigcontext32) == 88, "struct sigcontext");
_Static_assert(sizeof(struct fpstate_header) == FXSAVE_OFFSET, "struct _fpstate_32 header");
_Static_assert(sizeof(struct siginfo32) == 128, "siginfo_t");
_Static_assert(sizeof(struct ucontext32) == 116, "struct ucontext");
_Static_assert(sizeof(struct rt_sigframe32) == 268, "struct rt_sigframe");
_Static_assert(SIGFRAME_SIZE == 732, "struct sigframe");

/* Where no SA_RESTORER is given, the handler returns into these bytes in the frame:
 * "movl $173, %eax; int $0x80" (rt_sigreturn) and "popl %eax; movl $119, %eax;
 * int $0x80" (sigreturn), as Linux writes them. */
static const uint8_t rt_retcode[8] = {0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0};
static const uint8_t retcode[8] = {0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80};

#define EFLAGS_TF 0x100
#define EFLAGS_DF 0x400
#define EFLAGS_RF 0x10000
#define EFLAGS_IOPL 0x3000
#define EFLAGS_VM 0x20000
/* The flags a program may change (Linux's FIX_EFLAGS): arithmetic, DF, TF, AC, RF. */
#define EFLAGS_USER 0x50DD5u
#define SS_ONSTACK 1
#define SS_DISABLE 2

static int on_altstack(const struct sigstate *s, uint32_t sp)
{
    return s->ss_size && sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

static void sigcontext_fill(struct sigcontext32 *sc, const struct trapframe *tf,
                            uint32_t fpstate, uint64_t oldmask, uint32_t cr2)
{
    *sc = (struct sigcontext32){
        .gs = tf->gs & 0xFFFF, .fs = tf->fs & 0xFFFF, .es = tf->es & 0xFFFF,
        .ds = tf->ds & 0xFFFF, .edi = tf->edi, .esi = tf->esi, .ebp = tf->ebp,
        .esp = tf->esp, .ebx = tf->ebx, .edx = tf->edx, .ecx = tf->ecx, .eax = tf->eax,
        .trapno = tf->trapno, .err = tf->err, .eip = tf->eip, .cs = tf->cs & 0xFFFF,
        .eflags = tf->eflags, .esp_at_signal = tf->esp, .ss = tf->ss & 0xFFFF,
        .fpstate = fpstate, .oldmask = (uint32_t)oldmask, .cr2 = cr2,
    };
}

/* The x87/SSE registers at fp: the fsave-format header (for readers of the old layout;
 * a register's tag says only valid or empty) and the fxsave image sigreturn reads.
 * The handler itself starts with a clean FPU, as on Linux. */
static int fpstate_save(uint32_t fp)
{
    struct fpu_state *f = &myproc()->fpu;
    fpu_save(f);                        /* the live registers are this process's */
    const uint8_t *x = f->fxsave_area;
    struct fpstate_header h = {
        .cw = *(uint16_t *)x | 0xFFFF0000u, .sw = *(uint16_t *)(x + 2) | 0xFFFF0000u,
        .ipoff = *(uint32_t *)(x + 8), .cssel = *(uint16_t *)(x + 12) |
        (uint32_t)*(uint16_t *)(x + 6) << 16, .dataoff = *(uint32_t *)(x + 16),
        .datasel = *(uint16_t *)(x + 20) | 0xFFFF0000u, .status = *(uint16_t *)(x + 2),
    };
    h.tag = 0xFFFF0000u;
    for (int i = 0; i < 8; i++) {
        h.tag |= (x[4] & (1 << i) ? 0u : 3u) << (2 * i);
        memcpy(h.st[i], x + 32 + 16 * i, 10);
    }
    memset(f->fxsave_area + FXSAVE_USED, 0, sizeof(f->fxsave_area) - FXSAVE_USED);
    if (copyout(fp, &h, sizeof(h)) < 0 ||
        copyout(fp + FXSAVE_OFFSET, f->fxsave_area, sizeof(f->fxsave_area)) < 0)
        return -1;
    fpu_reset(f);
    fpu_restore(f);
    return 0;
}

static void siginfo_fill(struct siginfo32 *si, int sig, const struct ksiginfo *k)
{
    memset(si, 0, sizeof(*si));
    si->signo = sig;
    si->code = k->code;
    if (sig == SIGCHLD) {
        si->u.child.pid = k->pid;
        si->u.child.status = k->status;
    } else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
        si->u.fault.addr = k->addr;
    } else {
        si->u.kill.pid = k->pid;
    }
}

static int push_rt(uint32_t frame, uint32_t fp, struct trapframe *tf, int sig,
                   const struct k_sigaction *act, const struct ksiginfo *info,
                   uint64_t oldmask)
{
    struct sigstate *s = &myproc()->sig;
    struct rt_sigframe32 f;
    memset(&f, 0, sizeof(f));
    f.pretcode = act->flags & SA_RESTORER ? act->restorer
                 : frame + __builtin_offsetof(struct rt_sigframe32, retcode);
    f.sig = sig;
    f.pinfo = frame + __builtin_offsetof(struct rt_sigframe32, info);
    f.puc = frame + __builtin_offsetof(struct rt_sigframe32, uc);
    siginfo_fill(&f.info, sig, info);
    f.uc.ss_sp = s->ss_sp;
    f.uc.ss_size = s->ss_size;
    f.uc.ss_flags = !s->ss_size ? SS_DISABLE : on_altstack(s, tf->esp) ? SS_ONSTACK : 0;
    sigcontext_fill(&f.uc.mcontext, tf, fp, oldmask, info->addr);
    f.uc.sigmask = oldmask;
    memcpy(f.retcode, rt_retcode, sizeof(f.retcode));
    if (copyout(frame, &f, sizeof(f)) < 0)
        return -1;
    tf->edx = f.pinfo;                  /* regparm callers find them in registers too */
    tf->ecx = f.puc;
    return 0;
}

static int push_classic(uint32_t frame, uint32_t fp, struct trapframe *tf, int sig,
                        const struct k_sigaction *act, const struct ksiginfo *info,
                        uint64_t oldmask)
{
    struct sigframe32_head h;
    h.pretcode = act->flags & SA_RESTORER ? act->restorer : frame + SIGFRAME_RETCODE;
    h.sig = sig;
    sigcontext_fill(&h.sc, tf, fp, oldmask, info->addr);
    uint32_t extramask = (uint32_t)(oldmask >> 32);
    if (copyout(frame, &h, sizeof(h)) < 0 ||
        copyout(frame + SIGFRAME_EXTRAMASK, &extramask, 4) < 0 ||
        copyout(frame + SIGFRAME_RETCODE, retcode, sizeof(retcode)) < 0)
        return -1;
    tf->edx = tf->ecx = 0;
    return 0;
}

/* Build the frame below the interrupted stack pointer (or at the top of the alternate
 * stack for SA_ONSTACK), the FPU state above it, and point the registers at the
 * handler: eip = handler, esp = frame, eax = sig. Every byte goes out with copyout,
 * so a bad stack is -1 here, never a kernel fault. */
int sigframe_push(struct trapframe *tf, int sig, const struct k_sigaction *act,
                  const struct ksiginfo *info, uint64_t oldmask)
{
    struct sigstate *s = &myproc()->sig;
    int rt = (act->flags & SA_SIGINFO) != 0;
    uint32_t sp = tf->esp;
    if ((act->flags & SA_ONSTACK) && s->ss_size && !on_altstack(s, sp))
        sp = s->ss_sp + s->ss_size;
    uint32_t fp = (sp - FPSTATE_SIZE) & ~63u;
    uint32_t size = rt ? sizeof(struct rt_sigframe32) : SIGFRAME_SIZE;
    uint32_t frame = ((fp - size + 4) & ~15u) - 4;   /* (esp + 4) % 16 == 0 in the handler */
    if (fp > sp || frame > fp)
        return -1;                      /* the stack pointer wrapped round zero */
    int err = rt ? push_rt(frame, fp, tf, sig, act, info, oldmask)
                 : push_classic(frame, fp, tf, sig, act, info, oldmask);
    if (err < 0 || fpstate_save(fp) < 0)
        return -1;
    tf->esp = frame;
    tf->eip = act->handler;
    tf->eax = sig;
    tf->cs = UCODE_SEL;
    tf->ds = tf->es = tf->ss = UDATA_SEL;
    tf->eflags &= ~(EFLAGS_DF | EFLAGS_TF | EFLAGS_RF);
    return 0;
}

/* A data selector the program may hold: null, the user data segment, or one of its
 * own present TLS slots, always with RPL 3 (never a kernel segment). */
static int user_data_selector(uint32_t sel)
{
    int index = sel >> 3;
    if (sel == 0 || sel == UDATA_SEL)
        return 1;
    if ((sel & 7) != 3 || index < SEG_TLS_MIN || index >= SEG_TLS_MIN + SEG_TLS_COUNT)
        return 0;
    return (myproc()->tls[index - SEG_TLS_MIN].access & 0x80) != 0;
}

/* The FPU image at fpstate + 112, through a heap buffer: a copyin that sleeps on a
 * swapped-out page must not meet the scheduler saving registers into p->fpu. Reserved
 * MXCSR bits would make fxrstor fault in the kernel, so they are cleared. */
static int fpstate_restore(uint32_t fp)
{
    struct fpu_state *f = &myproc()->fpu;
    if (!fp) {
        fpu_reset(f);
        fpu_restore(f);
        return 0;
    }
    uint8_t *buf = kmalloc(FXSAVE_USED);
    if (!buf || copyin(buf, fp + FXSAVE_OFFSET, FXSAVE_USED) < 0) {
        kfree(buf);
        return -1;
    }
    uint32_t mask = *(uint32_t *)(f->fxsave_area + 28);
    *(uint32_t *)(buf + 24) &= mask ? mask : 0xFFBF;
    push_cli();
    memcpy(f->fxsave_area, buf, FXSAVE_USED);
    fpu_restore(f);
    pop_cli();
    kfree(buf);
    return 0;
}

/* rt_sigreturn (rt) and sigreturn: the frame the handler returned from is just above
 * esp (the handler's ret popped pretcode; classic __restore popped sig too). A frame
 * that asks for kernel selectors, IOPL or virtual-8086 mode was forged: -1, and the
 * caller kills the process. */
int sigframe_restore(struct trapframe *tf, int rt)
{
    struct proc *p = myproc();
    struct sigcontext32 sc;
    uint64_t mask;
    if (rt) {
        uint32_t uc = tf->esp - 4 + __builtin_offsetof(struct rt_sigframe32, uc);
        if (copyin(&sc, uc + __builtin_offsetof(struct ucontext32, mcontext), sizeof(sc)) < 0 ||
            copyin(&mask, uc + __builtin_offsetof(struct ucontext32, sigmask), 8) < 0)
            return -1;
    } else {
        uint32_t frame = tf->esp - 8, extramask;
        if (copyin(&sc, frame + __builtin_offsetof(struct sigframe32_head, sc), sizeof(sc)) < 0 ||
            copyin(&extramask, frame + SIGFRAME_EXTRAMASK, 4) < 0)
            return -1;
        mask = sc.oldmask | (uint64_t)extramask << 32;
    }
    uint32_t gs = sc.gs & 0xFFFF, fs = sc.fs & 0xFFFF, es = sc.es & 0xFFFF;
    uint32_t ds = sc.ds & 0xFFFF;
    if ((sc.cs & 0xFFFF) != UCODE_SEL || (sc.ss & 0xFFFF) != UDATA_SEL ||
        !user_data_selector(gs) || !user_data_selector(fs) || !user_data_selector(es) ||
        !user_data_selector(ds) || (sc.eflags & (EFLAGS_IOPL | EFLAGS_VM)))
        return -1;
    if (fpstate_restore(sc.fpstate) < 0)
        return -1;
    tf->gs = gs, tf->fs = fs, tf->es = es, tf->ds = ds;
    tf->edi = sc.edi, tf->esi = sc.esi, tf->ebp = sc.ebp, tf->esp = sc.esp;
    tf->ebx = sc.ebx, tf->edx = sc.edx, tf->ecx = sc.ecx, tf->eax = sc.eax;
    tf->eip = sc.eip;
    tf->eflags = (tf->eflags & ~EFLAGS_USER) | (sc.eflags & EFLAGS_USER);
    p->sig.blocked = mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
    p->sig.syscall_nr = (uint32_t)-1;   /* eax is the program's again: no restart */
    return 0;
}
