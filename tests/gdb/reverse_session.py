"""tests/gdb/reverse_session.py: runs inside gdb, which tests/gdb/test_reverse.py attaches
(make replay-gdb) to the replay of a recorded /bin/gdb_target run with the planted bug
vm.bug=cow. From the kernel's SIGSEGV report it sets a hardware watchpoint on the
page-table entry of the page the dying process got by its copy-on-write copy, runs
backwards to the instruction that last wrote it, and checks what the pagoda-* helpers say
there. REVERSE_PID, REVERSE_ADDR, REVERSE_FRAME, REVERSE_SEGV (from the recorded console
and trace) say what to expect; the commands and their output are marked in gdb's output
(tests/gdb/transcript.py), which test_reverse.py compares with docs/debugging.md. Prints TAP.
"""
import os
import re
import sys

import gdb
import kmem             # tools/gdb/, on the path once pagoda.py is loaded
import pt

sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "gdb"))
from tap import Tap  # noqa: E402
from transcript import Transcript  # noqa: E402

PID = int(os.environ["REVERSE_PID"])
ADDR = int(os.environ["REVERSE_ADDR"], 16)
FRAME = int(os.environ["REVERSE_FRAME"])
SEGV = int(os.environ["REVERSE_SEGV"], 16)
tap = Tap()
log = Transcript(gdb)
run = log.run


def running_pid():
    m = re.search(r"^\*\s+(\d+) ", gdb.execute("pagoda-procs", to_string=True), re.M)
    return int(m.group(1)) if m else None


def page_table():
    """The physical address of the page table that holds ADDR's entry in PID's space."""
    pgdir = int(kmem.mm_of(kmem.proc_by_pid(PID))["pgdir"])
    return kmem.u32(pgdir + 4 * pt.pdx(ADDR)) & ~0xFFF


def first_difference(a, b):
    """The offset of the first 16 bytes in which frames a and b differ (0 if none do)."""
    pa, pb = (bytes(kmem.read(kmem.KERNBASE + f * 4096, 4096)) for f in (a, b))
    return next((i for i in range(0, 4096, 16) if pa[i:i + 16] != pb[i:i + 16]), 0)


def at_segfault():
    run("break report_segfault")
    run("continue")
    addr = int(gdb.parse_and_eval("addr")) & 0xFFFFFFFF
    procs = run("pagoda-procs")
    tap.check(addr == SEGV and running_pid() == PID, "stopped_at_segfault",
              "addr %#x, running %s\n%s" % (addr, running_pid(), procs))
    log.cut()
    text = run("pagoda-pt %#010x" % ADDR)
    tap.check("frame %d " % FRAME in text and "W=1" in text, "pt_maps_the_copy", text)
    frames = run("pagoda-frames %d" % FRAME)
    tap.check("refs 1" in frames and "mapped by pid %d (gdb_target) at %#010x" % (PID, ADDR)
              in frames, "frames_copy_is_the_childs_alone", frames)
    parent = run("pagoda-pt %#010x 1" % ADDR)
    shared = int(re.search(r"frame (\d+) ", parent).group(1))
    off = first_difference(shared, FRAME)
    theirs = run("x/4wx 0xc0000000 + %d * 4096 + %d" % (shared, off))
    mine = run("x/4wx 0xc0000000 + %d * 4096 + %d" % (FRAME, off))
    tap.check(shared != FRAME and theirs.split(":")[1] != mine.split(":")[1],
              "copy_is_not_the_parents_page", parent + theirs + mine)
    log.cut()


def back_to_pte_write():
    """A watchpoint on the PTE and reverse-continue: to just after the store that wrote it
    last; reverse-stepi: to just before it."""
    entry = kmem.KERNBASE + page_table() + 4 * pt.ptx(ADDR)
    run("delete")
    computed = run("print/x 0xc0000000 + %#010x + 4 * %d" % (page_table(), pt.ptx(ADDR)))
    tap.check(computed.strip().endswith("= %#x" % entry), "pte_address_is_direct_map", computed)
    run("watch *(unsigned *)%#x" % entry)
    stop = run("reverse-continue")
    frame = gdb.selected_frame()
    written = int(gdb.parse_and_eval("*(unsigned *)%#x" % entry))
    backtrace = run("bt 3")
    tap.check(frame.name() == "pgtable_set" and written >> 12 == FRAME,
              "reverse_continue_stops_after_pte_write", stop + backtrace)
    tap.check("rmap_map" in backtrace and "cow_fault" in backtrace, "written_by_cow_fault",
              backtrace)
    log.cut()
    after = run("pagoda-pt %#010x %d" % (ADDR, PID))
    tap.check("frame %d " % FRAME in after, "pt_after_the_write", after)
    run("x/i $pc")
    run("reverse-stepi")
    store = run("x/i $pc")
    before = run("pagoda-pt %#010x %d" % (ADDR, PID))
    tap.check("P=0" in before and "empty" in before and re.search(r"mov\s+%\w+,\(%\w+\)", store),
              "reverse_stepi_undoes_write", before + store)
    log.cut()
    run("reverse-continue")
    unmap = run("bt 3")
    tap.check(gdb.selected_frame().name() == "pgtable_set" and "rmap_unmap" in unmap
              and "cow_fault" in unmap, "before_it_page_unmap_cleared_it", unmap)


def main():
    try:
        at_segfault()
        back_to_pte_write()
    except gdb.error as e:
        tap.check(False, "session", "gdb: %s" % e)
    tap.finish()


main()
