/* mm/vmstat.c: counting VM events. Each event is counted twice: in the system-wide
 * totals and in the running process's own counters (kept until it is reaped). */
#include "mm/vmstat.h"
#include "kernel/printk.h"

struct vm_counters vmstat_global;
static struct vm_counters no_process;   /* counted while no process runs, and not read */
struct vm_counters *vmstat_own = &no_process;

void vmstat_switch(struct vm_counters *own)
{
    vmstat_own = own ? own : &no_process;
}

/* The counters by name, for the line printed when init exits: the boot tests read it
 * (two runs under QEMU -icount must print the same line; a trace must agree with it). */
#define COUNTER(name) {#name, __builtin_offsetof(struct vm_counters, name)}
static const struct { const char *name; uint32_t offset; } counters[] = {
    COUNTER(minor_faults), COUNTER(major_faults), COUNTER(zero_fills), COUNTER(file_fills),
    COUNTER(cow_copies), COUNTER(cow_reuses), COUNTER(swap_outs), COUNTER(swap_ins),
    COUNTER(clean_drops), COUNTER(writebacks_avoided), COUNTER(clock_sweeps), COUNTER(oom_kills),
    COUNTER(prepaged), COUNTER(prepage_hits), COUNTER(prepage_unused), COUNTER(suspensions),
    COUNTER(resumes), COUNTER(swap_clusters), COUNTER(direct_reclaims),
    COUNTER(prezeroed), COUNTER(prezero_hits), COUNTER(prezero_misses),
    COUNTER(cache_hits), COUNTER(file_writebacks), COUNTER(pages_cleaned),
    COUNTER(uffd_faults), COUNTER(uffd_fills), COUNTER(tables_shared), COUNTER(tables_copied),
    COUNTER(periodic_cleaned),
};
/* Every counter but fault_cycles, which is a time, not a count of events: it cannot
 * repeat from run to run, and the line must. */
_Static_assert(sizeof(counters) / sizeof(counters[0]) == sizeof(struct vm_counters) / 8 - 1,
               "a counter of struct vm_counters is missing from vmstat.c");

void vmstat_print(const struct vm_counters *c)
{
    printk("vmstat:");
    for (unsigned i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
        const uint64_t *value = (const void *)((const char *)c + counters[i].offset);
        printk(" %s %llu", counters[i].name, *value);
    }
    printk("\n");
}
