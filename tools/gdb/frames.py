"""tools/gdb/frames.py: pagoda-frames: the frame table (mm/frame.h). Without an argument,
how many frames are in each state; with a frame number or a physical address, that
frame: state, references, every mapping (reverse map), its page-cache object, swap slot
and policy fields.
"""
import gdb
import kmem
import pt


def frame_states():
    """{state name: number of frames}, from one bulk read of the whole table."""
    n = int(kmem.value("nframes"))
    if n == 0:
        raise gdb.GdbError("no frame table yet: the kernel has not run frame_init")
    size = gdb.lookup_type("struct frame").sizeof
    offsets = kmem.field_offsets("struct frame")
    raw = kmem.read(int(kmem.value("frames")), n * size)
    names = kmem.enum_names("enum frame_state")
    labels = {state: kmem.label(name) for state, name in names.items()}
    counts = {label: 0 for label in labels.values()}
    for i in range(n):
        counts[labels[kmem.field(raw, offsets, "state", i * size)]] += 1
    return n, counts


def summary():
    n, counts = frame_states()
    print("frames: %d (%d MiB)" % (n, n * kmem.PGSIZE >> 20))
    for name, count in counts.items():
        print("  %-9s %6d" % (name, count))
    print("user pages: %d frames in use, limit %d (vm.frames); policy %s" % (
        int(kmem.value("'evict.c'::user_frames")), int(kmem.value("'evict.c'::user_frame_limit")),
        kmem.value("active")["name"].string()))
    print("page cache: %d frames" % int(kmem.value("'pagecache.c'::cached")))


def mappings(f):
    """(struct mm *, va) of every PTE that maps the frame, from its reverse map."""
    r = f["rmap"]
    while int(r):
        yield r["mm"], int(r["va"])
        r = r["next"]


def one_frame(pfn):
    f = kmem.value("frames")[pfn]
    names = kmem.enum_names("enum frame_state")
    print("frame %d (pa %#010x): %s, refs %d" % (
        pfn, pfn << kmem.PGSHIFT, kmem.label(names[int(f["state"])]), int(f["refs"])))
    for mm, va in mappings(f):
        pte = pt.walk(int(mm["pgdir"]), va)[1]
        print("  mapped by %s at %#010x: PTE %#010x %s" % (
            kmem.describe_mm(int(mm)), va, pte, pt.flags(pte, pt.PTE_FLAGS)))
    pc = f["pc"]
    if int(pc):
        owner = pc["owner"].cast(gdb.lookup_type("struct inode").pointer())
        what = "inode %d" % int(owner["ino"]) if int(owner) else "shared anonymous memory"
        print("  page cache: page %d of %s (object %#x), which holds one reference%s" % (
            int(f["index"]), what, int(pc), ", dirty" if int(f["flags"]) & 0x08 else ""))
    slot = int(f["swap_slot"])
    print("  swap slot: %s" % ("%d (swap cache: the slot holds this page unchanged)" % slot
                               if slot else "none"))
    pol = f["pol"]
    print("  policy %s: %s" % (kmem.value("active")["name"].string(), ", ".join(
        "%s %d" % (fl.name, int(pol[fl.name])) for fl in pol.type.fields())))


class PagodaFrames(gdb.Command):
    """pagoda-frames [PFN|PADDR]: frames per state, or one frame in detail. A number below
the frame count is a frame number, a larger one a physical address."""

    def __init__(self):
        super().__init__("pagoda-frames", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            summary()
            return
        n = kmem.number(args[0])
        pfn = n if n < int(kmem.value("nframes")) else n >> kmem.PGSHIFT
        if pfn >= int(kmem.value("nframes")):
            raise gdb.GdbError("no frame %d: there are %d" % (pfn, int(kmem.value("nframes"))))
        one_frame(pfn)


PagodaFrames()
