/* mm/vmprint.c: vmprint, a process's page tables on the console, one line a directory
 * entry and one a present page (what MIT 6.1810's pgtbl lab asks of xv6; Silberschatz,
 * OSC 9.4.2 draws the same two-level tree). Only the user half: the kernel half is the
 * same in every address space (mm/pgdir.c). vm.vmprint=1 prints process 1's tables after
 * each exec, when only the pages exec itself wrote (the arguments on the stack) exist:
 * every other page is still to be faulted in. */
#include "mm/pgtable.h"
#include "mm/memlayout.h"
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"      /* the pgtbl lab's stub (docs/labs/pgtbl.md) */

/* The bits a student reads in a PTE, a letter each or '-': present, writable, user,
 * accessed, dirty. */
static void vmprint_bits(pte_t e, char *out)
{
    static const char letters[] = "PWUAD";
    static const uint32_t bits[] = {PTE_P, PTE_W, PTE_U, PTE_A, PTE_D};
    for (int i = 0; i < 5; i++)
        out[i] = (e & bits[i]) ? letters[i] : '-';
    out[5] = 0;
}

void vmprint(pde_t *pgdir)
{
    printk("page directory %08x\n", V2P(pgdir));
    /* LAB pgtbl: BEGIN */
    char bits[6];
    for (uint32_t i = 0; i < PDX(KERNBASE); i++) {
        if (!(pgdir[i] & PTE_P))
            continue;
        printk(" ..%u: pde %08x pa %08x\n", i, pgdir[i], PTE_ADDR(pgdir[i]));
        pte_t *table = P2V(PTE_ADDR(pgdir[i]));
        for (uint32_t j = 0; j < NPTENTRIES; j++) {
            if (!(table[j] & PTE_P))
                continue;
            vmprint_bits(table[j], bits);
            printk(" .. ..%u: pte %08x pa %08x va %08x %s\n", j, table[j],
                   PTE_ADDR(table[j]), (i << 22) | (j << 12), bits);
        }
    }
    /* LAB pgtbl: STUB
    (void)vmprint_bits;
    panic("lab pgtbl: write vmprint() in mm/vmprint.c (docs/labs/pgtbl.md)");
    LAB pgtbl: END */
}

void vmprint_exec(int pid, const char *name, pde_t *pgdir)
{
    static long wanted = -1;           /* looked up once: the command line stays */
    if (wanted < 0)
        wanted = cmdline_int("vm.vmprint", 0);
    if (pid != 1 || !wanted)
        return;
    printk("vmprint: pid 1 (%s) after exec\n", name);
    vmprint(pgdir);
}
