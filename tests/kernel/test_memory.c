/* tests/kernel/test_memory.c: in-kernel tests of the frame allocator, the kernel heap
 * and the page-table API (selected with ktest=frames_all,kheap_stress,...). */
#include "kernel/ktest.h"
#include "kernel/errno.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/pgtable.h"
#include "mm/memlayout.h"
#include "mm/uaccess.h"
#include "kernel/x86.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/vmstat.h"

/* Allocate every free frame, check each is distinct and usable, free them all. */
KTEST(frames_all)
{
    uint32_t start = frames_free_count();
    uint32_t head = 0, n = 0;
    uint32_t pa;
    /* Chain the allocated frames through their own first word: no extra memory needed. */
    while ((pa = frame_alloc(FRAME_KERNEL)) != 0) {
        KEXPECT((pa & (PGSIZE - 1)) == 0);
        KEXPECT(pa >= V2P(KERNLINK) && pa < frames_ram_top());
        *(uint32_t *)P2V(pa) = head;
        head = pa;
        n++;
    }
    KEXPECT_EQ(n, start);
    KEXPECT_EQ(frames_free_count(), 0);
    while (head) {
        uint32_t next = *(uint32_t *)P2V(head);
        frame_free(head);
        KEXPECT_EQ(*(uint32_t *)P2V(head), FRAME_POISON);   /* freed frames are poisoned */
        head = next;
    }
    KEXPECT_EQ(frames_free_count(), start);
}

/* The idle loop's zeroing (frame_prezero): a frame freed dirty comes back from
 * frame_alloc_zeroed full of zeros, counted as a hit, and the zeroed frames stay free.
 * A write after free is caught before the zeroing hides it (vm.poison=1: check-panic's
 * neighbour, prezero-use-after-free, shows the panic). */
KTEST(frames_prezero)
{
    uint32_t start = frames_free_count();
    uint32_t pa = frame_alloc(FRAME_KERNEL);
    memset32(P2V(pa), 0x12345678u, PGSIZE / 4);
    frame_free(pa);
    uint32_t zeroed = 0;
    push_cli();
    while (frame_prezero() && zeroed < nframes)
        zeroed++;
    pop_cli();
    KEXPECT(zeroed > 0);
    KEXPECT(zeroed < nframes);                  /* bounded by vm.prezero */
    KEXPECT_EQ(frames_free_count(), start);     /* zeroed frames are still free */
    uint64_t hits = vmstat_global.prezero_hits;
    uint32_t z = frame_alloc_zeroed(FRAME_KERNEL);
    KEXPECT(z != 0);
    uint32_t nonzero = 0;
    for (uint32_t i = 0; i < PGSIZE / 4; i++)
        nonzero += ((uint32_t *)P2V(z))[i] != 0;
    KEXPECT_EQ(nonzero, 0);
    KEXPECT_EQ(vmstat_global.prezero_hits, hits + 1);
    frame_free(z);
    KEXPECT_EQ(frames_free_count(), start);
}

/* A frame written after it was freed is a kernel bug that the zeroing would hide:
 * with vm.poison=1 frame_prezero finds the poison broken and panics naming the frame. */
KTEST_ALONE(frames_prezero_use_after_free)
{
    uint32_t pa = frame_alloc(FRAME_KERNEL);
    frame_free(pa);                             /* poisoned (the test boots vm.poison=1) */
    ((uint32_t *)P2V(pa))[7] = 42;              /* the bug: a store after the free */
    push_cli();
    while (frame_prezero())
        ;
    pop_cli();
    KEXPECT(0);                                 /* not reached: frame_prezero panicked */
}

/* Many allocations of every size, freed in a different order, twice: the second
 * round must not grow the heap, and everything must be given back. */
