#!/usr/bin/env python3
"""tools/vmsim-src/plot.py: draws a vmsim sweep (tools/vmsim --plot FILE runs it with the
--csv rows, policy,frames,refs,faults, on standard input): page faults and hit ratio
against frames, one line per policy (docs/policies.md, docs/labs/replacement.md).

  plot.py [--title TITLE] FILE.svg|FILE.png < ROWS
"""
import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import figures  # noqa: E402


def read_rows(f):
    """{policy: [(frames, refs, faults), ...]} in the order the policies come."""
    lines = {}
    for row in csv.DictReader(f):
        lines.setdefault(row["policy"], []).append(
            (int(row["frames"]), int(row["refs"]), int(row["faults"])))
    return lines


def figure(lines, title):
    fig, (faults, hits) = figures.plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    colour = figures.colours(len(lines))
    for i, (name, points) in enumerate(lines.items()):
        frames = [p[0] for p in points]
        style = dict(figures.line_style(i), color=colour[i], label=name, gid="policy-" + name)
        faults.plot(frames, [p[2] for p in points], **style)
        hits.plot(frames, [100.0 * (p[1] - p[2]) / p[1] for p in points], **style)
    for ax, label in ((faults, "page faults"), (hits, "hit ratio (%)")):
        ax.set_xlabel("frames")
        ax.set_ylabel(label)
        figures.integer_ticks(ax.xaxis)
    figures.integer_ticks(faults.yaxis)
    faults.set_ylim(bottom=0)
    hits.set_ylim(0, 100)
    figures.legend_beside(hits, title="policy")
    fig.suptitle(title)
    return fig


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--title", default="Page faults against frames")
    ap.add_argument("output")
    args = ap.parse_args()
    lines = read_rows(sys.stdin)
    if not lines:
        sys.exit("plot.py: no rows on standard input (policy,frames,refs,faults)")
    figures.save(figure(lines, args.title), args.output)


if __name__ == "__main__":
    main()
