#!/bin/sh
# tools/run.sh: boots the kernel headless with QEMU's multiboot loader and exits with
# the status the kernel reported through isa-debug-exit (QEMU exits with 2*status+1).
# QEMU failing by itself (a bad -m, say) also exits with 1, so the status counts only
# if the kernel printed its last line, "power: off with status N" (kernel/power.c).
# Usage: run.sh "QEMU COMMAND" KERNEL "KERNEL ARGS" "INIT PROGRAM AND ARGS" [TRACE FILE]
# The console is the first serial port; a trace file, if given, gets the second (COM2).
qemu="$1"; kernel="$2"; kargs="$3"; init="$4"; trace="$5"
if [ -z "$init" ]; then
    echo "run.sh: no program to run: make run INIT=\"/bin/NAME ARGS\" (make qemu for the shell)" >&2
    exit 2
fi
kargs="$kargs init=\"$init\""
log=$(mktemp); status=$(mktemp)
trap 'rm -f "$log" "$status"' EXIT
{ $qemu -kernel "$kernel" -append "$kargs" -display none -serial stdio \
    ${trace:+-serial "file:$trace"}; echo $? > "$status"; } | tee "$log"
rc=$(cat "$status")
if [ $((rc % 2)) -eq 1 ] && grep -q "^power: off with status" "$log"; then
    exit $(((rc - 1) / 2))
fi
if [ "$rc" -eq 1 ]; then
    echo "run.sh: QEMU failed (exit 1) before the kernel ran to a status" >&2
else
    echo "run.sh: QEMU exited with $rc without a kernel status (triple fault or reset?)" >&2
fi
exit 125
