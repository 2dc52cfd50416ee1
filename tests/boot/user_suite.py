"""tests/boot/user_suite.py: boot tests that run user programs as process 1.

Every run must end with the kernel's leak check ("leakcheck: ... ok"): frames, heap
objects, process slots and swap slots back where they were before init started.
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LEAKS_OK = r"leakcheck: frames (\d+) -> \1 .*: ok$"


def user_test(name, program, args="", cmdline="", timeout=120, expect=(), icount=False):
    """A KTAP test program run as init, judged by its results and the leak check.
    icount: the guest counts instructions (-icount), for tests that measure time."""
    init = program + (" " + args if args else "")
    return {"name": name, "args": ('init="%s" %s' % (init, cmdline)).strip(), "ktap": True,
            "timeout": timeout, "expect": [LEAKS_OK] + list(expect), "icount": icount}


def bad_swap_image():
    """A copy of build/disk.img whose swap signature is wiped: swap must be refused."""
    src = os.path.join(ROOT, "build", "disk.img")
    dst = os.path.join(ROOT, "build", "disk-badswap.img")
    if not os.path.exists(src):
        return dst
    with open(src, "rb") as f:
        image = bytearray(f.read())
    entry = 446 + 16                                   # partition 2 in the MBR
    start = int.from_bytes(image[entry + 8:entry + 12], "little") * 512
    image[start + 4096 - 10:start + 4096] = bytes(10)  # "SWAPSPACE2" gone
    with open(dst, "wb") as f:
        f.write(image)
    return dst


SWAP = "vm.frames=256"

# The swap workloads on 16, 24 and 32 MiB machines with no vm.frames quota. Each needs
# RAM plus swap (SWAP_MB, 128 MiB) to hold what it writes: fork's three diverging
# copies of twice the frames are six times RAM, which fits beside 16 MiB only.
SMALL_MACHINE_RUNS = [(16, "hog"), (16, "fork"), (16, "multi"), (16, "pipe"), (16, "exec"),
                      (24, "hog"), (32, "hog")]

TESTS = [
    user_test("user-hello", "/bin/test_hello"),
    user_test("user-forkexec", "/bin/test_forkexec"),
    user_test("user-cow", "/bin/test_cow"),
    user_test("user-shared", "/bin/test_shared", cmdline="vm.check=1"),
    user_test("user-uffd", "/bin/test_uffd", cmdline="vm.check=1"),
    user_test("user-uffd-fail", "/bin/test_uffd_fail", cmdline="vm.check=1"),
    user_test("user-uffd-edge", "/bin/test_uffd_edge", cmdline="vm.check=1"),
    user_test("user-uffd-gone", "/bin/test_uffd_gone", cmdline="vm.check=1"),
    # poll, select and O_NONBLOCK (fs/poll.c); timeouts and signals in timer ticks: -icount.
    user_test("user-poll", "/bin/test_poll", icount=True),
    # What Pagoda shows a pager beyond Linux (page bits, eviction), on a small machine that
    # swaps the pager's pages with no quota (docs/pagers.md).
    dict(user_test("user-uffd-export", "/bin/test_uffd_export", cmdline="vm.check=1"), mem=16),
    # The lesson pagers (docs/pagers.md): a file's, a compressing one, a clock in user
    # space against FIFO, each keeping its client within a budget of frames.
    user_test("user-pager-file", "/bin/pager_file", cmdline="vm.check=1"),
    user_test("user-pager-zswap", "/bin/pager_zswap", cmdline="vm.check=1",
              expect=[r"^# zswap: \d+ pages stored in \d+ bytes \(\d+\.\d to 1\)$"]),
    user_test("user-pager-clock", "/bin/pager_clock", cmdline="vm.check=1",
              expect=[r"^# faults: fifo \d+, clock \d+$"]),
    # ... and on a machine smaller than the region (24 MiB, a budget of 8): the kernel
    # swaps the client's pages and the pager's store as well.
    dict(user_test("small16-user-pager-clock", "/bin/pager_clock", "2048 6144 2",
                   timeout=900), mem=16),
    user_test("user-shmfile", "/bin/test_shmfile", cmdline="vm.check=1"),
    # mremap (mm/mremap.c); glibc's realloc calls it. Then with pages out on swap when they
    # move: a region of twice the machine's RAM on 16 MiB, no quota.
    dict(user_test("user-mremap", "/bin/test_mremap", cmdline="vm.check=1"),
         reject=[r"unimplemented system call 163"]),
    dict(user_test("small16-mremap", "/bin/test_mremap", "8192", cmdline="vm.check=1",
                   timeout=600), mem=16),
    user_test("user-fork-eager", "/bin/test_swap", "fork", "vm.cow=0 vm.frames=256"),
    user_test("user-demand", "/bin/test_demand"),
    user_test("user-stack", "/bin/test_stack"),
    user_test("user-segv", "/bin/test_segv",
              expect=[r"pid \d+ \(test_segv\): segfault at 0 ip [0-9a-f]{8} error [46]"]),
    user_test("user-efault", "/bin/test_efault"),
    # Signals (docs/signals.md): handlers, frames, masks, restarts; hostile frames; SIGKILL
    # in every sleep. Alarms and sleeps are counted in timer ticks: -icount.
    user_test("user-signal", "/bin/test_signal", icount=True),
    user_test("user-sigbad", "/bin/test_sigbad",
              expect=[r"bad rt_sigreturn frame at [0-9a-f]+: killed by signal 11",
                      r"bad signal stack at [0-9a-f]+ for signal \d+: killed by signal 11"]),
    user_test("user-kill", "/bin/test_kill", icount=True),
    user_test("user-badelf", "/bin/test_badelf", expect=[r"exec: .*: not an ELF file"]),
    user_test("user-forkbomb", "/bin/test_forkbomb"),
    dict(user_test("user-syscalls", "/bin/test_syscalls"),
         reject=[r"unimplemented system call 386"]),      # rseq is answered, not unknown
    user_test("prepage", "/bin/test_prepage", cmdline="vm.prepage=4"),
    # Writing the ext2 root (docs/ext2.md): on a private copy of the disk, which e2fsck
    # must find clean after the boot, with the file the program left as it wrote it.
    # The periodic write-back may come at any point (a disk wait lets the virtual clock
    # run ahead), so the test counts its pages apart from fsync's (periodic_cleaned).
    dict(user_test("user-fswrite", "/bin/test_fswrite", icount=True,
                   expect=[r"^e2fsck: clean$", r"^debugfs: /fswrite/kept as written$"]),
         fsck={"/fswrite/kept": b"kept\n"}),
    # tmpfs at /tmp and /dev/shm (docs/tmpfs.md), then one small enough to fill up.
    user_test("user-tmpfs", "/bin/test_tmpfs"),
    user_test("user-tmpfs-quota", "/bin/test_tmpfs", args="quota", cmdline="tmpfs.size=64k",
              expect=[r"# wrote 61440 bytes before tmpfs filled"]),
    # Shared writable mappings of ext2 files: written back on msync, munmap, by the
    # pageout daemon, and at eviction (to the file, not swap) on a small machine with
    # a file larger than RAM; the image is checked after each boot.
    dict(user_test("user-mapwrite", "/bin/test_mapwrite", cmdline="vm.check=1",
                   expect=[r"^e2fsck: clean$", r"^debugfs: /mapwrite-kept as written$"]),
         fsck={"/mapwrite-kept": b"A" * 4096 + b"B" * 4096}),
    dict(user_test("small16-mapwrite-pressure", "/bin/test_mapwrite", "pressure 6144",
                   timeout=300, expect=[r"^e2fsck: clean$",
                                        r"^debugfs: /mapwrite-done as written$"]),
         mem=16, fsck={"/mapwrite-done": b"done\n"}),

    # Hostile input (docs/robustness.md): each class of issue found by a hostile program.
    user_test("robust-segments", "/bin/test_segments",
              expect=[r"pid \d+ \(test_segments\): .* loading its segment registers on return "
                      r"to user mode: killed by signal 11"]),
    user_test("robust-dflag", "/bin/test_dflag"),
    user_test("robust-fdrange", "/bin/test_fdrange"),
    user_test("robust-execperm", "/bin/test_execperm"),
    dict(user_test("robust-mlockmax", "/bin/test_mlockmax", timeout=300), mem=64),
    user_test("robust-oom", "/bin/test_oom", "512", "vm.frames=512 vm.swap=256", timeout=300,
              expect=[r"oom: out of memory and swap: killed pid \d+"]),
    user_test("robust-mprotect", "/bin/test_mprotect", cmdline="vm.frames=128", timeout=240),
    user_test("robust-regions", "/bin/test_regions"),
    user_test("robust-overcommit", "/bin/test_overcommit"),

    # Swapping under memory pressure: vm.frames limits the frames user pages may use.
    user_test("swap-hog", "/bin/test_swap", "hog", SWAP),
    user_test("swap-fork", "/bin/test_swap", "fork", SWAP),
    user_test("swap-cowevict", "/bin/test_swap", "cowevict", SWAP),
    user_test("swap-multi", "/bin/test_swap", "multi", SWAP, timeout=180),
    user_test("swap-elide", "/bin/test_swap", "elide", SWAP),
    user_test("swap-oom", "/bin/test_swap", "oom", SWAP + " vm.swap=1024",
              expect=[r"oom: out of memory and swap: killed pid \d+"]),
    user_test("swap-pipe", "/bin/test_swap", "pipe", SWAP),
    # The same to the RAM disk with a fixed service time (swap=ram, docs/thrashing.md);
    # a small one fills up, and its processes are told as with a full partition.
    # Under -icount, where waiting for the ticks takes no host time.
    user_test("swap-ramdisk-hog", "/bin/test_swap", "hog", SWAP + " swap=ram", icount=True),
    user_test("swap-ramdisk-fork", "/bin/test_swap", "fork", SWAP + " swap=ram ramdisk.latency=2",
              icount=True),
    user_test("swap-ramdisk-oom", "/bin/test_swap", "oom", SWAP + " swap=ram ramdisk.size=4",
              icount=True, expect=[r"ramdisk: ram0, 4 MiB, 1 ticks per request",
                      r"oom: out of memory and swap: killed pid \d+"]),
    user_test("swap-exec", "/bin/test_swap", "exec", SWAP),
    user_test("swap-clock-fifo", "/bin/test_swap", "hog", SWAP + " vm.policy=fifo"),
    # The disk by programmed I/O (ata.dma=0) instead of DMA: the same workloads, the
    # same bytes back (drivers/ata.c keeps both).
    user_test("swap-hog-pio", "/bin/test_swap", "hog", SWAP + " ata.dma=0"),
    user_test("swap-fork-pio", "/bin/test_swap", "fork", SWAP + " ata.dma=0"),
    user_test("swap-pipe-pio", "/bin/test_swap", "pipe", SWAP + " ata.dma=0"),
    # The same without a quota, on machines genuinely small: the whole machine swaps,
    # and the kernel's own allocations (page tables, heap, kernel stacks, pipe buffers)
    # must never starve (the free-frame pool, the pageout daemon, direct reclaim).
] + [dict(user_test("small%d-%s" % (mem, mode), "/bin/test_swap", mode, timeout=900,
                    expect=[r"memory: free-frame watermarks min \d+ low \d+ high \d+",
                            r"oom_kills 0 "]), mem=mem)
     for mem, mode in SMALL_MACHINE_RUNS] + [
    # tmpfs pages swap like anonymous ones: a 32 MiB file on a 16 MiB machine.
    dict(user_test("small16-tmpfs-swap", "/bin/test_tmpfs", "swap 32", "tmpfs.size=40m",
                   timeout=900), mem=16),
    # A tmpfs allowed more than memory and swap hold: its writes fill both, then fail with
    # ENOSPC; the writer lives, nobody is OOM-killed, and every earlier byte reads back.
    dict(user_test("small16-tmpfs-swapfull", "/bin/test_tmpfs", "swapfull",
                   "vm.swap=2048 tmpfs.size=200m vm.check=1", timeout=900,
                   expect=[r"oom_kills 0 "]), mem=16),
    # Shared memory three times RAM, swapped through the page cache, on a small machine
    # with no quota (and once more with vm.check=1 walking every invariant).
    dict(user_test("small16-shmpress", "/bin/test_shmpress", timeout=300), mem=16),
    dict(user_test("small24-shmpress-check", "/bin/test_shmpress", cmdline="vm.check=1",
                   timeout=300), mem=24),
    dict(user_test("small16-oom", "/bin/test_swap", "oom", "vm.swap=2048",
                   expect=[r"oom: out of memory and swap: killed pid \d+ \(test_swap\)"]),
         mem=16),

    # Fork that shares page tables (vm.cow=2, mm/ptshare.c): its edge cases, with the
    # counters showing tables shared under vm.cow=2 and none under vm.cow=1; then the
    # pages under shared tables evicted, with a quota and on a small machine.
    user_test("user-ptshare", "/bin/test_ptshare", "2", "vm.cow=2 vm.check=1"),
    user_test("user-ptshare-cow1", "/bin/test_ptshare", "1", "vm.cow=1 vm.check=1"),
    user_test("swap-ptshare", "/bin/test_ptshare", "2 1024 pressure",
              "vm.cow=2 vm.check=1 " + SWAP),
    dict(user_test("small16-ptshare", "/bin/test_ptshare", "2 4096 pressure",
                   "vm.cow=2 vm.check=1", timeout=900), mem=16),
    # The fork, copy-on-write, swap, mlock, mremap and userfaultfd suites again, forking
    # with shared page tables.
    user_test("tables-forkexec", "/bin/test_forkexec", cmdline="vm.cow=2"),
    user_test("tables-cow", "/bin/test_cow", cmdline="vm.cow=2 vm.check=1"),
    user_test("tables-fork", "/bin/test_swap", "fork", "vm.cow=2 vm.frames=256"),
    user_test("tables-swap-fork", "/bin/test_swap", "fork", "vm.cow=2 vm.check=1 " + SWAP),
    dict(user_test("tables-small16-fork", "/bin/test_swap", "fork", "vm.cow=2", timeout=900,
                   expect=[r"oom_kills 0 "]), mem=16),
    user_test("tables-mlock", "/bin/test_mlock", cmdline="vm.cow=2 vm.frames=128"),
    user_test("tables-mremap", "/bin/test_mremap", cmdline="vm.cow=2 vm.check=1"),
    user_test("tables-uffd", "/bin/test_uffd", cmdline="vm.cow=2 vm.check=1"),
    user_test("tables-uffd-edge", "/bin/test_uffd_edge", cmdline="vm.cow=2 vm.check=1"),
    user_test("tables-uffd-gone", "/bin/test_uffd_gone", cmdline="vm.cow=2 vm.check=1"),
    user_test("tables-shared", "/bin/test_shared", cmdline="vm.cow=2 vm.check=1"),
    # Out of memory and swap with tables shared: the OOM killer's victims leave them.
    user_test("tables-swap-oom", "/bin/test_swap", "oom",
              "vm.cow=2 vm.check=1 " + SWAP + " vm.swap=1024",
              expect=[r"oom: out of memory and swap: killed pid \d+"]),
    user_test("tables-forkbomb", "/bin/test_forkbomb", cmdline="vm.cow=2 vm.check=1"),

    # The policy chosen at run time: every one, between rounds of swapping.
    user_test("swap-policy-switch", "/bin/test_swap", "switch", "vm.frames=96",
              expect=[r"vm.policy: clock -> fifo \(pid 1\)"]),
    user_test("user-policy-call", "/bin/test_policy"),
    # Locked pages under local replacement (RLIMIT_RSS) and under global memory pressure.
    user_test("user-mlock", "/bin/test_mlock", cmdline="vm.frames=128"),
    # A wiped swap header: swap is refused with a message and programs run within RAM.
    dict(user_test("swap-bad-header", "/bin/test_cow",
                   expect=[r"swap: no SWAPSPACE2 signature on hda2: swap disabled"]),
         disk_image=bad_swap_image()),
    # A RAM disk bigger than RAM: refused with a message, and programs run within RAM.
    user_test("swap-ramdisk-too-big", "/bin/test_cow", cmdline="swap=ram ramdisk.size=2000",
              expect=[r"swap: no room for a RAM disk of 2000 MiB",
                      r"swap: no RAM disk: running without swap"]),

    # Frame allocation among processes, with local replacement within the allocation.
    # They measure processes' fault rates in their own execution time: under -icount
    # that is instructions, so how loaded the host is cannot change the outcome.
    user_test("alloc-equal", "/bin/test_alloc", "equal", SWAP + " vm.alloc=equal vm.scope=local",
              icount=True),
    user_test("alloc-proportional", "/bin/test_alloc", "proportional",
              SWAP + " vm.alloc=proportional vm.scope=local", icount=True),
    user_test("alloc-priority", "/bin/test_alloc", "priority",
              SWAP + " vm.alloc=priority vm.scope=local", icount=True),
    user_test("alloc-pff", "/bin/test_alloc", "pff", SWAP + " vm.pff=1 vm.scope=local",
              icount=True),

    # The working-set estimate: pages referenced within the window, not the resident set.
    # The SSE registers a program holds survive the kernel's page zeroing and copying.
    user_test("user-xmm", "/bin/test_xmm"),
    user_test("ws-estimate", "/bin/test_ws", "", "vm.ws=1", icount=True),

    # Thrashing: four processes that together need twice the frames. With working-set
    # control (vm.ws=1) the lowest-priority ones are suspended and later resumed. Twelve
    # rounds: the sampler looks every 10 ticks (100 M instructions under icount), and
    # with their text shared through the page cache four rounds could end before it looked.
    {"name": "thrash-ws", "args": 'init="/bin/thrash 4 128 12" vm.frames=256 vm.ws=1',
     "timeout": 180, "icount": True,
     "expect": [r"vm.ws: working sets need \d+ frames of 256: suspending pid \d+",
                r"vm.ws: room again: resuming pid \d+",
                r"thrash: 4 processes x 128 pages x 12 rounds: \d+ M cycles, \d+ major faults, "
                r"\d+ swap-ins, [1-9]\d* suspensions$", LEAKS_OK]},

    # Programs, not tests: the shell runs a pipeline; ls lists /bin; init's status.
    {"name": "shell-pipeline", "args": "init=\"/bin/sh -c 'echo hello pagoda | cat'\"",
     "expect": [r"^hello pagoda$", LEAKS_OK, r"init: exited with status 0"]},
    {"name": "shell-tmpfs", "args": "init=\"/bin/sh -c 'echo kept in memory > /tmp/x; "
     "echo more >> /tmp/x; cat /tmp/x; ls /tmp; rm /tmp/x; ls /tmp'\"",
     "expect": [r"^kept in memory$", r"^more$", r"^x$", LEAKS_OK, r"init: exited with status 0"]},
    # The leak check sees a file left in /tmp: its inode and its page.
    {"name": "leakcheck-tmpfs-file", "args": "init=\"/bin/sh -c 'echo left > /tmp/left'\"",
     "status": 1, "expect": [r"tmpfs-inodes 2 -> 3 cached-pages 0 -> 1: LEAK$"]},
    {"name": "ls-bin", "args": "init=\"/bin/ls /bin\"",
     "expect": [r"^sh$", r"^test_cow$", LEAKS_OK]},
    # Lists, $?, variables, redirection and the refusal of unknown syntax, without a terminal.
    {"name": "shell-lists", "args": "init=\"/bin/sh -c 'echo inner; cat /nonexistent; echo st=$?; "
     "true && echo and || echo or; X=va; echo ${X}lue >> /dev/null; echo $X; "
     "exit 3'\"", "status": 3,
     "expect": [r"^inner$", r"^st=1$", r"^and$", r"^va$", LEAKS_OK],
     "reject": [r"^or$", r"^value$"]},
    # A line with syntax the shell does not know runs nothing, and says why.
    {"name": "shell-unknown-syntax", "args": "init=\"/bin/sh -c 'echo never; echo (a)'\"",
     "status": 2, "expect": [r"^sh: unsupported syntax: \( \(type help\)$", LEAKS_OK],
     "reject": [r"^never$"]},
    {"name": "init-status", "args": "init=\"/bin/sh -c 'exit 7'\"", "status": 7,
     "expect": [r"init: exited with status 7"]},
    # Plain vmstat: the global counters and a line per process (itself, as process 1).
    {"name": "vmstat", "args": "init=/bin/vmstat",
     "expect": [r"^policy clock$", r"^  pid +minflt +majflt .* alloc +nice +flt/s +svc +EAT$",
                r"^    1 +\d+ +\d+ ", LEAKS_OK]},
    {"name": "vmstat-usage", "args": "init=\"/bin/vmstat -h\"", "status": 2,
     "expect": [r"^usage: vmstat \[PID\.\.\.\]$", LEAKS_OK]},
    # vmctl: the policy shown, switched, listed with the one in use marked.
    {"name": "vmctl-set", "args": "init=\"/bin/vmctl policy second_chance\"",
     "expect": [r"^policy clock -> second_chance$", LEAKS_OK]},
    {"name": "vmctl-unknown", "args": "init=\"/bin/vmctl policy nosuch\"", "status": 1,
     "expect": [r"vmctl: no policy 'nosuch' \(vmctl policies lists them\)"]},
    {"name": "vmctl-list", "args": "init=\"/bin/sh -c 'vmctl policies | cat'\" vm.policy=fifo",
     "expect": [r"^\* fifo +first in, first out", r"^  clock +clock: ", LEAKS_OK]},
    # vmctl drop-caches: a file read and closed stays cached (docs/page-cache.md) until
    # given back; /bin/echo is 180 pages, and the shell's own pages go too.
    {"name": "vmctl-drop-caches",
     "args": "init=\"/bin/sh -c 'cat /bin/echo > /dev/null; vmctl drop-caches'\"",
     "expect": [r"^drop-caches: (1[89]\d|[2-9]\d\d) pages given back$", LEAKS_OK]},
]
