#!/bin/sh
# tools/labregister.sh REGISTRY OUT NAME...: REGISTRY (mm/policy/registry.c) with each
# NAME_policy registered the way docs/labs/replacement.md tells students: its name added
# to the declaration, and a line in the table. Written to OUT; for tools/labcheck.sh and
# the lab kernel (Makefile, build/labkernel).
registry=$1 out=$2
shift 2
cp "$registry" "$out.tmp" || exit 1
for name in "$@"; do
    sed -i -e "s/^extern const struct vm_policy /&${name}_policy, /" \
           -e "s/^    0,\$/    \\&${name}_policy,\\n    0,/" "$out.tmp" || exit 1
done
grep -q "&$1_policy," "$out.tmp" && mv "$out.tmp" "$out"
