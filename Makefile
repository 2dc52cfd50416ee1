# Makefile: builds the Pagoda kernel, its boot ISO, the disk image and the tests,
# and runs them under QEMU. `make help` lists the targets and variables: it prints the
# "## " lines right above each rule and each "NAME ?=" line (tools/makehelp.py), and
# tests/docs/test_docs.py fails if a target or a variable has none.

# ---- configuration (override on the command line: make qemu MEM=64) --------------
## MiB of guest RAM
MEM ?= 128
## tcg (works everywhere) or kvm
ACCEL ?= tcg
## extra kernel arguments ("vm.frames=64")
CMDLINE ?=
## the replacement policy (vm.policy=NAME; make grade POLICY=NAME grades it)
POLICY ?=
## a lab (tests/lab/labs/NAME.json): make lab LAB=NAME starts it, make grade LAB=NAME grades it
LAB ?=
## another name for INIT
PROG ?=
## the program (and its arguments) run as process 1: make run needs it, the qemu targets
## default to /bin/init (the shell), make gdb loads its symbols beside the kernel's
INIT ?= $(PROG)
## FILE: record the VM event trace (vm.trace=1, COM2) into FILE (docs/tracing.md)
TRACE ?=
## DIR: record the run (make run, qemu, qemu-nox) with QEMU's record/replay into DIR
RECORD ?=
## DIR: the recording make replay and make replay-gdb play back
REPLAY ?=
## the TCP port QEMU's gdb stub listens on (qemu-gdb, replay-gdb, gdb)
GDBPORT ?= 26000
## 1: count instructions (-icount) and fix the seeds, so runs repeat exactly
DETERMINISTIC ?= 0
## 1: the live view: record the trace (into TRACE, by default build/view.trace) and
## serve a page on 127.0.0.1 that shows it (tools/view/serve.py)
VIEW ?= 0
## boot tests run in parallel
JOBS ?= 2
## 1: make test records every boot test and keeps the recordings of failures in
## build/test-recordings/ (docs/debugging.md)
RECORD_TESTS ?= 0
## 1: make test boots every test with the UBSan kernel (build/ubsan/kernel.elf)
UBSAN ?= 0
## 1: show every command (by default only errors and results are printed)
V ?= 0

export PATH := $(PATH):/usr/sbin:/sbin

# ---- tools: install what is missing (tools/setup.sh), then find the cross compiler ----
NEEDED_TOOLS := nasm qemu-system-i386 grub-mkrescue xorriso mformat mke2fs sfdisk mkswap \
                gdb python3 i686-linux-gnu-gcc qemu-img
MISSING := $(strip $(foreach t,$(NEEDED_TOOLS),$(if $(shell command -v $(t) 2>/dev/null),,$(t))))
# tools/vmsim reads gzip-compressed reference strings with zlib (zlib1g-dev); the plots
# need matplotlib (python3-matplotlib); the live view's test, Chromium.
MISSING += $(if $(wildcard /usr/include/zlib.h),,zlib.h)
MISSING += $(if $(wildcard /usr/lib/python3/dist-packages/matplotlib),,matplotlib)
MISSING += $(if $(wildcard /usr/lib/chromium/chromium),,chromium)
ifneq ($(MISSING),)
ifeq ($(filter clean help,$(MAKECMDGOALS)),)
$(info setup: missing $(MISSING); running tools/setup.sh)
SETUP_STATUS := $(shell tools/setup.sh >&2; echo $$?)
ifneq ($(SETUP_STATUS),0)
$(error tools/setup.sh failed: install the packages it names and try again)
endif
endif
endif

ifeq ($(origin TOOLPREFIX),undefined)
TOOLPREFIX := $(shell if command -v i686-elf-gcc >/dev/null 2>&1; then echo i686-elf-; \
                elif command -v i686-linux-gnu-gcc >/dev/null 2>&1; then echo i686-linux-gnu-; fi)
endif

CC      := $(TOOLPREFIX)gcc
LD      := $(TOOLPREFIX)ld
OBJCOPY := $(TOOLPREFIX)objcopy
NASM    := nasm
HOSTCC  := gcc
# User programs need glibc, so they always use the Linux-targeted compiler.
USERCC  := i686-linux-gnu-gcc

