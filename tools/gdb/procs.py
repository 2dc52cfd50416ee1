"""tools/gdb/procs.py: pagoda-procs: the process table, one line a process: pid, state,
name, parent, resident pages and its VM counters (struct vm_counters, mm/vmstat.h).
"""
import gdb
import kmem

COUNTERS = [("minflt", "minor_faults"), ("majflt", "major_faults"), ("zero", "zero_fills"),
            ("file", "file_fills"), ("cowcopy", "cow_copies"), ("cowreuse", "cow_reuses"),
            ("swapin", "swap_ins"), ("swapout", "swap_outs")]


def row(p, running):
    parent = p["parent"]
    mm = p["mm"]
    cells = ["%s%4d" % ("*" if running else " ", int(p["pid"])), "%-8s" % kmem.label(str(p["state"])),
             "%-15s" % kmem.proc_name(p), "%6s" % (int(parent["pid"]) if int(parent) else "-"),
             "%8d" % (int(mm["resident"]) if int(mm) else 0)]
    cells += ["%8d" % int(p["vm"][field]) for _, field in COUNTERS]
    return " ".join(cells)


class PagodaProcs(gdb.Command):
    """pagoda-procs: every process: pid (* = running now), state, name, parent, resident
pages, and its fault counters."""

    def __init__(self):
        super().__init__("pagoda-procs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cur = kmem.current_proc()
        running = int(cur["pid"]) if cur is not None else None
        print(" ".join(["  pid", "%-8s" % "state", "%-15s" % "name", "parent", "resident"]
                       + ["%8s" % title for title, _ in COUNTERS]))
        for p in kmem.procs():
            print(row(p, int(p["pid"]) == running))


PagodaProcs()
