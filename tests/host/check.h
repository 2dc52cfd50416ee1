/* tests/host/check.h: a tiny TAP harness for host unit tests. TEST(name) defines a
 * test; CHECK(cond) records a failure without stopping; RUN_TESTS() runs them all. */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>

typedef void (*test_fn)(void);
struct host_test { const char *name; test_fn fn; };

#define MAX_HOST_TESTS 64
extern struct host_test host_tests[MAX_HOST_TESTS];
extern int host_ntests, host_current_failed;

#define TEST(name)                                                        \
    static void test_##name(void);                                        \
    __attribute__((constructor)) static void register_##name(void)        \
    { host_tests[host_ntests++] = (struct host_test){#name, test_##name}; } \
    static void test_##name(void)

#define CHECK(cond)                                                       \
    do { if (!(cond)) { printf("    # FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
                        host_current_failed = 1; } } while (0)

#define CHECK_EQ(a, b)                                                    \
    do { long long _a = (long long)(a), _b = (long long)(b);              \
         if (_a != _b) { printf("    # FAIL %s:%d: %s == %s (%lld != %lld)\n", \
                                __FILE__, __LINE__, #a, #b, _a, _b);      \
                         host_current_failed = 1; } } while (0)

int run_host_tests(void);

#endif