CFLAGS := -m32 -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
          -nostdlib -fno-omit-frame-pointer -fno-strict-aliasing -mgeneral-regs-only \
          -Wall -Wextra -Werror -I. -MMD -MP
ASFLAGS := -f elf32 -g -F dwarf
LIBGCC  := $(shell $(CC) -m32 -print-libgcc-file-name 2>/dev/null)

BUILD := build
Q := $(if $(filter 1,$(V)),,@)

# ---- the kernel ---------------------------------------------------------------------
# mm/policy joins when the kernel provides the pol_* services (see "policies" below).
KERNEL_DIRS := boot kernel mm mm/policy fs drivers tests/kernel
KERNEL_C    := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_ASM  := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.asm))
KERNEL_OBJS := $(patsubst %.asm,$(BUILD)/%.asm.o,$(KERNEL_ASM)) $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C))

## the kernel, the boot ISO and the disk image
all: $(BUILD)/kernel.elf $(BUILD)/pagoda.iso

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(Q)$(NASM) $(ASFLAGS) -MD $(@:.o=.d) $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) linker.ld
	$(Q)$(LD) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(KERNEL_OBJS) $(LIBGCC)

# ---- the same kernel with UndefinedBehaviorSanitizer checks (kernel/ubsan.c reports them) --
# In its own folder, so it never mixes with the normal build. make test boots it too (the
# user-program, swap, disk-error and fuzz tests); make test UBSAN=1 boots every test with it.
UBSAN_BUILD := $(BUILD)/ubsan
UBSAN_CFLAGS := $(CFLAGS) -fsanitize=undefined -DPAGODA_UBSAN
UBSAN_OBJS := $(patsubst $(BUILD)/%,$(UBSAN_BUILD)/%,$(KERNEL_OBJS))

# The runtime itself is not instrumented: its checks would call it again.
$(UBSAN_BUILD)/kernel/ubsan.o: kernel/ubsan.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(UBSAN_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UBSAN_CFLAGS) -c $< -o $@

$(UBSAN_BUILD)/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(Q)$(NASM) $(ASFLAGS) -MD $(@:.o=.d) $< -o $@

$(UBSAN_BUILD)/kernel.elf: $(UBSAN_OBJS) linker.ld
	$(Q)$(LD) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(UBSAN_OBJS) $(LIBGCC)

# ---- the GRUB ISO: grub.cfg carries CMDLINE, so it is rewritten when that changes ----
# DETERMINISTIC fixes the seed of the kernel's random numbers (CMDLINE may set another:
# the last vm.seed wins); TRACE turns the trace on; INIT runs as process 1 (mkgrubcfg.sh
# quotes it for GRUB, whose own quoting would drop the quotes around its arguments).
ifeq ($(VIEW),1)
TRACE := $(or $(TRACE),$(BUILD)/view.trace)
endif
VIEW_CMD := $(if $(filter 1,$(VIEW)),python3 tools/view/serve.py $(TRACE) --)
SEED_KARGS := $(if $(filter 1,$(DETERMINISTIC)),vm.seed=1 ata.defer=1)
TRACE_KARGS := $(if $(TRACE),vm.trace=1)
# A recording's idle loop spins and takes the disk's interrupts as they come (idle=poll
# ata.defer=0, tools/rr.py says why); -kernel boots get them from tools/rr.py, the ISO's
# menu from here.
RECORD_KARGS := $(if $(RECORD),idle=poll ata.defer=0)
GRUB_KARGS := $(strip $(SEED_KARGS) $(CMDLINE) $(TRACE_KARGS) $(RECORD_KARGS))

# The menu has an entry per policy; the simulator names them from mm/policy/registry.c.
POLICY_NAMES = $$($(BUILD)/vmsim --names)

