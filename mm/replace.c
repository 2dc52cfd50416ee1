/* mm/replace.c: which replacement policy of mm/policy/ is active (vm.policy=, or at run
 * time), the kernel's events forwarded to it, and its choices checked: a policy may be a
 * student's first try, so a wrong victim or a livelock stops the kernel with a message
 * that names the policy and the frame. The services a policy calls back are mm/pol.c's. */
#include "mm/replace.h"
#include "mm/pol.h"
#include "mm/frame.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/printk.h"
#include "kernel/errno.h"

static const struct vm_policy *active;
int replace_select(const char *name)
{
    const struct vm_policy *p = registry_find(name);
    if (!p)
        return -EINVAL;
    /* Tell the new policy about every resident page, in frame order. */
    p->init(nframes);
    active = p;
    for (uint32_t f = 0; f < nframes; f++)
        if (pol_resident(f))
            p->loaded(f);
    return 0;
}

void replace_init(void)
{
    pol_init();
    const char *name = cmdline_get("vm.policy");
    if (!name)
        name = "clock";
    if (replace_select(name) < 0) {
        printk("vm.policy=%s: no such policy; using clock\n", name);
        replace_select("clock");
    }
}

const char *replace_name(void) { return active->name; }
void replace_loaded(struct frame *f) { active->loaded(f - frames); }
void replace_removed(struct frame *f) { active->removed(f - frames); }

void replace_tick(void)
{
    if (active->tick)
        active->tick();
}

/* The promise of policy.h: a resident frame that eligible() accepts, or POL_NONE. Checked
 * in that order, so that a number past the frame table is never used as an index. */
static void check_victim(uint32_t f, pol_eligible_fn eligible, void *ctx)
{
    const char *wrong = f >= nframes ? "past the last frame"
                        : !pol_resident(f) ? "a frame that holds no user page"
                        : !eligible(f, ctx) ? "a frame the kernel said is not eligible"
                                            : NULL;
    if (wrong)
        panic("vm.policy=%s chose frame %u (of %u): %s (mm/policy/policy.h: choose_victim)",
              active->name, f, nframes, wrong);
}

/* How many frames eligible() accepts: did the policy have a choice? */
static uint32_t eligible_frames(pol_eligible_fn eligible, void *ctx)
{
    uint32_t n = 0;
    for (uint32_t f = 0; f < nframes; f++)
        n += pol_resident(f) && eligible(f, ctx);
    return n;
}

/* A livelock. One instruction may need several pages at once, its code and its data
 * (Silberschatz, OSC 9.5.1, "Minimum Number of Frames"); a policy that keeps choosing
 * the frame the last fault just filled with one of them evicts the other, and the
 * instruction never completes. mm/fault.c counts the faults in a row at one instruction
 * on at most STREAK_PAGES pages (p->streak); LIVELOCK_REPEATS of them, each taking the
 * same frame while more than STREAK_PAGES frames were eligible, are the policy's doing
 * (with fewer, memory is the trouble, and mm/fault.c's OOM path settles it). */
#define LIVELOCK_REPEATS 16
static struct {
    int pid;
    uint32_t eip, frame, repeats;
} last;

static void watch_progress(uint32_t f, pol_eligible_fn eligible, void *ctx)
{
    struct proc *p = myproc();
    if (!p || !p->mm || !p->in_fault)
        return;                         /* the pageout daemon's choice: no instruction waits */
    if (p->pid != last.pid || p->streak.eip != last.eip || f != last.frame ||
        p->streak.faults < 2) {
        last.pid = p->pid, last.eip = p->streak.eip, last.frame = f, last.repeats = 1;
        return;
    }
    if (++last.repeats < LIVELOCK_REPEATS || p->streak.faults < LIVELOCK_REPEATS)
        return;
    uint32_t choices = eligible_frames(eligible, ctx);
    if (choices > STREAK_PAGES)
        panic("vm.policy=%s livelocked: it chose frame %u %u times in a row while pid %d "
              "(%s) faulted %u times at ip %08x on %u pages, with %u frames eligible: it keeps "
              "evicting a page the faulting instruction needs (the one loaded last)",
              active->name, f, last.repeats, p->pid, p->name, p->streak.faults, p->streak.eip,
              p->streak.npages, choices);
    last.repeats = 0;
}

struct frame *replace_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    uint32_t f = active->choose_victim(eligible, ctx);
    if (f == POL_NONE)
        return NULL;
    check_victim(f, eligible, ctx);
    watch_progress(f, eligible, ctx);
    return &frames[f];
}
