#!/usr/bin/env python3
"""tests/view/test_server.py: the live view's server (tools/view) on traces written here
line by line: a line still being written waits for its end, a garbage line and a line cut
off by the writer's end become error rows and the reading goes on; the HTTP answers
(the page's files only, /events from any record, a bad request refused); a kernel that
exits leaves the view up; and the server opens nothing for writing (a Python audit hook
sees every open). Prints TAP (a host test).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools", "view"))
from tap import Tap  # noqa: E402
from follow import Follower  # noqa: E402
import serve  # noqa: E402

HEADER = "# pagoda vm trace 2: time pid event args (docs/tracing.md)\n# frames 64 user_frames_limit 8\n"
GOOD = ["10 0 frames 0 16 reserved", "11 0 frames 16 48 free", "12 1 exec init",
        "13 1 zero_fill 08048000 20 w 067"]
opened, writes = [], []  # files the server opened, and those for writing (the audit hook's)


def audit(event, args):
    """Opens by the server's threads (the follower, the HTTP handlers), not this test's."""
    if event == "open" and len(args) > 2 and threading.current_thread() is not threading.main_thread():
        path, mode, flags = args[0], args[1] or "", args[2] or 0
        opened.append(path)
        if any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            writes.append(path)


def wait_for(cond, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline and not cond():
        time.sleep(0.02)
    return cond()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def check_follow(tap, path):
    """The writer is this test; the server reads in its own thread meanwhile."""
    follower = Follower(path)
    follower.start()
    with open(path, "w") as f:
        f.write(HEADER + "\n".join(GOOD) + "\n14 1 swap_out 0804")
        f.flush()
        tap.check(wait_for(lambda: len(follower.since(0)[0]) == 4) and
                  len(follower.since(0)[0]) == 4, "partial_line_waits_for_its_end")
        f.write("8000 20 - 067\n13 1 teleport 1 2 3\n\x00\xff garbage\n15 1 fork\n16 1 exit\n17 1 zero_fi")
        f.flush()
        wait_for(lambda: len(follower.since(0)[0]) >= 8)
    follower.writer_done.set()
    tap.check(wait_for(lambda: follower.since(0)[1]), "reading_ends_when_the_writer_is_done")
    records = follower.since(0)[0]
    kinds = [r["kind"] for r in records]
    tap.check(kinds == ["frames", "frames", "exec", "zero_fill", "swap_out", "error", "error",
                        "error", "exit", "error"], "records_with_error_rows", str(kinds))
    tap.check(records[4]["va"] == 0x08048000 and records[4]["pte"] == 0x67,
              "line_written_in_two_pieces_read_whole", str(records[4]))
    errors = [r for r in records if r["kind"] == "error"]
    tap.check([r["line"] for r in errors] == [8, 9, 10, 12] and "unknown event 'teleport'" in errors[0]["error"],
              "error_rows_say_line_and_why", str(errors))
    tap.check(records[-1]["text"] == "17 1 zero_fi" and follower.header == {"frames": 64, "user_frames_limit": 8,
              "version": "2"}, "cut_off_last_line_an_error_row_and_header_read", "%s %s" % (records[-1], follower.header))
    return follower


def check_http(tap, follower):
    server = serve.serve(follower, 0, lambda: "exited 0")
    base = "http://127.0.0.1:%d" % server.server_address[1]
    status, body = get(base + "/events?from=3")
    answer = json.loads(body)
    tap.check(status == 200 and answer["from"] == 3 and len(answer["records"]) == 7 and
              answer["finished"] and answer["status"] == "exited 0", "events_from_n", body[:200])
    tap.check(get(base + "/events?from=x")[0] == 400, "bad_from_refused")
    page = get(base + "/")[1].decode()
    scripts = [get(base + "/" + name)[0] for name in ("model.js", "draw.js", "view.js", "view.css")]
    tap.check("<canvas id=\"grid\">" in page and "http" not in page.replace("https://", "http")
              .split("<body>")[1] and scripts == [200] * 4, "page_and_its_files_served_locally")
    tap.check(all(get(base + p)[0] == 404 for p in ("/../serve.py", "/serve.py", "/etc/passwd")),
              "nothing_else_served")
    server.shutdown()


def check_exit(tap, tmp):
    """serve.py around a 'kernel' that writes its trace and exits with status 3."""
    trace = os.path.join(tmp, "run.trace")
    with open(trace, "w") as f:
        f.write("stale lines of an old run\n")
    kernel = "printf '%s' > %s; sleep 1; exit 3" % (HEADER + "\n".join(GOOD) + "\n", trace)
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "view", "serve.py"), trace,
                             "--", "sh", "-c", kernel], stderr=subprocess.PIPE, text=True)
    url = proc.stderr.readline().split()[1]
    answer = {}

    def exited():
        answer.update(json.loads(get(url + "events?from=0")[1]))
        return answer["status"] == "exited 3" and answer["finished"]
    tap.check(wait_for(exited) and proc.poll() is None, "view_stays_up_after_the_kernel_exits",
              str(answer)[:200])
    tap.check([r["kind"] for r in answer["records"]] == ["frames", "frames", "exec", "zero_fill"],
              "old_trace_not_shown_as_this_runs", str(answer["records"])[:200])
    proc.send_signal(signal.SIGTERM)
    tap.check(proc.wait(timeout=30) == 3, "exits_with_the_kernels_status_on_sigterm")


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "trace")
        sys.addaudithook(audit)
        follower = check_follow(tap, path)
        check_http(tap, follower)
        tap.check(path in opened and writes == [], "server_opens_nothing_for_writing",
                  "opened %s, for writing %s" % (opened, writes))
        check_exit(tap, tmp)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
