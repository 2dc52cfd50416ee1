/* mm/replace.c: which replacement policy of mm/policy/ is active (vm.policy=, or at run
 * time), and the kernel's events forwarded to it. The services a policy calls back are
 * mm/pol.c's. */
#include "mm/replace.h"
#include "mm/pol.h"
#include "mm/frame.h"
#include "kernel/cmdline.h"
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

struct frame *replace_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    uint32_t f = active->choose_victim(eligible, ctx);
    return f == POL_NONE ? NULL : &frames[f];
}
