"""tools/gdb/pt.py: pagoda-pt ADDR [PID]: walks the two-level page table for one virtual
address, as the MMU does, and decodes each entry: every flag, the frame, or the swap slot.
"""
import gdb
import kmem

# mm/mmu.h. Bit 7 is PS (a 4 MiB page) in a directory entry, PAT in a table entry.
PDE_FLAGS = [("P", 0x1), ("W", 0x2), ("U", 0x4), ("PWT", 0x8), ("PCD", 0x10), ("A", 0x20),
             ("PS", 0x80)]
PTE_FLAGS = [("P", 0x1), ("W", 0x2), ("U", 0x4), ("PWT", 0x8), ("PCD", 0x10), ("A", 0x20),
             ("D", 0x40), ("G", 0x100)]
PTE_P = 0x1
SWP_OFFSET_SHIFT = 9         # mm/swap.h: a swapped-out page's PTE is slot << 9, P clear


def pdx(va):
    return (va >> 22) & 0x3FF


def ptx(va):
    return (va >> 12) & 0x3FF


def walk(pgdir, va):
    """(PDE, PTE) for va in the page directory at kernel address pgdir; the PTE is None
    when the directory entry has no page table."""
    pde = kmem.u32(pgdir + 4 * pdx(va))
    if not pde & PTE_P:
        return pde, None
    return pde, kmem.phys_u32((pde & ~0xFFF) + 4 * ptx(va))


def flags(entry, names):
    return " ".join("%s=%d" % (name, 1 if entry & bit else 0) for name, bit in names)


def pte_meaning(pte):
    """What a page-table entry says about its page, in words."""
    if pte & PTE_P:
        return "frame %d (pa %#010x)" % (pte >> kmem.PGSHIFT, pte & ~0xFFF)
    if pte == 0:
        return "empty: never touched, or unmapped"
    return "swapped out: swap slot %d" % (pte >> SWP_OFFSET_SHIFT)


def pte_line(va, pte):
    """ "PTE[i] = value  flags  meaning" for va's page-table entry."""
    bits = flags(pte, PTE_FLAGS) if pte & PTE_P else "P=0"
    return "PTE[%d] = %#010x  %s  %s" % (ptx(va), pte, bits, pte_meaning(pte))


def space_for(pid_arg):
    """(page directory address, who owns it) for a pid, or for the live CR3."""
    if pid_arg is not None:
        p = kmem.proc_by_pid(kmem.number(pid_arg))
        return int(kmem.mm_of(p)["pgdir"]), kmem.describe(p)
    cr3 = kmem.cr3()
    if cr3 is None:
        p = kmem.target_proc(None)
        return int(kmem.mm_of(p)["pgdir"]), kmem.describe(p)
    pgdir = kmem.KERNBASE + (cr3 & ~0xFFF)
    owners = [p for p in kmem.procs() if int(p["mm"]) and int(p["mm"]["pgdir"]) == pgdir]
    return pgdir, kmem.describe(owners[0]) if owners else "CR3 (no process: the kernel's own)"


class PagodaPt(gdb.Command):
    """pagoda-pt ADDR [PID]: the page-directory and page-table entries that map ADDR, in
process PID's address space or the one CR3 holds now, every flag decoded."""

    def __init__(self):
        super().__init__("pagoda-pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not 1 <= len(args) <= 2:
            raise gdb.GdbError("usage: pagoda-pt ADDR [PID]")
        va = kmem.number(args[0])
        pgdir, who = space_for(args[1] if len(args) > 1 else None)
        pde, pte = walk(pgdir, va)
        print("%#010x in %s: page directory at pa %#010x" % (va, who, pgdir - kmem.KERNBASE))
        if pte is None:
            print("  PDE[%d] = %#010x  %s  no page table: nothing mapped in these 4 MiB"
                  % (pdx(va), pde, flags(pde, PDE_FLAGS)))
            return
        print("  PDE[%d] = %#010x  %s  page table at pa %#010x"
              % (pdx(va), pde, flags(pde, PDE_FLAGS), pde & ~0xFFF))
        print("  " + pte_line(va, pte))


PagodaPt()
