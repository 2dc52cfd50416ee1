#!/usr/bin/env python3
"""tests/view/test_view.py: the live view (tools/view) in a real headless Chromium. Boots
three hogs (test_swap multi) under -icount with the view's server following the trace, as
`make run VIEW=1` does (the guest stopped through QMP at each sample, so that host speed
changes the number of samples, never what they show), and checks what the page draws,
by reading the grid's pixels: one
cell per frame of the trace's header, user frames in their owner's colour that change
owner as the hogs run, a click on a frame naming its owner and on a page showing its PTE,
and after the kernel's exit the page still answering and scrubbing back to earlier
moments. Then, on a trace with bad lines, the page's red rows for them. Keeps a screenshot in
build/view-test/live-view.png (docs/tracing.md shows one). Prints TAP.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "view"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tap import Tap  # noqa: E402
from runtests import qemu_command  # noqa: E402
from cdp import Browser  # noqa: E402

OUT = os.path.join(ROOT, "build", "view-test")
MEM = 32
ARGS = 'init="/bin/test_swap multi" vm.frames=64 vm.seed=1 vm.trace=1'
HANG = 400          # seconds: only a hang detector
SLICE = 0.05        # seconds the guest runs between two samples (taken with it stopped)

# In the page: every frame's cell colour read back from the canvas (its top-left pixel),
# the colours of the frame states, and each frame's owner in the page's model.
GRID = """(() => {
  const cv = document.getElementById("grid"), m = pagoda.machine, g = gridShape(m.nframes);
  const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
  const at = f => { const i = 4 * ((Math.floor(f / g.columns) * g.cell) * cv.width +
                                   (f % g.columns) * g.cell);
                    return d[i] + "," + d[i + 1] + "," + d[i + 2]; };
  const rgb = css => { const c = document.createElement("canvas").getContext("2d");
                       c.fillStyle = css; c.fillRect(0, 0, 1, 1);
                       const p = c.getImageData(0, 0, 1, 1).data; return p[0] + "," + p[1] + "," + p[2]; };
  const cells = [], owners = {}, pids = {};
  for (let f = 0; f < g.columns * g.rows; f++) cells.push(at(f));
  for (let f = 0; f < m.nframes; f++) { const v = m.frameView(f); if (v.pid !== null) owners[f] = v.pid; }
  for (const p of m.procs.keys()) pids[p] = rgb(pidColour(p));
  return JSON.stringify({frames: m.nframes, header: Number(cv.dataset.frames), cells, owners, pids,
    states: Object.fromEntries(Object.entries(STATE_COLOURS).map(([k, v]) => [k, rgb(v)])),
    background: rgb("#dddddd"), status: document.getElementById("status").textContent,
    cursor: pagoda.cursor, records: pagoda.records.length});
})()"""


def grid(b):
    return json.loads(b.js(GRID))


def user_cells(g):
    """{frame: pid} for the cells drawn in some process's colour."""
    by_colour = {rgb: int(pid) for pid, rgb in g["pids"].items() if int(pid)}
    return {f: by_colour[c] for f, c in enumerate(g["cells"][:g["frames"]]) if c in by_colour}


class Monitor:
    """QEMU's machine protocol (QMP) on a Unix socket. The test stops the guest while it
    samples the page and lets it run a slice between samples, so a fast or a loaded host
    changes how many samples there are, never whether the page can be seen running."""

    def __init__(self, path):
        deadline = time.time() + 30
        while not os.path.exists(path) and time.time() < deadline:
            time.sleep(0.05)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.lines = self.sock.makefile("r")
        self.lines.readline()                           # the greeting
        self.command("qmp_capabilities")

    def command(self, name):
        """True once QEMU has done it; False when QEMU is gone (the kernel powered off)."""
        try:
            self.sock.sendall((json.dumps({"execute": name}) + "\n").encode())
            while True:                                 # events may come first
                line = self.lines.readline()
                if not line:
                    return False
                if "return" in json.loads(line) or "error" in json.loads(line):
                    return True
        except OSError:
            return False


def start_view(trace, console, qmp):
    cmd = qemu_command({"args": ARGS, "icount": True, "mem": MEM,
                        "qemu_extra": ["-serial", "file:" + trace, "-S",
                                       "-qmp", "unix:%s,server=on,wait=off" % qmp]}, MEM)
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "view", "serve.py"),
                             trace, "--"] + cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=console, stderr=subprocess.PIPE, text=True)
    url = re.search(r"view: (http://127\.0\.0\.1:\d+/)", proc.stderr.readline()).group(1)
    return proc, url


