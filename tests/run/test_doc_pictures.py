#!/usr/bin/env python3
"""tests/run/test_doc_pictures.py: the docs' measured pictures are what the commands they
show make. docs/policies.md's Belady plot is what its vmsim command draws. For
docs/thrashing.md, whose table and plot are of one recorded run (docs/thrash/NAME.log):
the table's every number is that run's; the doc's plot command (tools/thrashplot.py,
writing to a scratch file instead of docs/thrashing.svg) draws from it byte for byte the
committed plot; and the doc's benchmark command (make bench-thrash) run now comes
within 5% of it, with as many suspensions. (On a quiet host a run repeats the recorded
one exactly; on a loaded one it need not, and why is not found: docs/thrashing.md.)
Prints TAP. Run it alone: python3 tests/run/test_doc_pictures.py (after make)."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from tap import Tap  # noqa: E402

DOC = os.path.join(ROOT, "docs", "thrashing.md")
PLOT = "docs/thrashing.svg"
TOTALS = (r"4 processes x 128 pages x 10 rounds: (\d+) M cycles, (\d+) major faults, "
          r"(\d+) swap-ins, (\d+) suspensions$")
SUMMARY = re.compile(r"^  (vm\.\S+(?: vm\.\S+)*)\s+" + TOTALS)
RECORDED = re.compile(r"^thrash: " + TOTALS)
RUNS = {"none": "vm.ws=0", "ws": "vm.ws=1", "pff": "vm.pff=1 vm.scope=local"}   # bench.py's
TOLERANCE = 0.05
ROW = re.compile(r"^\| [^|]+\(`([^`]+)`\) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \|$")


def measured_commands(text):
    """The shell commands of the block under "## Measured", continuation lines joined."""
    block = text.split("## Measured", 1)[1].split("```", 2)[1].split("\n", 1)[1]
    return [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip()]


def run(cmd):
    p = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout + p.stderr


def same_picture(command, committed):
    """Run the doc's command with the picture going to a scratch file instead; the output
    and whether the two files are byte for byte the same."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, os.path.basename(committed))
        rc, out = run(command.replace(committed, scratch))
        with open(os.path.join(ROOT, committed), "rb") as a:
            same = rc == 0 and os.path.exists(scratch) and open(scratch, "rb").read() == a.read()
    return same, out[-2000:] or "the pictures differ"


def check_belady(tap):
    with open(os.path.join(ROOT, "docs", "policies.md")) as f:
        shown = [l[2:] for l in f.read().splitlines() if l.startswith("$ ") and "docs/belady.svg" in l]
    tap.check(len(shown) == 1, "policies_shows_the_belady_command", shown)
    if shown:
        same, why = same_picture(shown[0], "docs/belady.svg")
        tap.check(same, "belady_plot_is_what_vmsim_draws", why)


def recorded_runs():
    """{mode: (cycles, major faults, swap-ins, suspensions)} of docs/thrash/NAME.log."""
    runs = {}
    for name, mode in RUNS.items():
        with open(os.path.join(ROOT, "docs", "thrash", name + ".log")) as f:
            found = [m.groups() for m in map(RECORDED.match, f.read().splitlines()) if m]
        if found:
            runs[mode] = found[-1]
    return runs


def near(fresh, recorded):
    """A fresh run against the recorded one: cycles, faults and swap-ins within TOLERANCE,
    the same suspensions."""
    if len(fresh) != 4:
        return False
    close = all(abs(int(a) - int(b)) <= TOLERANCE * int(b) for a, b in zip(fresh[:3], recorded[:3]))
    return close and fresh[3] == recorded[3]


def main():
    tap = Tap()
    check_belady(tap)
    with open(DOC) as f:
        text = f.read()
    commands = measured_commands(text)
    tap.check(len(commands) == 2 and commands[0].startswith("make bench-thrash") and
              commands[1].endswith("> " + PLOT), "doc_shows_bench_and_plot_commands", commands)
    recorded = recorded_runs()
    table = {m.group(1): tuple(n.replace(",", "") for n in m.groups()[1:])
             for m in map(ROW.match, text.splitlines()) if m}
    tap.check(len(recorded) == 3 and table == recorded, "doc_table_is_the_recorded_run",
              "doc %s\nrecorded %s" % (table, recorded))
    same, why = same_picture(commands[1], PLOT)
    tap.check(same, "doc_plot_is_what_the_command_draws", why)
    rc, out = run(commands[0])
    measured = {m.group(1): m.groups()[1:] for m in map(SUMMARY.match, out.splitlines()) if m}
    tap.check(rc == 0 and len(measured) == 3, "bench_thrash_prints_three_runs", out[-2000:])
    tap.check(measured and all(near(measured.get(m, ()), r) for m, r in recorded.items()),
              "bench_repeats_the_recorded_run", "recorded %s\nmeasured %s" % (recorded, measured))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
