#!/usr/bin/env python3
"""tests/trace/test_plots.py: the plots (matplotlib) hold the numbers they stand for and can
be read: vmsim --plot (faults and hit ratio per policy, equal to vmsim's own --csv rows),
vmtrace timeline (a mark per fault and eviction, a resident line per process) and frames
(a square per frame and moment, numbered, its owner), thrashplot (rounds over time as in the
logs); every axes has labels and ticks, every figure a legend naming every line. Also the
files: SVG and PNG, and a refused name. Prints TAP (a host test).
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for folder in ("tests", "tools", os.path.join("tools", "vmtrace-src"), os.path.join("tools", "vmsim-src")):
    sys.path.insert(0, os.path.join(ROOT, folder))
from tap import Tap  # noqa: E402
import figures  # noqa: E402  (first: under another python3 it runs this again under Debian's)
import events  # noqa: E402
import framemap  # noqa: E402
import plot as vmsim_plot  # noqa: E402
import thrashplot  # noqa: E402
import timeline  # noqa: E402

TRACE = os.path.join(ROOT, "tests", "trace", "gdb_target.trace")
BELADY = ["--sweep", "1-7", "--policy", "fifo,lru,opt,clock", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5"]


def readable(fig):
    """Why an axes of fig lacks a label or ticks, or a line has no legend entry ("" if none)."""
    legends = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    for i, ax in enumerate(fig.axes):
        if not ax.get_xlabel() and not (ax.get_shared_x_axes().get_siblings(ax)[1:]):
            return "axes %d: no x label" % i
        if not ax.get_ylabel():
            return "axes %d: no y label" % i
        if len(ax.get_xticks()) < 2 or len(ax.get_yticks()) < 2:
            return "axes %d: fewer than two ticks" % i
        named = [l.get_label() for l in ax.get_lines() + ax.collections if not l.get_label().startswith("_")]
        if any(name not in legends for name in named):
            return "axes %d: lines %s, legend %s" % (i, named, legends)
    return "" if legends else "no legend"


def by_gid(ax, prefix):
    return {a.get_gid()[len(prefix):]: a for a in ax.get_lines() + ax.collections + ax.images
            if (a.get_gid() or "").startswith(prefix)}


def vmsim(*args):
    return subprocess.run([os.path.join(ROOT, "tools", "vmsim")] + list(args), capture_output=True,
                          text=True, timeout=120)


def check_vmsim(tap, tmp):
    rows = vmsim(*BELADY).stdout
    lines = vmsim_plot.read_rows(rows.splitlines())
    fig = vmsim_plot.figure(lines, "Belady")
    faults_ax, hits_ax = fig.axes
    plotted = {name: list(l.get_ydata()) for name, l in by_gid(faults_ax, "policy-").items()}
    tap.check(plotted == {name: [p[2] for p in pts] for name, pts in lines.items()} and
              plotted["fifo"][2:4] == [9, 10], "vmsim_plot_faults_are_vmsims", str(plotted))
    hits = {name: [round(v, 6) for v in l.get_ydata()] for name, l in by_gid(hits_ax, "policy-").items()}
    tap.check(hits == {n: [round(100 * (p[1] - p[2]) / p[1], 6) for p in pts] for n, pts in lines.items()},
              "vmsim_plot_hit_ratio", str(hits))
    styles = [(l.get_color(), l.get_linestyle(), l.get_marker()) for l in faults_ax.get_lines()]
    tap.check(len(set(c for c, _, _ in styles)) == len(styles) == 4 and
              len(set(s[1:] for s in styles)) == 4, "vmsim_plot_colours_and_styles_differ", str(styles))
    tap.check(not readable(fig), "vmsim_plot_readable", readable(fig))
    svg, png = os.path.join(tmp, "b.svg"), os.path.join(tmp, "b.png")
    runs = [vmsim(*(BELADY + ["--plot", out])) for out in (svg, png)]
    with open(svg) as f:
        text = f.read()
    with open(png, "rb") as f:
        magic = f.read(8)
    tap.check(all(r.returncode == 0 for r in runs) and all('id="policy-%s"' % p in text for p in lines)
              and magic == b"\x89PNG\r\n\x1a\n", "vmsim_plot_writes_svg_and_png", runs[0].stderr)
    bad = vmsim(*(BELADY + ["--plot", os.path.join(tmp, "b.txt")]))
    tap.check(bad.returncode != 0 and "ends in .svg or .png" in bad.stderr, "vmsim_plot_bad_name_refused",
              bad.stderr)


def count_kinds(trace):
    """Marks per kind the timeline must draw: one per event of a process (an eviction of a
    page-cache page that no process maps is pid 0's, and has no lane)."""
    counts = {}
    for e in trace.events:
        if e.kind in timeline.MARKED and e.pid != 0:
            counts[e.kind] = counts.get(e.kind, 0) + 1
    return counts


def check_timeline(tap, trace):
    fig = timeline.figure(trace)
    resident, lanes = fig.axes
    marks = {k: len(c.get_segments()) for k, c in by_gid(lanes, "mark-").items() if c.get_segments()}
    tap.check(marks == count_kinds(trace), "timeline_one_mark_per_event",
              "%s vs %s" % (marks, count_kinds(trace)))
    pids = {str(e.pid) for e in trace.events if e.kind in events.FAULTS}
    tap.check(set(by_gid(resident, "resident-")) == pids, "timeline_resident_line_per_process",
              str(by_gid(resident, "resident-").keys()))
    colours = [l.get_color() for l in by_gid(resident, "resident-").values()]
    tap.check(len(set(colours)) == len(colours), "timeline_process_colours_differ", str(colours))
    tap.check(not readable(fig), "timeline_readable", readable(fig))


def check_frames(tap, trace):
    lines = [e for e in trace.events]
    zero_fill = next(i for i, e in enumerate(lines) if e.kind == "zero_fill" and e.va == 0x50000000)
    fig = framemap.figure(trace, "%d,100%%" % (zero_fill + 1))
    frames = framemap.frames_seen(trace)
    panels = [by_gid(ax, "frames")[""].get_array() for ax in fig.axes]
    tap.check(all(p.count() == len(frames) for p in panels), "frames_square_per_frame_and_moment",
              "%s squares, %d frames" % ([p.count() for p in panels], len(frames)))
    i = frames.index(lines[zero_fill].frame)
    tap.check(panels[0][i // framemap.COLUMNS][i % framemap.COLUMNS] == 2, "frames_target_owned_after_zero_fill")
    tap.check(panels[1].max() == 0, "frames_all_free_at_end")
    numbers = [t.get_text() for t in fig.axes[0].texts]
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    tap.check(numbers == [str(f) for f in frames] and rows == [str(f) for f in frames[::framemap.COLUMNS]],
              "frames_numbered", "%s / %s" % (numbers[:5], rows[:5]))
    tap.check(not readable(fig), "frames_readable", readable(fig))


def check_thrashplot(tap, tmp):
    logs = []
    for name, times in (("a", [5e9, 2e9, 9e9]), ("b", [3e6, 1e8])):
        logs.append(os.path.join(tmp, name + ".log"))
        with open(logs[-1], "w") as f:
            f.write("boot noise\r\n" + "".join("thrash: round 7 %d %d\r\n" % (i, t) for i, t in enumerate(times)))
    series = [("run " + os.path.basename(p), thrashplot.rounds_over_time(p)) for p in logs]
    fig = thrashplot.figure(series)
    data = {gid: (list(l.get_xdata()), list(l.get_ydata())) for gid, l in by_gid(fig.axes[0], "run-").items()}
    tap.check(data == {"0": ([0, 2000, 5000, 9000], [0, 1, 2, 3]), "1": ([0, 3, 100], [0, 1, 2])},
              "thrashplot_rounds_over_time", str(data))
    tap.check(not readable(fig), "thrashplot_readable", readable(fig))
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "thrashplot.py"), "x=" + logs[0]],
                         capture_output=True, text=True, timeout=120)
    tap.check(out.returncode == 0 and out.stdout.startswith("<?xml") and 'id="run-0"' in out.stdout,
              "thrashplot_svg_on_stdout", out.stderr)


def main():
    tap = Tap()
    trace = events.read(TRACE)
    with tempfile.TemporaryDirectory() as tmp:
        check_vmsim(tap, tmp)
        check_timeline(tap, trace)
        check_frames(tap, trace)
        check_thrashplot(tap, tmp)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
