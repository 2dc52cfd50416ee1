/* mm/pgtable.c: walking and editing x86 two-level page tables. A virtual address
 * picks a page-directory entry (bits 31-22), which points to a page table whose
 * entry (bits 21-12) holds the frame address and the permission bits. */
#include "mm/pgtable.h"
#include "mm/frame.h"
#include "mm/memlayout.h"
#include "kernel/x86.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/panic.h"      /* the pgtbl lab's stubs (docs/labs/pgtbl.md) */

pte_t *pgtable_walk(pde_t *pgdir, uint32_t va, int create)
{
    /* LAB pgtbl: BEGIN */
    pde_t *pde = &pgdir[PDX(va)];
    if (!(*pde & PTE_P)) {
        if (!create)
            return NULL;
        uint32_t pa = frame_alloc_zeroed(FRAME_PGTABLE);
        if (!pa)
            return NULL;
        /* The directory entry is permissive; each PTE decides the real permissions. */
        *pde = pa | PTE_P | PTE_W | PTE_U;
    }
    pte_t *table = P2V(PTE_ADDR(*pde));
    return &table[PTX(va)];
    /* LAB pgtbl: STUB
    (void)pgdir, (void)va, (void)create;
    panic("lab pgtbl: write pgtable_walk() in mm/pgtable.c (docs/labs/pgtbl.md)");
    LAB pgtbl: END */
}

int pgtable_map(pde_t *pgdir, uint32_t va, uint32_t pa, uint32_t flags)
{
    /* LAB pgtbl: BEGIN */
    pte_t *pte = pgtable_walk(pgdir, va, 1);
    if (!pte)
        return -ENOMEM;
    pgtable_set(pgdir, va, pte, pa | flags | PTE_P);
    return 0;
    /* LAB pgtbl: STUB
    (void)pgdir, (void)va, (void)pa, (void)flags;
    panic("lab pgtbl: write pgtable_map() in mm/pgtable.c (docs/labs/pgtbl.md)");
    LAB pgtbl: END */
}

pte_t pgtable_unmap(pde_t *pgdir, uint32_t va)
{
    /* LAB pgtbl: BEGIN */
    pte_t *pte = pgtable_walk(pgdir, va, 0);
    if (!pte)
        return 0;
    pte_t old = *pte;
    pgtable_set(pgdir, va, pte, 0);
    return old;
    /* LAB pgtbl: STUB
    (void)pgdir, (void)va;
    panic("lab pgtbl: write pgtable_unmap() in mm/pgtable.c (docs/labs/pgtbl.md)");
    LAB pgtbl: END */
}

pte_t pgtable_lookup(pde_t *pgdir, uint32_t va)
{
    pte_t *pte = pgtable_walk(pgdir, va, 0);
    return pte ? *pte : 0;
}

int pgtable_protect(pde_t *pgdir, uint32_t va, uint32_t flags)
{
    pte_t *pte = pgtable_walk(pgdir, va, 0);
    if (!pte || !(*pte & PTE_P))
        return -1;
    pgtable_set(pgdir, va, pte, (*pte & ~(PTE_W | PTE_U)) | flags);
    return 0;
}

/* Every PTE change goes through here so the stale TLB entry is never forgotten.
 * (A new mapping of a not-present PTE needs no flush: x86 does not cache
 * not-present entries, but invlpg is cheap and keeps the rule simple.) */
void pgtable_set(pde_t *pgdir, uint32_t va, pte_t *pte, pte_t val)
{
    pte_t old = *pte;
    *pte = val;
    if (old & PTE_P)
        pgtable_invalidate(pgdir, va);
}

void pgtable_visit_table(pte_t *table, uint32_t start, uint32_t end, pte_visit_fn fn, void *ctx)
{
    for (uint32_t va = start; va < end; va += PGSIZE)
        if (table[PTX(va)])
            fn(&table[PTX(va)], va, ctx);
}

void pgtable_visit(pde_t *pgdir, uint32_t start, uint32_t end, pte_visit_fn fn, void *ctx)
{
    uint32_t va = start;
    while (va < end) {
        /* The end of the 4 MiB that this directory entry covers, or `end`. */
        uint32_t table_end = (va & ~((1u << 22) - 1)) + (1u << 22);
        if (table_end == 0 || table_end > end)
            table_end = end;
        pde_t pde = pgdir[PDX(va)];
        if (pde & PTE_P)
            pgtable_visit_table(P2V(PTE_ADDR(pde)), va, table_end, fn, ctx);
        va = table_end;
    }
}

void pgtable_invalidate(pde_t *pgdir, uint32_t va)
{
    /* Only the live address space has entries in the TLB; the others were flushed
     * when CR3 was last loaded away from them (their pages are not global). A page
     * table shared by fork (vm.cow=2, mm/ptshare.c) is live too when the live directory
     * points at it: its PTEs are changed through one sharer's directory, whichever runs. */
    pde_t *live = P2V(read_cr3());
    if (live == pgdir || ((live[PDX(va)] & PTE_P) &&
                          PTE_ADDR(live[PDX(va)]) == PTE_ADDR(pgdir[PDX(va)])))
        invlpg(va);
}

void pgtable_flush_all(void)
{
    write_cr3(read_cr3());
}
