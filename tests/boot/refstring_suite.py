"""tests/boot/refstring_suite.py: the kernel's page faults against the simulator's.

/bin/refstring replays a reference string on its own pages with a fixed number of frames
(RLIMIT_RSS under local replacement, everything else locked) and prints the faults the
kernel counted. Each test expects exactly what tools/vmsim --csv computes for the same
policy, frames and string, run here when the suite is loaded.

Only the policies whose decisions depend on nothing but the references and the accessed
and dirty bits can agree exactly: FIFO, second chance, clock and ESC. Aging, LFU, MFU
and WSClock sample or time-stamp at clock ticks (every 8 references in vmsim, every
100 ms in the kernel), and random draws from another generator: docs/policies.md.
"""
import os
import re
import subprocess

from user_suite import LEAKS_OK

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SILBERSCHATZ = "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"      # section 9.4: FIFO 15 with 3
BELADY = "1,2,3,4,1,2,5,1,2,3,4,5"                              # FIFO 9 with 3 frames, 10 with 4
# Silberschatz's string with every other reference a write: dirty pages go to swap and
# come back (major faults), clean ones are dropped and zero-filled again.
WRITES = "7W,0,1W,2,0W,3,0,4W,2,3W,0,3,2W,1,2,0W,1,7,0W,1"


def simulated_faults(policy, frames, refs):
    """tools/vmsim's fault count, or None if it could not say."""
    out = subprocess.run([os.path.join(ROOT, "tools", "vmsim"), "--csv", "--policy", policy,
                          "--frames", str(frames), "--refs", refs],
                         capture_output=True, text=True).stdout.splitlines()
    m = re.match(r"^%s,%d,\d+,(\d+)$" % (policy, frames), out[1]) if len(out) == 2 else None
    return int(m.group(1)) if m else None


def refstring_test(policy, frames, refs, label):
    faults = simulated_faults(policy, frames, refs)
    expect = (r"^refstring: %s, %d frames: %d faults \(.*data ok$" % (policy, frames, faults)
              if faults is not None else r"(tools/vmsim gave no count)")
    return {"name": "refstring-%s-%s-%d" % (policy, label, frames),
            "args": 'init="/bin/refstring %d %s" vm.policy=%s' % (frames, refs, policy),
            "expect": [expect, LEAKS_OK]}


TESTS = [refstring_test("fifo", 3, SILBERSCHATZ, "silberschatz"),
         # Belady's anomaly, live: more frames, more faults.
         refstring_test("fifo", 3, BELADY, "belady"),
         refstring_test("fifo", 4, BELADY, "belady"),
         refstring_test("fifo", 3, WRITES, "writes")]
for _policy in ("second_chance", "clock", "esc"):
    TESTS += [refstring_test(_policy, 3, SILBERSCHATZ, "silberschatz"),
              refstring_test(_policy, 4, BELADY, "belady"),
              refstring_test(_policy, 3, WRITES, "writes")]

# Bad arguments are refused with the usage line.
TESTS.append({"name": "refstring-usage", "args": 'init="/bin/refstring 0 1,2,x"', "status": 2,
              "expect": [r"^usage: refstring FRAMES STRING", LEAKS_OK]})
