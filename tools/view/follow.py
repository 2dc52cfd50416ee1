"""tools/view/follow.py: follows a VM trace (mm/trace.c, docs/tracing.md) while the kernel
writes it, and keeps every line read so far as a record the page can replay: an event, or
an error row for a line that cannot be read (the reading goes on after it).
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "vmtrace-src"))
import events  # noqa: E402

POLL = 0.05          # seconds between looks at a trace that has not grown


def record(number, line):
    """The page's form of one trace line: its fields, or {"kind": "error"} and why."""
    try:
        e = events.parse_line(line)
    except (ValueError, IndexError) as err:
        return {"line": number, "kind": "error", "error": str(err), "text": line.strip()[:120]}
    return {"line": number, "time": e.time, "pid": e.pid, "kind": e.kind, "va": e.va,
            "frame": e.frame, "access": e.access, "pte": e.pte, "arg": e.arg}


class Follower:
    """Reads path in a thread of its own, from its start (or from when it appears)."""

    def __init__(self, path):
        self.path = path
        self.records = []
        self.header = {"frames": None, "user_frames_limit": None, "version": None}
        self.writer_done = threading.Event()   # no more will come: the kernel has exited
        self.finished = False                  # ... and everything has been read
        self.lock = threading.Lock()

    def start(self):
        threading.Thread(target=self.run, daemon=True).start()

    def since(self, first):
        with self.lock:
            return self.records[first:], self.finished

    def take(self, number, line):
        if line.startswith("#"):
            words = line[1:].split()
            with self.lock:
                for key in ("frames", "user_frames_limit"):
                    value = events.header_value([words], key)
                    self.header[key] = value if value is not None else self.header[key]
                if words[:3] == ["pagoda", "vm", "trace"]:
                    self.header["version"] = words[3].rstrip(":")
        elif line.strip():
            r = record(number, line)
            with self.lock:
                self.records.append(r)

    def open(self):
        while not os.path.exists(self.path):
            if self.writer_done.is_set():
                return None
            time.sleep(POLL)
        return open(self.path, "rb")

    def run(self):
        f, number, partial = self.open(), 0, b""
        while f:
            chunk = f.read(65536)
            if not chunk:
                if self.writer_done.is_set():
                    break
                time.sleep(POLL)
                continue
            lines = (partial + chunk).split(b"\n")
            partial = lines.pop()               # an unfinished line waits for its end
            for raw in lines:
                number += 1
                self.take(number, raw.decode("utf-8", "replace"))
        if partial:                             # the writer stopped in the middle of a line
            self.take(number + 1, partial.decode("utf-8", "replace"))
        if f:
            f.close()
        with self.lock:
            self.finished = True
