#!/usr/bin/env python3
"""tests/trace/test_replay.py: QEMU record/replay of a whole multi-process run
(tools/rr.py). A swap workload with several processes under memory pressure is recorded
once and replayed twice: each replay prints the recorded console byte for byte, the same
vmstat counters and the same VM trace (COM2), times included. A recording whose kernel
build differs from build/kernel.elf, or a folder that is no recording, is refused with a
message and at once, not replayed into a hang. Prints TAP.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tap import Tap  # noqa: E402
from runtests import qemu_command  # noqa: E402

RR = [sys.executable, os.path.join(ROOT, "tools", "rr.py")]
# The workload: three hogs and a forker sharing few frames (user/test_swap.c, multi). To
# run it on a small machine instead of under a quota: {"args": 'init="/bin/test_swap
# multi" vm.trace=1', "mem": 24}.
WORKLOAD = {"args": 'init="/bin/test_swap multi" vm.frames=64 vm.trace=1', "mem": 128}
SECONDS = 400                           # a hang detector: a loaded host is slow, not wrong


def record(folder, trace):
    cmd = qemu_command(dict(WORKLOAD, icount=True, qemu_extra=["-serial", "file:" + trace]),
                       WORKLOAD["mem"])
    return run(RR + ["record", folder, "--"] + cmd)


def replay(folder, trace=None):
    return run(RR + ["replay", folder] + (["--trace", trace] if trace else []))


def run(argv):
    """(exit status, stdout, stderr); status None if it did not end in time."""
    try:
        p = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=SECONDS)
    except subprocess.TimeoutExpired:
        return None, b"", b"timed out"
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def vmstat(console):
    m = re.search(rb"^vmstat: (.*)$", console, re.M)
    return m.group(1).decode() if m else None


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_replays(tap, tmp):
    folder = os.path.join(tmp, "multi.rr")
    traces = [os.path.join(tmp, "run%d.trace" % i) for i in range(3)]
    status, console, err = record(folder, traces[0])
    ok = status == 1 and re.search(rb"^leakcheck: .*: ok\r?$", console, re.M) \
        and b"ok 2 forking_beside_hogs" in console
    if not tap.check(ok, "multi_recorded", "status %s\n%s%s" % (status, console[-800:], err)):
        return folder
    counters = vmstat(console)
    tap.check(counters and "swap_outs 0 " not in counters and "cow_copies 0 " not in counters,
              "multi_swaps_and_copies", str(counters))
    for n in (1, 2):
        status, again, err = replay(folder, traces[n])
        tap.check(status == 0 and again == console and "byte for byte" in err,
                  "replay%d_same_console" % n, "status %s, %d bytes vs %d\n%s"
                  % (status, len(again), len(console), err))
        tap.check(vmstat(again) == counters, "replay%d_same_vmstat" % n,
                  "%s\n%s" % (vmstat(again), counters))
        tap.check(read(traces[n]) == read(traces[0]) and read(traces[0]).count(b"\n") > 1000,
                  "replay%d_same_trace" % n, "%d and %d bytes" % (len(read(traces[n])),
                                                                  len(read(traces[0]))))
    return folder


def events(base):
    """All the records the live view's server holds, once the replay has ended, and its
    status; None if it says nothing new for SECONDS (a hang: a slow host only makes the
    records come slower)."""
    records, status, first, last_news = [], None, 0, time.monotonic()
    while time.monotonic() - last_news < SECONDS:
        with urllib.request.urlopen("%s/events?from=%d" % (base, first), timeout=60) as r:
            answer = json.loads(r.read())
        records += answer["records"]
        first += len(answer["records"])
        if answer["finished"] and answer["status"].startswith("exited"):
            return records, answer["status"]
        if answer["records"]:
            last_news = time.monotonic()
        else:
            time.sleep(0.1)
    return None, status


def check_view(tap, folder, trace):
    """make replay REPLAY=DIR VIEW=1: the live view's server shows the replayed trace."""
    view = subprocess.Popen(["make", "--no-print-directory", "replay", "REPLAY=" + folder,
                             "VIEW=1", "TRACE=" + trace], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        line = view.stderr.readline().decode()
        m = re.match(r"view: (http://127\.0\.0\.1:\d+)/", line)
        records, status = events(m.group(1)) if m else (None, line)
    finally:
        os.killpg(view.pid, signal.SIGKILL)  # the server stays up until Ctrl-C
        view.wait()
    lines = [l for l in read(trace).decode().splitlines() if l and not l.startswith("#")]
    tap.check(records is not None and len(records) == len(lines) > 1000 and status == "exited 0"
              and any(r["kind"] == "swap_out" for r in records), "replay_live_view",
              "%s records, status %s, %d trace lines" % (len(records or []), status, len(lines)))


def check_refusals(tap, tmp, folder):
    """Another build's recording: the same files, but the manifest names another kernel."""
    other = os.path.join(tmp, "other-build.rr")
    os.makedirs(other)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    manifest["kernel_sha256"] = "0" * 64
    with open(os.path.join(other, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    for name in ("replay.bin", "console.log"):
        shutil.copyfile(os.path.join(folder, name), os.path.join(other, name))
    status, out, err = replay(other)
    tap.check(status == 2 and out == b"" and "recorded with another kernel build" in err
              and "refused" in err, "other_build_refused", "status %s: %s" % (status, err))
    status, out, err = replay(tmp)
    tap.check(status == 2 and "is not a recording" in err, "non_recording_refused",
              "status %s: %s" % (status, err))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        folder = check_replays(tap, tmp)
        if os.path.exists(os.path.join(folder, "manifest.json")):
            check_view(tap, folder, os.path.join(tmp, "view.trace"))
            check_refusals(tap, tmp, folder)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
