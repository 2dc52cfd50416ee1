"""tests/gdb/shared_session.py: runs inside gdb, which tests/gdb/test_gdb.py (session
"shared") attaches to QEMU while two `mapfile /tmp/x` map one tmpfs file MAP_SHARED, as
docs/page-cache.md's session does at the shell. It stops each mapfile when it goes to sleep
with its mapping made (sleep_ns); then pagoda-frames on the frame they printed must show one
frame of the page cache mapped by both processes. Prints TAP.
"""
import os
import re
import sys

import gdb

sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
from tap import Tap  # noqa: E402

tap = Tap()


def run(command):
    return gdb.execute(command, to_string=True)


def mappers_so_far():
    """{pid: frame} from the lines mapfile has printed on the console."""
    with open(os.environ["PAGODA_CONSOLE"]) as f:
        text = f.read()
    return {int(pid): int(frame) for pid, frame in
            re.findall(r"^mapfile (\d+): /tmp/x page 0 in frame (\d+)", text, re.M)}


def main():
    try:
        run("break sleep_ns")
        run("continue")                 # the first mapfile asleep, its page mapped
        run("continue")                 # and the second
        run("delete")
        mappers = mappers_so_far()
        frames = set(mappers.values())
        tap.check(len(mappers) == 2 and len(frames) == 1, "two_mappers_one_frame", str(mappers))
        if len(frames) == 1:
            text = run("pagoda-frames %d" % frames.pop())
            tap.check(all("mapped by pid %d (mapfile)" % pid in text for pid in mappers),
                      "frames_lists_both_mappers", text)
            tap.check("refs 3" in text and re.search(r"page cache: page 0 of inode \d+", text),
                      "frames_cache_holds_one_reference", text)
        summary = run("pagoda-frames")
        cached = re.search(r"page cache: (\d+) frames", summary)
        tap.check(cached and int(cached.group(1)) >= 1, "frames_summary_counts_the_cache", summary)
    except gdb.error as e:
        tap.check(False, "session", "gdb: %s" % e)
    try:
        run("continue")                 # to the end: QEMU exits with init's status
    except gdb.error:
        pass
    tap.finish()


main()
