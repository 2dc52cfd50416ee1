"""tools/vmtrace-src/refstring.py: a trace's reference string, in tools/vmsim's format: the
page number of every fault, with "W" after a write. The kernel sees only the accesses that
fault, never those that hit, so this is the string of misses (and copy-on-write writes).
"""
from events import FAULTS

PID_SHIFT = 20          # user pages are below 2^20: pid << 20 | page keeps processes apart


def references(trace, pid=None):
    """(page, write?) for each fault of process pid, or of every process (pages numbered
    pid << 20 | page, so that two processes' pages never look alike)."""
    for e in trace.events:
        if e.kind in FAULTS and (pid is None or e.pid == pid):
            yield (e.page if pid is not None else e.pid << PID_SHIFT | e.page), e.access == "w"


def text(refs, per_line=16):
    words = ["%d%s" % (page, "W" if write else "") for page, write in refs]
    return "".join(" ".join(words[i:i + per_line]) + "\n" for i in range(0, len(words), per_line))
