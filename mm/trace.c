/* mm/trace.c: the VM event trace. With vm.trace=1 every page fault, eviction, fork,
 * exec, exit and unmap is one text line on COM2; tools/vmtrace turns the file into plots.
 *
 * A line is "TIME PID EVENT ARGS": TIME is the time-stamp counter (instructions under
 * QEMU -icount), PID the process. Page events give the address, the frame number and
 * r/w ("-" where none applies); docs/tracing.md lists every event. The kernel is never
 * preempted and interrupt handlers do not trace, so lines never interleave. */
#include "mm/trace.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/vm.h"
#include "mm/pgtable.h"
#include "mm/evict.h"
#include "drivers/serial.h"
#include "kernel/proc.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

static int tracing;

static const char *const kind_name[] = {
    [TRACE_ZERO_FILL] = "zero_fill",     [TRACE_FILE_FILL] = "file_fill",
    [TRACE_SWAP_IN] = "swap_in",         [TRACE_COW_COPY] = "cow_copy",
    [TRACE_COW_REUSE] = "cow_reuse",     [TRACE_SEGV] = "segv",
    [TRACE_SWAP_OUT] = "swap_out",       [TRACE_WRITEBACK_AVOIDED] = "writeback_avoided",
    [TRACE_CLEAN_DROP] = "clean_drop",
};

static void com2_putc(char c, void *arg)
{
    (void)arg;
    serial_putc(COM2, c);
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvformat(com2_putc, NULL, fmt, ap);
    va_end(ap);
}

/* One page event. Frame 0 is never a user page, so pa 0 means "no frame". */
static void page_line(uint64_t now, int pid, const char *event, uint32_t va, uint32_t pa,
                      char access)
{
    if (pa)
        emit("%llu %d %s %08x %u %c\n", now, pid, event, va, pa_to_pfn(pa), access);
    else
        emit("%llu %d %s %08x - %c\n", now, pid, event, va, access);
}

void trace_init(void)
{
    if (cmdline_int("vm.trace", 0) != 1)
        return;
    if (!serial_present(COM2)) {
        printk("vm.trace: no serial port COM2 (QEMU: a second -serial; make run TRACE=FILE)\n");
        return;
    }
    serial_init(COM2);
    tracing = 1;
    emit("# pagoda vm trace 1: time pid event args (docs/tracing.md)\n");
    emit("# frames %u user_frames_limit %u\n", nframes, user_frames_limit());
    printk("vm.trace: VM events go to COM2\n");
}

/* The process whose address space mm is; 0 while fork or exec is still building it. */
static int pid_of(struct mm *mm)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state != PROC_UNUSED && p->mm == mm)
            return p->pid;
    return 0;
}

void trace_fault(enum trace_kind kind, uint32_t va, uint32_t pa, uint32_t write)
{
    if (tracing)
        page_line(rdtsc(), myproc() ? myproc()->pid : 0, kind_name[kind], va, pa,
                  write ? 'w' : 'r');
}

void trace_eviction(struct frame *f, enum trace_kind kind)
{
    if (!tracing)
        return;
    uint64_t now = rdtsc();             /* the same time on every line: one eviction */
    for (struct rmap *r = f->rmap; r; r = r->next)
        page_line(now, pid_of(r->mm), kind_name[kind], r->va, frame_pa(f), '-');
}

void trace_unmap(struct mm *mm, uint32_t start, uint32_t end)
{
    if (tracing)
        emit("%llu %d unmap %08x %08x\n", rdtsc(), pid_of(mm), start, end);
}

struct map_ctx {
    uint64_t now;
    int pid;
};

static void map_line(pte_t *pte, uint32_t va, void *ctx)
{
    struct map_ctx *c = ctx;
    if (*pte & PTE_P)
        page_line(c->now, c->pid, "map", va, PTE_ADDR(*pte), '-');
}

/* A "map" line for every resident page of p's address space. */
static void resident_pages(struct proc *p, uint64_t now)
{
    struct map_ctx c = {now, p->pid};
    for (struct vma *v = p->mm->vmas; v; v = v->next)
        pgtable_visit(p->mm->pgdir, v->start, v->end, map_line, &c);
}

void trace_fork(struct proc *child)
{
    if (!tracing)
        return;
    uint64_t now = rdtsc();
    emit("%llu %d fork %d\n", now, child->pid, child->parent->pid);
    resident_pages(child, now);
}

void trace_exec(struct proc *p)
{
    if (!tracing)
        return;
    uint64_t now = rdtsc();
    emit("%llu %d exec %s\n", now, p->pid, p->name);
    resident_pages(p, now);
}

void trace_exit(struct proc *p)
{
    if (tracing)
        emit("%llu %d exit\n", rdtsc(), p->pid);
}
