"""tools/gdb/kmem.py: how the pagoda-* gdb helpers read the kernel: its variables through
gdb's debug information, physical memory through the direct map at KERNBASE.

Every helper works on a stopped kernel (QEMU's gdb stub) and writes nothing.
"""
import gdb

KERNBASE = 0xC0000000        # mm/memlayout.h: physical address 0 is mapped here
PGSIZE = 4096
PGSHIFT = 12


def value(expr):
    """A kernel expression as a gdb.Value ("nframes", "'swap.c'::nslots")."""
    return gdb.parse_and_eval(expr)


def number(arg):
    """A helper's numeric argument: 0x50000000, 1234, $cr2, or any gdb expression."""
    return int(value(arg)) & 0xFFFFFFFF


def read(addr, size):
    """size bytes of kernel virtual memory (all of RAM is mapped, at KERNBASE + pa)."""
    return bytes(gdb.selected_inferior().read_memory(addr, size))


def u32(addr):
    return int.from_bytes(read(addr, 4), "little")


def phys_u32(pa):
    return u32(KERNBASE + pa)


def field_offsets(type_name):
    """{field name: (byte offset, size)} of a kernel struct, from the debug information,
    so that the helpers follow the struct when a field is added."""
    return {f.name: (f.bitpos // 8, f.type.sizeof) for f in gdb.lookup_type(type_name).fields()}


def field(raw, offsets, name, base=0):
    """A field's unsigned value out of raw bytes read in bulk."""
    off, size = offsets[name]
    return int.from_bytes(raw[base + off:base + off + size], "little")


def enum_names(type_name):
    """{value: name} of a kernel enum ("enum frame_state")."""
    return {f.enumval: f.name for f in gdb.lookup_type(type_name).fields()}


def label(enumerator):
    """ "FRAME_USER" -> "user": an enumerator without its prefix, as the helpers print it."""
    return enumerator.split("_", 1)[1].lower()


def cr3():
    """The CR3 register (QEMU's stub has it since 5.x), or None if gdb cannot read it."""
    try:
        return int(value("$cr3")) & 0xFFFFFFFF
    except gdb.error:
        return None


# ---- processes -------------------------------------------------------------------------

def procs():
    """Every process slot in use, as gdb.Values of struct proc."""
    table = value("proc_table")
    unused = int(value("PROC_UNUSED"))
    for i in range(table.type.range()[1] + 1):
        p = table[i]
        if int(p["state"]) != unused:
            yield p


def proc_by_pid(pid):
    for p in procs():
        if int(p["pid"]) == pid:
            return p
    raise gdb.GdbError("no process with pid %d" % pid)


def current_proc():
    """The running process, or None (the scheduler runs, or the kernel is still booting)."""
    p = value("'sched.c'::current")
    return p.dereference() if int(p) else None


def proc_name(p):
    return p["name"].string()


def describe(p):
    return "pid %d (%s)" % (int(p["pid"]), proc_name(p))


def owner_of_mm(mm):
    """The process whose address space is at kernel address mm, or None."""
    for p in procs():
        if int(p["mm"]) == mm:
            return p
    return None


def describe_mm(mm):
    p = owner_of_mm(mm)
    return describe(p) if p is not None else "mm %#x (no process: being built or torn down)" % mm


def target_proc(pid_arg):
    """The process a helper is about: the one named by pid, else the running one."""
    if pid_arg is not None:
        return proc_by_pid(number(pid_arg))
    p = current_proc()
    if p is None:
        raise gdb.GdbError("no process is running now: give a pid")
    return p


def mm_of(p):
    mm = p["mm"]
    if not int(mm):
        raise gdb.GdbError("%s has no address space" % describe(p))
    return mm.dereference()
