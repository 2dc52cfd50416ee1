#!/usr/bin/env python3
"""tools/thrashplot.py: plots thrash runs (matplotlib): rounds completed (all processes
together) against time, one line per run, as SVG on standard output or into -o FILE
(.svg or .png).

Usage: thrashplot.py [-o FILE] LABEL=LOG [LABEL=LOG ...]  (each LOG is the console output
of a boot running /bin/thrash, whose "thrash: round PID R CYCLES" lines it reads)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import figures  # noqa: E402

ROUND = re.compile(r"^thrash: round \d+ \d+ (\d+)$")


def rounds_over_time(path):
    """(time in whole millions of cycles, rounds finished by then) at each round's end.
    Whole millions: a repeatable run (docs/thrashing.md) may start a cycle or so apart, and
    its picture must not move by it."""
    with open(path, errors="replace") as f:
        times = sorted(round(int(m.group(1)) / 1e6) for m in
                       map(ROUND.match, f.read().replace("\r", "").splitlines()) if m)
    return [(t, i + 1) for i, t in enumerate(times)]


def figure(series):
    fig, ax = figures.plt.subplots(figsize=(8, 4), constrained_layout=True)
    colour = figures.colours(len(series))
    for i, (label, points) in enumerate(series):
        style = dict(figures.line_style(i), marker=None)
        ax.plot([0] + [t for t, _ in points], [0] + [r for _, r in points], color=colour[i],
                label=label, gid="run-%d" % i, **style)
    ax.set_xscale("symlog", linthresh=1000)     # the runs differ by orders of magnitude
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("time (millions of cycles; linear to 1000, then logarithmic)")
    ax.set_ylabel("rounds completed (all processes)")
    figures.integer_ticks(ax.yaxis)
    figures.legend_beside(ax, title="control")
    return fig


def main(argv):
    out = "-"
    if argv[:1] == ["-o"] and len(argv) > 1:
        out, argv = argv[1], argv[2:]
    if not argv or any("=" not in a for a in argv):
        sys.exit(__doc__)
    series = [(a.rsplit("=", 1)[0], rounds_over_time(a.rsplit("=", 1)[1])) for a in argv]
    if any(not pts for _, pts in series):
        sys.exit("thrashplot: a log has no 'thrash: round' lines")
    fig = figure(series)
    if out == "-":
        fig.savefig(sys.stdout.buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    else:
        figures.save(fig, out)


if __name__ == "__main__":
    main(sys.argv[1:])
