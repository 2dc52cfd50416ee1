/* kernel/fpu.c: turns on the FPU and SSE (CR0.MP/NE, CR4.OSFXSR/OSXMMEXCPT; without
 * OSFXSR every SSE instruction is an invalid opcode) and saves/restores the registers. */
#include "kernel/fpu.h"
#include "kernel/x86.h"
#include "kernel/string.h"

#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_NE 0x20
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400

static struct fpu_state clean;

void fpu_init(void)
{
    uint32_t cr0 = read_cr0();
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
    fpu_save(&clean);                 /* fninit's state, MXCSR at its reset value */
}

void fpu_save(struct fpu_state *s)
{
    __asm__ volatile("fxsave %0" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
    __asm__ volatile("fxrstor %0" : : "m"(*s));
}

void fpu_reset(struct fpu_state *s)
{
    memcpy(s, &clean, sizeof(*s));
}
