"""tests/boot/demo_suite.py: the Appel-Li demos (user/vm_*.c), booted as process 1.

Each prints what its SIGSEGV handler did; the lines are the same on Linux, which
tests/run/test_linux_demos.py checks by running the same binaries on the host. A line
given as a regular expression varies (vm_stackov's guard-page address).
"""
import re

from user_suite import LEAKS_OK

OUTPUT = {
    "vm_lazy": [
        "vm_lazy: isqrt(0) = 0",
        "vm_lazy: isqrt(99) = 9",
        "vm_lazy: isqrt(1000) = 31",
        "vm_lazy: isqrt(1023) = 31",
        "vm_lazy: isqrt(65536) = 256",
        "vm_lazy: isqrt(1000000) = 1000",
        "vm_lazy: isqrt(1000001) = 1000",
        "vm_lazy: isqrt(1048575) = 1023",
        "vm_lazy: 1048576 entries in 1024 pages; 4 faults handled, so 4 pages computed",
    ],
    "vm_barrier": [
        "vm_barrier: 5 stores during marking, 3 faults handled",
        "vm_barrier: the collector rescans pages: 2 5 11 (3 of 16)",
    ],
    "vm_checkpoint": [
        "vm_checkpoint: checkpoint saves pages: all 32",
        "vm_checkpoint: checkpoint saves pages: 3 4 20 (3 of 32)",
        "vm_checkpoint: 3 faults handled; the checkpoint matches the state: yes",
    ],
    "vm_stackov": [
        "vm_stackov: stack overflow caught on the alternate stack: fault just below the "
        "deepest frame, SEGV_MAPERR yes",
        "vm_stackov: the stack grew to about 8192 KiB (RLIMIT_STACK 8192 KiB)",
        re.compile(r"vm_stackov: guard page at 0x[0-9a-f]+"),
    ],
}


def pattern(line):
    """A line as a regular expression matching it whole."""
    return "^%s$" % (line.pattern if hasattr(line, "pattern") else re.escape(line))


TESTS = [{"name": "demo-" + name.replace("_", "-"), "args": "init=/bin/" + name,
          "expect": [pattern(l) for l in lines] + [LEAKS_OK]}
         for name, lines in OUTPUT.items()]
