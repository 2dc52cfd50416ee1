/* user/test_policy.c: the run-time choice of replacement policy (SYS_pagoda_policy and
 * SYS_pagoda_policy_info): every policy can be chosen and is then the one in use, and
 * bad requests fail with a clear error and change nothing. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

#define BAD_POINTER ((const char *)0xC0001000)   /* kernel space: never a user buffer */

static const char *current(void)
{
    static char cur[PAGODA_POLICY_NAME_MAX];
    if (pagoda_policy(NULL, cur, sizeof(cur)) < 0)
        strcpy(cur, "?");
    return cur;
}

/* The name vmstat reports must agree with the policy call's. */
static int vmstat_says(const char *name)
{
    struct pagoda_vmstat st;
    return pagoda_vmstat(&st, 0) == 0 && strcmp(st.policy, name) == 0;
}

/* Choose each policy in turn: it is then the current one, vmstat shows it, and the list
 * marks it (and only it) as active. Returns how many the kernel listed. */
static int check_every_policy(void)
{
    struct pagoda_policy_info info, other;
    int i, bad = 0;
    for (i = 0; pagoda_policy_info(i, &info) == 0; i++) {
        char cur[PAGODA_POLICY_NAME_MAX] = "";
        int err = pagoda_policy(info.name, cur, sizeof(cur));
        int marked = 0;
        for (int k = 0; pagoda_policy_info(k, &other) == 0; k++)
            marked += other.active;
        if (err || strcmp(cur, info.name) || !vmstat_says(info.name) ||
            pagoda_policy_info(i, &info) || !info.active || marked != 1) {
            ktap_diag("policy %s: err %d, now %s, %d marked active", info.name, err, cur, marked);
            bad++;
        }
    }
    ktap_check(i >= 2 && bad == 0, "every_policy_can_be_chosen", "%d of %d policies failed", bad, i);
    return i;
}

static void check_refusals(void)
{
    char before[PAGODA_POLICY_NAME_MAX], tiny[2];
    strcpy(before, current());
    int unknown = pagoda_policy("no_such_policy", NULL, 0);
    int too_long = pagoda_policy("a_name_longer_than_any_policy_has", NULL, 0);
    int bad_name = pagoda_policy(BAD_POINTER, NULL, 0);
    ktap_check(unknown == -EINVAL && too_long == -EINVAL && bad_name == -EFAULT &&
               strcmp(current(), before) == 0, "bad_names_refused",
               "unknown %d, too long %d, bad pointer %d (expected %d, %d, %d); policy %s, was %s",
               unknown, too_long, bad_name, -EINVAL, -EINVAL, -EFAULT, current(), before);
    int small = pagoda_policy(NULL, tiny, sizeof(tiny));
    int bad_buf = pagoda_policy(NULL, (char *)BAD_POINTER, PAGODA_POLICY_NAME_MAX);
    ktap_check(small == -ERANGE && bad_buf == -EFAULT, "bad_buffers_refused",
               "2-byte buffer %d, bad buffer %d (expected %d, %d)", small, bad_buf, -ERANGE, -EFAULT);
}

static void check_list_end(int n)
{
    struct pagoda_policy_info info;
    int past = pagoda_policy_info(n, &info);
    int negative = pagoda_policy_info(-1, &info);
    int bad_buf = (int)syscall(SYS_pagoda_policy_info, 0, BAD_POINTER) == -1 ? -errno : 0;
    ktap_check(past == -ENOENT && negative == -ENOENT && bad_buf == -EFAULT, "list_ends_cleanly",
               "index %d: %d, index -1: %d, bad buffer: %d", n, past, negative, bad_buf);
}

int main(void)
{
    ktap_plan(4);
    if (!on_pagoda()) {
        ktap_skip("every_policy_can_be_chosen", "not on Pagoda");
        ktap_skip("bad_names_refused", "not on Pagoda");
        ktap_skip("bad_buffers_refused", "not on Pagoda");
        ktap_skip("list_ends_cleanly", "not on Pagoda");
        return ktap_finish();
    }
    char first[PAGODA_POLICY_NAME_MAX];
    strcpy(first, current());
    int n = check_every_policy();
    pagoda_policy(first, NULL, 0);
    check_refusals();
    check_list_end(n);
    return ktap_finish();
}
