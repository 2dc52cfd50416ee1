"""tools/vmtrace-src/timeline.py: the timeline picture of a trace: above, each process's
resident pages as a step line; below, a lane per process with a mark for each of its
faults (above the lane's line) and evictions (below), coloured by kind.
"""
from events import EVICTIONS, FAULTS
from replay import Replay, process_names
import svg

WIDTH, LEFT, RIGHT = 960, 170, 940
CHART_TOP, CHART_HEIGHT = 56, 200
LANE_HEIGHT = 30
MARKED = FAULTS + ["segv"] + EVICTIONS


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


class Scale:
    """Data values to pixels."""

    def __init__(self, low, high, pixel_low, pixel_high):
        self.low, self.high = low, max(high, low + 1)
        self.pixel_low, self.pixel_high = pixel_low, pixel_high

    def __call__(self, v):
        return round(self.pixel_low + (v - self.low) * (self.pixel_high - self.pixel_low)
                     / (self.high - self.low), 1)


def draw_chart(doc, series, exited, x, limit, colour):
    """Resident pages against x, a step line per process, up to its exit or the end."""
    top_resident = max([p for points in series.values() for _, p in points] + [1])
    show_limit = limit is not None and limit < 4 * top_resident
    y = Scale(0, max(top_resident, limit if show_limit else 0), CHART_TOP + CHART_HEIGHT, CHART_TOP)
    doc.add("path", d="M%d %d V%d H%d" % (LEFT, CHART_TOP, CHART_TOP + CHART_HEIGHT, RIGHT),
            stroke="black", fill="none")
    for v in svg.ticks(0, int(y.high), 5):
        doc.text(LEFT - 6, y(v) + 4, v, text_anchor="end")
    doc.text(LEFT - 40, CHART_TOP - 10, "resident pages")
    if show_limit:
        doc.add("path", d="M%d %s H%d" % (LEFT, y(limit), RIGHT), stroke="#999",
                stroke_dasharray="4 3", fill="none")
        doc.text(RIGHT, y(limit) - 4, "vm.frames %d" % limit, text_anchor="end")
    for pid, points in series.items():
        steps = ["M%s %s" % (x(points[0][0]), y(points[0][1]))]
        steps += ["H%s V%s" % (x(px), y(pages)) for px, pages in points[1:]]
        if pid not in exited:
            steps.append("H%s" % x(x.high))
        doc.add("path", d=" ".join(steps), stroke=colour[pid],
                fill="none", class_="resident", data_pid=pid)


def draw_lanes(doc, trace, xs, x, pids, names, colour):
    """A lane per process; one short line per fault (up) or eviction (down)."""
    top = CHART_TOP + CHART_HEIGHT + 40
    lane_of = {pid: top + LANE_HEIGHT * (i + 0.5) for i, pid in enumerate(pids)}
    marks = {}
    for e, ex in zip(trace.events, xs):
        if e.kind in MARKED and e.pid in lane_of:
            up = e.kind not in EVICTIONS
            marks.setdefault((e.pid, e.kind), []).append(
                "M%s %s v%d" % (x(ex), lane_of[e.pid] - (2 if up else -2), -8 if up else 8))
    for pid in pids:
        doc.text(8, lane_of[pid] + 4, "pid %d %s" % (pid, names.get(pid, "?")), fill=colour[pid])
        doc.add("path", d="M%d %s H%d" % (LEFT, lane_of[pid], RIGHT), stroke="#ccc")
    for (pid, kind), ds in marks.items():
        doc.add("path", d=" ".join(ds), stroke=svg.KIND_COLOURS[kind], class_="mark " + kind,
                data_pid=pid)
    return top + LANE_HEIGHT * len(pids)


def draw_x_axis(doc, x, y, axis):
    for v in svg.ticks(int(x.low), int(x.high)):
        doc.text(x(v), y + 14, v, text_anchor="middle")
    label = "faults and evictions so far" if axis == "events" else "time (TSC since the first event)"
    doc.text((LEFT + RIGHT) / 2, y + 30, label, text_anchor="middle")


def draw_legend(doc, y):
    """Faults on the first row (marks above a lane's line), evictions on the second."""
    rows = [("faults (up)", FAULTS + ["segv"]), ("evictions (down)", EVICTIONS)]
    for row, (title, kinds) in enumerate(rows):
        doc.text(8, y + 18 * row + 1, title)
        for i, kind in enumerate(kinds):
            doc.swatch(LEFT + i * 130, y + 18 * row + 1, svg.KIND_COLOURS[kind],
                       kind.replace("_", " "))


def write(trace, path, axis="events", title=""):
    xs = x_values(trace, axis)
    series, exited = residency(trace, xs)
    pids = [pid for pid in trace.pids() if pid in series]
    colour = svg.process_colours(trace.pids())
    x = Scale(0, max(xs + [1]), LEFT, RIGHT)
    height = CHART_TOP + CHART_HEIGHT + 40 + LANE_HEIGHT * len(pids) + 80
    doc = svg.Document(WIDTH, height)
    doc.text(LEFT, 18, title, font_size=13)
    draw_chart(doc, series, exited, x, trace.user_frames_limit, colour)
    bottom = draw_lanes(doc, trace, xs, x, pids, process_names(trace), colour)
    draw_x_axis(doc, x, bottom, axis)
    draw_legend(doc, bottom + 50)
    doc.write(path)
