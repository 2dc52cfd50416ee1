"""tests/gdb/session.py: runs inside gdb, which tests/gdb/test_gdb.py attaches to QEMU running
/bin/gdb_target. It stops at each of the program's four faults at TARGET with pagoda-fault,
runs the pagoda-* helpers before and after the handler, and checks what they print against
what the program did and against each other. Prints TAP.
"""
import os
import re
import sys

import gdb
import fault            # tools/gdb/, on the path once pagoda.py is loaded
import kmem
import vmas

sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
from tap import Tap  # noqa: E402

TARGET = 0x50000000
tap = Tap()


def run(command):
    return gdb.execute(command, to_string=True)


def next_fault():
    """Runs to gdb_target's next fault at TARGET; returns pagoda-fault's report."""
    return run("continue")


def finish_fault():
    """Runs until fault_resolve returns: the page is in place, the PTE written. Once in
    many runs on a loaded host gdb's finish stopped short, before the handler had written
    the PTE (QEMU runs here in the host's time, so interrupts come anywhere); until the
    stop is back in the caller, fault_handler, it finishes again."""
    for _ in range(4):
        run("finish")
        if gdb.selected_frame().name() == "fault_handler":
            return


def pte(pid=""):
    """What pagoda-pt says about TARGET's PTE: its flags, frame and swap slot."""
    text = run("pagoda-pt %#x %s" % (TARGET, pid))
    line = re.search(r"PTE\[\d+\] = (0x[0-9a-f]+)\s+(.*)", text)
    if not line:
        return {"P": 0, "frame": None, "slot": None, "text": text}
    found = {name: int(bit) for name, bit in re.findall(r"\b([A-Z]+)=(\d)", line.group(2))}
    frame = re.search(r"frame (\d+)", line.group(2))
    slot = re.search(r"swap slot (\d+)", line.group(2))
    found.update(frame=int(frame.group(1)) if frame else None,
                 slot=int(slot.group(1)) if slot else None, text=text)
    return found


def reporter_pid(report):
    m = re.search(r"pagoda-fault: pid (\d+) \((\S+)\)", report)
    return int(m.group(1)) if m and m.group(2) == "gdb_target" else None


def proc_rows():
    """{pid: (running?, state, name, parent)} from pagoda-procs."""
    rows = {}
    for m in re.finditer(r"^([ *])\s*(\d+) (\w+)\s+(\S+)\s+(\S+)", run("pagoda-procs"), re.M):
        rows[int(m.group(2))] = (m.group(1) == "*", m.group(3), m.group(4), m.group(5))
    return rows


def zero_fill():
    report = next_fault()
    cr2 = int(gdb.parse_and_eval("$cr2")) & 0xFFFFFFFF
    tap.check(cr2 == TARGET, "zero_fill_cr2", "CR2 %#x" % cr2)
    tap.check("cr2 %#010x, error 0x6 (not present, write, user)" % TARGET in report,
              "zero_fill_report_error_code", report)
    tap.check("fault_resolve will: zero fill" in report, "zero_fill_report_action", report)
    pid = reporter_pid(report)
    rows = proc_rows()
    tap.check(pid in rows and rows[pid][0] and rows[pid][2] == "gdb_target",
              "procs_lists_running_pid", "pid %s, rows %s" % (pid, rows))
    vmas = run("pagoda-vmas")
    count = re.search(r"(\d+) regions", vmas)
    tap.check(re.search(r"^  50000000-50400000 rw- anon$", vmas, re.M)
              and count and int(count.group(1)) == len(re.findall(r"^  [0-9a-f]{8}-", vmas, re.M)),
              "vmas_lists_target_region", vmas)
    tap.check(pte()["P"] == 0, "pt_not_present_before", pte()["text"])
    finish_fault()
    after = pte()
    tap.check(after["P"] == 1 and after.get("W") == 1 and after.get("U") == 1 and after["frame"],
              "pt_present_writable_after", after["text"])
    frame = run("pagoda-frames %d" % after["frame"])
    tap.check("user, refs 1" in frame and "mapped by pid %d (gdb_target) at %#010x" % (pid, TARGET)
              in frame, "frames_one_frame_rmap", frame)
    frames_summary()
    other_outcomes()
    return pid, after["frame"]


