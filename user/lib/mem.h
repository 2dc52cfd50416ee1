/* user/lib/mem.h: memory helpers for the test programs: touch an address the compiler
 * cannot see through, find the stack's top and size limit, check page contents. */
#ifndef USER_LIB_MEM_H
#define USER_LIB_MEM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096u
#define PAGE_DOWN(a) ((uintptr_t)(a) & ~(uintptr_t)(PAGE_SIZE - 1))
#define PAGE_UP(a) PAGE_DOWN((uintptr_t)(a) + PAGE_SIZE - 1)

/* One byte read or written at addr. They live in their own file so the compiler cannot
 * prove the access bad (a NULL store would otherwise become a trap instruction). */
char read_byte(uintptr_t addr);
void write_byte(uintptr_t addr, char value);

/* The same with a void * argument, for run_in_child: read or write the byte at arg. */
void read_byte_at(void *arg);
void write_byte_at(void *arg);

/* Calls the code at arg as a function. */
void jump_to(void *arg);

/* The end of the initial stack: the page boundary above the strings the kernel copied to
 * its top (the exec file name of AT_EXECFN, the environment, argv[0]). */
uintptr_t stack_top(void);

/* RLIMIT_STACK, or 8 MiB (Pagoda's default) when it is unknown or unlimited. */
size_t stack_limit(void);

/* Touch the stack 16 pages above its size limit (the stack grows to there) and 16 pages
 * below it (the kernel must kill the caller). */
void touch_within_stack_limit(void *unused);
void touch_beyond_stack_limit(void *unused);

/* Writes to every page of the n KiB of stack below the caller, so that later calls
 * of that depth fault nothing in (fault counters measured around them stay exact). */
void warm_stack(size_t kib);

/* npages of fresh anonymous private read-write memory; on failure the program says why
 * and exits with status 1 (for workloads, not for tests of mmap itself). MAP_NORESERVE:
 * a workload may ask for more than RAM and swap hold, to meet the OOM killer, which
 * mmap's overcommit check would otherwise refuse (docs/robustness.md). */
void *map_pages(size_t npages);

/* The offset of the first of len bytes at p that is not value, or -1 if all are. */
long first_mismatch(const void *p, size_t len, unsigned char value);

#endif
