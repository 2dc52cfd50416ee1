"""tests/gdb/forward_session.py: runs inside gdb, which tests/gdb/test_reverse.py attaches
(make replay-gdb) to the replay of a recorded /bin/gdb_target run with vm.frames=64. It
follows two of the program's faults at TARGET from the trap to the iret that restarts the
faulting instruction: the child's copy-on-write copy, and the parent's swap-in, with the
commands of docs/debugging.md ("A copy-on-write fault, from the trap to `iret`", "A
swap-in, ..."), every breakpoint by function name. Their output is marked in gdb's output
(tests/gdb/transcript.py) for the test to compare with the document; the checks here say
that each stop is the one the document's prose describes. Prints TAP.
"""
import os
import re
import sys

import gdb

sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "gdb"))
from tap import Tap  # noqa: E402
from transcript import Transcript  # noqa: E402

TARGET = 0x50000000
PARENT, CHILD = 1, 3                    # pid 2 is the pageout daemon (mm/pageout.c)
tap = Tap()
log = Transcript(gdb)
run = log.run


def frame_of(pt_text):
    m = re.search(r"PTE\[\d+\] = 0x[0-9a-f]+ .* frame (\d+) ", pt_text)
    return int(m.group(1)) if m else None


def function():
    return gdb.selected_frame().name()


def to_iret(fault):
    """stepi to the iret at the end of trapret, whatever the number of pops before it."""
    code = gdb.execute("x/12i $pc", to_string=True).splitlines()
    steps = next(i for i, line in enumerate(code) if re.search(r"\siret\b", line))
    run("stepi %d" % steps)
    here = gdb.execute("x/i $pc", to_string=True)
    tap.check(re.search(r"\siret", here), fault + "_stepped_to_iret", here)


def finish_to(fault, name):
    """finish, frame after frame (inlined ones too), until the function is name."""
    for _ in range(8):
        if function() == name:
            break
        run("finish")
    return tap.check(function() == name, "%s_finished_into_%s" % (fault, name), function())


def cow_copy():
    run("break vector14 if $cr2 == %#x && current->pid == %d" % (TARGET, CHILD))
    run("continue")
    log.cut()
    run("info registers cr2")
    stack = run("x/6wx $esp")
    tap.check(stack.split()[1] == "0x00000007", "cow_error_code_7", stack)
    log.cut()
    shared = frame_of(run("pagoda-pt %#x" % TARGET))
    frames = run("pagoda-frames %d" % shared)
    tap.check("refs 2" in frames and all("mapped by pid %d " % p in frames
                                         for p in (PARENT, CHILD)), "cow_frame_shared", frames)
    log.cut()
    run("tbreak trap")
    run("continue")
    run("bt")
    log.cut()
    run("pagoda-fault %d %#x" % (CHILD, TARGET))
    run("continue")
    procs = run("pagoda-procs")
    tap.check(re.search(r"^\*\s+%d running\s+gdb_target\s+%d " % (CHILD, PARENT), procs, re.M),
              "cow_child_running", procs)
    log.cut()
    run("tbreak cow_fault")
    run("continue")
    run("finish")
    log.cut()
    copy = frame_of(run("pagoda-pt %#x" % TARGET))
    frames = run("pagoda-frames %d" % shared)
    tap.check(copy not in (None, shared) and "refs 1" in frames, "cow_child_has_a_copy",
              "copy %s\n%s" % (copy, frames))
    log.cut()
    finish_to("cow", "alltraps")
    run("x/8i $pc")
    log.cut()
    to_iret("cow")
    run("x/5wx $esp")
    run("stepi")
    run("x/i $pc")
    run("info registers eip esp")
    tap.check(function() == "main", "cow_back_in_main", function())


def swap_in():
    gdb.execute("delete")               # the prose says so; not a block of its own
    run("break vector14 if $cr2 == %#x && *(unsigned *)$esp == 4" % TARGET)
    run("continue")
    run("x/6wx $esp")
    pte = run("pagoda-pt %#x" % TARGET)
    slot = re.search(r"swapped out: swap slot (\d+)", pte)
    run("pagoda-swap")
    tap.check(slot, "swap_pte_holds_a_slot", pte)
    log.cut()
    run("pagoda-fault %d %#x" % (PARENT, TARGET))
    run("continue")
    log.cut()
    run("tbreak swap_read")
    run("continue")
    run("bt")
    run("pagoda-frames")
    tap.check(function() == "swap_read", "swap_read_reached", function())
    page = int(gdb.parse_and_eval("page")) & 0xFFFFFFFF
    frame = (page - 0xC0000000) >> 12
    log.cut()
    run("tbreak ata_interrupt")
    run("continue")
    run("bt")
    run("pagoda-procs")
    tap.check(function() == "ata_interrupt", "disk_interrupt_reached", function())
    log.cut()
    run("tbreak trace_frame")
    run("continue")
    run("finish")
    cached = run("pagoda-frames %d" % frame)
    tap.check(function() == "read_slot" and "swap slot: %s (swap cache" % slot.group(1) in cached,
              "read_slot_after_the_read", "%s\n%s" % (function(), cached))
    log.cut()
    finish_to("swap", "fault_resolve")
    mapped = run("pagoda-pt %#x" % TARGET)
    run("pagoda-frames %d" % frame)
    run("pagoda-swap")
    tap.check(frame_of(mapped) == frame and "W=0" in mapped, "swap_in_maps_read_only", mapped)
    log.cut()
    finish_to("swap", "alltraps")
    to_iret("swap")
    run("x/5wx $esp")
    run("stepi")
    run("x/i $pc")
    tap.check(function() == "main", "swap_back_in_main", function())


def main():
    try:
        cow_copy()
        log.cut()
        swap_in()
    except (gdb.error, StopIteration, AttributeError) as e:
        tap.check(False, "session", "gdb: %s" % e)
    tap.finish()


main()