$(BUILD)/grub.cfg: $(BUILD)/vmsim FORCE
	@mkdir -p $(BUILD)
	@GRUB_INIT="$(INIT)" GRUB_TIMEOUT=$(if $(RECORD),0,1) tools/mkgrubcfg.sh "$(GRUB_KARGS)" "$(strip $(POLICY))" $(POLICY_NAMES) > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/pagoda.iso: $(BUILD)/kernel.elf $(BUILD)/grub.cfg
	$(Q)tools/mkiso.sh $@ $(BUILD)/kernel.elf $(BUILD)/grub.cfg

# The boot test's ISO: its menu runs /bin/true as init, so the boot ends by itself.
$(BUILD)/test-grub.cfg: tools/mkgrubcfg.sh $(BUILD)/vmsim
	$(Q)tools/mkgrubcfg.sh "init=/bin/true" "" $(POLICY_NAMES) > $@

$(BUILD)/test.iso: $(BUILD)/kernel.elf $(BUILD)/test-grub.cfg
	$(Q)tools/mkiso.sh $@ $(BUILD)/kernel.elf $(BUILD)/test-grub.cfg

# ---- the disk image: an MBR, partition 1 = ext2 root made from build/rootfs, 2 = swap ----
## MiB of the root partition
ROOT_MB ?= 128
## MiB of the swap partition
SWAP_MB ?= 128
## DIR: more files for the root file system
EXTRA ?=
# snapshot=on: writes (swap, files) go to a temporary overlay, so the image stays as built
# and several QEMUs can share it (make run beside a running make test, say).
## 1 (the default of make qemu and make qemu-nox): keep what the running system writes, in
## RW_DISK, a copy of build/disk.img made at the first boot and kept from then on, across
## rebuilds too (make clean-disk deletes it). make run PERSIST=1 does the same.
PERSIST ?= $(if $(filter qemu qemu-nox,$(MAKECMDGOALS)),1)
## the disk image that PERSIST=1 boots and keeps
RW_DISK ?= $(BUILD)/disk-rw.img
comma := ,
BOOT_DISK := $(if $(filter 1,$(PERSIST)),$(RW_DISK),$(BUILD)/disk.img)
DISK_DRIVE := -drive file=$(BOOT_DISK),format=raw,if=ide,index=0,media=disk$(if $(filter 1,$(PERSIST)),,$(comma)snapshot=on)
# Rebuilt when a file or folder under build/rootfs (or EXTRA) or a size changes.
DISK_INPUTS := $(shell find $(BUILD)/rootfs $(EXTRA) -path $(BUILD)/rootfs/tests -prune -o \
                 \( -type f -o -type d \) -print 2>/dev/null)

all: $(BUILD)/disk.img

$(BUILD)/rootfs/tests: tools/mktestfiles.py
	$(Q)python3 tools/mktestfiles.py $@

$(BUILD)/disk.params: FORCE
	@mkdir -p $(BUILD)
	@echo "$(ROOT_MB) $(SWAP_MB) $(EXTRA)" > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/disk.img: tools/mkdisk.sh $(BUILD)/disk.params $(BUILD)/rootfs/tests $(DISK_INPUTS)
	tools/mkdisk.sh $@ $(BUILD)/rootfs $(ROOT_MB) $(SWAP_MB) "$(EXTRA)"

# bench-swap's machines without a quota at 128, 320 and 700 MiB swap twice their RAM:
# the same root with 1,600 MiB of swap (sparse: it takes little of the host's disk).
$(BUILD)/disk-bigswap.img: $(BUILD)/disk.img
	tools/mkdisk.sh $@ $(BUILD)/rootfs $(ROOT_MB) 1600 "$(EXTRA)"

# The disk that persists (PERSIST=1): made once; a newer build/disk.img is only announced.
$(RW_DISK): | $(BUILD)/disk.img
	cp $(BUILD)/disk.img $@
## (run by the qemu targets) say when build/disk.img is newer than the kept RW_DISK
rw-disk-note: $(RW_DISK)
	@if [ $(BUILD)/disk.img -nt $(RW_DISK) ]; then echo "*** $(RW_DISK) keeps what was \
	written before; build/disk.img is newer: make clean-disk to start from it"; fi
## delete RW_DISK: the next make qemu starts afresh from build/disk.img
clean-disk:
	rm -f $(RW_DISK)
