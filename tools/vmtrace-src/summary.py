"""tools/vmtrace-src/summary.py: a trace in numbers: how many events of each kind, the kernel
counter each matches (so a trace can be checked against the "vmstat:" line init prints),
and for each process its faults, evictions and most pages resident at once.
"""
from events import EVICTIONS, FAULTS
from replay import Replay, process_names

COUNTER = {"zero_fill": "zero_fills", "file_fill": "file_fills", "swap_in": "swap_ins",
           "cow_copy": "cow_copies", "cow_reuse": "cow_reuses", "swap_out": "swap_outs",
           "writeback_avoided": "writebacks_avoided", "clean_drop": "clean_drops",
           "cache_hit": "cache_hits", "file_writeback": "file_writebacks",
           "uffd_fill": "uffd_fills"}


def counters(trace):
    """{vmstat counter: count}. An eviction counts once per frame, however many mappings
    it removed (they share one time). A swap-in counts every fault on a swapped-out page;
    the kernel's swap_ins only those that read the disk: they differ when a slot shared
    after fork is read by one process and found in the swap cache by the other."""
    counts = dict.fromkeys(COUNTER.values(), 0)
    evicted = set()
    for e in trace.events:
        if e.kind in FAULTS:
            counts[COUNTER[e.kind]] += 1
        elif e.kind in EVICTIONS and (e.time, e.frame) not in evicted:
            evicted.add((e.time, e.frame))
            counts[COUNTER[e.kind]] += 1
    return counts


def per_process(trace):
    """{pid: (name, faults, evictions, peak resident pages)}."""
    r, faults, evictions, peak = Replay(), {}, {}, {}
    for e in trace.events:
        r.step(e)
        faults[e.pid] = faults.get(e.pid, 0) + (e.kind in FAULTS)
        evictions[e.pid] = evictions.get(e.pid, 0) + (e.kind in EVICTIONS)
        peak[e.pid] = max(peak.get(e.pid, 0), r.resident.get(e.pid, 0))
    names = process_names(trace)
    return {pid: (names.get(pid, "?"), faults[pid], evictions[pid], peak[pid])
            for pid in trace.pids()}


def text(trace):
    events = trace.events
    lines = ["%d events, %d processes, TSC %d to %d" % (
        len(events), len(trace.pids()), events[0].time if events else 0,
        events[-1].time if events else 0), "", "%-20s %8s" % ("counter", "events")]
    lines += ["%-20s %8d" % item for item in counters(trace).items()]
    lines += ["", "%5s %-15s %8s %9s %13s" % ("pid", "name", "faults", "evictions",
                                               "peak resident")]
    lines += ["%5d %-15s %8d %9d %13d" % ((pid,) + row) for pid, row in per_process(trace).items()]
    return "\n".join(lines) + "\n"
