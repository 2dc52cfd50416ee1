"""tests/gdb/reverse_session.py: runs inside gdb, which tests/gdb/test_reverse.py attaches
to the replay of a recorded /bin/gdb_target run with the planted bug vm.bug=cow. From the
kernel's SIGSEGV report it runs backwards to the last write of the page-table entry of the
page the dying process got by its copy-on-write copy, and checks what the pagoda-* helpers
say there. REVERSE_PID, REVERSE_ADDR, REVERSE_FRAME, REVERSE_SEGV (from the recorded
console and trace) say what to expect. Prints TAP.
"""
import os
import re
import sys

import gdb
import kmem             # tools/gdb/, on the path once pagoda.py is loaded
import pt

sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
from tap import Tap  # noqa: E402

PID = int(os.environ["REVERSE_PID"])
ADDR = int(os.environ["REVERSE_ADDR"], 16)
FRAME = int(os.environ["REVERSE_FRAME"])
SEGV = int(os.environ["REVERSE_SEGV"], 16)
POISON = 0xDEADBEEF     # mm/frame.h: FRAME_POISON, what a freed frame holds
tap = Tap()


def run(command):
    return gdb.execute(command, to_string=True)


def running_pid():
    m = re.search(r"^\*\s+(\d+) ", run("pagoda-procs"), re.M)
    return int(m.group(1)) if m else None


def pte_address():
    """The direct-map address of ADDR's page-table entry in PID's address space."""
    pgdir = int(kmem.mm_of(kmem.proc_by_pid(PID))["pgdir"])
    pde = kmem.u32(pgdir + 4 * pt.pdx(ADDR))
    return kmem.KERNBASE + (pde & ~0xFFF) + 4 * pt.ptx(ADDR)


def at_segfault():
    run("break report_segfault if p->pid == %d" % PID)
    run("continue")
    addr = int(gdb.parse_and_eval("addr")) & 0xFFFFFFFF
    tap.check(addr == SEGV and running_pid() == PID, "stopped_at_segfault",
              "addr %#x, running %s" % (addr, running_pid()))
    text = run("pagoda-pt %#x %d" % (ADDR, PID))
    tap.check("frame %d " % FRAME in text and "W=1" in text, "pt_maps_the_copy", text)
    frames = run("pagoda-frames %d" % FRAME)
    tap.check("refs 1" in frames and "mapped by pid %d (gdb_target) at %#010x" % (PID, ADDR)
              in frames, "frames_copy_is_the_childs_alone", frames)
    words = [int(w, 16) for w in re.findall(r"0x([0-9a-f]{8})", run(
        "x/64wx %#x" % (kmem.KERNBASE + FRAME * 4096)).split(":", 1)[1])]
    tap.check(words.count(POISON) > 32, "copy_holds_poison_not_the_page",
              "%d of 64 words are %#x" % (words.count(POISON), POISON))
    run("delete")


def back_to_pte_write():
    """Backwards to the copy-on-write fault that handled ADDR's PTE, then forwards with a
    watchpoint to the instruction that wrote it, and one instruction back to before it."""
    entry = pte_address()
    run("break cow_fault")
    for _ in range(8):                  # each reverse-continue finds the previous cow_fault
        run("reverse-continue")
        if int(gdb.parse_and_eval("pte")) == entry:
            break
    tap.check(int(gdb.parse_and_eval("pte")) == entry and running_pid() == PID,
              "reverse_reached_cow_fault", "pte %s, running %s" % (gdb.parse_and_eval("pte"),
                                                                    running_pid()))
    run("delete")
    run("watch *(unsigned *)%#x" % entry)
    run("continue")                     # page_unmap clears it
    out = run("continue")               # page_map writes the copy's frame
    frame = gdb.selected_frame()
    backtrace = run("bt")
    tap.check(frame.name() == "pgtable_set" and "New value = %d" % (FRAME << 12 | 0x67) in out,
              "watchpoint_stops_at_pte_write", out)
    tap.check("page_map" in backtrace and "cow_fault" in backtrace, "written_by_cow_fault",
              backtrace)
    after = run("pagoda-pt %#x %d" % (ADDR, PID))
    tap.check("frame %d " % FRAME in after, "pt_after_the_write", after)
    run("reverse-stepi")                # back across the store: the PTE is as it was
    before = run("pagoda-pt %#x %d" % (ADDR, PID))
    store = run("x/i $pc")
    tap.check("P=0" in before and "empty" in before and "mov" in store, "reverse_stepi_undoes_write",
              before + store)


def main():
    try:
        at_segfault()
        back_to_pte_write()
    except gdb.error as e:
        tap.check(False, "session", "gdb: %s" % e)
    tap.finish()


main()
