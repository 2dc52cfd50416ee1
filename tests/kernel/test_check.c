/* tests/kernel/test_check.c: vm.check's invariants (mm/check.c) hold on a healthy
 * address space and name the one that breaks when a test corrupts the kernel's
 * accounting on purpose: a reference count, a resident count, a swap reference. */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "mm/check.h"
#include "mm/frame.h"
#include "mm/vma.h"
#include "mm/fault.h"
#include "mm/mmu.h"
#include "mm/pgtable.h"
#include "mm/swap.h"

#define VA 0x10000000u

/* Does the checker's report contain `what`? */
static int reports(const char *what)
{
    char why[160];
    if (check_vm(why, sizeof(why)) == 0)
        return 0;
    printk("# vm.check: %s\n", why);
    for (const char *p = why; *p; p++)
        if (strncmp(p, what, strlen(what)) == 0)
            return 1;
    return 0;
}

KTEST(check_finds_broken_invariants)
{
    char why[160];
    struct mm *mm = mm_create();
    KEXPECT(mm != NULL);
    KEXPECT(vma_add(mm, VA, VA + 2 * PGSIZE, VM_READ | VM_WRITE, VMA_ANON, NULL, 0, 0) != NULL);
    KEXPECT_EQ(fault_resolve(mm, VA, PFERR_W), 0);
    KEXPECT_EQ(check_vm(why, sizeof(why)), 0);          /* healthy */
    struct frame *f = frame_of(PTE_ADDR(pgtable_lookup(mm->pgdir, VA)));

    f->refs++;                                          /* one reference too many */
    KEXPECT(reports("1 reverse-map entries"));
    f->refs--;

    mm->resident++;                                     /* a page counted that is not there */
    KEXPECT(reports("counted 2 resident"));
    mm->resident--;

    if (swap_enabled()) {
        uint32_t slot = swap_slot_alloc();              /* a reference nobody holds */
        KEXPECT(reports("slot references add up"));
        swap_slot_put(slot);
    }
    KEXPECT_EQ(check_vm(why, sizeof(why)), 0);          /* repaired: healthy again */
    mm_destroy(mm);
}

/* With vm.check=1 the kernel stops at the event that broke an invariant, naming it. */
KTEST_ALONE(check_panics_naming_invariant)
{
    struct mm *mm = mm_create();
    KEXPECT(mm && vma_add(mm, VA, VA + PGSIZE, VM_READ | VM_WRITE, VMA_ANON, NULL, 0, 0));
    KEXPECT_EQ(fault_resolve(mm, VA, PFERR_W), 0);
    frame_of(PTE_ADDR(pgtable_lookup(mm->pgdir, VA)))->refs++;
    check_after_exit();                                 /* panics: the test expects it */
}
