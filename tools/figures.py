"""tools/figures.py: what Pagoda's plots share, drawn with matplotlib (Debian's
python3-matplotlib): distinct colours and line styles, a legend beside the axes (never on
the data), and saving as SVG or PNG by the file's name, the same bytes for the same data.
"""
import os
import sys


def debian_python():
    """matplotlib comes with Debian's python3; another python3 first on PATH (pyenv, a
    virtual environment) lacks it: then run this program again under Debian's."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
                os.path.realpath("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        sys.exit("%s: needs matplotlib (Debian: apt-get install python3-matplotlib; "
                 "tools/setup.sh)" % os.path.basename(sys.argv[0]))


debian_python()
import matplotlib  # noqa: E402
matplotlib.use("Agg")                       # files only, no window
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

matplotlib.rcParams.update({"svg.hashsalt": "pagoda", "svg.fonttype": "none",
                            "font.size": 9, "axes.grid": True, "grid.color": "#e4e4e4"})
LINE_STYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "v", "D", "x", "+", "*"]


def colours(n):
    """n colours, all different: matplotlib's qualitative set of ten, or past ten points
    along a continuous colour map taken by the golden ratio, so that neighbours (pid 2 and
    pid 3) always lie far apart on it."""
    if n <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n)]
    return [plt.get_cmap("turbo")(0.05 + 0.9 * ((i * 0.6180339887) % 1)) for i in range(n)]


def line_style(i):
    """Line style and marker for the i-th line, so that one line never hides another:
    where two coincide, the dashes and the smaller marker of the later one show."""
    return {"linestyle": LINE_STYLES[i % len(LINE_STYLES)], "marker": MARKERS[i % len(MARKERS)],
            "markersize": max(3, 8 - i), "linewidth": 1.6}


def integer_ticks(axis):
    axis.set_major_locator(MaxNLocator(integer=True))


def legend_beside(ax, **kw):
    """The legend to the right of the axes, outside the data."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0, **kw)


def save(fig, path):
    """SVG or PNG from the name's ending; no date in the file, so it repeats."""
    kind = os.path.splitext(path)[1].lstrip(".").lower()
    if kind not in ("svg", "png"):
        sys.exit("%s: the picture's name ends in .svg or .png, not %r" % (path, kind))
    fig.savefig(path, format=kind, dpi=120, bbox_inches="tight",
                metadata={"Date": None} if kind == "svg" else {"Software": None})
    plt.close(fig)
