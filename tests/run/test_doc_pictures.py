#!/usr/bin/env python3
"""tests/run/test_doc_pictures.py: the docs' measured pictures are what the commands they
show make. docs/policies.md's Belady plot is what its vmsim command draws. For
docs/thrashing.md it runs the commands of the doc's "Measured" block (make bench-thrash, then tools/thrashplot.py, writing the plot
to a scratch file instead of docs/thrashing.svg) and checks that the table's every number
is what the benchmark just printed and that the plot is byte for byte the committed one.
Both can only hold if a thrashing run takes the same virtual time on every run (swap=ram,
thrash -r). Prints TAP. Run it alone: python3 tests/run/test_doc_pictures.py (after make)."""
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


def main():
    tap = Tap()
    check_belady(tap)
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
    same, why = same_picture(commands[1], PLOT)
    tap.check(same, "doc_plot_is_what_the_command_draws", why)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
