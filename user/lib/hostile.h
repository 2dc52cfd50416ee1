/* user/lib/hostile.h: hostile system-call arguments for the fuzzer (user/fuzz.c): pointers
 * to NULL, the kernel, unmapped and read-only pages and across a mapped/unmapped boundary,
 * huge lengths, bad fds, flags, paths and the structures some calls read. */
#ifndef USER_LIB_HOSTILE_H
#define USER_LIB_HOSTILE_H

#include <stdint.h>

/* fds the fuzzer keeps for itself (its log and its progress pipe): hostile_fd never
 * names them, so random dup2 and close calls cannot take them away. */
#define HOSTILE_LOG_FD 31
#define HOSTILE_PROGRESS_FD 30

/* Maps the pages the pointers point into; the process exits with status 1 if it cannot. */
void hostile_init(void);

uint32_t hostile_ptr_in(void);     /* memory the kernel reads */
uint32_t hostile_ptr_out(void);    /* memory the kernel writes */
uint32_t hostile_len(void);
uint32_t hostile_int(void);        /* flags, commands, counts, offsets */
uint32_t hostile_fd(void);
uint32_t hostile_addr(void);       /* start addresses for mmap, munmap, mprotect, mlock, brk */
uint32_t hostile_path(void);       /* a path: real, missing, too long, unterminated, or bad */
/* The directory the file-system calls that write may change (user/fuzz.c makes it and
 * empties it after each child), and a path for them: in it, or too long, unterminated
 * or bad (see the .c). */
#define HOSTILE_FS_DIR "/fuzz"
uint32_t hostile_fs_path(void);
uint32_t hostile_pid(void);        /* never another process than the caller (see the .c) */

/* Pointers to structures built in scratch memory, or (sometimes) a bad pointer instead. */
uint32_t hostile_timespec(void);   /* mostly short: a sleeper must not sleep forever */
uint32_t hostile_iovec(void);
uint32_t hostile_user_desc(int only_present);
/* Old mmap (90) reads its six arguments from memory. */
uint32_t hostile_mmap_args(void);

#endif
