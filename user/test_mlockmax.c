/* user/test_mlockmax.c: locking more than memory can hold fails (ENOMEM past
 * RLIMIT_MEMLOCK, EAGAIN past what the frames can hold) and never hangs the kernel,
 * under every replacement policy; locking within both works, and everything is unlocked
 * again by munmap. Boot with MEM=64: 443 MiB is far more than the machine has.
 * Pagoda-only in part: on Linux root is exempt from RLIMIT_MEMLOCK (CAP_IPC_LOCK). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"

#define MiB (1024u * 1024u)
#define HUGE_LOCK (443 * MiB)

/* mlock of len fresh bytes: 0 or the errno; the mapping is gone after. MAP_NORESERVE: a
 * private writable mapping bigger than RAM and swap is otherwise refused by mmap itself
 * (heuristic overcommit, docs/robustness.md), and the lock would not be tried. */
static int lock_fresh(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        return -1;
    int err = mlock(p, len) == 0 ? 0 : errno;
    munmap(p, len);
    return err;
}

static int set_memlock(rlim_t bytes)
{
    struct rlimit r = { bytes, RLIM_INFINITY };
    return setrlimit(RLIMIT_MEMLOCK, &r);
}

int main(void)
{
    struct pagoda_policy_info info;
    int npolicies = 0;
    while (pagoda_policy_info(npolicies, &info) == 0)
        npolicies++;
    ktap_plan(4 + 2 * npolicies);

    struct rlimit r;
    int got = getrlimit(RLIMIT_MEMLOCK, &r);
    ktap_check(got == 0 && r.rlim_cur == 8 * MiB, "default_limit_8_mib",
               "getrlimit gave %d, cur %lu", got, (unsigned long)r.rlim_cur);
    int err = lock_fresh(4 * MiB);
    ktap_check(err == 0, "lock_within_limit", "mlock(4 MiB): %s", strerror(err));
    err = lock_fresh(9 * MiB);
    ktap_check(err == ENOMEM, "lock_past_limit_enomem", "mlock(9 MiB): %s", strerror(err));

    /* Without the limit, the frames are what stop it: under every policy, after a
     * switch at run time (the hang was FIFO's victim search finding nothing). */
    set_memlock(RLIM_INFINITY);
    for (int i = 0; i < npolicies; i++) {
        pagoda_policy_info(i, &info);
        char name[64];
        snprintf(name, sizeof(name), "%s_huge_lock_fails", info.name);
        int set = pagoda_policy(info.name, NULL, 0);
        err = lock_fresh(HUGE_LOCK);
        ktap_check(set == 0 && (err == EAGAIN || err == ENOMEM), name,
                   "policy %s (%d): mlock(443 MiB) gave %s", info.name, set, strerror(err));
        snprintf(name, sizeof(name), "%s_lock_after", info.name);
        err = lock_fresh(16 * MiB);
        ktap_check(err == 0, name, "mlock(16 MiB) after: %s", strerror(err));
    }
    err = mlockall(MCL_CURRENT) == 0 ? 0 : errno;
    ktap_check(err == 0 && munlockall() == 0, "mlockall_small_program", "mlockall: %s",
               strerror(err));
    return ktap_finish();
}