KTEST(kheap_stress)
{
    enum { N = 600 };
    static void *objs[N];
    struct kheap_stats before, after_first, after_second;
    kheap_stats(&before);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i++) {
            uint32_t size = 1 + (i * 37) % 3000;
            objs[i] = kmalloc(size);
            KEXPECT(objs[i] != NULL);
            for (uint32_t b = 0; b < size; b++)
                ((char *)objs[i])[b] = (char)i;
        }
        for (int i = 0; i < N; i++) {                 /* no object overlaps another */
            uint32_t size = 1 + (i * 37) % 3000;
            KEXPECT(((char *)objs[i])[size - 1] == (char)i);
        }
        for (int i = 0; i < N; i += 2)
            kfree(objs[i]);
        KEXPECT_EQ(((unsigned char *)objs[0])[8], KHEAP_POISON);
        for (int i = 1; i < N; i += 2)
            kfree(objs[i]);
        kheap_stats(round == 0 ? &after_first : &after_second);
    }
    KEXPECT_EQ(after_first.objects, before.objects);
    KEXPECT_EQ(after_second.objects, before.objects);
    KEXPECT_EQ(after_second.bytes, before.bytes);
    KEXPECT_EQ(after_second.pages, after_first.pages);
    KEXPECT(kmalloc(0) == NULL);
    KEXPECT(kmalloc(PGSIZE + 1) == NULL);
}

/* Map a frame at a user address in a fresh address space, look it up, change its
 * protection, unmap it; then free the address space and check nothing leaked. */
KTEST(pgtable_roundtrip)
{
    uint32_t start = frames_free_count();
    pde_t *pgdir = pgdir_create();
    KEXPECT(pgdir != NULL);
    KEXPECT_EQ(pgdir[PDX(KERNBASE)], pgdir_kernel[PDX(KERNBASE)]);
    uint32_t pa = frame_alloc(FRAME_USER);
    uint32_t va = 0x08048000;
    KEXPECT_EQ(pgtable_lookup(pgdir, va), 0);
    KEXPECT_EQ(pgtable_map(pgdir, va, pa, PTE_U | PTE_W), 0);
    KEXPECT_EQ(pgtable_lookup(pgdir, va), pa | PTE_P | PTE_U | PTE_W);
    KEXPECT_EQ(pgtable_lookup(pgdir, va + PGSIZE), 0);
    KEXPECT_EQ(pgtable_protect(pgdir, va, PTE_U), 0);
    KEXPECT_EQ(pgtable_lookup(pgdir, va), pa | PTE_P | PTE_U);
    KEXPECT_EQ(pgtable_protect(pgdir, va + PGSIZE, PTE_U), -1);
    KEXPECT_EQ(pgtable_unmap(pgdir, va), pa | PTE_P | PTE_U);
    KEXPECT_EQ(pgtable_lookup(pgdir, va), 0);
    KEXPECT_EQ(pgtable_unmap(pgdir, 0x40000000), 0);     /* no table there: nothing to do */

    /* Live test: switch to it, write through the user mapping, read via the direct map. */
    KEXPECT_EQ(pgtable_map(pgdir, va, pa, PTE_W), 0);
    pgdir_switch(pgdir);
    *(volatile uint32_t *)va = 0x12345678;
    KEXPECT(pgtable_lookup(pgdir, va) & PTE_D);          /* the MMU set the dirty bit */
    pgdir_switch(pgdir_kernel);
    KEXPECT_EQ(*(uint32_t *)P2V(pa), 0x12345678);
    pgtable_unmap(pgdir, va);
    frame_free(pa);
    pgdir_free(pgdir);
    KEXPECT_EQ(frames_free_count(), start);
}

/* CR0.WP and the read-only kernel text: a kernel write to its own code must fault
 * with a protection violation (present + write), and the code must be unchanged. */
KTEST(kernel_text_readonly)
{
    uint32_t *text = (uint32_t *)(void *)ktest_check;
    uint32_t before = *text;
    KEXPECT_EQ(kernel_probe_write(text, 0xCCCCCCCC), -EFAULT);
    KEXPECT_EQ(uaccess_last_addr, (uint32_t)text);
    KEXPECT_EQ(uaccess_last_err, PFERR_P | PFERR_W);
    KEXPECT_EQ(*text, before);
    KEXPECT(read_cr0() & CR0_WP);
    /* Data stays writable. */
    static uint32_t data;
    KEXPECT_EQ(kernel_probe_write(&data, 7), 0);
    KEXPECT_EQ(data, 7);
}
