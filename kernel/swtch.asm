; kernel/swtch.asm: the context switch. swtch(&old, new) saves the callee-saved
; registers on the current kernel stack, stores that stack pointer in *old, loads
; new as the stack pointer and pops the registers saved there. The C compiler has
; already saved everything else (the caller-saved registers) before the call.

section .text
global swtch
swtch:
    mov eax, [esp + 4]          ; struct context **old
    mov edx, [esp + 8]          ; struct context *new
    ; the return address is already on the stack: it becomes context.eip
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp              ; *old = this stack, which now looks like a struct context
    mov esp, edx                ; switch stacks
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret                         ; to context.eip of the new side
