#!/usr/bin/env python3
"""tests/trace/test_vmtrace.py: tools/vmtrace on a recorded trace: the counts against the
counters the same boot printed, the replay against the frame limit, the reference string
against the trace's lines and gdb_target's known accesses (the pictures: test_plots.py),
and the new lines of version 2 (frames, regions, the PTE bits). Prints TAP (a host test).

The recording (tests/trace/gdb_target.trace, its console in gdb_target.console) was made by
  make run INIT=/bin/gdb_target CMDLINE=vm.frames=64 DETERMINISTIC=1 \\
      TRACE=tests/trace/gdb_target.trace > tests/trace/gdb_target.console
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools", "vmtrace-src"))
from tap import Tap  # noqa: E402
import events  # noqa: E402
import replay  # noqa: E402

TRACE = os.path.join(ROOT, "tests", "trace", "gdb_target.trace")
CONSOLE = os.path.join(ROOT, "tests", "trace", "gdb_target.console")
TARGET_PAGE = 0x50000000 >> 12          # user/gdb_target.c


def vmtrace(*args):
    return subprocess.run([os.path.join(ROOT, "tools", "vmtrace")] + list(args),
                          capture_output=True, text=True, timeout=60)


def lines():
    """The trace's event lines, split into words, read here without vmtrace's parser."""
    with open(TRACE) as f:
        return [line.split() for line in f if line.strip() and not line.startswith("#")]


def kernel_counters():
    with open(CONSOLE) as f:
        words = re.search(r"^vmstat: (.*)$", f.read(), re.M).group(1).split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


def check_counts(tap):
    out = vmtrace("summary", TRACE).stdout
    counts = {k: int(v) for k, v in re.findall(r"^(\w+)\s+(\d+)$", out, re.M)}
    kernel = kernel_counters()
    exact = [k for k in counts if k != "swap_ins"]
    tap.check(exact and all(counts[k] == kernel[k] for k in exact), "summary_matches_kernel_counters",
              "vmtrace %s, kernel %s" % (counts, kernel))
    tap.check(counts.get("swap_ins", -1) >= kernel["swap_ins"] > 0, "swap_ins_at_least_disk_reads",
              "vmtrace %s, kernel %d" % (counts.get("swap_ins"), kernel["swap_ins"]))
    tap.check(re.search(r"^%d events" % len(lines()), out), "summary_counts_every_line", out[:80])


def check_replay(tap, trace):
    """No process, and not all of them together, ever holds more frames than vm.frames
    allowed: with a map or unmap event missing, the replay would drift past it."""
    r, worst = replay.Replay(), 0
    for e in trace.events:
        r.step(e)
        worst = max([worst, len(r.users)] + list(r.resident.values()))
    tap.check(0 < worst <= trace.user_frames_limit, "replay_within_frame_limit",
              "%d frames at once, limit %s" % (worst, trace.user_frames_limit))
    tap.check(not r.users, "replay_ends_with_every_frame_free", "%d still mapped" % len(r.users))


def check_refs(tap):
    faults = [w for w in lines() if w[1] == "1" and w[2] in events.FAULTS]
    refs = vmtrace("refs", TRACE, "--pid", "1").stdout.split()
    tap.check(refs == ["%d%s" % (int(w[3], 16) >> 12, "W" if w[5] == "w" else "") for w in faults],
              "refs_are_pid_1_faults", "%d references, %d faults" % (len(refs), len(faults)))
    target = [r for r in refs if r.rstrip("W") == str(TARGET_PAGE)]
    tap.check(target == ["%dW" % TARGET_PAGE, "%dW" % TARGET_PAGE, str(TARGET_PAGE)],
              "refs_target_write_reuse_then_read", str(target))
    with tempfile.NamedTemporaryFile("w", suffix=".refs") as f:
        f.write(" ".join(refs))
        f.flush()
        sim = subprocess.run([os.path.join(ROOT, "tools", "vmsim"), "--policy", "fifo",
                              "--frames", "8", f.name], capture_output=True, text=True, timeout=60)
    tap.check("%d references" % len(refs) in sim.stdout and
              "%d writes" % sum(r.endswith("W") for r in refs) in sim.stdout,
              "vmsim_reads_the_refs", sim.stdout + sim.stderr)


def check_state_lines(tap, trace):
    """Version 2: the first "frames" lines describe every frame once; replayed with the
    later ones, no frame is left a user frame at the end (leakcheck passed); pid 1's
    regions once hold gdb_target's target page (mmap); a write's zero fill maps it P W U."""
    first = []
    for e in trace.events:
        if e.kind != "frames" or e.time != trace.events[0].time:
            break
        first.append(e.arg)
    covered = [f for start, count, _ in first for f in range(start, start + count)]
    tap.check(covered == list(range(trace.frames)), "frames_lines_describe_every_frame",
              "%d frames described, %d in the header" % (len(covered), trace.frames))
    state = {}
    for e in trace.events:
        if e.kind == "frames":
            start, count, name = e.arg
            state.update({f: name for f in range(start, start + count)})
    user = [f for f, name in state.items() if name in ("user", "busy", "pinned", "cached")]
    tap.check(not user, "frames_no_user_frame_left", str(user[:10]))
    layouts = [e.arg for e in trace.events if e.kind == "regions" and e.pid == 1]
    tap.check(any(start <= TARGET_PAGE << 12 < end and prot == "rw-" and kind == "anon"
                  for regions in layouts for start, end, prot, kind in regions),
              "regions_hold_the_target_page", "%d layouts" % len(layouts))
    fill = next(e for e in trace.events if e.kind == "zero_fill" and e.page == TARGET_PAGE)
    tap.check(fill.access == "w" and fill.pte & 0x7 == 0x7, "zero_fill_pte_present_writable_user",
              "%s %s" % (fill.access, fill.pte))


def check_bad_line(tap):
    with tempfile.NamedTemporaryFile("w", suffix=".trace") as f:
        f.write("# pagoda vm trace 1\n12 1 zero_fill 08048000 700 w\n13 1 teleport 0 0 r\n")
        f.flush()
        run = vmtrace("summary", f.name)
    tap.check(run.returncode != 0 and "%s:3: unknown event 'teleport'" % f.name in run.stderr,
              "bad_line_named", run.stderr)


def main():
    tap = Tap()
    trace = events.read(TRACE)
    tap.check(len(trace.events) == len(lines()), "parses_every_line")
    check_counts(tap)
    check_replay(tap, trace)
    check_refs(tap)
    check_state_lines(tap, trace)
    check_bad_line(tap)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
