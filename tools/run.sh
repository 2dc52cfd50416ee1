#!/bin/sh
# tools/run.sh: boots the kernel headless with QEMU's multiboot loader and exits with
# the status the kernel reported through isa-debug-exit (QEMU exits with 2*status+1).
# Usage: run.sh "QEMU COMMAND" KERNEL "KERNEL ARGS" "INIT PROGRAM AND ARGS" [TRACE FILE]
# The console is the first serial port; a trace file, if given, gets the second (COM2).
qemu="$1"; kernel="$2"; kargs="$3"; init="$4"; trace="$5"
[ -n "$init" ] && kargs="$kargs init=\"$init\""
$qemu -kernel "$kernel" -append "$kargs" -display none -serial stdio \
    ${trace:+-serial "file:$trace"}
rc=$?
if [ $((rc % 2)) -eq 1 ]; then
    exit $(((rc - 1) / 2))
fi
echo "run.sh: QEMU exited with $rc without a kernel status (triple fault or reset?)" >&2
exit 125
