/* mm/sys_pagoda.c: Pagoda's own system calls (numbers above 1000, see
 * user/pagoda_abi.h): VM counters, the frame behind an address, resource counts, and the
 * choice of replacement policy at run time. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "mm/vma.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/pgtable.h"
#include "mm/uaccess.h"
#include "mm/memlayout.h"
#include "mm/swap.h"
#include "mm/replace.h"
#include "mm/evict.h"
#include "mm/pagecache.h"
#include "mm/rmap.h"
#include "kernel/sched.h"
#include "user/pagoda_abi.h"

/* struct pagoda_vmstat starts with the same counters as struct vm_counters. */
_Static_assert(__builtin_offsetof(struct pagoda_vmstat, tables_copied) ==
                   __builtin_offsetof(struct vm_counters, tables_copied) &&
               sizeof(struct vm_counters) == __builtin_offsetof(struct pagoda_vmstat, resident_pages),
               "user/pagoda_abi.h and mm/vmstat.h disagree on the counters");

static void copy_counters(struct pagoda_vmstat *out, const struct vm_counters *c)
{
    memcpy(out, c, sizeof(*c));
}

/* pagoda_vmstat(buf, pid): pid 0 for the whole system, else one process (a zombie's
 * counters stay readable until it is reaped). */
SYSCALL(pagoda_vmstat)
{
    int pid = ARG2(tf);
    struct pagoda_vmstat st;
    memset(&st, 0, sizeof(st));
    if (pid == 0) {
        copy_counters(&st, &vmstat_global);
        for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
            if (p->state != PROC_UNUSED && p->mm) {
                st.resident_pages += p->mm->resident;
                st.locked_pages += p->mm->locked;
            }
        }
    } else {
        struct proc *p = proc_find(pid);
        if (!p)
            return -ESRCH;
        copy_counters(&st, &p->vm);
        if (p->mm) {
            st.resident_pages = p->mm->resident;
            st.locked_pages = p->mm->locked;
            st.rss_limit_pages = p->mm->rss_limit;
            st.ws_pages = p->mm->ws.pages;
            st.alloc_frames = p->mm->alloc;
            st.suspended = p->mm->ws.suspended;
            st.fault_rate = p->mm->ws.fault_rate;
        }
        st.nice = p->nice;
        st.run_cycles = sched_cpu_time(p);     /* up to now, if it is the one running */
        st.major_fault_work = p->major_work;
        st.major_fault_work_max = p->major_work_max;
    }
    st.frames_free = frames_free_count();
    st.frames_total = frames_total_count();
    st.swap_slots_free = swap_slots_free();
    st.swap_slots_total = swap_slots_total();
    strlcpy(st.policy, replace_name(), sizeof(st.policy));
    st.user_frames_limit = evict_frames_limit();
    st.user_frames_used = evict_frames_used();
    st.idle_cycles = idle_cycles;
    st.cached_pages = pcache_pages();
    st.shared_pages = rmap_shared_count();
    return copyout(ARG1(tf), &st, sizeof(st));
}

/* pagoda_frame_of(vaddr): the physical address of the frame mapped at vaddr (so a
 * test can watch parent and child share a frame until one writes), -EFAULT if none. */
SYSCALL(pagoda_frame_of)
{
    uint32_t va = ARG1(tf);
    if (va >= USER_TOP)
        return -EFAULT;
    pte_t pte = pgtable_lookup(myproc()->mm->pgdir, va);
    return (pte & PTE_P) ? (long)PTE_ADDR(pte) : -EFAULT;
}

SYSCALL(pagoda_kstat)
{
    struct kheap_stats h;
    kheap_stats(&h);
    struct pagoda_kstat k = {
        .frames_free = frames_free_count() + h.pages, .heap_objects = h.objects,
        .heap_bytes = h.bytes, .procs_used = procs_in_use(), .swap_slots_free = swap_slots_free(),
    };
    return copyout(ARG1(tf), &k, sizeof(k));
}

/* Copy a name to a user buffer of len bytes, NUL included: -ERANGE if it does not fit. */
static long copyout_name(uint32_t udst, int len, const char *name)
{
    uint32_t n = strlen(name) + 1;
    if (len < 0 || (uint32_t)len < n)
        return -ERANGE;
    return copyout(udst, name, n);
}

/* pagoda_policy(name, cur, len): switch to the policy called name (NULL keeps the one in
 * use), then copy the current policy's name to cur (NULL: no copy). The switch tells the
 * new policy about every resident page (replace_select); an unknown name gives -EINVAL. */
SYSCALL(pagoda_policy)
{
    uint32_t uname = ARG1(tf), ucur = ARG2(tf);
    if (uname) {
        char name[PAGODA_POLICY_NAME_MAX];
        int n = copyinstr(name, uname, sizeof(name));
        if (n < 0)
            return n == -ENAMETOOLONG ? -EINVAL : n;    /* longer than any policy's name */
        const char *old = replace_name();
        int err = replace_select(name);
        if (err)
            return err;
        printk("vm.policy: %s -> %s (pid %d)\n", old, replace_name(), myproc()->pid);
    }
    return ucur ? copyout_name(ucur, (int)ARG3(tf), replace_name()) : 0;
}

/* pagoda_policy_info(i, buf): the i-th policy of the registry, -ENOENT past the last. */
SYSCALL(pagoda_policy_info)
{
    const struct vm_policy *const *p = registry_list();
    for (uint32_t k = ARG1(tf); *p && k > 0; k--)
        p++;
    if (!*p)
        return -ENOENT;
    struct pagoda_policy_info info;
    memset(&info, 0, sizeof(info));
    strlcpy(info.name, (*p)->name, sizeof(info.name));
    strlcpy(info.description, (*p)->description, sizeof(info.description));
    info.active = strcmp((*p)->name, replace_name()) == 0;
    return copyout(ARG2(tf), &info, sizeof(info));
}