def centre_click(b, frame):
    cell = json.loads(b.js("JSON.stringify(pagoda.cell(%d))" % frame))
    b.click(cell["x"], cell["y"])
    return b.js("document.getElementById('frame-info').textContent")


def button(b, name):
    r = json.loads(b.js("(e => (e.scrollIntoView({block: 'center'}), "
                        "JSON.stringify(e.getBoundingClientRect())))(document.getElementById('%s'))"
                        % name))
    b.click(r["x"] + r["width"] / 2, r["y"] + r["height"] / 2)


def settled(b):
    """Wait until the page has every record of the trace so far (the guest is stopped)."""
    seen = -1
    while True:
        n = b.js("window.pagoda ? pagoda.records.length : 0")
        if n == seen:
            return
        seen = n
        time.sleep(0.2)


def watch_live(tap, b, monitor):
    """Samples of the grid while the kernel runs, each with the guest stopped; pauses the
    page once, when three processes own frames, to click a frame and take the screenshot."""
    samples, clicked, deadline = [], False, time.time() + HANG
    monitor.command("cont")
    while time.time() < deadline and not b.js("!!window.pagoda && pagoda.records.length > 0"):
        time.sleep(0.2)                 # the page is loading, or the kernel booting
    while time.time() < deadline:
        running = monitor.command("stop")
        settled(b)
        g = grid(b)
        if not g["status"].startswith("kernel running"):
            break
        if g["frames"]:
            samples.append(user_cells(g))
        if not clicked and samples and len(set(samples[-1].values())) >= 3:    # the hogs run
            button(b, "pause")
            g = grid(b)
            frame, pid = next(iter(sorted(g["owners"].items(), key=lambda kv: int(kv[0]))))
            info = centre_click(b, int(frame))
            tap.check(re.search(r"^frame %s .*owner pid %d test_swap" % (frame, pid), info),
                      "click_names_the_owner", info)
            tap.check("mapped by pid %d" % pid in info and "PTE 0x" in info,
                      "click_lists_mappers_and_pte", info)
            b.screenshot(os.path.join(OUT, "live-view.png"))
            button(b, "live")
            clicked = True
        if not running or not monitor.command("cont"):
            continue                    # QEMU is gone: the page says so at the next sample
        time.sleep(SLICE)
    return samples, clicked


def check_live(tap, samples, clicked):
    tap.check(clicked, "page_paused_and_clicked_while_running", "%d samples" % len(samples))
    most = max((len(s) for s in samples), default=0)
    tap.check(most >= 40, "user_frames_appear", "at most %d frames in a process colour" % most)
    changed = {f for a, b in zip(samples, samples[1:]) for f in a if f in b and a[f] != b[f]}
    tap.check(changed, "user_frames_change_owner_while_running",
              "%d live samples, no frame changed colour" % len(samples))


def check_grid(tap, g):
    n = g["frames"]
    tap.check(n == g["header"] and (MEM - 1) * 256 < n <= MEM * 256, "grid_has_a_frame_per_frame",
              "%d frames in the model, %d in the header, %d MiB" % (n, g["header"], MEM))
    drawn = [c != g["background"] for c in g["cells"]]
    tap.check(all(drawn[:n]) and not any(drawn[n:]), "grid_draws_exactly_those_cells",
              "%d of %d drawn" % (sum(drawn), len(drawn)))
    owners = user_cells(g)
    agree = all(int(g["owners"].get(str(f), -1)) == pid for f, pid in owners.items())
    tap.check(agree, "grid_colours_are_the_owners")


