; mm/page.asm: zeroing and copying a whole page, the two loops a demand-zero fault and
; a copy-on-write fault spend most of their instructions in (docs/performance.md).
; They move 16 bytes an instruction with SSE2 (MOVDQA, Intel SDM vol. 2), where
; `rep stosl` and `rep movsl` move 4: a page is 256 stores, not 1,024, and QEMU under
; -icount counts every iteration of a rep prefix as one instruction. (32-bit Linux built
; for the Athlon clears and copies pages with MMX, 8 bytes a store.) The kernel is compiled
; -mgeneral-regs-only, so the XMM registers hold the running program's values here:
; each routine saves those it uses on the stack and puts them back. Nothing here
; sleeps or can be interrupted by code that uses them (interrupt handlers are C).
; Both take page-aligned addresses (MOVDQA faults on anything less than 16-aligned).

PGSIZE equ 4096

section .text
global page_zero, page_copy

; void page_zero(void *page)
page_zero:
    mov eax, [esp + 4]
    sub esp, 16
    movdqu [esp], xmm0
    pxor xmm0, xmm0
    add eax, PGSIZE             ; eax: the page's end; ecx counts up from -PGSIZE to 0
    mov ecx, -PGSIZE
.next:
%assign off 0
%rep 16
    movdqa [eax + ecx + off], xmm0
%assign off off + 16
%endrep
    add ecx, 256
    jnz .next
    movdqu xmm0, [esp]
    add esp, 16
    ret

; void page_copy(void *dst, const void *src)
page_copy:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
    sub esp, 128
%assign r 0
%rep 8
    movdqu [esp + 16 * r], xmm %+ r
%assign r r + 1
%endrep
    add eax, PGSIZE
    add edx, PGSIZE
    mov ecx, -PGSIZE
.next:
%assign r 0
%rep 8
    movdqa xmm %+ r, [edx + ecx + 16 * r]
%assign r r + 1
%endrep
%assign r 0
%rep 8
    movdqa [eax + ecx + 16 * r], xmm %+ r
%assign r r + 1
%endrep
    add ecx, 128
    jnz .next
%assign r 0
%rep 8
    movdqu xmm %+ r, [esp + 16 * r]
%assign r r + 1
%endrep
    add esp, 128
    ret