def other_outcomes():
    """pagoda-fault's other verdicts, asked of the live address space for addresses
    gdb_target never faults on: no region, a kernel address, a write to its text, a
    touch just below its stack."""
    mm = kmem.mm_of(kmem.current_proc())
    regions = list(vmas.regions(mm))
    text = next(v for v in regions if int(v["prot"]) == vmas.VM_READ | vmas.VM_EXEC)
    stack = next(v for v in regions if int(v["flags"]) & vmas.VMA_GROWSDOWN)
    below_stack = int(stack["start"]) - 4096
    verdicts = [fault.plan(mm, addr, err)[2] for addr, err in
                [(0, 6), (0xC0001000, 4), (int(text["start"]), 7), (below_stack, 6)]]
    tap.check(verdicts[0] == "SIGSEGV: no region holds the address; the process is killed"
              and verdicts[1].startswith("SIGSEGV: a kernel address")
              and verdicts[2].startswith("SIGSEGV: a write to a read-only region")
              and verdicts[3] == "stack growth down to %#010x, then zero fill: a new frame of "
              "zeros" % below_stack, "fault_predicts_other_outcomes", "\n".join(verdicts))


def frames_summary():
    text = run("pagoda-frames")
    total = int(re.search(r"frames: (\d+)", text).group(1))
    counts = {k: int(v) for k, v in re.findall(r"^  (\w+)\s+(\d+)$", text, re.M)}
    in_use, limit = map(int, re.search(r"(\d+) frames in use, limit (\d+)", text).groups())
    tap.check(sum(counts.values()) == total, "frames_states_add_up", text)
    tap.check(counts.get("user", 0) + counts.get("busy", 0) + counts.get("pinned", 0) == in_use
              <= limit and counts.get("free", 0) > 0, "frames_user_count_matches", text)


def cow_copy(parent, frame):
    report = next_fault()
    child = reporter_pid(report)
    tap.check(child not in (None, parent) and "error 0x7 (protection violation, write, user)"
              in report, "cow_copy_in_child", report)
    tap.check("copy-on-write copy: frame %d is shared by 2 mappings" % frame in report,
              "cow_copy_report_action", report)
    shared = run("pagoda-frames %d" % frame)
    tap.check("refs 2" in shared and all("mapped by pid %d (gdb_target) at %#010x" % (p, TARGET)
                                         in shared for p in (parent, child)),
              "frames_shared_by_parent_and_child", shared)
    rows = proc_rows()
    tap.check(child in rows and rows[child][0] and rows[child][3] == str(parent),
              "procs_child_running_with_parent", str(rows))
    finish_fault()
    mine, theirs = pte(), pte(parent)
    tap.check(mine["P"] == 1 and mine.get("W") == 1 and mine["frame"] not in (None, frame)
              and theirs["frame"] == frame and theirs.get("W") == 0,
              "pt_child_has_copy_parent_keeps_frame", mine["text"] + theirs["text"])


def cow_reuse(parent, frame):
    report = next_fault()
    tap.check(reporter_pid(report) == parent and
              "copy-on-write reuse: frame %d is mapped here only" % frame in report,
              "cow_reuse_after_child_exit", report)
    tap.check("refs 1" in run("pagoda-frames %d" % frame), "frames_refs_back_to_one")
    finish_fault()
    after = pte()
    tap.check(after["frame"] == frame and after.get("W") == 1, "pt_writable_again", after["text"])


def swap_in(parent):
    report = next_fault()
    slot = re.search(r"swap-in of slot (\d+)", report)
    tap.check(reporter_pid(report) == parent and "error 0x4 (not present, read, user)" in report
              and slot, "swap_in_report", report)
    if not slot:
        return
    slot = int(slot.group(1))
    before = pte()
    tap.check(before["P"] == 0 and before["slot"] == slot, "pt_swap_entry_slot", before["text"])
    swap = run("pagoda-swap")
    in_use = int(re.search(r"(\d+) in use", swap).group(1))
    rows = {int(s): (int(r), c) for s, r, c in re.findall(r"^\s+(\d+)\s+(\d+)\s+(\S+)$", swap, re.M)}
    tap.check(slot in rows and rows[slot][0] >= 1 and len(rows) == in_use, "swap_lists_slot", swap)
    finish_fault()
    after = pte()
    tap.check(after["P"] == 1 and after.get("W") == 0 and after["frame"], "pt_present_read_only",
              after["text"])
    frame = run("pagoda-frames %d" % after["frame"])
    tap.check("swap slot: %d (swap cache" % slot in frame, "frames_swap_cache_slot", frame)
    cached = re.search(r"^\s+%d\s+\d+\s+(\S+)$" % slot, run("pagoda-swap"), re.M)
    tap.check(cached and cached.group(1) == str(after["frame"]), "swap_cached_in_frame",
              cached.group(0) if cached else "slot %d not listed" % slot)


def main():
    run("pagoda-fault gdb_target %#x" % TARGET)
    try:
        parent, frame = zero_fill()
        cow_copy(parent, frame)
        cow_reuse(parent, frame)
        swap_in(parent)
    except gdb.error as e:
        tap.check(False, "session", "gdb: %s" % e)
    run("pagoda-fault off")
    try:
        run("continue")                 # to the end: QEMU exits with gdb_target's status
    except gdb.error:
        pass                            # "Remote connection closed": QEMU is gone
    tap.finish()


main()
