#!/bin/sh
# tools/mkgrubcfg.sh: writes the GRUB menu for the boot ISO on stdout: the default entry
# (with POLICY, if given), then one entry per replacement policy named after it.
# Usage: mkgrubcfg.sh "EXTRA KERNEL ARGS" POLICY [NAME...]. Menus go to serial and VGA alike.
# The Makefile passes the names `build/vmsim --names` prints (mm/policy/registry.c).
# GRUB_INIT (environment): the program and arguments for process 1, written as one GRUB
# word, "init=\"...\"", so the kernel sees init="..." (kernel/cmdline.c).
# GRUB_TIMEOUT (environment): seconds the menu waits, 1 by default; a recording sets 0,
# because under QEMU's record/replay GRUB's countdown never reaches zero (its clock does
# not advance while it waits for a key).
args="$1"
if [ -n "$GRUB_INIT" ]; then
    esc=$(printf '%s' "$GRUB_INIT" | sed 's/[\\"$]/\\&/g')
    args="$args${args:+ }\"init=\\\"$esc\\\"\""
fi
policy="$2"
shift 2

with_policy() {
    echo "$args${args:+ }vm.policy=$1"
}

entry() {
    cat <<CFG

menuentry "$1" {
    multiboot /boot/kernel.elf $2
    boot
}
CFG
}

cat <<CFG
serial --unit=0 --speed=38400
terminal_input serial console
terminal_output serial console
set timeout=${GRUB_TIMEOUT:-1}
set default=0
CFG
entry "Pagoda" "$(if [ -n "$policy" ]; then with_policy "$policy"; else echo "$args"; fi)"
for name in "$@"; do
    entry "Pagoda, policy $name" "$(with_policy "$name")"
done
