#!/usr/bin/env python3
"""tools/view/serve.py: the live view of a running kernel (make qemu VIEW=1, make run
VIEW=1; docs/tracing.md). Serves one page on 127.0.0.1 that draws the VM trace as the
kernel writes it: the frames, each process's regions, the events, the counters.

  serve.py TRACE [--port N] [-- COMMAND...]

With a COMMAND (QEMU writing COM2 into TRACE) it runs it and, when it exits, keeps the
view up until Ctrl-C, then exits with the command's status. Without one it follows TRACE
as it grows. It only ever reads TRACE (and its own files).
"""
import argparse
import http.server
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from follow import Follower  # noqa: E402
from handler import Handler  # noqa: E402


def arguments(argv):
    command = []
    if "--" in argv:
        command = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser(prog="serve.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trace")
    ap.add_argument("--port", type=int, default=0, help="default: a free one")
    args = ap.parse_args(argv)
    args.command = command
    return args


def serve(follower, port, status):
    """Starts the server in a thread; returns it (its port is server_address[1])."""
    handler = type("TraceHandler", (Handler,), {"follower": follower,
                                                "status": staticmethod(status)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(signum, frame):
    raise KeyboardInterrupt


def wait_for_ctrl_c():
    """Ctrl-C, or a SIGTERM (from a test that started the view)."""
    signal.signal(signal.SIGTERM, stop)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def main(argv):
    args = arguments(argv)
    follower = Follower(args.trace)
    state = {"status": "running" if args.command else "following"}
    if args.command and os.path.exists(args.trace):
        os.unlink(args.trace)       # a run's old trace must not be shown as this one's
    follower.start()
    server = serve(follower, args.port, lambda: state["status"])
    print("view: http://127.0.0.1:%d/ (the trace %s)" % (server.server_address[1], args.trace),
          file=sys.stderr, flush=True)
    rc = 0
    if args.command:
        try:
            rc = subprocess.call(args.command)
        except KeyboardInterrupt:
            rc = 130
        state["status"] = "exited %d" % rc
        follower.writer_done.set()
        print("view: the kernel exited (%d); the view stays up until Ctrl-C" % rc,
              file=sys.stderr, flush=True)
    wait_for_ctrl_c()
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
