/* kernel/syscall.h: system calls. `int 0x80` with the number in eax and arguments in
 * ebx, ecx, edx, esi, edi, ebp (Linux i386); the result goes back in eax, -errno on
 * failure. Handlers take the trapframe and read their arguments from it. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>
#include "kernel/trap.h"

#define ARG1(tf) ((tf)->ebx)
#define ARG2(tf) ((tf)->ecx)
#define ARG3(tf) ((tf)->edx)
#define ARG4(tf) ((tf)->esi)
#define ARG5(tf) ((tf)->edi)
#define ARG6(tf) ((tf)->ebp)

typedef long (*syscall_fn)(struct trapframe *tf);

void syscall(struct trapframe *tf);

/* The handlers, grouped by the file that implements them. */
#define SYSCALL(name) long sys_##name(struct trapframe *tf)
/* kernel/sys_proc.c */
SYSCALL(exit); SYSCALL(exit_group); SYSCALL(fork); SYSCALL(clone); SYSCALL(execve);
SYSCALL(wait4); SYSCALL(waitpid); SYSCALL(getpid); SYSCALL(getppid);
SYSCALL(set_tid_address); SYSCALL(set_thread_area); SYSCALL(sched_yield);
SYSCALL(no_rseq);
SYSCALL(nice); SYSCALL(setpriority); SYSCALL(getpriority); SYSCALL(zero); SYSCALL(ugetrlimit); SYSCALL(prlimit64); SYSCALL(setrlimit);
/* kernel/sys_signal.c */
SYSCALL(rt_sigaction); SYSCALL(sigaction); SYSCALL(rt_sigprocmask); SYSCALL(sigprocmask);
SYSCALL(rt_sigpending); SYSCALL(rt_sigsuspend); SYSCALL(pause); SYSCALL(rt_sigreturn);
SYSCALL(sigreturn); SYSCALL(sigaltstack); SYSCALL(kill); SYSCALL(tkill); SYSCALL(tgkill);
SYSCALL(alarm); SYSCALL(setitimer); SYSCALL(getitimer);
/* kernel/sys_pgrp.c */
SYSCALL(setpgid); SYSCALL(getpgid); SYSCALL(getpgrp); SYSCALL(getsid); SYSCALL(setsid);
/* kernel/sys_time.c */
SYSCALL(nanosleep); SYSCALL(clock_nanosleep); SYSCALL(clock_nanosleep_time64);
SYSCALL(clock_gettime); SYSCALL(clock_gettime64); SYSCALL(gettimeofday); SYSCALL(time);
SYSCALL(uname); SYSCALL(getrandom);
/* fs/sys_namei.c */
SYSCALL(unlink); SYSCALL(rmdir); SYSCALL(link); SYSCALL(rename); SYSCALL(symlink);
SYSCALL(mkdir); SYSCALL(truncate); SYSCALL(ftruncate); SYSCALL(ftruncate64); SYSCALL(fsync);
SYSCALL(sync);
/* mm/sys_mm.c */
SYSCALL(brk); SYSCALL(mmap); SYSCALL(mmap2); SYSCALL(munmap); SYSCALL(mprotect);
SYSCALL(mlock); SYSCALL(munlock); SYSCALL(mlockall); SYSCALL(munlockall); SYSCALL(sysinfo);
/* mm/sys_pages.c */
SYSCALL(msync); SYSCALL(mincore); SYSCALL(madvise);
/* fs/sys_file.c */
SYSCALL(read); SYSCALL(write); SYSCALL(readv); SYSCALL(writev); SYSCALL(open);
SYSCALL(openat); SYSCALL(close); SYSCALL(lseek); SYSCALL(llseek); SYSCALL(dup);
SYSCALL(dup2); SYSCALL(dup3); SYSCALL(pipe); SYSCALL(pipe2); SYSCALL(fcntl64); SYSCALL(ioctl);
SYSCALL(access); SYSCALL(getcwd); SYSCALL(chdir); SYSCALL(readlink);
/* fs/sys_stat.c */
SYSCALL(stat64); SYSCALL(lstat64); SYSCALL(fstat64); SYSCALL(fstatat64); SYSCALL(statx);
SYSCALL(getdents64); SYSCALL(statfs64); SYSCALL(fstatfs64);
/* mm/sys_pagoda.c */
SYSCALL(pagoda_vmstat); SYSCALL(pagoda_frame_of); SYSCALL(pagoda_kstat); SYSCALL(pagoda_policy);
SYSCALL(pagoda_policy_info);
/* mm/sys_uffd.c */
SYSCALL(userfaultfd); SYSCALL(pagoda_uffd_bits); SYSCALL(pagoda_uffd_evict);
SYSCALL(pagoda_drop_caches);
SYSCALL(mremap);                        /* mm/mremap.c */
SYSCALL(pread64); SYSCALL(pwrite64);    /* fs/sys_file.c */
/* fs/poll.c */
SYSCALL(poll); SYSCALL(ppoll); SYSCALL(ppoll_time64); SYSCALL(select); SYSCALL(pselect6);
SYSCALL(pselect6_time64);

#endif
