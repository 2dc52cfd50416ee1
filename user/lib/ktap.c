/* user/lib/ktap.c: prints KTAP for the user-space test programs (see ktap.h).
 * Each line is formatted first and written with one write(2), so no stdio buffer is
 * copied into forked children and lines from several processes never interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "user/lib/ktap.h"

static int planned, reported, failed, skipped;

static void write_line(const char *fmt, va_list ap)
{
    char line[512];
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    for (int done = 0; done < n;) {
        ssize_t w = write(1, line + done, n - done);
        if (w <= 0)
            return;
        done += w;
    }
}

static void say(const char *fmt, ...) KTAP_PRINTF(1, 2);
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    write_line(fmt, ap);
    va_end(ap);
}

void ktap_plan(int ntests)
{
    planned = ntests;
    say("KTAP version 1");
    say("1..%d", ntests);
}

int ktap_check(int passed, const char *name, const char *fmt, ...)
{
    reported++;
    if (passed) {
        say("ok %d %s", reported, name);
        return 1;
    }
    failed++;
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    say("not ok %d %s", reported, name);
    say("# FAIL %s: %s", name, why);
    return 0;
}

void ktap_skip(const char *name, const char *reason)
{
    reported++;
    skipped++;
    say("ok %d %s # SKIP %s", reported, name, reason);
}

void ktap_diag(const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    say("# %s", msg);
}

int ktap_finish(void)
{
    if (reported != planned) {
        say("# FAIL plan: planned %d tests but reported %d", planned, reported);
        return 1;
    }
    say("# Totals: pass:%d fail:%d skip:%d", reported - failed - skipped, failed, skipped);
    return failed ? 1 : 0;
}
