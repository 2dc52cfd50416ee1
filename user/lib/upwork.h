/* user/lib/upwork.h: the workload the lesson pagers serve (user/pager_*.c), run by the
 * client against a pager started with user/lib/upager.h: hog's pattern (user/hog.c) over
 * every word of a region three times the pager's frame budget, written and checked in
 * rounds, a hot set touched again and again (locality, for a replacement policy to
 * find), and a fork in the middle whose child checks what it inherited. */
#ifndef USER_LIB_UPWORK_H
#define USER_LIB_UPWORK_H

#include <stdint.h>

#include "user/lib/upager.h"

/* One run's shape, from the program's arguments (upwork_args). */
struct upwork {
    const char *name;           /* in the KTAP test names */
    uint32_t budget, npages, rounds;
    int from_file;              /* 1: the region starts as round 0's pattern, else zeros */
    const struct upager_ops *ops;
    void *self;
};

/* KTAP tests one upwork_run reports. */
#define UPWORK_CHECKS 6

/* Word i of page p in round r: word 0 is hog's (p * 2654435761 ^ r); the words after
 * it repeat in runs of 16, so that a compressor finds something to do. */
uint32_t upwork_word(uint32_t p, uint32_t r, uint32_t i);

/* Page p's 1024 words of round r into page. */
void upwork_fill(uint32_t *page, uint32_t p, uint32_t r);

/* The program's arguments: [BUDGET [PAGES [ROUNDS]]] (pages; defaults 64, 3 x BUDGET,
 * 4), or "bench". 1 for bench, 0 otherwise; on nonsense prints the usage and exits 2. */
int upwork_args(int argc, char **argv, struct upwork *w);

/* The workload against a fresh pager: its statistics into st; 1 if every check passed. */
int upwork_run(const struct upwork *w, struct upager_stats *st);

/* "bench pager_NAME_fault N instructions": the work clock per fault served, without
 * eviction (the budget holds the region), of pages the pager's store gives back. On
 * Linux it prints why it cannot. 0, or 1 if the pager failed. */
int upwork_bench(const struct upwork *w);

#endif
