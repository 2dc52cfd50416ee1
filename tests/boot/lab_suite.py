"""tests/boot/lab_suite.py: the replacement-policy lab's promises, booted in the lab kernel
(build/labkernel/kernel.elf: this kernel with the handout's skeleton policy registered as
docs/labs/replacement.md tells students, and tests/lab/broken_policies.c's policies).

The skeleton swaps under pressure without a livelock. Each broken policy is stopped by
the kernel (mm/replace.c) with a panic that names it and the frame it chose (or, for
one that calls pol_fail, its own reason), within a
second or so: never a kernel page fault, never a hang until the timeout.
"""
import os

from user_suite import LEAKS_OK

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB_KERNEL = os.path.join(ROOT, "build", "labkernel", "kernel.elf")
HOG = 'init="/bin/test_swap hog" vm.frames=128'
# refstring locks its own code, data and stack: resident frames that are not eligible.
REFSTRING = 'init="/bin/refstring 3 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"'
CHOSE = r"^PANIC: vm\.policy=%s chose frame %s \(of \d+\): %s \(mm/policy/policy\.h"


def broken(policy, args, expect):
    return {"name": "lab-broken-" + policy.replace("_", "-"), "kernel": LAB_KERNEL,
            "args": "%s vm.policy=%s" % (args, policy), "status": 0x7F, "panic_ok": True,
            "timeout": 30, "expect": [expect], "reject": [r"page fault in kernel"]}


TESTS = [
    {"name": "lab-skeleton-no-livelock", "kernel": LAB_KERNEL, "ktap": True, "timeout": 60,
     "args": HOG + " vm.policy=skeleton", "expect": [LEAKS_OK], "reject": [r"no progress"]},
    broken("past_the_end", HOG, CHOSE % ("past_the_end", r"\d+", "past the last frame")),
    broken("frame_zero", HOG, CHOSE % ("frame_zero", "0", "a frame that holds no user page")),
    broken("ignore_eligible", REFSTRING,
           CHOSE % ("ignore_eligible", r"\d+", "a frame the kernel said is not eligible")),
    broken("gives_up", HOG, r"^PANIC: vm\.policy=gives_up: its own check failed"),
    broken("lowest_frame", HOG,
           r"^PANIC: vm\.policy=lowest_frame livelocked: it chose frame \d+ 16 times in a row "
           r"while pid 1 \(test_swap\) faulted 16 times at ip [0-9a-f]{8} on [1-8] pages, with "
           r"1[0-9]{2} frames eligible"),
]
