; kernel/trapentry.asm: one tiny stub per interrupt vector, all funnelling into
; alltraps, which completes a struct trapframe on the kernel stack and calls trap().

extern trap

; Vectors where the CPU pushes an error code itself; all others push a 0 for it,
; so every trapframe has the same layout.
%macro VECTOR_NOERR 1
vector%1:
    push dword 0
    push dword %1
    jmp alltraps
%endmacro
%macro VECTOR_ERR 1
vector%1:
    push dword %1
    jmp alltraps
%endmacro

section .text
%assign v 0
%rep 48
  %if v == 8 || (v >= 10 && v <= 14) || v == 17
    VECTOR_ERR v
  %else
    VECTOR_NOERR v
  %endif
  %assign v v + 1
%endrep
VECTOR_NOERR 128

global alltraps
alltraps:
    cld                         ; the C ABI assumes DF = 0: a user's std must not make the
                                ; kernel's string copies (rep movsb) run backwards
    push ds
    push es
    push fs
    push gs
    pushad                      ; the stack now holds a complete struct trapframe
    mov ax, 0x10                ; kernel data segment
    mov ds, ax
    mov es, ax
    xor ax, ax                  ; fs and gs hold user TLS selectors, valid only while
    mov fs, ax                  ; their process's slots are in the GDT: null them here, or
    mov gs, ax                  ; a trap nested after a switch pops a stale one (#GP)
    push esp                    ; argument: struct trapframe *
    call trap
    add esp, 4
global trapret, trapret_segs, trapret_iret
trapret:
    popad
trapret_segs:                   ; from here to the iret, loading the interrupted code's own
    pop gs                      ; selectors may fault: a program can load one and then clear
    pop fs                      ; its descriptor. exception() (kernel/trap.c) then kills it.
    pop es
    pop ds
    add esp, 8                  ; trapno and error code
trapret_iret:
    iret

; The table of stub addresses idt_init() installs.
section .rodata
global vectors
vectors:
%assign v 0
%rep 48
    dd vector %+ v
  %assign v v + 1
%endrep
    dd vector128
