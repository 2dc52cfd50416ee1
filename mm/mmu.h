/* mm/mmu.h: the x86 two-level paging format (non-PAE, 4 KiB pages): how a virtual
 * address splits into directory index, table index and offset, and the PTE bits. */
#ifndef MM_MMU_H
#define MM_MMU_H

#include <stdint.h>

#define PGSIZE    4096u
#define PGSHIFT   12
#define NPDENTRIES 1024
#define NPTENTRIES 1024

#define PDX(va)   (((uint32_t)(va) >> 22) & 0x3FF)   /* page-directory index */
#define PTX(va)   (((uint32_t)(va) >> 12) & 0x3FF)   /* page-table index */
#define PGROUNDDOWN(a) ((uint32_t)(a) & ~(PGSIZE - 1))
#define PGROUNDUP(a)   (((uint32_t)(a) + PGSIZE - 1) & ~(PGSIZE - 1))

/* Bits of a page-directory or page-table entry (Intel SDM vol. 3, 4.3). */
#define PTE_P   0x001   /* present */
#define PTE_W   0x002   /* writable */
#define PTE_U   0x004   /* user may access */
#define PTE_PWT 0x008
#define PTE_PCD 0x010
#define PTE_A   0x020   /* accessed: set by the MMU on any access */
#define PTE_D   0x040   /* dirty: set by the MMU on a write (PTEs only) */
#define PTE_PS  0x080   /* 4 MiB page (PDEs only, with CR4.PSE) */
#define PTE_G   0x100   /* global: survives a CR3 reload (with CR4.PGE) */

#define PTE_ADDR(e)  ((uint32_t)(e) & ~0xFFFu)
#define PTE_FLAGS(e) ((uint32_t)(e) & 0xFFFu)

/* Page-fault error code bits pushed by the CPU (SDM vol. 3, 4.7). */
#define PFERR_P 0x1   /* 0: page not present; 1: protection violation */
#define PFERR_W 0x2   /* the access was a write */
#define PFERR_U 0x4   /* the access came from user mode (CPL 3) */

#define CR0_WP 0x00010000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x00000010u
#define CR4_PGE 0x00000080u

typedef uint32_t pte_t;
typedef uint32_t pde_t;

#endif
