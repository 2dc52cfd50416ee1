/* user/lib/ktap.h: a tiny KTAP reporter for the user-space test programs:
 * the plan, numbered "ok"/"not ok" lines, skips, and "# " diagnostics on stdout. */
#ifndef USER_LIB_KTAP_H
#define USER_LIB_KTAP_H

#define KTAP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Prints the header and "1..ntests". Call it once, first. */
void ktap_plan(int ntests);

/* Reports one test. On failure fmt... says why, as "# FAIL name: why".
 * Returns passed, so callers can chain on the result. */
int ktap_check(int passed, const char *name, const char *fmt, ...) KTAP_PRINTF(3, 4);

/* Reports one test as skipped: "ok N name # SKIP reason". */
void ktap_skip(const char *name, const char *reason);

/* Prints "# " followed by the message. */
void ktap_diag(const char *fmt, ...) KTAP_PRINTF(1, 2);

/* The exit status for main: 0 only if exactly the planned tests ran and all passed. */
int ktap_finish(void);

#endif
