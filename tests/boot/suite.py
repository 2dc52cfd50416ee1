"""tests/boot/suite.py: the boot tests tools/runtests.py runs, one QEMU boot each.

Keys: name; args (kernel command line); iso (boot through GRUB instead of -kernel);
status (expected exit status, default 0); ktap (report each KTAP line as a result);
expect / reject (regexes the console output must / must not contain); panic_ok;
mem (MiB); timeout (seconds); disk (attach build/disk.img, default True).
"""

TESTS = [
    # Every in-kernel test that can share a boot.
    {"name": "ktest-all", "args": "ktest=all", "ktap": True},

    # A NULL dereference in the kernel gives the full panic report.
    {"name": "panic-report", "args": "ktest=panic_report", "status": 0x7F, "panic_ok": True,
     "expect": [r"PANIC: page fault in kernel: page fault \(trap 14\) err 2",
                r"^CR2=00000000$", r"eip c01[0-9a-f]{5}", r"^backtrace:$",
                r"^  \[<c01[0-9a-f]{5}>\]$", r"kernel panic: halting"]},

    # The real boot path: GRUB from the ISO, multiboot, the banner, a clean halt.
    {"name": "grub-iso-boot", "iso": True, "timeout": 90,
     "expect": [r"GNU GRUB", r"Pagoda: a teaching kernel", r"^cmdline: ",
                r"memory: \d+ MiB usable", r"no user space yet: halting"]},

    # Unknown and malformed command-line words are reported, not fatal.
    {"name": "cmdline-warnings", "args": "bogus=1 =x ktest=timer_ticks", "ktap": True,
     "expect": [r"cmdline: unknown key, ignored: 'bogus'", r"cmdline: missing key: '=x'"]},
]
