/* kernel/ktest.c: runs the tests named on the command line and reports them in
 * KTAP, then powers off with status 0 (all passed) or 1, which tools/runtests.py reads. */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/power.h"

extern const struct ktest __ktest_start[], __ktest_end[];
static int current_failed;

void ktest_check(int ok, const char *expr, const char *file, int line)
{
    if (!ok) {
        printk("    # FAIL %s:%d: %s\n", file, line, expr);
        current_failed = 1;
    }
}

void ktest_check_eq(long a, long b, const char *expr, const char *file, int line)
{
    if (a != b) {
        printk("    # FAIL %s:%d: %s (%ld != %ld)\n", file, line, expr, a, b);
        current_failed = 1;
    }
}

/* Is the test named in the comma-separated `spec`? ("all" selects every test that
 * can share a boot with others.) */
static int selected(const char *spec, const struct ktest *t)
{
    if (strcmp(spec, "all") == 0)
        return !t->alone;
    const char *name = t->name;
    size_t len = strlen(name);
    for (const char *p = spec; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        p += n + (comma != NULL);
    }
    return 0;
}

void ktest_run(const char *spec)
{
    int total = 0, failed = 0;
    for (const struct ktest *t = __ktest_start; t < __ktest_end; t++)
        total += selected(spec, t);
    printk("KTAP version 1\n1..%d\n", total);
    if (total == 0)
        printk("# no test matches '%s'\n", spec);
    int n = 0;
    for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
        if (!selected(spec, t))
            continue;
        current_failed = 0;
        t->fn();
        printk("%sok %d %s\n", current_failed ? "not " : "", ++n, t->name);
        failed += current_failed;
    }
    printk("# ktest: %d passed, %d failed\n", total - failed, failed);
    power_off(failed || total == 0 ? 1 : 0);
}
