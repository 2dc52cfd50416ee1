; boot/entry.asm: the multiboot header and the first instructions the kernel runs.
; GRUB (or QEMU -kernel) jumps here in 32-bit protected mode with paging off.

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ 0x3                 ; bit 0: page-align modules; bit 1: give us a memory map
KERNBASE    equ 0xC0000000
BOOT_MAP_MB equ 64                  ; the boot page directory maps this much RAM (4 MiB pages)

CR0_PG      equ 0x80000000
CR0_WP      equ 0x00010000          ; without WP, ring-0 writes ignore read-only PTEs (no COW!)
CR4_PSE     equ 0x00000010

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

; .boot is linked at its physical address (see linker.ld): paging is still off here.
section .boot
global start
extern kmain
start:
    ; eax = multiboot magic, ebx = physical address of the multiboot info. Keep both.
    mov ecx, cr4
    or ecx, CR4_PSE                 ; the boot directory uses 4 MiB pages: no page tables needed
    mov cr4, ecx
    mov ecx, boot_pgdir - KERNBASE
    mov cr3, ecx
    mov ecx, cr0
    or ecx, CR0_PG | CR0_WP
    mov cr0, ecx
    lea ecx, [high]                 ; an absolute jump into the higher half
    jmp ecx

section .text
high:
    ; From here on we run at 0xC01xxxxx. The low identity mapping is still present;
    ; vm_init_kernel() replaces this whole directory with the kernel's final one.
    mov esp, boot_stack_top
    xor ebp, ebp                    ; ends the frame-pointer chain for backtraces
    push ebx
    push eax
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .data
align 4096
; boot_pgdir maps [0, BOOT_MAP_MB) twice: at 0 (so the instruction after "mov cr0" still
; runs) and at KERNBASE (where the kernel is linked). Entries are 4 MiB pages: P|W|PS.
global boot_pgdir
boot_pgdir:
%assign i 0
%rep 1024
  %if i < BOOT_MAP_MB / 4
    dd (i << 22) | 0x83
  %elif i >= 768 && i < 768 + BOOT_MAP_MB / 4
    dd ((i - 768) << 22) | 0x83
  %else
    dd 0
  %endif
  %assign i i + 1
%endrep

section .bss
align 4096
global boot_stack
boot_stack:
    resb 4096
boot_stack_top:
