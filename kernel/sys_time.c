/* kernel/sys_time.c: clocks, sleeping, uname and getrandom. Time is counted in timer
 * ticks (HZ per second) since boot; the wall clock starts at the epoch. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/random.h"
#include "drivers/pit.h"
#include "mm/uaccess.h"

struct timespec32 { int32_t sec, nsec; };
struct timespec64 { int64_t sec; int32_t nsec, pad; };
struct timeval32 { int32_t sec, usec; };

static uint64_t now_ns(void)
{
    return (uint64_t)ticks * (1000000000u / HZ);
}

/* Sleep for ns nanoseconds (rounded up to whole ticks); the timer wakes sleepers. A
 * signal ends the sleep early. Returns the ticks left (0: slept it all). */
static uint32_t sleep_ns(uint64_t ns)
{
    struct proc *p = myproc();
    uint32_t nticks = (uint32_t)((ns + 1000000000u / HZ - 1) / (1000000000u / HZ));
    p->wake_tick = ticks + nticks;
    push_cli();
    while ((int32_t)(ticks - p->wake_tick) < 0 && !signal_pending(p))
        sleep((void *)&ticks);
    int32_t left = (int32_t)(p->wake_tick - ticks);
    pop_cli();
    return left > 0 ? (uint32_t)left : 0;
}

/* Read a relative time from user memory, in either layout, and sleep that long. An
 * interrupted sleep is -EINTR with the time left in urem (if given), as on Linux. */
static long sleep_for(uint32_t uts, int is64, uint32_t urem)
{
    int64_t sec;
    int32_t nsec;
    if (is64) {
        struct timespec64 ts;
        if (copyin(&ts, uts, sizeof(ts)) < 0)
            return -EFAULT;
        sec = ts.sec, nsec = ts.nsec;
    } else {
        struct timespec32 ts;
        if (copyin(&ts, uts, sizeof(ts)) < 0)
            return -EFAULT;
        sec = ts.sec, nsec = ts.nsec;
    }
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    uint32_t left = sleep_ns((uint64_t)sec * 1000000000u + nsec);
    if (!left)
        return 0;
    int32_t rsec = left / HZ, rnsec = left % HZ * (1000000000 / HZ);
    struct timespec32 r32 = {rsec, rnsec};
    struct timespec64 r64 = {rsec, rnsec, 0};
    if (urem && copyout(urem, is64 ? (void *)&r64 : (void *)&r32,
                        is64 ? sizeof(r64) : sizeof(r32)) < 0)
        return -EFAULT;
    return -EINTR;
}

SYSCALL(nanosleep)
{
    return sleep_for(ARG1(tf), 0, ARG2(tf));
}

/* clock_nanosleep(clock, flags, req, rem): relative sleeps only (flags 0). */
SYSCALL(clock_nanosleep)
{
    return ARG2(tf) != 0 ? -EINVAL : sleep_for(ARG3(tf), 0, ARG4(tf));
}

SYSCALL(clock_nanosleep_time64)
{
    return ARG2(tf) != 0 ? -EINVAL : sleep_for(ARG3(tf), 1, ARG4(tf));
}

SYSCALL(clock_gettime)
{
    uint64_t ns = now_ns();
    struct timespec32 ts = {(int32_t)(ns / 1000000000u), (int32_t)(ns % 1000000000u)};
    return copyout(ARG2(tf), &ts, sizeof(ts));
}

SYSCALL(clock_gettime64)
{
    uint64_t ns = now_ns();
    struct timespec64 ts = {(int64_t)(ns / 1000000000u), (int32_t)(ns % 1000000000u), 0};
    return copyout(ARG2(tf), &ts, sizeof(ts));
}

SYSCALL(gettimeofday)
{
    uint64_t ns = now_ns();
    struct timeval32 tv = {(int32_t)(ns / 1000000000u), (int32_t)(ns % 1000000000u / 1000)};
    return ARG1(tf) ? copyout(ARG1(tf), &tv, sizeof(tv)) : 0;
}

SYSCALL(time)
{
    int32_t t = (int32_t)(now_ns() / 1000000000u);
    if (ARG1(tf) && copyout(ARG1(tf), &t, sizeof(t)) < 0)
        return -EFAULT;
    return t;
}

SYSCALL(uname)
{
    struct { char sysname[65], nodename[65], release[65], version[65], machine[65],
             domainname[65]; } u;
    memset(&u, 0, sizeof(u));
    strlcpy(u.sysname, "Pagoda", sizeof(u.sysname));
    strlcpy(u.nodename, "pagoda", sizeof(u.nodename));
    strlcpy(u.release, "6.1.0-pagoda", sizeof(u.release));
    strlcpy(u.version, "#1 teaching kernel", sizeof(u.version));
    strlcpy(u.machine, "i686", sizeof(u.machine));
    return copyout(ARG1(tf), &u, sizeof(u));
}

/* getrandom: the kernel's random bytes (kernel/random.c). */
SYSCALL(getrandom)
{
    uint32_t len = ARG2(tf);
    uint8_t buf[64];
    for (uint32_t done = 0; done < len;) {
        uint32_t chunk = len - done < sizeof(buf) ? len - done : sizeof(buf);
        random_fill(buf, chunk);
        if (copyout(ARG1(tf) + done, buf, chunk) < 0)
            return -EFAULT;
        done += chunk;
    }
    return len;
}
