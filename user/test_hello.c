/* user/test_hello.c: the first user program a new kernel runs: printf to standard output
 * (read back through a pipe) and malloc of small, page-sized and mmap-sized blocks. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

/* glibc serves requests from the mmap threshold up with mmap instead of the brk heap.
 * main fixes the threshold: by default glibc raises it when an mmapped block is freed. */
#define MMAP_THRESHOLD (128 * 1024)
#define MMAP_SIZED (300 * 1024)

static const size_t block_sizes[] = { 1, 24, 100, 4000, 4096, 70000, MMAP_SIZED };
#define NBLOCKS (sizeof(block_sizes) / sizeof(block_sizes[0]))

/* Points standard output at a pipe, runs printf, and reads back what arrived. */
static void check_printf_output(void)
{
    const char *expect = "hello, world 42 -7 0x2a pagoda 3.25\n";
    char got[128] = "";
    int fds[2], saved = dup(1);
    int ok = saved >= 0 && pipe(fds) == 0 && dup2(fds[1], 1) == 1;
    int printed = ok ? printf("hello, %s %d %d %#x %s %.2f\n", "world", 42, -7, 42, "pagoda", 3.25) : -1;
    ok = ok && fflush(stdout) == 0 && dup2(saved, 1) == 1;
    close(fds[1]);
    ssize_t n = ok ? read(fds[0], got, sizeof(got) - 1) : -1;
    close(fds[0]);
    close(saved);
    if (n >= 0)
        got[n] = '\0';
    ktap_check(ok && printed == (int)strlen(expect) && strcmp(got, expect) == 0, "printf_to_stdout",
               "printf returned %d and wrote \"%s\", expected \"%s\"", printed, got, expect);
}

static void check_write_stdout(void)
{
    const char *line = "# hello from write(2)\n";
    ssize_t n = write(1, line, strlen(line));
    ktap_check(n == (ssize_t)strlen(line), "write_stdout", "write returned %zd", n);
}

/* Allocates every size, fills each block with its own byte, then checks them all:
 * blocks that overlapped, or memory that did not keep what was written, show up here. */
static void check_malloc_blocks(void)
{
    unsigned char *blocks[NBLOCKS] = { 0 };
    size_t bad_block = NBLOCKS;
    long bad_offset = -1;
    for (size_t i = 0; i < NBLOCKS; i++) {
        blocks[i] = malloc(block_sizes[i]);
        if (blocks[i])
            memset(blocks[i], 0xA0 + i, block_sizes[i]);
    }
    for (size_t i = 0; i < NBLOCKS && bad_block == NBLOCKS; i++) {
        bad_offset = blocks[i] ? first_mismatch(blocks[i], block_sizes[i], 0xA0 + i) : 0;
        if (bad_offset >= 0)
            bad_block = i;
    }
    ktap_check(bad_block == NBLOCKS, "malloc_blocks_keep_contents",
               "block %zu (%zu bytes) %s at offset %ld", bad_block,
               bad_block < NBLOCKS ? block_sizes[bad_block] : 0,
               bad_block < NBLOCKS && !blocks[bad_block] ? "not allocated" : "differs", bad_offset);
    for (size_t i = 0; i < NBLOCKS; i++)
        free(blocks[i]);
}

/* A block this big comes from mmap, which places it above the brk heap; calloc relies on
 * the kernel having zeroed fresh anonymous pages and does not clear them itself. */
static void check_big_calloc(void)
{
    unsigned char *p = calloc(1, MMAP_SIZED);
    void *heap_end = sbrk(0);
    ktap_check(p && (void *)p > heap_end, "big_block_is_mmapped",
               "calloc gave %p, heap ends at %p", (void *)p, heap_end);
    long bad = p ? first_mismatch(p, MMAP_SIZED, 0) : 0;
    ktap_check(bad < 0, "big_calloc_is_zero", "byte %ld of the mmapped block is not zero", bad);
    free(p);
}

/* realloc from a heap block to an mmapped one copies the contents. */
static void check_realloc_grows(void)
{
    char *p = malloc(1000);
    if (p)
        memset(p, 'r', 1000);
    char *q = p ? realloc(p, MMAP_SIZED) : NULL;
    long bad = q ? first_mismatch(q, 1000, 'r') : 0;
    ktap_check(q && bad < 0, "realloc_keeps_contents", "realloc gave %p, first bad byte %ld",
               (void *)q, bad);
    free(q ? q : p);
}

int main(void)
{
    ktap_plan(6);
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    check_printf_output();
    check_write_stdout();
    check_malloc_blocks();
    check_big_calloc();
    check_realloc_grows();
    return ktap_finish();
}