.PHONY: rw-disk-note clean-disk
PERSIST_DEPS := $(if $(filter 1,$(PERSIST)),rw-disk-note)

# ---- running under QEMU -------------------------------------------------------------
# DETERMINISTIC=1: the guest clock counts instructions (one per virtual nanosecond) and
# skips idle time instead of sleeping, the disk's interrupts are taken where the host's
# speed cannot move them (ata.defer=1, drivers/ata.c), and the random numbers have a
# fixed seed, so a boot repeats exactly, to the time-stamp counter. No -rtc clock=vm:
# see tools/runtests.py.
KARGS := $(strip $(SEED_KARGS) $(CMDLINE) $(TRACE_KARGS) $(if $(POLICY),vm.policy=$(POLICY)))
ICOUNT := -icount shift=0,sleep=off
QEMU := qemu-system-i386 -m $(MEM) -accel $(ACCEL) -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(DISK_DRIVE) \
        $(if $(filter 1,$(DETERMINISTIC)),$(ICOUNT))
QEMU_ISO := $(QEMU) -cdrom $(BUILD)/pagoda.iso -boot d
HAVE_DISPLAY := $(if $(DISPLAY)$(WAYLAND_DISPLAY),1)
# The console is the first serial port (COM1); the trace, when asked for, the second.
CONSOLE := -serial mon:stdio $(if $(TRACE),-serial file:$(TRACE))
# RECORD=DIR runs QEMU through tools/rr.py, which rewrites the command for recording.
RR := $(if $(RECORD),python3 tools/rr.py record $(RECORD) --)

## boot the ISO in QEMU (a window if there is a display; the console on this terminal)
qemu: $(BUILD)/pagoda.iso $(BUILD)/disk.img $(PERSIST_DEPS)
	$(VIEW_CMD) $(RR) $(QEMU_ISO) $(if $(HAVE_DISPLAY),,-display none) $(CONSOLE)

## boot the ISO without a window, the console on this terminal
qemu-nox: $(BUILD)/pagoda.iso $(BUILD)/disk.img $(PERSIST_DEPS)
	$(VIEW_CMD) $(RR) $(QEMU_ISO) -display none $(CONSOLE)

## the recording in REPLAY again, its console byte for byte (TRACE=FILE gets its COM2;
## VIEW=1 serves the live view of the replayed trace, as for make run)
replay:
	@test -n "$(REPLAY)" || { echo "usage: make replay REPLAY=DIR"; exit 2; }
	@$(VIEW_CMD) python3 tools/rr.py replay $(REPLAY) $(if $(TRACE),--trace $(TRACE))

## the same replay, stopped for gdb (make gdb) on GDBPORT
replay-gdb: .gdbinit
	@test -n "$(REPLAY)" || { echo "usage: make replay-gdb REPLAY=DIR"; exit 2; }
	@echo "*** the replay is stopped and waiting for gdb on port $(GDBPORT): run 'make gdb' in another terminal"
	@python3 tools/rr.py replay $(REPLAY) --gdb $(GDBPORT) $(if $(TRACE),--trace $(TRACE))

## boot the ISO stopped, waiting for gdb (make gdb in another terminal) on GDBPORT
qemu-gdb: $(BUILD)/pagoda.iso $(BUILD)/disk.img .gdbinit
	@echo "*** QEMU is stopped and waiting for gdb on port $(GDBPORT): run 'make gdb' in another terminal"
	$(QEMU_ISO) -display none $(CONSOLE) -S -gdb tcp::$(GDBPORT)

