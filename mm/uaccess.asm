; mm/uaccess.asm: the only instructions in the kernel allowed to fault on a user
; address. If one does and the address is invalid, the page-fault handler sees
; eip inside [uaccess_start, uaccess_end) and resumes at uaccess_fault instead,
; which returns -EFAULT. Every routine saves the same registers so one exit fits all.

EFAULT equ 14

section .text
global uaccess_start, uaccess_end, uaccess_fault
global uaccess_copy, uaccess_strncpy, uaccess_write32

uaccess_start:

; int uaccess_copy(void *dst, const void *src, uint32_t n): 0, or -EFAULT
uaccess_copy:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    mov edx, ecx
    shr ecx, 2
    and edx, 3
    cld
    rep movsd                   ; by words (as memcpy, kernel/string.c); a fault here
    mov ecx, edx                ; restarts the remaining words after paging in
    rep movsb                   ; then the last bytes
    xor eax, eax
    pop edi
    pop esi
    ret

; int uaccess_strncpy(char *dst, const char *src, uint32_t max):
; the string's length (without the NUL, which is copied), max if no NUL was seen, or -EFAULT
uaccess_strncpy:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    xor eax, eax
.next:
    cmp eax, ecx
    je .done
    mov dl, [esi + eax]
    mov [edi + eax], dl
    test dl, dl
    jz .done
    inc eax
    jmp .next
.done:
    pop edi
    pop esi
    ret

; int uaccess_write32(uint32_t *dst, uint32_t value): 0, or -EFAULT. Used by tests
; to prove that a write to a read-only kernel page faults.
uaccess_write32:
    push esi
    push edi
    mov edi, [esp + 12]
    mov eax, [esp + 16]
    mov [edi], eax
    xor eax, eax
    pop edi
    pop esi
    ret

uaccess_fault:
    mov eax, -EFAULT
    pop edi
    pop esi
    ret

uaccess_end:
