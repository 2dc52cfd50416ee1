/* tools/vmsim-src/vmsim.c: the simulator's command line: reads or generates a reference
 * string, runs each chosen policy with each frame count, and reports (see usage below). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tools/vmsim-src/exact.h"
#include "tools/vmsim-src/generate.h"
#include "tools/vmsim-src/plot.h"
#include "tools/vmsim-src/table.h"
#include "tools/vmsim-src/xalloc.h"

#define MAX_ALGORITHMS 64
#define MAX_FRAME_COUNTS 1024
#define MAX_FRAMES (1u << 24)
#define TABLE_MAX_REFS 30        /* shorter strings get the textbook table by default */

static const char usage_text[] =
"usage: tools/vmsim [options] [FILE | -]\n"
"Runs page-replacement policies on a reference string and counts the page faults.\n"
"The string is FILE (or - for standard input; gzip-compressed is fine), --refs or --gen:\n"
"page numbers (up to 64 bits) separated by white space or commas, W after a number\n"
"for a write (7W); or the output of valgrind --tool=lackey --trace-mem=yes, whose\n"
"accesses become references to 4 KiB pages (stores and modifies are writes).\n"
"\n"
"  --policy LIST   policies, comma-separated, or all (the default); --list names them\n"
"  --frames LIST   frame counts, comma-separated, ranges allowed: 3,4 or 1-10 (default 3)\n"
"  --refs LIST     the reference string itself: --refs 7,0,1,2,0,3\n"
"  --gen KIND      generate one: loop, random or locality (see --length, --pages)\n"
"  --length N      references to generate (default 10000)\n"
"  --pages N       distinct pages to generate (default 100)\n"
"  --seed N        seed for --gen and for the random policy (default 1)\n"
"  --tick N        policies sample reference bits every N references (default 8)\n"
"  --lock LIST     these pages, once loaded, are never replaced (like mlock): a policy\n"
"                  that chooses one of their frames is reported, and the run fails\n"
"  --save FILE     write the string to FILE instead (a reference a line, each run of\n"
"                  references to one page merged: the same faults, fewer hits; gzip if\n"
"                  FILE ends in .gz), and run nothing\n"
"  --table         print the frame table even for strings longer than 30 references\n"
"  --csv           print policy,frames,refs,faults rows instead of a table\n"
"  --sweep A-B     the same as --frames A-B --csv\n"
"  --plot FILE     also draw faults and hit ratio against frames, a line per policy\n"
"                  (matplotlib; FILE.svg or FILE.png)\n"
"  --bench         also time each run and print references per second\n"
"  --list          list the policies and exit\n"
"  --names         the kernel's policies only, one name a line, the default first\n"
"Exit status: 0, or 2 for bad arguments or input.\n";

struct options {
    const char *policies, *frames, *refs, *gen, *plot, *file, *lock, *save;
    uint32_t length, pages, tick;
    uint64_t seed;
    int table, csv, bench;
};

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vmsim: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static uint64_t number(const char *text, const char *what, uint64_t min, uint64_t max)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-' || v < min || v > max)
        die("%s must be a number from %llu to %llu, not '%s'", what,
            (unsigned long long)min, (unsigned long long)max, text);
    return v;
}

/* ---- the algorithms: OPT and LRU, then every kernel policy in registry order ----------- */

static const struct sim_algorithm *known[MAX_ALGORITHMS];
static struct sim_algorithm kernel_policies[MAX_ALGORITHMS];
static uint32_t nknown;

static void collect_algorithms(void)
{
    known[nknown++] = &exact_opt;
    known[nknown++] = &exact_lru;
    for (const struct vm_policy *const *p = registry_list(); *p && nknown < MAX_ALGORITHMS; p++) {
        kernel_policies[nknown] = (struct sim_algorithm){ *p, NULL, NULL };
        known[nknown] = &kernel_policies[nknown];
        nknown++;
    }
}

/* Fills chosen[] from "all" or "fifo,lru,..."; returns how many. */
static uint32_t choose_algorithms(const char *list, const struct sim_algorithm **chosen)
{
    if (strcmp(list, "all") == 0) {
        memcpy(chosen, known, nknown * sizeof *known);
        return nknown;
    }
    uint32_t n = 0;
    char *copy = strdup(list), *rest = copy, *name;
    while ((name = strsep(&rest, ",")) && n < MAX_ALGORITHMS) {
        uint32_t k = 0;
        while (k < nknown && strcmp(known[k]->policy->name, name) != 0)
            k++;
        if (k == nknown)
            die("unknown policy '%s' (tools/vmsim --list names them)", name);
        chosen[n++] = known[k];
    }
    free(copy);
    return n;
}

/* Fills counts[] from "3,4" or "1-10,16"; returns how many. */
static uint32_t choose_frame_counts(const char *list, uint32_t *counts)
{
    uint32_t n = 0;
    char *copy = strdup(list), *rest = copy, *item;
    while ((item = strsep(&rest, ","))) {
        char *dash = strchr(item, '-');
        if (dash)
            *dash = 0;
        uint32_t lo = (uint32_t)number(item, "a frame count", 1, MAX_FRAMES);
        uint32_t hi = dash ? (uint32_t)number(dash + 1, "a frame count", lo, MAX_FRAMES) : lo;
        for (uint32_t f = lo; f <= hi; f++) {
            if (n == MAX_FRAME_COUNTS)
                die("more than %d frame counts", MAX_FRAME_COUNTS);
            counts[n++] = f;
        }
    }
    free(copy);
    return n;
}

