/* mm/pgdir.c: the kernel half of every address space. All RAM is mapped at KERNBASE
 * (the direct map); kernel text and rodata are read-only, everything else writable.
 * Kernel pages are global, so a CR3 switch between processes keeps them in the TLB. */
#include "mm/pgtable.h"
#include "mm/frame.h"
#include "mm/memlayout.h"
#include "kernel/x86.h"
#include "kernel/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

pde_t *pgdir_kernel;
extern char __kernel_start[], __rodata_end[];

static pde_t *alloc_pgdir(void)
{
    uint32_t pa = frame_alloc_zeroed(FRAME_PGTABLE);
    if (!pa)
        return NULL;
    return P2V(pa);
}

void pgdir_init(void)
{
    pgdir_kernel = alloc_pgdir();
    if (!pgdir_kernel)
        panic("pgdir_init: no memory for the kernel page directory");
    uint32_t text_start = V2P(__kernel_start), text_end = V2P(__rodata_end);
    for (uint32_t pa = 0; pa < frames_ram_top(); pa += PGSIZE) {
        uint32_t flags = PTE_G;
        if (pa < text_start || pa >= text_end)
            flags |= PTE_W;                    /* text and rodata stay read-only */
        if (pgtable_map(pgdir_kernel, KERNBASE + pa, pa, flags) < 0)
            panic("pgdir_init: no memory for kernel page tables");
    }
    /* The kernel's page tables are shared by every process, so user code must not
     * reach them: the directory entries carry U (pgtable_walk), the PTEs do not. */
    write_cr4(read_cr4() | CR4_PGE);
    pgdir_switch(pgdir_kernel);                /* the boot directory is gone from here on */
}

pde_t *pgdir_create(void)
{
    pde_t *pgdir = alloc_pgdir();
    if (!pgdir)
        return NULL;
    /* Share the kernel's page tables: copy the directory entries, not the tables.
     * pgdir_init made every kernel table up front, so these entries never change. */
    memcpy(&pgdir[PDX(KERNBASE)], &pgdir_kernel[PDX(KERNBASE)],
           (NPDENTRIES - PDX(KERNBASE)) * sizeof(pde_t));
    return pgdir;
}

void pgdir_free(pde_t *pgdir)
{
    for (uint32_t i = 0; i < PDX(KERNBASE); i++)
        if (pgdir[i] & PTE_P)
            frame_free(PTE_ADDR(pgdir[i]));
    frame_free(V2P(pgdir));
}

void pgdir_switch(pde_t *pgdir)
{
    write_cr3(V2P(pgdir));
}

pde_t *pgdir_current(void)
{
    return P2V(read_cr3());
}
