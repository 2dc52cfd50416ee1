/* mm/uaccess.h: moving bytes between the kernel and user space through the user's
 * own virtual addresses (so the MMU sets accessed/dirty bits and faults page in). */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include <stdint.h>
#include <stddef.h>

struct trapframe;

int copyin(void *dst, uint32_t usrc, size_t n);          /* 0 or -EFAULT */
int copyout(uint32_t udst, const void *src, size_t n);   /* 0 or -EFAULT */
int copyinstr(char *dst, uint32_t usrc, size_t max);     /* length, -EFAULT or -ENAMETOOLONG */
int kernel_probe_write(void *addr, uint32_t value);      /* 0, or -EFAULT if it faulted */

/* Called by the page-fault handler for a kernel-mode fault it could not resolve:
 * if the faulting instruction is one of the uaccess routines, make it return
 * -EFAULT and return 1; otherwise return 0 (a genuine kernel bug). */
int uaccess_fixup(struct trapframe *tf, uint32_t addr);

/* The last fault uaccess_fixup turned into -EFAULT, for tests. */
extern uint32_t uaccess_last_addr, uaccess_last_err;

#endif
