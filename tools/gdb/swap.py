"""tools/gdb/swap.py: pagoda-swap: the swap area (mm/swap.c): slots in all and free, then
each slot in use with its reference count and the frame caching it (the swap cache).
"""
import gdb
import kmem

SLOT_BAD = 0xFFFF            # mm/swap.c: a bad page, or past vm.swap
SLOT_BROKEN = 0x8000         # a write to it failed


def slot_tables():
    """(number of slots, reference counts, cached frame numbers), read in bulk."""
    n = int(kmem.value("'swap.c'::nslots"))
    if n == 0:
        return 0, [], []
    refs = kmem.read(int(kmem.value("'swap.c'::slot_refs")), 2 * n)
    cached = kmem.read(int(kmem.value("'swap.c'::slot_frame")), 4 * n)
    return (n, [int.from_bytes(refs[2 * i:2 * i + 2], "little") for i in range(n)],
            [int.from_bytes(cached[4 * i:4 * i + 4], "little") for i in range(n)])


def slot_frame(slot):
    """The frame caching a slot's contents, or 0."""
    return kmem.u32(int(kmem.value("'swap.c'::slot_frame")) + 4 * slot)


def slot_text(refs):
    if refs & SLOT_BROKEN and refs != SLOT_BAD:
        return "%d (write failed)" % (refs & ~SLOT_BROKEN)
    return str(refs)


class PagodaSwap(gdb.Command):
    """pagoda-swap: swap slots in all and free, then every slot in use: its reference
count (PTEs holding it, plus one if a frame caches it) and the caching frame."""

    def __init__(self):
        super().__init__("pagoda-swap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        n, refs, cached = slot_tables()
        if n == 0:
            print("swap: none (no swap partition, or a bad header)")
            return
        bad = sum(1 for r in refs[1:] if r == SLOT_BAD)
        used = [s for s in range(1, n) if refs[s] and refs[s] != SLOT_BAD]
        print("swap: %d slots, %d free, %d in use, %d unusable; %d in the swap cache" % (
            n - 1, int(kmem.value("'swap.c'::nfree")), len(used), bad,
            sum(1 for s in used if cached[s])))
        if used:
            print("   slot  refs  cached in frame")
        for s in used:
            print("  %5d  %4s  %s" % (s, slot_text(refs[s]), cached[s] or "-"))


PagodaSwap()
