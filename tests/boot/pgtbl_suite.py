"""tests/boot/pgtbl_suite.py: the page-table lab's own boot tests (docs/labs/pgtbl.md).

The walk, map and unmap of mm/pgtable.c, tested in the kernel before any process runs
(ktest pgtable_roundtrip, tests/kernel/test_memory.c); and vmprint (mm/vmprint.c), which
vm.vmprint=1 calls after process 1's exec: at that moment only the stack page exec wrote
the arguments into is present, just below the top of user space, in directory entry 767
(0xbffff000 >> 22), writable, user, accessed and dirty.
"""

TESTS = [
    {"name": "pgtbl-walk-map-unmap", "args": "ktest=pgtable_roundtrip", "ktap": True},
    {"name": "pgtbl-vmprint", "args": "init=/bin/true vm.vmprint=1",
     "expect": [r"^vmprint: pid 1 \(true\) after exec$", r"^page directory [0-9a-f]{8}$",
                r"^ \.\.767: pde [0-9a-f]{8} pa [0-9a-f]{8}$",
                r"^ \.\. \.\.1023: pte [0-9a-f]{8} pa [0-9a-f]{8} va bffff000 PWUAD$",
                r"init: exited with status 0"],
     "reject": [r"^ \.\.(7[6-9][89]|[89]\d\d|1\d{3}): pde"]},   # no kernel half
]
