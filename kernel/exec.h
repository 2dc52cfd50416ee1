/* kernel/exec.h: execve, which replaces a process's program: the ELF loader maps the
 * executable's segments as file-backed regions (nothing is read until a fault) and
 * a fresh stack receives argc, argv, envp and the auxiliary vector. */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <stdint.h>

struct mm;
struct inode;

/* Where the argument and environment strings come from: the calling program's
 * memory (execve), or the kernel (starting init). */
struct exec_strings {
    int from_user;
    uint32_t argv, envp;         /* addresses of NULL-terminated arrays of pointers */
};

int exec(const char *path, const struct exec_strings *strings);   /* -errno on failure */

/* kernel/elf_load.c: check the ELF file and create its regions in mm. */
struct elf_image {
    uint32_t entry, phdr_addr, phnum, brk;
};
int elf_load(struct inode *ip, const char *path, struct mm *mm, struct elf_image *img);

/* Process 1's first act: run the init= program (called from forkret). */
void exec_init(void);

#endif
