#!/usr/bin/env python3
"""tests/console/test_pagecache_session.py: the session of docs/page-cache.md ("Watching
it"), typed at the shell: a file written into /tmp with cat, mapped by two processes in
the background, and vmstat. The commands are read from the document's session block, so
what the page shows is what runs; the test checks what the page says of the output: both
mappers name the same frame for the page, and vmstat counts shared pages. Prints TAP.
Run it alone: python3 tests/console/test_pagecache_session.py (after make).
"""
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from tap import Tap  # noqa: E402
from test_shell import Console, HANG, ROOT  # noqa: E402

DOC = os.path.join(ROOT, "docs", "page-cache.md")
CTRL_D = "\x04"


def session_block():
    """The lines of the document's session block (the one that starts "$ cat > /tmp/")."""
    with open(DOC) as f:
        page = f.read()
    m = re.search(r"```\n(\$ cat > /tmp/.*?)\n```", page, re.S)
    return m.group(1).splitlines() if m else []


def inputs(block):
    """What a person types: the command lines, and the text typed into cat up to ^D."""
    typed, in_cat = [], False
    for line in block:
        if line.startswith("$ "):
            typed.append(line[2:])
            in_cat = line.startswith("$ cat > ")
        elif in_cat:
            typed.append(CTRL_D if line == "^D" else line)
            in_cat = line != "^D"
    return typed


def mapper_lines(con, start, path):
    """[(pid, frame)] of the mappers' lines, looked for in everything printed since
    start: they come in the background, before or after a prompt, so no mark can be
    trusted to lie before them."""
    pattern = re.compile(r"mapfile (\d+): %s page 0 in frame (\d+)\n" % re.escape(path))
    deadline = time.time() + HANG
    while True:
        found = pattern.findall(con.seen, start)
        if len(found) >= 2 or not con.read_some(deadline):
            return found[:2]


def main():
    tap = Tap()
    block = session_block()
    typed = inputs(block)
    tap.check(len(typed) >= 5 and typed[0].startswith("cat > /tmp/"), "doc_has_the_session",
              str(block))
    con = Console()
    tap.check(con.wait_for(r"^\$ ") is not None, "shell_prompt", con.seen[-300:])
    path = typed[0].split()[-1]
    start = None                        # where background output may begin
    for line in typed:
        if line == CTRL_D:
            con.type(CTRL_D)
            con.wait_for(r"^\$ ")
        elif line.startswith("vmstat"):
            break
        else:
            if line.endswith("&") and start is None:
                start = len(con.seen)
            con.type(line + "\r")
            if not line.startswith("cat > "):
                con.wait_for(r"^\$ ")
    frames = mapper_lines(con, start or 0, path)
    tap.check(len(frames) == 2 and frames[0][0] != frames[1][0] and frames[0][1] == frames[1][1],
              "two_mappers_one_frame", "%s: %s" % (frames, con.seen[-400:]))
    con.mark = len(con.seen)            # past the mappers' lines: vmstat's output next
    out = con.run("vmstat") or ""
    cache = re.search(r"^cache\s+(\d+) pages cached, (\d+) pages shared$", out, re.M)
    tap.check(cache and int(cache.group(1)) >= 1 and int(cache.group(2)) >= 1,
              "vmstat_counts_shared_pages", out)
    shown = [line for line in block if line.startswith("mapfile ") or line.startswith("cache ")]
    tap.check(len(shown) == 3, "doc_shows_mappers_and_vmstat", str(shown))
    con.close()
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