/* ---- the reference string and how to name it -------------------------------------------- */

static void load_trace(const struct options *o, struct trace *t, char *source, size_t len)
{
    char err[512];
    if (!!o->refs + !!o->gen + !!o->file != 1)
        die("give exactly one reference string: FILE, -, --refs or --gen");
    if (o->gen) {
        if (generate(t, o->gen, o->length, o->pages, o->seed) != 0)
            die("--gen must be loop, random or locality, not '%s'", o->gen);
        snprintf(source, len, "%s, %u pages, seed %llu", o->gen, o->pages,
                 (unsigned long long)o->seed);
    } else if (o->refs) {
        if (trace_parse(t, "--refs", o->refs, strlen(o->refs), err, sizeof err) != 0)
            die("%s", err);
        snprintf(source, len, "%.60s%s", o->refs, strlen(o->refs) > 60 ? "..." : "");
    } else {
        if (trace_read(t, o->file, err, sizeof err) != 0)
            die("%s", err);
        snprintf(source, len, "%s", strcmp(o->file, "-") ? o->file : "standard input");
    }
}

/* ---- --lock: pages whose frames are not eligible, as pinned frames in the kernel ------ */

static uint8_t *locked;          /* locked[page]; NULL without --lock */
static uint32_t nlocked;

static int unlocked(uint32_t frame, void *ctx)
{
    (void)ctx;
    uint32_t page = frame < pol_nframes() ? sim_page_in(frame) : POL_NONE;
    return page != POL_NONE && !locked[page];
}

/* Every frame count must leave a frame for the pages that are not locked. */
static void load_locks(const char *list, const struct trace *t, const uint32_t *counts,
                       uint32_t ncounts)
{
    locked = xcalloc(t->npages, 1);
    char *copy = strdup(list), *rest = copy, *item;
    while ((item = strsep(&rest, ","))) {
        uint64_t label = number(item, "a locked page", 0, UINT64_MAX);
        uint32_t page = 0;
        while (page < t->npages && t->label[page] != label)    /* as the input numbered it */
            page++;
        if (page == t->npages)
            die("--lock: page %llu is not in the reference string", (unsigned long long)label);
        nlocked += !locked[page];
        locked[page] = 1;
    }
    free(copy);
    for (uint32_t k = 0; k < ncounts; k++)
        if (counts[k] <= nlocked)
            die("--lock: %u locked pages leave no frame for the others with %u frames", nlocked,
                counts[k]);
}

static uint32_t count_writes(const struct trace *t)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < t->n; i++)
        w += t->write[i];
    return w;
}

/* ---- running and reporting ------------------------------------------------------------- */

struct result {
    struct sim_stats stats;
    double seconds;
};

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct result run_one(const struct sim_algorithm *a, uint32_t frames,
                             const struct options *o, const struct trace *t, int show_table)
{
    struct sim_config c = { frames, t->npages, o->tick, o->seed, locked ? unlocked : NULL, NULL };
    double start = seconds_now();
    if (show_table) {
        table_run(stdout, a, &c, t);
    } else {
        sim_start(a, &c, t);
        sim_run(t);
    }
    return (struct result){ sim_stats(), seconds_now() - start };
}

static void print_summary(const struct result *r, const struct sim_algorithm **algs,
                          uint32_t nalgs, const uint32_t *counts, uint32_t ncounts, int bench)
{
    printf("%-14s %7s %10s %10s %12s%s\n", "policy", "frames", "faults", "hit ratio",
           "write-backs", bench ? "     refs/s" : "");
    for (uint32_t a = 0; a < nalgs; a++) {
        for (uint32_t k = 0; k < ncounts; k++, r++) {
            printf("%-14s %7u %10llu %9.2f%% %12llu", algs[a]->policy->name, counts[k],
                   (unsigned long long)r->stats.faults,
                   100.0 * (double)(r->stats.refs - r->stats.faults) / (double)r->stats.refs,
                   (unsigned long long)r->stats.writebacks);
            if (bench)
                printf(" %9.1f M", (double)r->stats.refs / r->seconds / 1e6);
            printf("\n");
        }
    }
}

static void print_csv(FILE *out, const struct result *r, const struct sim_algorithm **algs,
                      uint32_t nalgs, const uint32_t *counts, uint32_t ncounts)
{
    fprintf(out, "policy,frames,refs,faults\n");
    for (uint32_t a = 0; a < nalgs; a++)
        for (uint32_t k = 0; k < ncounts; k++, r++)
            fprintf(out, "%s,%u,%llu,%llu\n", algs[a]->policy->name, counts[k],
                    (unsigned long long)r->stats.refs, (unsigned long long)r->stats.faults);
}

