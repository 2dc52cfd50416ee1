"""tools/vmtrace-src/replay.py: replays a trace, event by event, to know at each moment which
page of which process every frame holds, and so how many pages each process has resident.

The trace says where every mapping starts and ends: a fault maps a page, an eviction
unmaps it, fork and exec list the pages the new address space starts with, unmap and
exit drop pages. So the replay is exact (docs/tracing.md says when it is not).
"""
from events import EVICTIONS, FAULTS


class Replay:
    def __init__(self):
        self.frame_at = {}        # (pid, page) -> frame
        self.users = {}           # frame -> {(pid, page), ...}
        self.resident = {}        # pid -> pages resident

    def map(self, pid, page, frame):
        self.unmap(pid, page)
        self.frame_at[(pid, page)] = frame
        self.users.setdefault(frame, set()).add((pid, page))
        self.resident[pid] = self.resident.get(pid, 0) + 1

    def unmap(self, pid, page):
        frame = self.frame_at.pop((pid, page), None)
        if frame is None:
            return
        self.users[frame].discard((pid, page))
        if not self.users[frame]:
            del self.users[frame]
        self.resident[pid] -= 1

    def unmap_where(self, pid, keep):
        for p, page in [key for key in self.frame_at if key[0] == pid and not keep(key[1])]:
            self.unmap(p, page)

    def step(self, e):
        """Applies one event."""
        if e.kind in FAULTS or e.kind == "map":
            self.map(e.pid, e.page, e.frame)
        elif e.kind in EVICTIONS:
            if self.frame_at.get((e.pid, e.page)) == e.frame:
                self.unmap(e.pid, e.page)
        elif e.kind == "unmap":
            start, end = e.arg
            self.unmap_where(e.pid, lambda page: not start >> 12 <= page < end >> 12)
        elif e.kind in ("exec", "exit"):
            self.unmap_where(e.pid, lambda page: False)

    def owners(self, frame):
        """The pids mapping frame now, lowest first (empty: the frame is free)."""
        return sorted({pid for pid, _ in self.users.get(frame, ())})


def process_names(trace):
    """{pid: program name}: a child is named as its parent until it runs exec."""
    names = {}
    for e in trace.events:
        if e.kind == "exec":
            names[e.pid] = e.arg
        elif e.kind == "fork":
            names[e.pid] = names.get(e.arg, "?")
    return names

