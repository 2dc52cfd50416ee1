/* kernel/fpu.h: the x87/SSE registers of user programs (glibc's string functions use
 * SSE2). The kernel's C code never uses them (-mgeneral-regs-only), and the one
 * assembly routine file that does, mm/page.asm, puts back what it used; so they are
 * saved and restored only when the CPU passes from one process to another. */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include <stdint.h>

struct fpu_state {
    uint8_t fxsave_area[512];
} __attribute__((aligned(16)));

void fpu_init(void);                          /* enable SSE, record a clean state */
void fpu_save(struct fpu_state *s);           /* fxsave */
void fpu_restore(const struct fpu_state *s);  /* fxrstor */
void fpu_reset(struct fpu_state *s);          /* the clean state a new program starts with */

#endif
