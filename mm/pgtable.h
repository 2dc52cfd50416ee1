/* mm/pgtable.h: the two-level page-table API everything else uses: walk, map, unmap,
 * look up, change protection, switch address space (CR3) and TLB invalidation. */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdint.h>
#include "mm/mmu.h"

pte_t *pgtable_walk(pde_t *pgdir, uint32_t va, int create);  /* NULL: no table (or no memory) */
int pgtable_map(pde_t *pgdir, uint32_t va, uint32_t pa, uint32_t flags);  /* 0 or -ENOMEM */
pte_t pgtable_unmap(pde_t *pgdir, uint32_t va);     /* returns the old PTE (0 if none) */
pte_t pgtable_lookup(pde_t *pgdir, uint32_t va);    /* the PTE, 0 when no table */
int pgtable_protect(pde_t *pgdir, uint32_t va, uint32_t flags);   /* -1 if not present */
void pgtable_set(pde_t *pgdir, uint32_t va, pte_t *pte, pte_t val); /* store + invalidate */

/* Call fn on every non-zero PTE in [start, end) (present pages and swap entries),
 * skipping page tables that do not exist. fn may change the PTE through pgtable_set. */
typedef void (*pte_visit_fn)(pte_t *pte, uint32_t va, void *ctx);
void pgtable_visit(pde_t *pgdir, uint32_t start, uint32_t end, pte_visit_fn fn, void *ctx);
/* ... within one page table (start and end inside the 4 MiB it maps). */
void pgtable_visit_table(pte_t *table, uint32_t start, uint32_t end, pte_visit_fn fn, void *ctx);

void pgtable_invalidate(pde_t *pgdir, uint32_t va);     /* invlpg, if pgdir is the live one */
void pgtable_flush_all(void);

/* mm/vmprint.c: the user half's tables on the console; vm.vmprint=1 prints process 1's
 * after each exec (mm_exec). */
void vmprint(pde_t *pgdir);
void vmprint_exec(int pid, const char *name, pde_t *pgdir);

/* Page directories (mm/pgdir.c): the kernel's, a new process's, the live one. */
void pgdir_switch(pde_t *pgdir);                    /* load CR3 (flushes non-global TLB) */
pde_t *pgdir_current(void);
extern pde_t *pgdir_kernel;
void pgdir_init(void);                              /* mm_boot: the kernel's own page tables */
pde_t *pgdir_create(void);                          /* kernel half shared, user half empty */
void pgdir_free(pde_t *pgdir);                      /* frees the user page tables and the dir */

#endif
