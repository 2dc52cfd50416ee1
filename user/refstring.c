/* user/refstring.c: replays a reference string on real pages under the kernel's policy
 * and prints the page faults it took, to set beside tools/vmsim's count for the string.
 * Usage: refstring FRAMES STRING, e.g. refstring 3 7,0,1,2,0,3W (W: a write). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "user/lib/mem.h"
#include "user/lib/pagoda.h"

#define MAX_REFS 4096
#define MAX_PAGE 1023            /* reference numbers are page numbers 0 .. MAX_PAGE */
#define STACK_KIB 64             /* the stack the replay may use, faulted in before the lock */

struct refs {
    uint32_t n, npages;          /* references; pages 0 .. npages-1 */
    uint16_t page[MAX_REFS];
    uint8_t write[MAX_REFS];
};

static struct refs refs;         /* in .bss: locked with the rest of the program */

/* "7,0,1,2W" or "7 0 1 2W": numbers, each maybe followed by W. 0, or -1 with a message. */
static int parse(const char *text, struct refs *r)
{
    const char *p = text;
    while (*p) {
        if (*p == ',' || *p == ' ') {
            p++;
            continue;
        }
        char *end;
        unsigned long page = strtoul(p, &end, 10);
        if (end == p || page > MAX_PAGE || r->n == MAX_REFS) {
            fprintf(stderr, "refstring: bad reference at '%.12s' (pages 0-%d, at most %d)\n", p,
                    MAX_PAGE, MAX_REFS);
            return -1;
        }
        r->write[r->n] = *end == 'W' || *end == 'w';
        r->page[r->n++] = (uint16_t)page;
        if (page + 1 > r->npages)
            r->npages = page + 1;
        p = end + r->write[r->n - 1];
    }
    return r->n ? 0 : -1;
}

/* Everything the program has now is locked, so only the replay's pages compete for the
 * frames the RSS limit allows; the replay's pages are mapped after the lock, unlocked. */
static char *set_the_stage(uint32_t frames, uint32_t npages)
{
    warm_stack(STACK_KIB);
    if (mlockall(MCL_CURRENT) != 0) {
        fprintf(stderr, "refstring: mlockall: %s\n", strerror(errno));
        return NULL;
    }
    struct rlimit rl = { (rlim_t)frames * PAGE_SIZE, (rlim_t)frames * PAGE_SIZE };
    if (setrlimit(RLIMIT_RSS, &rl) != 0) {
        fprintf(stderr, "refstring: setrlimit RLIMIT_RSS: %s\n", strerror(errno));
        return NULL;
    }
    void *pages = mmap(NULL, (size_t)npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return pages == MAP_FAILED ? NULL : pages;
}

/* One access per reference: a write stores the page's number + 1, a read checks that
 * the page holds what was last written there (0 if never). Returns the wrong reads. */
static uint32_t replay(volatile uint8_t *pages, const struct refs *r)
{
    static uint8_t written[MAX_PAGE + 1];
    uint32_t bad = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        volatile uint8_t *byte = pages + (size_t)r->page[i] * PAGE_SIZE;
        if (r->write[i]) {
            *byte = (uint8_t)(r->page[i] + 1);
            written[r->page[i]] = 1;
        } else {
            bad += *byte != (written[r->page[i]] ? (uint8_t)(r->page[i] + 1) : 0);
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    char *end;
    unsigned long frames = argc == 3 ? strtoul(argv[1], &end, 10) : 0;
    if (argc != 3 || *end || frames < 1 || frames > MAX_PAGE + 1 || parse(argv[2], &refs) != 0) {
        fprintf(stderr, "usage: refstring FRAMES STRING   (STRING: 7,0,1,2W,... W = write)\n");
        return 2;
    }
    char policy[PAGODA_POLICY_NAME_MAX];
    struct pagoda_vmstat before, after;
    if (pagoda_policy(NULL, policy, sizeof(policy)) != 0) {
        fprintf(stderr, "refstring: not running on Pagoda\n");
        return 1;
    }
    printf("refstring: %u references, pages 0-%u\n", refs.n, refs.npages - 1);  /* stdio's buffer, now */
    char *pages = set_the_stage(frames, refs.npages);
    if (!pages)
        return 1;
    pagoda_vmstat(&before, getpid());
    uint32_t bad = replay((volatile uint8_t *)pages, &refs);
    pagoda_vmstat(&after, getpid());
    /* A write to a page that came back from swap for a read only makes it writable:
     * a fault, but not a page fault in the textbook's sense. */
    uint64_t minor = after.minor_faults - before.minor_faults;
    uint64_t major = after.major_faults - before.major_faults;
    uint64_t write_protect = after.cow_reuses - before.cow_reuses;
    printf("refstring: %s, %lu frames: %llu faults (%llu minor, %llu major; %llu write faults on "
           "resident pages not counted), %llu swap-outs; data %s\n", policy, frames,
           (unsigned long long)(minor + major - write_protect), (unsigned long long)minor,
           (unsigned long long)major, (unsigned long long)write_protect,
           (unsigned long long)(after.swap_outs - before.swap_outs), bad ? "WRONG" : "ok");
    return bad ? 1 : 0;
}
