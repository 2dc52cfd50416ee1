"""tools/vmtrace-src/framemap.py: the frame table at chosen moments of a trace (matplotlib):
a square per frame the trace mentions, in frame-number order, numbered, in the colour of
the process that maps it (dark grey: several share it; white: free), a grid per moment.
"""
import math

import figures      # first: it finds matplotlib
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
import numpy  # noqa: E402
from replay import Replay, process_names  # noqa: E402

COLUMNS = 16
FREE, SHARED = "#ffffff", "#404040"
NUMBERED = 640          # frames up to which every square shows its number


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


def cell_values(frames, owners_of, index):
    """The grid of one moment: 0 free, 1 shared, 2 + i the i-th process; -1 no frame."""
    rows = math.ceil(len(frames) / COLUMNS)
    grid = [[-1] * COLUMNS for _ in range(rows)]
    for i, frame in enumerate(frames):
        owners = owners_of.get(frame, [])
        grid[i // COLUMNS][i % COLUMNS] = 0 if not owners else 1 if len(owners) > 1 else index[owners[0]]
    return grid


def draw_panel(ax, frames, grid, cmap, title):
    values = numpy.ma.masked_equal(numpy.array(grid), -1)
    ax.imshow(values, cmap=cmap, vmin=0, vmax=cmap.N - 1, interpolation="nearest",
              aspect="equal", gid="frames")
    ax.set_xticks(range(COLUMNS), ["+%d" % c for c in range(COLUMNS)], fontsize=5)
    ax.set_yticks(range(len(grid)), [str(frames[r * COLUMNS]) for r in range(len(grid))], fontsize=6)
    ax.set_xticks([c - 0.5 for c in range(COLUMNS + 1)], minor=True)
    ax.set_yticks([r - 0.5 for r in range(len(grid) + 1)], minor=True)
    ax.grid(which="minor", color="#bbbbbb", linewidth=0.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("next frames of the row", fontsize=7)
    ax.set_ylabel("first frame of the row", fontsize=7)
    ax.set_title(title, fontsize=9)
    if len(frames) <= NUMBERED:
        for i, frame in enumerate(frames):
            dark = grid[i // COLUMNS][i % COLUMNS] > 0
            ax.text(i % COLUMNS, i // COLUMNS, str(frame), ha="center", va="center", fontsize=3,
                    color="white" if dark else "#555555")


def figure(trace, spec, name=""):
    frames = frames_seen(trace)
    counts = moments(trace, spec)
    states = snapshots(trace, counts)
    shown = {pid for state in states for owners in state.values() for pid in owners}
    pids = [pid for pid in trace.pids() if pid in shown]
    index = {pid: 2 + i for i, pid in enumerate(pids)}
    colours = [FREE, SHARED] + figures.colours(len(pids))
    cmap = ListedColormap(colours)
    rows = math.ceil(len(frames) / COLUMNS)
    fig, axes = figures.plt.subplots(1, len(counts), squeeze=False, constrained_layout=True,
                                     figsize=(2.6 * len(counts) + 2.4, 1.6 + 0.16 * rows))
    for ax, count, owners_of in zip(axes[0], counts, states):
        draw_panel(ax, frames, cell_values(frames, owners_of, index), cmap,
                   "after %d of %d events" % (count, len(trace.events)))
    names = process_names(trace)
    handles = [Patch(facecolor=colours[index[pid]], edgecolor="#bbbbbb",
                     label="pid %d %s" % (pid, names.get(pid, "?"))) for pid in pids]
    handles += [Patch(facecolor=SHARED, label="shared by several"),
                Patch(facecolor=FREE, edgecolor="#bbbbbb", label="free")]
    figures.legend_beside(axes[0][-1], handles=handles, fontsize=7, title="owner")
    fig.suptitle("%s: the %d frames the trace mentions, by frame number, coloured by owner"
                 % (name, len(frames)))
    return fig


def write(trace, path, spec, name=""):
    figures.save(figure(trace, spec, name), path)
