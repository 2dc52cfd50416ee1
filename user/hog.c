/* user/hog.c: a memory hog for watching swap at work: `hog MIB [ROUNDS]` writes a
 * pattern over MIB mebibytes, then checks and rewrites it ROUNDS times. Run `vmstat`
 * after it (or boot with vm.frames=N to make a small machine). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096u

static uint32_t pattern(uint32_t page, uint32_t round)
{
    return page * 2654435761u ^ round;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hog MIB [ROUNDS]\n");
        return 2;
    }
    uint32_t pages = (uint32_t)atoi(argv[1]) * (1048576 / PAGE);
    int rounds = argc > 2 ? atoi(argv[2]) : 2;
    uint32_t *mem = mmap(NULL, (size_t)pages * PAGE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == 0 || mem == MAP_FAILED) {
        fprintf(stderr, "hog: cannot map %s MiB\n", argv[1]);
        return 1;
    }
    uint32_t words = PAGE / 4, bad = 0;
    for (int r = 0; r <= rounds; r++) {
        for (uint32_t p = 0; p < pages; p++) {
            uint32_t *w = mem + p * words;
            if (r > 0 && w[0] != pattern(p, r - 1))
                bad++;
            w[0] = pattern(p, r);
        }
        printf("hog: round %d of %d over %u pages, %u bad\n", r, rounds, pages, bad);
    }
    return bad ? 1 : 0;
}
