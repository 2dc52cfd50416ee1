/* kernel/doublefault.h: the double fault runs as its own task (kernel/doublefault.c). */
#ifndef KERNEL_DOUBLEFAULT_H
#define KERNEL_DOUBLEFAULT_H

void doublefault_init(void);   /* after pgdir_init: the task uses the kernel's directory */

#endif
