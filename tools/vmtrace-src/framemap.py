"""tools/vmtrace-src/framemap.py: the frame table at chosen moments of a trace: a square per
frame the trace mentions, in the colour of the process that maps it (dark grey: several
share it; white: free), one grid per moment, side by side.
"""
import math

from replay import Replay, process_names
import svg

COLUMNS, CELL = 16, 12
PANEL_WIDTH = COLUMNS * CELL + 40
TOP = 50


def frames_seen(trace):
    return sorted({e.frame for e in trace.events if e.frame is not None})


def moments(trace, spec):
    """Event counts from "25%,50%,100%" (of the trace) or plain counts ("100,2000")."""
    n = len(trace.events)
    counts = []
    for word in spec.split(","):
        word = word.strip()
        count = round(n * float(word[:-1]) / 100) if word.endswith("%") else int(word)
        counts.append(min(max(count, 0), n))
    return counts


def snapshots(trace, counts):
    """For each count: {frame: owning pids} after that many events."""
    r, done, found = Replay(), 0, {}
    for count in sorted(set(counts)):
        for e in trace.events[done:count]:
            r.step(e)
        done = count
        found[count] = {frame: r.owners(frame) for frame in r.users}
    return [found[c] for c in counts]


def cell_colour(owners, colour):
    if not owners:
        return svg.FREE, "free"
    if len(owners) > 1:
        return svg.SHARED, "shared"
    return colour.get(owners[0], svg.FREE), "pid-%d" % owners[0]


def draw_panel(doc, left, title, frames, owners_of, colour):
    doc.text(left, TOP - 10, title)
    for i, frame in enumerate(frames):
        fill, kind = cell_colour(owners_of.get(frame, []), colour)
        doc.add("rect", x=left + CELL * (i % COLUMNS), y=TOP + CELL * (i // COLUMNS),
                width=CELL - 1, height=CELL - 1, fill=fill, stroke="#bbb", class_="frame " + kind,
                data_frame=frame)


def draw_legend(doc, y, pids, names, colour):
    """The processes that own a square in some panel, then "shared" and "free"."""
    entries = [(colour[pid], "pid %d %s" % (pid, names.get(pid, "?"))) for pid in pids]
    entries += [(svg.SHARED, "shared by several"), (svg.FREE, "free")]
    for i, (fill, label) in enumerate(entries):
        doc.swatch(10 + 170 * (i % 4), y + 16 * (i // 4), fill, label)


def write(trace, path, spec, name=""):
    frames = frames_seen(trace)
    counts = moments(trace, spec)
    states = snapshots(trace, counts)
    colour = svg.process_colours(trace.pids())
    shown = {pid for state in states for owners in state.values() for pid in owners}
    pids = [pid for pid in trace.pids() if pid in shown]
    legend_y = TOP + math.ceil(len(frames) / COLUMNS) * CELL + 30
    doc = svg.Document(max(PANEL_WIDTH * len(counts), 700) + 10,
                       legend_y + 16 * math.ceil((len(pids) + 2) / 4) + 10)
    doc.text(10, 18, "%s: the %d frames the trace mentions, by frame number, coloured by owner"
             % (name, len(frames)), font_size=13)
    for i, (count, owners_of) in enumerate(zip(counts, states)):
        draw_panel(doc, 10 + i * PANEL_WIDTH, "after %d of %d events" % (count, len(trace.events)),
                   frames, owners_of, colour)
    draw_legend(doc, legend_y, pids, process_names(trace), colour)
    doc.write(path)
