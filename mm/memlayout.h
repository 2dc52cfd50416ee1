/* mm/memlayout.h: where everything lives in the 4 GiB virtual address space,
 * and the conversions between physical addresses and the kernel's direct map. */
#ifndef MM_MEMLAYOUT_H
#define MM_MEMLAYOUT_H

#define KERNBASE     0xC0000000u   /* physical 0 is mapped here (the direct map) */
#define KERNLINK     0xC0100000u   /* the kernel is linked here, loaded at 1 MiB */
#define DIRECTMAP_MAX (768u << 20) /* RAM above this is not used (see docs/boot.md) */

#define USER_TOP     KERNBASE      /* user space is [0, USER_TOP) */
#define STACK_TOP    USER_TOP      /* the user stack grows down from here ... */
#define STACK_MAX    (8u << 20)    /* ... for at most this many bytes (default) */
#define MMAP_TOP     (STACK_TOP - STACK_MAX - 0x100000u) /* mmap area grows down below it */

#ifndef __ASSEMBLER__
#include <stdint.h>
#define P2V(pa) ((void *)((uint32_t)(pa) + KERNBASE))
#define V2P(va) ((uint32_t)(va) - KERNBASE)
#endif

#endif
