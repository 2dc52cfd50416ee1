/* user/vmstat.c: prints Pagoda's virtual-memory counters: the global ones, then with
 * "vmstat PID" that process's, or with "vmstat -a" those of every process it finds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/pagoda.h"

#define MAX_PID_TRIED 64

static void print_global(const struct pagoda_vmstat *st)
{
    printf("policy %s\n", st->policy);
    printf("frames   %u free of %u\n", st->frames_free, st->frames_total);
    printf("swap     %u slots free of %u\n", st->swap_slots_free, st->swap_slots_total);
    printf("faults   %llu minor, %llu major\n", st->minor_faults, st->major_faults);
    printf("fills    %llu zero, %llu file\n", st->zero_fills, st->file_fills);
    printf("cow      %llu copied, %llu reused\n", st->cow_copies, st->cow_reuses);
    printf("swap     %llu out, %llu in\n", st->swap_outs, st->swap_ins);
    printf("evicted  %llu clean drops, %llu writebacks avoided\n",
           st->clean_drops, st->writebacks_avoided);
    printf("clock    %llu sweeps, %llu oom kills\n", st->clock_sweeps, st->oom_kills);
    printf("prepage  %llu pages, %llu used, %llu unused\n", st->prepaged, st->prepage_hits,
           st->prepage_unused);
    uint64_t faults = st->minor_faults + st->major_faults;
    printf("service  %llu cycles per fault\n", faults ? st->fault_cycles / faults : 0);
}

static void print_header(void)
{
    printf("%5s %8s %8s %8s %8s %8s %8s %8s  %s\n", "pid", "minflt", "majflt",
           "zero", "file", "cowcopy", "cowreuse", "resident", "policy");
}

static void print_process(int pid, const struct pagoda_vmstat *st)
{
    printf("%5d %8llu %8llu %8llu %8llu %8llu %8llu %8u  %s\n", pid, st->minor_faults,
           st->major_faults, st->zero_fills, st->file_fills, st->cow_copies, st->cow_reuses,
           st->resident_pages, st->policy);
}

/* Prints one process's line; returns 0, or -errno if it has none (no such pid). */
static int show_process(int pid)
{
    struct pagoda_vmstat st;
    int err = pagoda_vmstat(&st, pid);
    if (err == 0)
        print_process(pid, &st);
    return err;
}

int main(int argc, char **argv)
{
    struct pagoda_vmstat global;
    int err = pagoda_vmstat(&global, 0);
    if (err == -ENOSYS) {
        fprintf(stderr, "vmstat: not running on Pagoda\n");
        return 1;
    }
    if (err < 0) {
        fprintf(stderr, "vmstat: %s\n", strerror(-err));
        return 1;
    }
    print_global(&global);
    if (argc < 2)
        return 0;
    printf("\n");
    print_header();
    if (strcmp(argv[1], "-a") == 0) {
        for (int pid = 1; pid <= MAX_PID_TRIED; pid++)
            show_process(pid);
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        err = show_process(atoi(argv[i]));
        if (err < 0) {
            fprintf(stderr, "vmstat: pid %s: %s\n", argv[i], strerror(-err));
            status = 1;
        }
    }
    return status;
}
