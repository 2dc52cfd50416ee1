/* user/vm_lazy.c: a lazily computed table. Primitive (Appel and Li, "Virtual Memory
 * Primitives for User Programs", ASPLOS 1991): TRAP + PROT1 + UNPROT: the table is
 * reserved with no access; the first touch of a page faults, the SIGSEGV handler makes
 * that page writable, computes its entries and returns, and the load is restarted.
 * Only the pages used are ever computed. On Linux: build/rootfs/bin/vm_lazy (same output). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGE 4096u
#define ENTRIES (1u << 20)                      /* isqrt(i) for i < 2^20: 1024 pages */
#define PER_PAGE (PAGE / sizeof(uint32_t))

static uint32_t *table;
static unsigned faults;

static uint32_t isqrt(uint32_t n)
{
    uint32_t r = 0;
    while ((r + 1) * (r + 1) <= n)
        r++;
    return r;
}

static void fill_page(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    uintptr_t off = (uintptr_t)si->si_addr - (uintptr_t)table;
    if (off >= ENTRIES * sizeof(uint32_t)) {
        signal(SIGSEGV, SIG_DFL);       /* not ours: die of it on return */
        return;
    }
    uint32_t *page = table + off / PAGE * PER_PAGE;
    mprotect(page, PAGE, PROT_READ | PROT_WRITE);
    uint32_t first = (uint32_t)(page - table);
    for (uint32_t i = 0; i < PER_PAGE; i++)
        page[i] = isqrt(first + i);
    faults++;
}

int main(void)
{
    table = mmap(NULL, ENTRIES * sizeof(uint32_t), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa = {.sa_sigaction = fill_page, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    static const uint32_t probes[] = {0, 99, 1000, 1023, 65536, 1000000, 1000001, 1048575};
    for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
        printf("vm_lazy: isqrt(%u) = %u\n", probes[i], table[probes[i]]);
    printf("vm_lazy: %u entries in %u pages; %u faults handled, so %u pages computed\n",
           ENTRIES, ENTRIES / PER_PAGE, faults, faults);
    return faults == 4 ? 0 : 1;         /* pages 0, 64, 976 and 1023 */
}
