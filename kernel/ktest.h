/* kernel/ktest.h: in-kernel tests. KTEST(name) { ... } defines a test that the
 * command line selects with ktest=name (or ktest=all); results are printed as KTAP. */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

struct ktest {
    const char *name;
    void (*fn)(void);
    int alone;          /* only run when named: it ends the boot (a panic, say) */
};

#define KTEST_DEFINE(name, alone)                                                \
    static void ktest_fn_##name(void);                                           \
    static const struct ktest ktest_##name                                       \
        __attribute__((section(".ktest"), used, aligned(4))) = {#name, ktest_fn_##name, alone}; \
    static void ktest_fn_##name(void)

#define KTEST(name) KTEST_DEFINE(name, 0)         /* part of ktest=all */
#define KTEST_ALONE(name) KTEST_DEFINE(name, 1)   /* only with ktest=name */

/* Check a condition; a failure is reported with the expression and location and
 * marks the current test failed, but the test goes on. */
#define KEXPECT(cond) ktest_check((cond) != 0, #cond, __FILE__, __LINE__)
#define KEXPECT_EQ(a, b) ktest_check_eq((long)(a), (long)(b), #a " == " #b, __FILE__, __LINE__)

void ktest_check(int ok, const char *expr, const char *file, int line);
void ktest_check_eq(long a, long b, const char *expr, const char *file, int line);
void ktest_run(const char *spec) __attribute__((noreturn));

#endif