# .gdbinit names the user program (INIT), so it is rewritten when that changes.
GDB_USER_SYMBOLS := $(if $(INIT),add-symbol-file $(BUILD)/rootfs$(firstword $(INIT)),\# no INIT=/bin/NAME: kernel symbols only)
.gdbinit: tools/gdbinit.in FORCE
	@sed -e 's/@GDBPORT@/$(GDBPORT)/' -e 's|@USER_SYMBOLS@|$(GDB_USER_SYMBOLS)|' tools/gdbinit.in > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

## gdb on the kernel (and INIT's symbols), connected to qemu-gdb or replay-gdb
gdb: .gdbinit
	gdb -q -iex "set auto-load local-gdbinit off" -x .gdbinit

## boot the kernel with INIT as process 1 and print its console; ends when it exits
run: $(BUILD)/kernel.elf $(BUILD)/disk.img $(PERSIST_DEPS)
	@$(VIEW_CMD) tools/run.sh "$(RR) $(QEMU)" $(BUILD)/kernel.elf "$(KARGS)" "$(INIT)" "$(TRACE)"

# ---- tests ----------------------------------------------------------------------------
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST \
              -fsanitize=address,undefined -fno-omit-frame-pointer

# Each host test names the kernel sources it exercises in a "// uses: a.c b.c" line;
# they are prerequisites too, so that editing one rebuilds the test.
uses = $(shell sed -n 's|^// uses: ||p' $(1))
.SECONDEXPANSION:
$(BUILD)/host/%: tests/host/%.c tests/host/check.h tests/host/shim.c \
		$$(wildcard $$(call uses,tests/host/$$*.c))
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $< tests/host/shim.c $(call uses,$<)

# Host tests read images made by the real tools (mke2fs, sfdisk): tests/host/mkimages.py.
$(BUILD)/host/images: tests/host/mkimages.py
	$(Q)python3 tests/host/mkimages.py $@

# Host tests written in Python: executables that print TAP like the compiled ones.
HOST_SCRIPTS := tests/trace/test_vmtrace.py tests/trace/test_plots.py tests/view/test_server.py \
                tests/docs/test_docs.py tests/lab/test_grade.py tests/lab/test_mklab.py

# Besides the host and boot tests: the lab's skeleton policy, copied and registered as a
# student would (tools/labcheck.sh, compiled with the kernel's flags), and the lab's
# grading itself, run on clock (tools/grade.py).
## every test: host tests, boot tests, the lab's checks (tests/README.md); the last line
## says "N passed, N failed"
test: $(BUILD)/kernel.elf $(UBSAN_BUILD)/kernel.elf $(BUILD)/pagoda.iso $(BUILD)/test.iso $(BUILD)/disk.img $(BUILD)/host/images $(HOST_TESTS)
	LAB_CC="$(CC) $(CFLAGS)" python3 tools/runtests.py --jobs $(JOBS) $(if $(filter 1,$(RECORD_TESTS)),--record) --host $(HOST_TESTS) \
	    $(HOST_SCRIPTS) tools/labcheck.sh --grade clock --labs $(if $(filter 1,$(UBSAN)),--ubsan)

# ---- the system-call fuzzer (user/fuzz.c, tools/fuzz.py, docs/robustness.md) ------
# make fuzz SEEDS=N: boots seeds FIRST..FIRST+N-1 (FIRST=1); make fuzz SEED=S replays one,
# VERBOSE=1 with every call printed. Prints the seed of each failure.
## how many seeds make fuzz boots
SEEDS ?= 10
## the first of them
FIRST ?= 1
## S: make fuzz replays this one seed
SEED ?=
## 1: make fuzz SEED=S prints every call
VERBOSE ?= 0
## the system-call fuzzer: SEEDS boots from FIRST, or SEED alone
fuzz: $(BUILD)/kernel.elf $(BUILD)/disk.img
	@python3 tools/fuzz.py --jobs $(JOBS) --seeds $(SEEDS) --first $(FIRST) \
	    $(if $(SEED),--seed $(SEED)) $(if $(filter 1,$(VERBOSE)),--verbose)

.PHONY: fuzz

# ---- the simulator that runs the kernel's replacement policies (tools/vmsim) ----------
# The same mm/policy/*.c files are compiled into the kernel (KERNEL_DIRS) and here.
POLICY_C := $(wildcard mm/policy/*.c)
VMSIM_C  := $(wildcard tools/vmsim-src/*.c)

$(BUILD)/vmsim: $(VMSIM_C) $(POLICY_C) $(wildcard tools/vmsim-src/*.h mm/policy/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. \
	    -DVMSIM_PLOTTER=\"$(abspath tools/vmsim-src/plot.py)\" -o $@ $(VMSIM_C) $(POLICY_C) -lz

test: $(BUILD)/vmsim

# ---- the labs (docs/labs/README.md) ------------------------------------------------------
# make grade LAB=NAME: the lab's tests with their points (tools/labgrade.py builds first, so
# a tree that does not compile scores 0 with the compiler's errors shown); results.json
# and JUnit XML go to build/grade-NAME/. make grade POLICY=NAME: the replacement-policy
# lab (docs/labs/replacement.md): the simulator's checks and a boot under memory pressure.
## grade a lab: LAB=NAME (its tests, results in build/grade-NAME/), or POLICY=NAME (the
## replacement-policy lab: the simulator's checks and a boot under pressure)
grade: $(if $(LAB),,$(BUILD)/kernel.elf $(BUILD)/disk.img $(BUILD)/vmsim)
	@test -n "$(LAB)$(POLICY)" || { echo "usage: make grade LAB=NAME, or make grade POLICY=NAME"; exit 2; }
	@$(if $(LAB),mkdir -p $(BUILD)/grade-$(LAB) && python3 tools/labgrade.py $(LAB) \
	    --json $(BUILD)/grade-$(LAB)/results.json --junit $(BUILD)/grade-$(LAB)/junit.xml,\
	    python3 tools/grade.py $(POLICY))

## start lab LAB in this clone: the branch lab-LAB, whose one commit is the lab's tree
## (its cuts stubbed: tools/mklab.py), checked out; refused if the work tree has changes
lab:
	@test -n "$(LAB)" || { echo "usage: make lab LAB=NAME (the labs: docs/labs/README.md)"; exit 2; }
	@python3 tools/labbranch.py $(LAB)

## pack the work on this lab branch (or LAB) and its answers file into
## build/handin-LAB.tar.gz; refused without answers-LAB.txt
handin:
	@python3 tools/handin.py $(LAB)

.PHONY: grade lab handin

# The lab kernel: this kernel with the handout's skeleton policy registered as a student
# registers theirs (tools/labregister.sh), and with tests/lab/broken_policies.c's policies
# that are wrong on purpose. The lab's boot tests (tests/boot/lab_suite.py) boot it: the
# skeleton must not livelock, and the kernel must stop each broken one naming it.
LAB_BUILD := $(BUILD)/labkernel
LAB_POLICIES := skeleton past_the_end frame_zero ignore_eligible lowest_frame gives_up
LAB_OBJS := $(filter-out $(BUILD)/mm/policy/registry.o,$(KERNEL_OBJS)) $(LAB_BUILD)/registry.o \
            $(BUILD)/docs/labs/skeleton_policy.o $(BUILD)/tests/lab/broken_policies.o

$(LAB_BUILD)/registry.c: mm/policy/registry.c tools/labregister.sh Makefile
	@mkdir -p $(dir $@)
	$(Q)tools/labregister.sh $< $@ $(LAB_POLICIES)

$(LAB_BUILD)/registry.o: $(LAB_BUILD)/registry.c
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LAB_BUILD)/kernel.elf: $(LAB_OBJS) linker.ld
	$(Q)$(LD) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(LAB_OBJS) $(LIBGCC)

test: $(LAB_BUILD)/kernel.elf

# ---- benchmarks: figures counted in instructions under QEMU -icount ------------------
## every benchmark below (docs/performance.md records their figures)
bench: bench-vm bench-pagers bench-swap bench-thrash bench-disk bench-vmsim

## each policy's faults on 10 million references with locality, and its instructions a reference
bench-vmsim: $(BUILD)/vmsim
	@python3 tools/bench.py vmsim

## the disk driver's transfer rates, in instructions
bench-disk: $(BUILD)/kernel.elf $(BUILD)/disk.img
	@python3 tools/bench.py disk

## faults, fork, exec, munmap and exit, in instructions
bench-vm: $(BUILD)/kernel.elf $(BUILD)/disk.img
	@python3 tools/bench.py vm

## a fault served by each user-space lesson pager (user/pager_*.c), in instructions
bench-pagers: $(BUILD)/kernel.elf $(BUILD)/disk.img
	@python3 tools/bench.py pagers

## swapping workloads at several memory sizes, clustered and not
bench-swap: $(BUILD)/kernel.elf $(BUILD)/disk.img $(BUILD)/disk-bigswap.img
	@python3 tools/bench.py swap

## thrashing with no control, working-set control and page-fault frequency
bench-thrash: $(BUILD)/kernel.elf $(BUILD)/disk.img
	@python3 tools/bench.py thrash

## where a page fault's instructions go: gdb single-steps one fault of each kind and
## counts them by function (tools/faultprof.py, docs/performance.md)
faultprof: $(BUILD)/kernel.elf $(BUILD)/disk.img
	@python3 tools/faultprof.py

.PHONY: bench bench-vmsim bench-disk bench-vm bench-pagers bench-swap bench-thrash faultprof

## this list, made from the Makefile's "## " comments (tools/makehelp.py)
help:
	@python3 tools/makehelp.py Makefile

## remove build/ and .gdbinit
clean:
	rm -rf $(BUILD) .gdbinit

## (internal) a prerequisite that always runs its rule: the files it guards compare
## what they would write with what they hold
FORCE:
.PHONY: all qemu qemu-nox qemu-gdb gdb run replay replay-gdb test bench help clean FORCE

-include $(KERNEL_OBJS:.o=.d) $(UBSAN_OBJS:.o=.d) $(LAB_OBJS:.o=.d)

# ---- user programs: static i386 glibc binaries for the root filesystem ----------------
# Every user/*.c becomes build/rootfs/bin/NAME, linked with the helpers in user/lib/
# (an archive, so each program takes only what it uses). user/test_badelf.py derives the
# malformed executables of build/rootfs/tests/badelf/ from a real one. The disk-image rule
# copies build/rootfs/ into the root filesystem.
USERAR     := i686-linux-gnu-ar
# -fdebug-prefix-map: a program's bytes do not depend on where the tree is checked out
# (a lab's student tree builds the same /bin/echo, and the disk test compares files by
# their CRC); gdb finds the sources from the tree's top, where it is run.
USERCFLAGS := -static -O2 -g -fdebug-prefix-map=$(abspath .)=. -Wall -Wextra -Werror -I.
USER_PROGS := $(patsubst user/%.c,$(BUILD)/rootfs/bin/%,$(wildcard user/*.c))
USER_LIB_OBJS := $(patsubst user/lib/%.c,$(BUILD)/user/lib/%.o,$(wildcard user/lib/*.c))
USER_LIB   := $(BUILD)/user/libuser.a
BADELF_STAMP := $(BUILD)/user/badelf.stamp

$(BUILD)/user/lib/%.o: user/lib/%.c
	@mkdir -p $(dir $@)
	$(Q)$(USERCC) $(USERCFLAGS) -MMD -MP -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	$(Q)rm -f $@ && $(USERAR) rcs $@ $^

$(BUILD)/rootfs/bin/%: user/%.c $(USER_LIB)
	@mkdir -p $(dir $@) $(BUILD)/user
	$(Q)$(USERCC) $(USERCFLAGS) -MMD -MP -MF $(BUILD)/user/$*.d -MT $@ -o $@ $< $(USER_LIB)

$(BADELF_STAMP): user/test_badelf.py $(BUILD)/rootfs/bin/echo | $(BUILD)/rootfs/tests
	$(Q)python3 user/test_badelf.py $(BUILD)/rootfs/bin/echo $(BUILD)/rootfs/tests/badelf
	@touch $@

## the user programs and the malformed executables, into build/rootfs/
userprogs: $(USER_PROGS) $(BADELF_STAMP)

.PHONY: userprogs
-include $(USER_LIB_OBJS:.o=.d) $(patsubst user/%.c,$(BUILD)/user/%.d,$(wildcard user/*.c))

# The root file system holds the user programs: the image is rebuilt when one changes.
$(BUILD)/disk.img: $(USER_PROGS) $(BADELF_STAMP)
