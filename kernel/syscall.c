/* kernel/syscall.c: the system-call table, indexed by Linux i386 numbers, and the
 * dispatcher. Unknown numbers get -ENOSYS and are logged once each. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "mm/mm.h"
#include "kernel/x86.h"
#include "user/pagoda_abi.h"

static const syscall_fn linux_calls[] = {
    [1] = sys_exit,         [2] = sys_fork,          [3] = sys_read,
    [4] = sys_write,        [5] = sys_open,          [6] = sys_close,
    [7] = sys_waitpid,      [11] = sys_execve,       [12] = sys_chdir,
    [13] = sys_time,        [19] = sys_lseek,        [20] = sys_getpid,
    [29] = sys_pause,
    [24] = sys_zero,        [33] = sys_access,       [34] = sys_nice,
    [37] = sys_kill,        [96] = sys_getpriority,  [97] = sys_setpriority,
    [41] = sys_dup,         [42] = sys_pipe,         [45] = sys_brk,
    [47] = sys_zero,        [49] = sys_zero,         [50] = sys_zero,
    [54] = sys_ioctl,       [63] = sys_dup2,         [64] = sys_getppid,
    [75] = sys_setrlimit,   [78] = sys_gettimeofday, [85] = sys_readlink,
    [90] = sys_mmap,        [91] = sys_munmap,       [114] = sys_wait4,
    [120] = sys_clone,      [122] = sys_uname,       [125] = sys_mprotect,
    [140] = sys_llseek,     [145] = sys_readv,       [146] = sys_writev,
    [150] = sys_mlock,      [151] = sys_munlock,     [152] = sys_mlockall,
    [153] = sys_munlockall, [158] = sys_sched_yield, [162] = sys_nanosleep,
    [27] = sys_alarm,       [57] = sys_setpgid,      [65] = sys_getpgrp,
    [66] = sys_setsid,      [67] = sys_sigaction,    [104] = sys_setitimer,
    [105] = sys_getitimer,  [119] = sys_sigreturn,   [126] = sys_sigprocmask,
    [132] = sys_getpgid,    [147] = sys_getsid,      [173] = sys_rt_sigreturn,
    [174] = sys_rt_sigaction, [175] = sys_rt_sigprocmask, [176] = sys_rt_sigpending,
    [179] = sys_rt_sigsuspend, [186] = sys_sigaltstack, [238] = sys_tkill,
    [268] = sys_statfs64,   [269] = sys_fstatfs64,   [270] = sys_tgkill,     [183] = sys_getcwd,
    [190] = sys_fork,       /* vfork */              [191] = sys_ugetrlimit,
    [192] = sys_mmap2,      [195] = sys_stat64,      [196] = sys_lstat64,
    [197] = sys_fstat64,    [199] = sys_zero,        [200] = sys_zero,
    [201] = sys_zero,       [202] = sys_zero,        /* get[e][ug]id32: root */
    [220] = sys_getdents64, [221] = sys_fcntl64,     [224] = sys_getpid,   /* gettid */
    [243] = sys_set_thread_area, [252] = sys_exit_group, [258] = sys_set_tid_address,
    [265] = sys_clock_gettime, [267] = sys_clock_nanosleep, [295] = sys_openat,
    [300] = sys_fstatat64,  [311] = sys_zero,        /* set_robust_list */
    [330] = sys_dup3,       [331] = sys_pipe2,       [340] = sys_prlimit64,
    [355] = sys_getrandom,  [374] = sys_userfaultfd, [383] = sys_statx,
    [386] = sys_no_rseq,
    [9] = sys_link,         [10] = sys_unlink,       [36] = sys_sync,
    [38] = sys_rename,      [39] = sys_mkdir,        [40] = sys_rmdir,
    [83] = sys_symlink,     [92] = sys_truncate,     [93] = sys_ftruncate,
    [118] = sys_fsync,      [148] = sys_fsync,       /* fdatasync */
    [194] = sys_ftruncate64,
    [116] = sys_sysinfo,    [144] = sys_msync,       [218] = sys_mincore,
    [219] = sys_madvise,
    [163] = sys_mremap,     [180] = sys_pread64,     [181] = sys_pwrite64,
    [142] = sys_select,     [168] = sys_poll,        [308] = sys_pselect6,
    [309] = sys_ppoll,      [413] = sys_pselect6_time64, [414] = sys_ppoll_time64,
    [403] = sys_clock_gettime64,
    [407] = sys_clock_nanosleep_time64,
};
#define NLINUX (sizeof(linux_calls) / sizeof(linux_calls[0]))

static const syscall_fn pagoda_calls[] = {
    [SYS_pagoda_vmstat - 1000] = sys_pagoda_vmstat,
    [SYS_pagoda_frame_of - 1000] = sys_pagoda_frame_of,
    [SYS_pagoda_policy - 1000] = sys_pagoda_policy,
    [SYS_pagoda_heapstat - 1000] = sys_pagoda_kstat,
    [SYS_pagoda_policy_info - 1000] = sys_pagoda_policy_info,
    [SYS_pagoda_uffd_bits - 1000] = sys_pagoda_uffd_bits,
    [SYS_pagoda_uffd_evict - 1000] = sys_pagoda_uffd_evict,
    [SYS_pagoda_drop_caches - 1000] = sys_pagoda_drop_caches,
};
#define NPAGODA (sizeof(pagoda_calls) / sizeof(pagoda_calls[0]))

static syscall_fn lookup(uint32_t nr)
{
    if (nr < NLINUX)
        return linux_calls[nr];
    if (nr > 1000 && nr - 1000 < NPAGODA)
        return pagoda_calls[nr - 1000];
    return NULL;
}

/* Log each unimplemented number once, so the console shows what a program wanted. */
static void report_unknown(uint32_t nr)
{
    static uint8_t reported[512 / 8];
    if (nr < 512 && (reported[nr / 8] & (1 << nr % 8)))
        return;
    if (nr < 512)
        reported[nr / 8] |= 1 << nr % 8;
    printk("pid %d (%s): unimplemented system call %u\n", myproc()->pid, myproc()->name, nr);
}

void syscall(struct trapframe *tf)
{
    sti();                              /* system calls run with interrupts on */
    mm_syscall_enter();                 /* the kernel's reserve whole before it is used */
    myproc()->streak.faults = 0;        /* it ran on: no fault livelock (mm/fault.c) */
    uint32_t nr = tf->eax;
    myproc()->sig.syscall_nr = nr;      /* to restart it after a signal (kernel/signal.c) */
    syscall_fn fn = lookup(nr);
    if (!fn) {
        report_unknown(nr);
        tf->eax = -ENOSYS;
        return;
    }
    tf->eax = fn(tf);
}
