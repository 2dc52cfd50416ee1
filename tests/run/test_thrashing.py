#!/usr/bin/env python3
"""tests/run/test_thrashing.py: docs/thrashing.md's figures repeat. It runs the commands of
the doc's "Measured" block (make bench-thrash, then tools/thrashplot.py, writing the plot
to a scratch file instead of docs/thrashing.svg) and checks that the table's every number
is what the benchmark just printed and that the plot is byte for byte the committed one.
Both can only hold if a thrashing run takes the same virtual time on every run (swap=ram,
thrash -r). Prints TAP. Run it alone: python3 tests/run/test_thrashing.py (after make)."""
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
SUMMARY = re.compile(r"^  (vm\.\S+(?: vm\.\S+)*)\s+4 processes x 128 pages x 10 rounds: (\d+) M "
                     r"cycles, (\d+) major faults, (\d+) swap-ins, (\d+) suspensions$")
ROW = re.compile(r"^\| [^|]+\(`([^`]+)`\) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \| ([\d,]+) \|$")


def measured_commands(text):
    """The shell commands of the block under "## Measured", continuation lines joined."""
    block = text.split("## Measured", 1)[1].split("```", 2)[1].split("\n", 1)[1]
    return [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip()]


def run(cmd):
    p = subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout + p.stderr


def main():
    tap = Tap()
    with open(DOC) as f:
        text = f.read()
    commands = measured_commands(text)
    tap.check(len(commands) == 2 and commands[0].startswith("make bench-thrash") and
              commands[1].endswith("> " + PLOT), "doc_shows_bench_and_plot_commands", commands)
    rc, out = run(commands[0])
    measured = {m.group(1): m.groups()[1:] for m in map(SUMMARY.match, out.splitlines()) if m}
    tap.check(rc == 0 and len(measured) == 3, "bench_thrash_prints_three_runs", out[-2000:])
    table = {m.group(1): tuple(n.replace(",", "") for n in m.groups()[1:])
             for m in map(ROW.match, text.splitlines()) if m}
    tap.check(table and table == measured, "doc_table_is_what_the_bench_measures",
              "doc %s\nmeasured %s" % (table, measured))
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, "thrashing.svg")
        rc, out = run(commands[1][:-len(PLOT)] + scratch)
        with open(os.path.join(ROOT, PLOT), "rb") as a:
            committed = a.read()
        same = rc == 0 and os.path.exists(scratch) and open(scratch, "rb").read() == committed
        tap.check(same, "doc_plot_is_what_the_command_draws", out[-2000:] or "the SVGs differ")
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
