/* user/vmctl.c: controls Pagoda's virtual memory at run time: "vmctl policy" shows the
 * page-replacement policy, "vmctl policy NAME" switches to another, "vmctl policies" lists them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "user/lib/pagoda.h"

static int usage(void)
{
    fprintf(stderr, "usage: vmctl policy [NAME]   show or set the replacement policy\n"
                    "       vmctl policies        list the policies (* marks the one in use)\n"
                    "       vmctl drop-caches     give back closed files' cached pages\n");
    return 2;
}

static int fail(const char *what, int err)
{
    if (err == -ENOSYS)
        fprintf(stderr, "vmctl: not running on Pagoda\n");
    else
        fprintf(stderr, "vmctl: %s: %s\n", what, strerror(-err));
    return 1;
}

static int show_policy(void)
{
    char cur[PAGODA_POLICY_NAME_MAX];
    int err = pagoda_policy(NULL, cur, sizeof(cur));
    if (err < 0)
        return fail("policy", err);
    printf("policy %s\n", cur);
    return 0;
}

static int set_policy(const char *name)
{
    char old[PAGODA_POLICY_NAME_MAX], cur[PAGODA_POLICY_NAME_MAX];
    int err = pagoda_policy(NULL, old, sizeof(old));
    if (err == 0)
        err = pagoda_policy(name, cur, sizeof(cur));
    if (err == -EINVAL) {
        fprintf(stderr, "vmctl: no policy '%s' (vmctl policies lists them)\n", name);
        return 1;
    }
    if (err < 0)
        return fail(name, err);
    printf("policy %s -> %s\n", old, cur);
    return 0;
}

static int drop_caches(void)
{
    int pages = pagoda_drop_caches();
    if (pages < 0)
        return fail("drop-caches", pages);
    printf("drop-caches: %d pages given back\n", pages);
    return 0;
}

static int list_policies(void)
{
    struct pagoda_policy_info info;
    int i, err;
    for (i = 0; (err = pagoda_policy_info(i, &info)) == 0; i++)
        printf("%c %-14s %s\n", info.active ? '*' : ' ', info.name, info.description);
    return err == -ENOENT && i > 0 ? 0 : fail("policies", err);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "policies") == 0)
        return list_policies();
    if (argc == 2 && strcmp(argv[1], "policy") == 0)
        return show_policy();
    if (argc == 3 && strcmp(argv[1], "policy") == 0)
        return set_policy(argv[2]);
    if (argc == 2 && strcmp(argv[1], "drop-caches") == 0)
        return drop_caches();
    return usage();
}
