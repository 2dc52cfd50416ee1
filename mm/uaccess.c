/* mm/uaccess.c: copyin/copyout/copyinstr. They check that the range lies in user
 * space and that its regions allow the access, then let the assembly in uaccess.asm
 * touch it; a fault on a valid but absent page is handled like a user fault, an
 * invalid one becomes -EFAULT. */
#include "mm/uaccess.h"
#include "mm/memlayout.h"
#include "mm/vma.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/errno.h"
#include "kernel/panic.h"      /* the lazy lab's stub (docs/labs/lazy.md) */

extern char uaccess_start[], uaccess_end[], uaccess_fault[];
int uaccess_copy(void *dst, const void *src, uint32_t n);
int uaccess_strncpy(char *dst, const char *src, uint32_t max);
int uaccess_write32(uint32_t *dst, uint32_t value);

uint32_t uaccess_last_addr, uaccess_last_err;

static int user_range_ok(uint32_t uaddr, size_t n)
{
    return uaddr < USER_TOP && n <= USER_TOP - uaddr;
}

/* How many of the n bytes at uaddr come before a region without the right `need`
 * (VM_READ to copy in, VM_WRITE to copy out). The kernel runs in ring 0, so the MMU
 * lets it read any present page and write any writable one: a PROT_NONE page stays
 * present (only its user bit goes), and would be read as if allowed. The regions are
 * what a user access is judged by (fault_resolve), so they judge the kernel's copies too.
 * Addresses in no region are left to the fault (stack growth, or -EFAULT). */
static size_t user_allowed(uint32_t uaddr, size_t n, uint32_t need)
{
    struct proc *p = myproc();
    if (!p || !p->mm)
        return n;
    for (uint32_t a = uaddr; a - uaddr < n;) {
        struct vma *v = vma_find(p->mm, a);
        if (!v)
            return n;
        if ((v->prot & need) != need)
            return a - uaddr;
        a = v->end;
    }
    return n;
}

int copyin(void *dst, uint32_t usrc, size_t n)
{
    if (!user_range_ok(usrc, n) || user_allowed(usrc, n, VM_READ) < n)
        return -EFAULT;
    return uaccess_copy(dst, (const void *)usrc, n);
}

int copyout(uint32_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n) || user_allowed(udst, n, VM_READ | VM_WRITE) < n)
        return -EFAULT;
    return uaccess_copy((void *)udst, src, n);
}

int copyinstr(char *dst, uint32_t usrc, size_t max)
{
    if (usrc >= USER_TOP)
        return -EFAULT;
    if (max > USER_TOP - usrc)
        max = USER_TOP - usrc;     /* the string may not run into kernel space */
    size_t allowed = user_allowed(usrc, max, VM_READ);
    int n = uaccess_strncpy(dst, (const char *)usrc, allowed);
    if (n < 0)
        return n;
    if ((size_t)n == allowed)
        return allowed < max ? -EFAULT : -ENAMETOOLONG;
    return n;
}

int kernel_probe_write(void *addr, uint32_t value)
{
    return uaccess_write32(addr, value);
}

int uaccess_fixup(struct trapframe *tf, uint32_t addr)
{
    /* LAB lazy: BEGIN */
    if (tf->eip < (uint32_t)uaccess_start || tf->eip >= (uint32_t)uaccess_end)
        return 0;
    uaccess_last_addr = addr;
    uaccess_last_err = tf->err;
    tf->eip = (uint32_t)uaccess_fault;
    return 1;
    /* LAB lazy: STUB
    (void)tf;
    panic("lab lazy: the kernel faulted at %x: write uaccess_fixup() in mm/uaccess.c "
          "(docs/labs/lazy.md)", addr);
    LAB lazy: END */
}