def check_after_exit(tap, b, proc):
    deadline = time.time() + 60
    while time.time() < deadline and "all read" not in grid(b)["status"]:
        time.sleep(0.3)
    g = grid(b)
    tap.check(re.match(r"kernel exited \d+, all read", g["status"]) and proc.poll() is None,
              "server_survives_the_kernel_exit", g["status"])
    tap.check(g["cursor"] == g["records"] > 1000 and not user_cells(g), "end_every_user_frame_free",
              "cursor %d of %d, %d user cells" % (g["cursor"], g["records"], len(user_cells(g))))
    b.js("document.getElementById('scrub').value = %d; "
         "document.getElementById('scrub').dispatchEvent(new Event('input'))" % (g["records"] // 2))
    mid = grid(b)
    tap.check(mid["cursor"] == g["records"] // 2 and len(user_cells(mid)) > 0,
              "scrub_back_shows_the_past", "cursor %d, %d user cells" % (mid["cursor"], len(user_cells(mid))))
    check_grid(tap, mid)
    check_page_click(tap, b)
    button(b, "step")
    tap.check(grid(b)["cursor"] == g["records"] // 2 + 1, "step_one_line")


# A resident page of a live process in the address spaces: where its cell is, and what
# the model says of it.
PAGE = """(() => {
  const m = pagoda.machine, rows = document.querySelectorAll("#spaces .space");
  const live = [...m.procs.values()].filter(p => p.pid && !p.exited);
  for (let i = 0; i < live.length; i++) {
    const p = live[i], canvases = rows[i].querySelectorAll("canvas");
    for (let k = 0; k < p.regions.length; k++) {
      const [start, end] = p.regions[k], pages = (end - start) >>> 12;
      for (const [page, e] of p.pages) {
        if (e.where !== "resident" || page < start >>> 12 || page >= end >>> 12) continue;
        canvases[k].scrollIntoView({block: "center"});   /* a click lands only in view */
        const r = canvases[k].getBoundingClientRect(), i0 = page - (start >>> 12);
        return JSON.stringify({pid: p.pid, page, frame: e.frame, pte: e.pte,
          x: r.left + 1 + (i0 + 0.5) * canvases[k].width / pages, y: r.top + r.height / 2});
      }
    }
  }
  return "null";
})()"""


def check_page_click(tap, b):
    page = json.loads(b.js(PAGE))
    if page:
        b.click(page["x"], page["y"])
    info = b.js("document.getElementById('page-info').textContent")
    tap.check(page and info.startswith("pid %d page %08x: resident in frame %d, PTE 0x%03x"
                                       % (page["pid"], page["page"] * 4096, page["frame"], page["pte"])),
              "click_on_a_page_shows_its_pte", "%s: %s" % (page, info))


def check_bad_lines(tap):
    """The page on a trace with a garbage line and a bad one (the server following a file,
    no kernel): a red row for each, the lines after them still replayed, and a last line
    still being written not shown yet."""
    trace = os.path.join(OUT, "garbage.trace")
    with open(trace, "w") as f:
        f.write("# pagoda vm trace 2\n# frames 64 user_frames_limit 8\n10 0 frames 0 64 free\n"
                "11 0 frames 20 1 user\n12 1 exec init\n13 1 zero_fi\x00\xff\n"
                "14 1 zero_fill 08048000 20 w 007\n15 0 frames 21 3 kern\n16 1 ex")
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "view", "serve.py"), trace],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    url = re.search(r"view: (http://127\.0\.0\.1:\d+/)", proc.stderr.readline()).group(1)
    b = Browser(url, 1000, 800)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not b.js("!!window.pagoda && pagoda.records.length == 6"):
            time.sleep(0.2)
        rows = json.loads(b.js("JSON.stringify([...document.querySelectorAll('#log tr.error')]"
                               ".map(r => r.textContent))"))
        tap.check(len(rows) == 2 and "line 8: cannot read it" in rows[0] and "line 6: cannot read it"
                  in rows[1] and b.js("pagoda.records.length") == 6, "error_rows_on_the_page", str(rows))
        g = grid(b)
        tap.check(user_cells(g) == {20: 1} and g["frames"] == 64, "lines_after_the_errors_replayed",
                  str(user_cells(g)))
    finally:
        b.close()
        proc.terminate()
        proc.wait(timeout=30)


def check_makefile(tap):
    """make run VIEW=1 is what this test does: QEMU under the view's server."""
    out = subprocess.run(["make", "-n", "run", "VIEW=1", "INIT=/bin/true"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120).stdout
    tap.check(re.search(r"^python3 tools/view/serve.py build/view.trace -- tools/run.sh .*"
                        r"vm.trace=1.*build/view.trace", out, re.M), "make_run_view_runs_the_server",
              out[-300:])


def main():
    tap = Tap()
    check_makefile(tap)
    os.makedirs(OUT, exist_ok=True)
    trace, log = os.path.join(OUT, "trace"), os.path.join(OUT, "console")
    qmp = os.path.join(OUT, "qmp.sock")
    if os.path.exists(qmp):
        os.unlink(qmp)
    with open(log, "w") as console:
        proc, url = start_view(trace, console, qmp)
        b = Browser(url)
        try:
            check_live(tap, *watch_live(tap, b, Monitor(qmp)))
            check_after_exit(tap, b, proc)
        finally:
            b.close()
            proc.terminate()
            proc.wait(timeout=30)
    with open(log, errors="replace") as f:
        tap.check(re.search(r"^leakcheck: .*: ok", f.read(), re.M), "kernel_leakcheck_ok")
    check_bad_lines(tap)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
