/* mm/share.c: how many frames each process gets (Silberschatz, OSC 9.5.2): an equal share,
 * a share proportional to its size, or one weighted by priority as well; never below
 * a minimum. With local replacement (vm.scope=local) the allocation is the limit a
 * process replaces within. With page-fault-frequency control (vm.pff=1) each
 * allocation then follows its process's fault rate: above the upper bound it grows,
 * below the lower it shrinks (Silberschatz, OSC 9.6.3). Both are counted per working-set
 * window of the process's own execution (mm/workingset.c): a process that faults
 * spends its seconds waiting for the disk, so per second it would look calm, and
 * seconds depend on how fast the host runs the emulator. A process that does not run
 * at all, and is not waiting for a page, gives frames back.
 * Recomputed at every sample. */
#include "mm/share.h"
#include "mm/vma.h"
#include "mm/evict.h"
#include "kernel/proc.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

enum scheme { ALLOC_EQUAL, ALLOC_PROPORTIONAL, ALLOC_PRIORITY };

static enum scheme scheme;
static int pff;                       /* vm.pff=1 */
int share_limits;
static uint32_t min_frames, pff_upper;

#define PFF_STEP 8                    /* frames added or taken per sample */

void share_init(void)
{
    const char *s = cmdline_get("vm.alloc");
    scheme = !s || strcmp(s, "equal") == 0 ? ALLOC_EQUAL
             : strcmp(s, "priority") == 0  ? ALLOC_PRIORITY
                                           : ALLOC_PROPORTIONAL;
    if (s && scheme == ALLOC_PROPORTIONAL && strcmp(s, "proportional") != 0)
        printk("vm.alloc=%s: no such scheme; using proportional\n", s);
    const char *scope = cmdline_get("vm.scope");
    int local_scope = scope && strcmp(scope, "local") == 0;
    pff = cmdline_int("vm.pff", 0) != 0;
    share_limits = local_scope || pff;
    min_frames = (uint32_t)cmdline_int("vm.minframes", 16);
    pff_upper = (uint32_t)cmdline_int("vm.pffupper", 20);
}

static int counted(const struct proc *p)
{
    return p->mm && p->state != PROC_ZOMBIE && p->state != PROC_UNUSED && !p->mm->ws.suspended;
}

/* The process's size for proportional allocation: the pages it uses (resident or
 * out on swap); its weight adds priority: 20 - nice, from 1 (nice 19) to 40. */
static uint32_t weight(const struct proc *p)
{
    uint32_t size = p->mm->resident + p->mm->swapped + 1;
    return scheme == ALLOC_PRIORITY ? size * (uint32_t)(20 - p->nice) : size;
}

/* Page-fault frequency: too many faults, give it frames; too few, take some back. */
static uint32_t follow_fault_rate(const struct proc *p, uint32_t alloc, uint32_t frames)
{
    /* LAB workingset: BEGIN */
    if (p->mm->ws.faults_per_delta > pff_upper && alloc + PFF_STEP <= frames)
        return alloc + PFF_STEP;
    if (p->mm->ws.fault_calm && alloc >= min_frames + PFF_STEP)
        return alloc - PFF_STEP;
    return alloc;
    /* LAB workingset: STUB
    (void)p, (void)alloc, (void)frames;
    panic("lab workingset: write follow_fault_rate() in mm/share.c "
          "(docs/labs/workingset.md)");
    LAB workingset: END */
}

void share_recompute(void)
{
    uint32_t frames = evict_frames_limit(), n = 0;
    uint64_t total = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (counted(p)) {
            n++;
            total += weight(p);
        }
    }
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (!counted(p))
            continue;
        uint32_t share = scheme == ALLOC_EQUAL ? frames / n
                                               : (uint32_t)(frames * (uint64_t)weight(p) / total);
        if (pff && p->mm->alloc)
            share = follow_fault_rate(p, p->mm->alloc, frames);
        p->mm->alloc = share < min_frames ? min_frames : share;
    }
}
