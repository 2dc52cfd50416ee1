/* mm/trace.c: the VM event trace. With vm.trace=1 every page fault, eviction, fork,
 * exec, exit, unmap, change of a region or of a frame's state is one text line on COM2;
 * tools/vmtrace turns the file into plots, tools/view shows it live in a browser.
 *
 * A line is "TIME PID EVENT ARGS": TIME is the time-stamp counter (instructions under
 * QEMU -icount), PID the process. Page events give the address, the frame number, r/w
 * ("-" where none applies) and the PTE's flag bits; docs/tracing.md lists every event.
 * The trace starts with the state of every frame, so that a reader attached at boot
 * knows the whole machine, not only what changes. The lines go out through
 * mm/traceline.c, in the lowest layer, where the frame table writes its own events. */
#include "mm/trace.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/pgtable.h"
#include "mm/evict.h"
#include "drivers/serial.h"
#include "kernel/proc.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

static const char *const kind_name[] = {
    [TRACE_ZERO_FILL] = "zero_fill",     [TRACE_FILE_FILL] = "file_fill",
    [TRACE_SWAP_IN] = "swap_in",         [TRACE_COW_COPY] = "cow_copy",
    [TRACE_COW_REUSE] = "cow_reuse",     [TRACE_CACHE_HIT] = "cache_hit",
    [TRACE_UFFD_FILL] = "uffd_fill",     [TRACE_SEGV] = "segv",
    [TRACE_SWAP_OUT] = "swap_out",       [TRACE_WRITEBACK_AVOIDED] = "writeback_avoided",
    [TRACE_CLEAN_DROP] = "clean_drop",   [TRACE_FILE_WRITEBACK] = "file_writeback",
};

/* One page event with the PTE's flag bits (P W U A D...). Frame 0 is never a user page,
 * so pa 0 means "no frame". */
static void page_line(uint64_t now, int pid, const char *event, uint32_t va, uint32_t pa,
                      char access, pte_t pte)
{
    if (pa)
        trace_emit("%llu %d %s %08x %u %c %03x\n", now, pid, event, va, pa_to_pfn(pa),
                   access, PTE_FLAGS(pte));
    else
        trace_emit("%llu %d %s %08x - %c %03x\n", now, pid, event, va, access, PTE_FLAGS(pte));
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
    trace_on = 1;
    trace_emit("# pagoda vm trace 2: time pid event args (docs/tracing.md)\n");
    trace_emit("# frames %u user_frames_limit %u\n", nframes, evict_frames_limit());
    trace_all_frames(rdtsc());
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

void trace_fault_line(struct mm *mm, enum trace_kind kind, uint32_t va, uint32_t pa,
                      uint32_t write)
{
    struct proc *p = myproc();          /* exec's faults on the new stack count as its */
    page_line(rdtsc(), p ? p->pid : 0, kind_name[kind], va, pa, write ? 'w' : 'r',
              pa ? pgtable_lookup(mm->pgdir, va) : 0);
}

void trace_eviction(struct frame *f, enum trace_kind kind)
{
    if (!trace_on)
        return;
    uint64_t now = rdtsc();             /* the same time on every line: one eviction */
    if (!f->rmap)                       /* a page-cache page that no process maps */
        page_line(now, 0, kind_name[kind], 0, frame_pa(f), '-', 0);
    for (struct rmap *r = f->rmap; r; r = r->next)
        page_line(now, pid_of(r->mm), kind_name[kind], r->va, frame_pa(f), '-',
                  pgtable_lookup(r->mm->pgdir, r->va));
}

/* One line with every region of an address space, lowest first: START-END:PROT:KIND,
 * PROT as rwx, KIND what fills it (shared, file, anon, heap, stack; +locked for mlock). */
static void regions_line(uint64_t now, int pid, struct mm *mm)
{
    trace_emit("%llu %d regions", now, pid);
    for (struct vma *v = vma_first(mm); v; v = vma_next(v))
        trace_emit(" %08x-%08x:%c%c%c:%s%s", v->start, v->end,
                   v->prot & VM_READ ? 'r' : '-', v->prot & VM_WRITE ? 'w' : '-',
                   v->prot & VM_EXEC ? 'x' : '-',
                   v->flags & VMA_SHARED ? "shared" : v->flags & VMA_FILE ? "file"
                   : v->flags & VMA_HEAP ? "heap"
                   : v->flags & VMA_GROWSDOWN ? "stack" : "anon",
                   v->flags & VMA_LOCKED ? "+locked" : "");
    trace_emit("\n");
}

void trace_regions(struct mm *mm)
{
    int pid = trace_on ? pid_of(mm) : 0;
    if (pid)                            /* fork and exec list a new space's regions */
        regions_line(rdtsc(), pid, mm);
}

void trace_unmap(struct mm *mm, uint32_t start, uint32_t end)
{
    if (trace_on)
        trace_emit("%llu %d unmap %08x %08x\n", rdtsc(), pid_of(mm), start, end);
}

struct map_ctx {
    uint64_t now;
    int pid;
};

static void map_line(pte_t *pte, uint32_t va, void *ctx)
{
    struct map_ctx *c = ctx;
    if (*pte & PTE_P)
        page_line(c->now, c->pid, "map", va, PTE_ADDR(*pte), '-', *pte);
}

/* Its regions, then a "map" line for every resident page of p's address space. */
static void resident_pages(struct proc *p, uint64_t now)
{
    struct map_ctx c = {now, p->pid};
    regions_line(now, p->pid, p->mm);
    for (struct vma *v = vma_first(p->mm); v; v = vma_next(v))
        pgtable_visit(p->mm->pgdir, v->start, v->end, map_line, &c);
}

void trace_fork(struct proc *child)
{
    if (!trace_on)
        return;
    uint64_t now = rdtsc();
    trace_emit("%llu %d fork %d\n", now, child->pid, child->parent->pid);
    resident_pages(child, now);
}

void trace_exec(struct proc *p)
{
    if (!trace_on)
        return;
    uint64_t now = rdtsc();
    trace_emit("%llu %d exec %s\n", now, p->pid, p->name);
    resident_pages(p, now);
}

void trace_exit(struct proc *p)
{
    if (trace_on)
        trace_emit("%llu %d exit\n", rdtsc(), p->pid);
}
