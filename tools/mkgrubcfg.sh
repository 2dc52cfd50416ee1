#!/bin/sh
# tools/mkgrubcfg.sh: writes the GRUB menu for the boot ISO on stdout.
# Usage: mkgrubcfg.sh "EXTRA KERNEL ARGS" [POLICY]. Menus go to serial and VGA alike.
args="$1"
policy="$2"
[ -n "$policy" ] && args="$args vm.policy=$policy"
cat <<CFG
serial --unit=0 --speed=38400
terminal_input serial console
terminal_output serial console
set timeout=1
set default=0

menuentry "Pagoda" {
    multiboot /boot/kernel.elf $args
    boot
}
CFG
