#!/usr/bin/env python3
"""tools/thrashplot.py: plots thrash runs: rounds completed (all processes together)
against time, one line per run, as an SVG on stdout.

Usage: thrashplot.py LABEL=LOG [LABEL=LOG ...]  (each LOG is the console output of a
boot running /bin/thrash, whose "thrash: round PID R CYCLES" lines it reads)
"""
import re
import sys

ROUND = re.compile(r"^thrash: round \d+ \d+ (\d+)$")
COLORS = ["#c0392b", "#2471a3", "#229954", "#7d3c98"]
W, H, LEFT, BOTTOM = 640, 360, 70, 50


def rounds_over_time(path):
    """Time (in millions of cycles) at which each successive round finished."""
    with open(path, errors="replace") as f:
        times = sorted(int(m.group(1)) / 1e6 for m in map(ROUND.match, f.read().replace("\r", "").splitlines()) if m)
    return [(t, i + 1) for i, t in enumerate(times)]


def svg(series):
    tmax = max(t for _, pts in series for t, _ in pts) or 1
    rmax = max(r for _, pts in series for _, r in pts) or 1
    x = lambda t: LEFT + t / tmax * (W - LEFT - 20)
    y = lambda r: H - BOTTOM - r / rmax * (H - BOTTOM - 20)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (LEFT, H - BOTTOM, W - 20, H - BOTTOM),
           '<line x1="%d" y1="20" x2="%d" y2="%d" stroke="black"/>' % (LEFT, LEFT, H - BOTTOM),
           '<text x="%d" y="%d" text-anchor="middle">time (millions of cycles; 0 to %.0f)</text>' % ((W + LEFT) // 2, H - 15, tmax),
           '<text x="15" y="%d" transform="rotate(-90 15 %d)" text-anchor="middle">rounds completed (0 to %d)</text>' % ((H - BOTTOM) // 2, (H - BOTTOM) // 2, rmax)]
    for i, (label, pts) in enumerate(series):
        color = COLORS[i % len(COLORS)]
        path = " ".join("%.1f,%.1f" % (x(t), y(r)) for t, r in [(0, 0)] + pts)
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (color, path))
        out.append('<text x="%d" y="%d" fill="%s">%s</text>' % (LEFT + 10, 35 + 16 * i, color, label))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) < 2 or any("=" not in a for a in sys.argv[1:]):
        sys.exit(__doc__)
    series = [(a.rsplit("=", 1)[0], rounds_over_time(a.rsplit("=", 1)[1])) for a in sys.argv[1:]]
    if any(not pts for _, pts in series):
        sys.exit("thrashplot: a log has no 'thrash: round' lines")
    sys.stdout.write(svg(series))


if __name__ == "__main__":
    main()
