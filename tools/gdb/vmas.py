"""tools/gdb/vmas.py: pagoda-vmas [PID]: a process's memory regions (struct vma, sorted by
address): range, protection, kind, and for a file-backed region its inode and offset.
"""
import gdb
import kmem

# mm/vma.h
VM_READ, VM_WRITE, VM_EXEC = 0x1, 0x2, 0x4
VMA_FLAGS = [("anon", 0x01), ("file", 0x02), ("growsdown", 0x04), ("heap", 0x08),
             ("locked", 0x10), ("mmap", 0x20), ("shared", 0x40), ("nowrite", 0x80)]
VMA_FILE, VMA_GROWSDOWN = 0x02, 0x04


def regions(mm):
    """The regions of an address space (a gdb.Value of struct mm), lowest first."""
    v = mm["vmas"]
    while int(v):
        yield v.dereference()
        v = v["next"]


def find(mm, addr):
    """The region holding addr, or None (as vma_find in mm/vma.c)."""
    for v in regions(mm):
        if int(v["start"]) <= addr < int(v["end"]):
            return v
    return None


def prot_text(prot):
    return "".join(c if prot & bit else "-" for c, bit in (("r", VM_READ), ("w", VM_WRITE),
                                                          ("x", VM_EXEC)))


def describe(v):
    """One line: "50000000-50400000 rw- anon", with the file for a file-backed region."""
    flags = int(v["flags"])
    kinds = " ".join(name for name, bit in VMA_FLAGS if flags & bit)
    text = "%08x-%08x %s %s" % (int(v["start"]), int(v["end"]), prot_text(int(v["prot"])), kinds)
    if flags & VMA_FILE:
        text += "  inode %d offset %#x, %d bytes from the file" % (
            int(v["file"]["ino"]), int(v["file_off"]), int(v["file_bytes"]))
    return text


class PagodaVmas(gdb.Command):
    """pagoda-vmas [PID]: the memory regions of process PID (default: the running one)."""

    def __init__(self):
        super().__init__("pagoda-vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        p = kmem.target_proc(args[0] if args else None)
        mm = kmem.mm_of(p)
        vs = list(regions(mm))
        print("%s: %d regions, %d pages resident, heap %08x-%08x" % (
            kmem.describe(p), len(vs), int(mm["resident"]), int(mm["brk_start"]), int(mm["brk"])))
        for v in vs:
            print("  " + describe(v))


PagodaVmas()
