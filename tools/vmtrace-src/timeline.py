"""tools/vmtrace-src/timeline.py: the timeline picture of a trace (matplotlib): above, each
process's resident pages as a step line; below, a lane per process with a mark for each of
its faults (above the lane's line) and evictions (below), coloured by kind.
"""
from events import EVICTIONS, FAULTS
from replay import Replay, process_names
import figures

MARKED = FAULTS + ["segv"] + EVICTIONS
RASTER = 500        # marks of a kind past which they are drawn as pixels: a small file
KIND_COLOURS = {"zero_fill": "#2ca02c", "file_fill": "#1f77b4", "swap_in": "#9467bd",
                "cow_copy": "#ff7f0e", "cow_reuse": "#e0b000", "segv": "#d62728",
                "swap_out": "#8c564b", "writeback_avoided": "#e377c2", "clean_drop": "#7f7f7f",
                "cache_hit": "#17becf", "file_writeback": "#bcbd22",
                "uffd_fill": "#393b79"}


def x_values(trace, axis):
    """Each event's place on the x axis: how many faults and evictions came before it
    ("events"), or its TSC since the first event ("time")."""
    if axis == "time":
        first = trace.events[0].time if trace.events else 0
        return [e.time - first for e in trace.events]
    xs, count = [], 0
    for e in trace.events:
        xs.append(count)
        count += e.kind in MARKED
    return xs


def residency(trace, xs):
    """{pid: [(x, resident pages), ...]}, a point where the count changes (the last one
    at an x wins), and the pids that exited."""
    r, series, exited = Replay(), {}, set()
    for e, x in zip(trace.events, xs):
        r.step(e)
        if e.kind == "exit":
            exited.add(e.pid)
        for pid, pages in r.resident.items():
            points = series.setdefault(pid, [])
            if points and points[-1][1] == pages:
                continue
            if points and points[-1][0] == x:
                points.pop()
            points.append((x, pages))
    return series, exited


def draw_resident(ax, series, exited, end, limit, pids, names, colour):
    """Resident pages against x, a step line per process, up to its exit or the end."""
    for i, pid in enumerate(pids):     # dashes differ too: where lines coincide, both show
        points = list(series[pid]) + ([] if pid in exited else [(end, series[pid][-1][1])])
        ax.step([x for x, _ in points], [p for _, p in points], where="post", color=colour[pid],
                linewidth=1.3, linestyle=figures.LINE_STYLES[i % len(figures.LINE_STYLES)], label="pid %d %s" % (pid, names.get(pid, "?")), gid="resident-%d" % pid)
    top = max(p for points in series.values() for _, p in points)
    if limit is not None and limit < 4 * top:
        ax.axhline(limit, color="#777777", linestyle="--", linewidth=1, label="vm.frames %d" % limit)
    ax.set_ylabel("resident pages")
    ax.set_ylim(bottom=0)
    figures.integer_ticks(ax.yaxis)
    figures.legend_beside(ax, ncol=1 + len(pids) // 14, fontsize=7)


def draw_lanes(ax, trace, xs, pids, names):
    """A lane per process; a short line per fault (up) or eviction (down), by kind."""
    lane = {pid: len(pids) - 1 - i for i, pid in enumerate(pids)}
    marks = {kind: [] for kind in MARKED}
    for e, x in zip(trace.events, xs):
        if e.kind in MARKED and e.pid in lane:
            y = lane[e.pid]
            marks[e.kind].append((x, y + 0.05, y + 0.4) if e.kind not in EVICTIONS
                                 else (x, y - 0.4, y - 0.05))
    for kind, segments in marks.items():
        ax.vlines([s[0] for s in segments], [s[1] for s in segments], [s[2] for s in segments],
                  color=KIND_COLOURS[kind], linewidth=0.8, label=kind.replace("_", " ") +
                  (" (down)" if kind in EVICTIONS else " (up)"), gid="mark-" + kind,
                  rasterized=len(segments) > RASTER)
    ax.set_yticks(range(len(pids)), ["pid %d %s" % (pid, names.get(pid, "?")) for pid in reversed(pids)],
                  fontsize=7)
    ax.set_ylim(-0.6, len(pids) - 0.4)
    ax.set_ylabel("process")
    ax.grid(axis="x")
    figures.legend_beside(ax, title="kind", fontsize=7)


def figure(trace, axis="events", title=""):
    xs = x_values(trace, axis)
    series, exited = residency(trace, xs)
    pids = [pid for pid in trace.pids() if pid in series]
    names = process_names(trace)
    colour = dict(zip(pids, figures.colours(len(pids))))
    fig, (top, lanes) = figures.plt.subplots(
        2, 1, sharex=True, figsize=(10, 3 + 0.22 * len(pids)), constrained_layout=True,
        gridspec_kw={"height_ratios": [3, max(1.5, 0.22 * len(pids))]})
    draw_resident(top, series, exited, max(xs + [1]), trace.user_frames_limit, pids, names, colour)
    draw_lanes(lanes, trace, xs, pids, names)
    lanes.set_xlabel("faults and evictions so far" if axis == "events"
                     else "time (TSC since the first event)")
    lanes.set_xlim(0, max(xs + [1]))
    top.set_title(title)
    return fig


def write(trace, path, axis="events", title=""):
    figures.save(figure(trace, axis, title), path)
