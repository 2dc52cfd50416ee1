"""tools/vmtrace-src/events.py: reads a trace the kernel wrote with vm.trace=1 (mm/trace.c,
docs/tracing.md) into a list of Event, with a clear message for a line it cannot read.
"""
import gzip

# Fault outcomes, in the order the kernel's counters list them; each maps its page.
FAULTS = ["zero_fill", "file_fill", "swap_in", "cow_copy", "cow_reuse", "cache_hit",
          "uffd_fill"]
# Evictions: the frame loses this one mapping (a shared frame gives a line per mapping).
EVICTIONS = ["swap_out", "writeback_avoided", "clean_drop", "file_writeback"]
PAGE_EVENTS = FAULTS + EVICTIONS + ["segv", "map"]
PROCESS_EVENTS = ["fork", "exec", "exit", "unmap"]
# The machine's state: frames FIRST COUNT STATE, regions START-END:PROT:KIND ...
STATE_EVENTS = ["frames", "regions"]
FRAME_STATES = ["reserved", "free", "kernel", "pgtable", "user", "busy", "pinned", "cached"]


class TraceError(Exception):
    pass


class Event:
    """One line: time (TSC), pid, kind, and for a page event its address (va), frame
    number (None for segv), access ("r", "w" or "-") and PTE flag bits (None in a trace
    of version 1); for the others their argument."""

    def __init__(self, time, pid, kind):
        self.time, self.pid, self.kind = time, pid, kind
        self.va = self.frame = self.access = self.pte = self.arg = None

    @property
    def page(self):
        return self.va >> 12


class Trace:
    def __init__(self, events, frames, user_frames_limit):
        self.events = events
        self.frames = frames                      # frames of RAM, from the header
        self.user_frames_limit = user_frames_limit

    def pids(self):
        """Every pid, in the order it first appears (pid 0, an address space fork or exec
        is still building, is left out): the order of colours in every picture."""
        return [pid for pid in dict.fromkeys(e.pid for e in self.events) if pid]


def page_event(event, words):
    """Fills in "ADDR FRAME ACCESS [PTE]" (hex address, frame number or -, r/w/-, hex)."""
    if len(words) not in (3, 4):
        raise ValueError("expected ADDR FRAME ACCESS PTE")
    if len(words) == 4:
        event.pte = int(words[3], 16)
    event.va = int(words[0], 16)
    event.frame = None if words[1] == "-" else int(words[1])
    if words[2] not in ("r", "w", "-"):
        raise ValueError("access is r, w or -, not %r" % words[2])
    event.access = words[2]


def process_event(event, words):
    """fork PARENT, exec NAME, exit, unmap START END (hex)."""
    want = {"fork": 1, "exec": 1, "exit": 0, "unmap": 2}[event.kind]
    if len(words) != want:
        raise ValueError("%s takes %d argument(s)" % (event.kind, want))
    if event.kind == "fork":
        event.arg = int(words[0])
    elif event.kind == "exec":
        event.arg = words[0]
    elif event.kind == "unmap":
        event.arg = (int(words[0], 16), int(words[1], 16))


def region(word):
    """START-END:PROT:KIND -> (start, end, prot, kind)."""
    span, prot, kind = word.split(":")
    start, end = span.split("-")
    if len(prot) != 3:
        raise ValueError("region protection is like rw-, not %r" % prot)
    return int(start, 16), int(end, 16), prot, kind


def state_event(event, words):
    """frames FIRST COUNT STATE (the state of COUNT frames from FIRST), or regions: every
    region of the process, lowest first."""
    if event.kind == "regions":
        event.arg = [region(w) for w in words]
        return
    if len(words) != 3 or words[2] not in FRAME_STATES:
        raise ValueError("expected FIRST COUNT STATE, STATE one of %s" % " ".join(FRAME_STATES))
    event.arg = (int(words[0]), int(words[1]), words[2])


def parse_line(line):
    words = line.split()
    if len(words) < 3:
        raise ValueError("expected TIME PID EVENT ...")
    event = Event(int(words[0]), int(words[1]), words[2])
    if event.kind in PAGE_EVENTS:
        page_event(event, words[3:])
    elif event.kind in PROCESS_EVENTS:
        process_event(event, words[3:])
    elif event.kind in STATE_EVENTS:
        state_event(event, words[3:])
    else:
        raise ValueError("unknown event %r" % event.kind)
    return event


def header_value(comments, key):
    """A number from the header ("# frames 32736 user_frames_limit 64")."""
    for words in comments:
        if key in words[:-1]:
            return int(words[words.index(key) + 1])
    return None


def read(path):
    """The trace in path (plain, or gzip-compressed if it ends in .gz)."""
    opener = gzip.open if path.endswith(".gz") else open
    events, comments = [], []
    with opener(path, "rt") as f:
        for number, line in enumerate(f, 1):
            if line.startswith("#"):
                comments.append(line[1:].split())
            elif line.strip():
                try:
                    events.append(parse_line(line))
                except ValueError as e:
                    raise TraceError("%s:%d: %s: %s" % (path, number, e, line.strip()[:60]))
    return Trace(events, header_value(comments, "frames"),
                 header_value(comments, "user_frames_limit"))
