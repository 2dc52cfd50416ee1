/* user/vmstat.c: prints Pagoda's virtual-memory counters: the global ones, then a line for
 * every process (allocation, working set, fault rate, service time, EAT: docs/thrashing.md),
 * or with "vmstat PID..." for those processes only. "vmstat -h" says so. */
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
    printf("cache    %u pages cached, %u pages shared\n", st->cached_pages, st->shared_pages);
    printf("faults   %llu minor, %llu major\n", st->minor_faults, st->major_faults);
    printf("fills    %llu zero, %llu file, %llu cache hits\n", st->zero_fills, st->file_fills,
           st->cache_hits);
    printf("cow      %llu copied, %llu reused\n", st->cow_copies, st->cow_reuses);
    printf("swap     %llu out, %llu in\n", st->swap_outs, st->swap_ins);
    printf("evicted  %llu clean drops, %llu writebacks avoided\n",
           st->clean_drops, st->writebacks_avoided);
    printf("clock    %llu sweeps, %llu oom kills\n", st->clock_sweeps, st->oom_kills);
    printf("prepage  %llu pages, %llu used, %llu unused\n", st->prepaged, st->prepage_hits,
           st->prepage_unused);
    printf("pagers   %llu faults handed to user space, %llu pages given\n", st->uffd_faults,
           st->uffd_fills);
    uint64_t faults = st->minor_faults + st->major_faults;
    printf("service  %llu cycles per fault\n", faults ? st->fault_cycles / faults : 0);
}

static void print_header(void)
{
    printf("%5s %7s %7s %6s %6s %6s %6s %5s %5s %4s %7s %7s %7s\n", "pid", "minflt", "majflt",
           "zero", "file", "cowcp", "resid", "ws", "alloc", "nice", "flt/s", "svc", "EAT");
}

/* The effective access time EAT = (1-p) ma + p (fault service time), from measured
 * figures: p = faults per memory access, taking one access per instruction the process
 * ran (under QEMU -icount a cycle is an instruction), and ma = 1 cycle. In cycles. */
static double eat_cycles(const struct pagoda_vmstat *st, uint64_t *service)
{
    uint64_t faults = st->minor_faults + st->major_faults;
    *service = faults ? st->fault_cycles / faults : 0;
    double p = st->run_cycles ? (double)faults / st->run_cycles : 0;
    return (1 - p) * 1.0 + p * (double)*service;
}

static void print_process(int pid, const struct pagoda_vmstat *st)
{
    uint64_t service;
    double eat = eat_cycles(st, &service);
    printf("%5d %7llu %7llu %6llu %6llu %6llu %6u %5u %5u %4d %7u %7llu %7.2f%s\n", pid,
           st->minor_faults, st->major_faults, st->zero_fills, st->file_fills, st->cow_copies,
           st->resident_pages, st->ws_pages, st->alloc_frames, st->nice, st->fault_rate,
           (unsigned long long)service, eat, st->suspended ? "  suspended" : "");
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

static int usage(void)
{
    fprintf(stderr, "usage: vmstat [PID...]\n"
                    "  the global VM counters, then a line per process (every process, or\n"
                    "  the PIDs given): faults, fills, COW copies, resident pages, working\n"
                    "  set, allocation, nice, fault rate, service time and EAT in cycles\n");
    return 2;
}

/* A pid argument: digits only. */
static int parse_pid(const char *arg)
{
    char *end;
    long pid = strtol(arg, &end, 10);
    return *arg && !*end && pid > 0 && pid < 1000000 ? (int)pid : -1;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (parse_pid(argv[i]) < 0)
            return usage();             /* -h, --help, or anything not a pid */
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
    printf("\n");
    print_header();
    if (argc < 2) {
        for (int pid = 1; pid <= MAX_PID_TRIED; pid++)
            show_process(pid);
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        err = show_process(parse_pid(argv[i]));
        if (err < 0) {
            fprintf(stderr, "vmstat: pid %s: %s\n", argv[i], strerror(-err));
            status = 1;
        }
    }
    return status;
}
