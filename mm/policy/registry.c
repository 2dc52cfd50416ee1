/* mm/policy/registry.c: every replacement policy by name. Adding a policy is one new file
 * in this folder plus its line in the declaration and the table below. */
#include "mm/policy/policy.h"

extern const struct vm_policy clock_policy, fifo_policy, second_chance_policy, esc_policy,
    aging_policy, lfu_policy, mfu_policy, random_policy, wsclock_policy;

/* The first is the default. */
static const struct vm_policy *const policies[] = {
    &clock_policy,
    &fifo_policy,
    &second_chance_policy,
    &esc_policy,
    &aging_policy,
    &lfu_policy,
    &mfu_policy,
    &random_policy,
    &wsclock_policy,
    0,
};

/* Policies are freestanding: no strcmp from a C library. */
static int same_name(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

const struct vm_policy *registry_find(const char *name)
{
    for (const struct vm_policy *const *p = policies; *p; p++)
        if (same_name((*p)->name, name))
            return *p;
    return 0;
}

const struct vm_policy *const *registry_list(void)
{
    return policies;
}