/* The same rows, drawn by the plotting script (plot.h). */
static void write_plot(const char *path, const char *source, const struct result *r,
                       const struct sim_algorithm **algs, uint32_t nalgs,
                       const uint32_t *counts, uint32_t ncounts)
{
    char title[160];
    snprintf(title, sizeof title, "Page faults against frames: %s", source);
    fflush(stdout);
    FILE *rows = plot_start(path, title);
    if (!rows)
        die("cannot start the plotting script %s", VMSIM_PLOTTER);
    print_csv(rows, r, algs, nalgs, counts, ncounts);
    if (plot_finish(rows) != 0)
        die("the plotting script could not draw %s", path);
}

/* ---- the command line ------------------------------------------------------------------ */

static void list_policies(void)
{
    for (uint32_t k = 0; k < nknown; k++)
        printf("%-14s %s\n", known[k]->policy->name, known[k]->policy->description);
}

/* For scripts (the GRUB menu): the names vm.policy= accepts, from mm/policy/registry.c. */
static void list_kernel_names(void)
{
    for (const struct vm_policy *const *p = registry_list(); *p; p++)
        printf("%s\n", (*p)->name);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        {"policy", required_argument, 0, 'p'}, {"frames", required_argument, 0, 'f'},
        {"refs", required_argument, 0, 'r'},   {"gen", required_argument, 0, 'g'},
        {"length", required_argument, 0, 'n'}, {"pages", required_argument, 0, 'P'},
        {"seed", required_argument, 0, 's'},   {"tick", required_argument, 0, 't'},
        {"table", no_argument, 0, 'T'},        {"csv", no_argument, 0, 'c'},
        {"sweep", required_argument, 0, 'S'},  {"plot", required_argument, 0, 'o'},
        {"bench", no_argument, 0, 'b'},        {"list", no_argument, 0, 'l'},
        {"names", no_argument, 0, 'N'},        {"help", no_argument, 0, 'h'},
        {"lock", required_argument, 0, 'L'},   {"save", required_argument, 0, 'w'},
        {0, 0, 0, 0},
    };
    *o = (struct options){ .policies = "all", .frames = "3", .length = 10000, .pages = 100,
                           .seed = 1, .tick = 8 };
    int c;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'p': o->policies = optarg; break;
        case 'f': o->frames = optarg; break;
        case 'r': o->refs = optarg; break;
        case 'g': o->gen = optarg; break;
        case 'n': o->length = (uint32_t)number(optarg, "--length", 1, UINT32_MAX); break;
        case 'P': o->pages = (uint32_t)number(optarg, "--pages", 1, MAX_FRAMES); break;
        case 's': o->seed = number(optarg, "--seed", 0, UINT64_MAX); break;
        case 't': o->tick = (uint32_t)number(optarg, "--tick", 0, UINT32_MAX); break;
        case 'T': o->table = 1; break;
        case 'c': o->csv = 1; break;
        case 'S': o->frames = optarg; o->csv = 1; break;
        case 'o': o->plot = optarg; break;
        case 'L': o->lock = optarg; break;
        case 'w': o->save = optarg; break;
        case 'b': o->bench = 1; break;
        case 'l': list_policies(); exit(0);
        case 'N': list_kernel_names(); exit(0);
        case 'h': fputs(usage_text, stdout); exit(0);
        default: fputs(usage_text, stderr); exit(2);
        }
    }
    if (optind < argc)
        o->file = argv[optind++];
    if (optind < argc)
        die("one input at a time: '%s' is one too many", argv[optind]);
}

int main(int argc, char **argv)
{
    static const struct sim_algorithm *algs[MAX_ALGORITHMS];
    static uint32_t counts[MAX_FRAME_COUNTS];
    struct options o;
    struct trace t;
    char source[128];

    collect_algorithms();
    parse_options(argc, argv, &o);
    uint32_t nalgs = choose_algorithms(o.policies, algs);
    uint32_t ncounts = choose_frame_counts(o.frames, counts);
    load_trace(&o, &t, source, sizeof source);
    if (o.save) {
        char err[512];
        if (trace_save(&t, o.save, err, sizeof err) != 0)
            die("--save %s", err);
        trace_free(&t);
        return 0;
    }
    if (o.lock)
        load_locks(o.lock, &t, counts, ncounts);
    int show_tables = !o.csv && !o.bench && (o.table || t.n <= TABLE_MAX_REFS);

    struct result *results = xcalloc((size_t)nalgs * ncounts, sizeof *results);
    for (uint32_t a = 0; a < nalgs; a++)
        for (uint32_t k = 0; k < ncounts; k++)
            results[a * ncounts + k] = run_one(algs[a], counts[k], &o, &t, show_tables);

    if (o.csv) {
        print_csv(stdout, results, algs, nalgs, counts, ncounts);
    } else {
        printf("%s: %u references to %u pages, %u writes; a tick every %u references\n",
               source, t.n, t.npages, count_writes(&t), o.tick);
        print_summary(results, algs, nalgs, counts, ncounts, o.bench);
    }
    if (o.plot)
        write_plot(o.plot, source, results, algs, nalgs, counts, ncounts);
    free(results);
    free(locked);
    trace_free(&t);
    return 0;
}
