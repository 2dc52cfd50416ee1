/* user/test_fswrite.c: writing the ext2 root through the system calls: open with
 * O_CREAT, O_EXCL, O_TRUNC and O_APPEND; write, lseek and read back; ftruncate
 * (shrinking and growing a hole); link, symlink and readlink; rename (over a file, and
 * a directory across directories); mkdir, rmdir, unlink; fsync and sync; and the errors
 * Linux gives; and that write(2) leaves its pages dirty in the page cache for fsync to
 * write back, and that a closed file's pages stay cached until pagoda_drop_caches
 * (on Pagoda, by its counters: elsewhere those checks are skipped, and the rest
 * runs on Linux as it is). It leaves /fswrite/kept behind, so that the image can be checked by
 * e2fsck after the boot (tests/boot/user_suite.py). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

#define DIR "/fswrite"
#define BIG (300 * 1024)               /* past the direct and single-indirect blocks */

static char big[BIG], back[BIG];

/* The whole file at path, read into buf: its length, or -1. */
static long slurp(const char *path, char *buf, long max)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long n = 0, r;
    while (n < max && (r = read(fd, buf + n, max - n)) > 0)
        n += r;
    close(fd);
    return n;
}

static void check_create_write_read(void)
{
    int fd = open(DIR "/a", O_WRONLY | O_CREAT | O_EXCL, 0644);
    ktap_check(fd >= 0, "open_creat_excl", "open: %s", strerror(errno));
    for (int i = 0; i < BIG; i++)
        big[i] = 'a' + i * 7 % 26;
    long w = write(fd, big, BIG);
    ktap_check(w == BIG, "write_big", "write gave %ld: %s", w, strerror(errno));
    ktap_check(fsync(fd) == 0, "fsync", "fsync: %s", strerror(errno));
    ktap_check(read(fd, back, 1) < 0 && errno == EBADF, "write_only_not_readable",
               "read of an O_WRONLY file did not fail with EBADF");
    close(fd);
    long r = slurp(DIR "/a", back, BIG);
    ktap_check(r == BIG && memcmp(big, back, BIG) == 0, "read_back", "read %ld bytes", r);
    fd = open(DIR "/a", O_WRONLY | O_CREAT | O_EXCL, 0644);
    ktap_check(fd < 0 && errno == EEXIST, "excl_exists", "second O_EXCL open gave %d", fd);
    struct stat st;
    ktap_check(stat(DIR "/a", &st) == 0 && st.st_size == BIG && st.st_blocks >= BIG / 512,
               "stat_size_blocks", "size %ld, %ld blocks", (long)st.st_size, (long)st.st_blocks);
}

/* Pages the kernel has written back to their files so far: by the periodic write-back
 * of the pageout daemon (every few seconds, whenever it falls), or by everything else. */
static uint64_t cleaned(int periodic)
{
    struct pagoda_vmstat st;
    if (pagoda_vmstat(&st, 0) != 0)
        return 0;
    return periodic ? st.periodic_cleaned : st.pages_cleaned - st.periodic_cleaned;
}

/* write(2) goes into the cached pages, which stay dirty until write-back: write itself
 * cleans none, a read before sees the new bytes from the same pages, and fsync writes
 * back what the periodic write-back has not (each page once). A disk wait may let the
 * virtual clock run ahead to the daemon's next round: it counts apart. */
static void check_write_back(void)
{
    if (!on_pagoda()) {
        ktap_skip("write_leaves_pages_dirty", "Pagoda's counters only");
        ktap_skip("fsync_writes_them_back", "Pagoda's counters only");
        return;
    }
    sync();                                     /* no other page is dirty now */
    int fd = open(DIR "/wb", O_RDWR | O_CREAT | O_EXCL, 0644);
    uint64_t before = cleaned(0), daemon = cleaned(1);
    long w = write(fd, big, 5 * 4096);
    uint64_t written = cleaned(0);
    long r = pread(fd, back, 5 * 4096, 0);
    ktap_check(w == 5 * 4096 && written == before && r == w && memcmp(big, back, 5 * 4096) == 0,
               "write_leaves_pages_dirty", "wrote %ld, read %ld; %llu pages cleaned by write",
               w, r, (unsigned long long)(written - before));
    int ok = fsync(fd) == 0;
    uint64_t by_fsync = cleaned(0) - written, by_daemon = cleaned(1) - daemon;
    ktap_check(ok && by_fsync + by_daemon == 5, "fsync_writes_them_back",
               "fsync cleaned %llu pages and the daemon %llu, not 5 in all",
               (unsigned long long)by_fsync, (unsigned long long)by_daemon);
    close(fd);
    unlink(DIR "/wb");
}

/* A closed file's clean pages stay in the page cache (fs/vfs.c): reading it again reads
 * no disk. pagoda_drop_caches gives them back, as Linux's drop_caches does. */
static void check_closed_file_cached(void)
{
    if (!on_pagoda()) {
        ktap_skip("closed_file_stays_cached", "Pagoda's counters only");
        ktap_skip("drop_caches_gives_it_back", "Pagoda's counters only");
        return;
    }
    struct pagoda_vmstat before, read_back, dropped;
    pagoda_drop_caches();
    pagoda_vmstat(&before, 0);
    long r = slurp(DIR "/a", back, BIG);            /* opened, read whole, closed */
    pagoda_vmstat(&read_back, 0);
    uint32_t pages = BIG / 4096;
    ktap_check(r == BIG && read_back.cached_pages >= before.cached_pages + pages,
               "closed_file_stays_cached", "%u cached pages before, %u after reading %u",
               before.cached_pages, read_back.cached_pages, pages);
    int given = pagoda_drop_caches();
    pagoda_vmstat(&dropped, 0);
    ktap_check(given >= (int)pages && dropped.cached_pages <= read_back.cached_pages - pages,
               "drop_caches_gives_it_back", "%d pages given back, %u cached now", given,
               dropped.cached_pages);
}

static void check_append_trunc(void)
{
    int fd = open(DIR "/b", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ssize_t w1 = write(fd, "hello", 5);
    close(fd);
    fd = open(DIR "/b", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    ssize_t w2 = write(fd, " world", 6);              /* O_APPEND: at the end anyway */
    close(fd);
    char buf[32] = "";
    long r = slurp(DIR "/b", buf, sizeof(buf));
    ktap_check(w1 == 5 && w2 == 6 && r == 11 && memcmp(buf, "hello world", 11) == 0,
               "append", "read %ld: %.11s", r, buf);
    fd = open(DIR "/b", O_RDWR | O_TRUNC);
    ktap_check(fd >= 0 && lseek(fd, 0, SEEK_END) == 0, "o_trunc", "not empty after O_TRUNC");
    /* A hole: write past the end, the gap reads as zeros. */
    lseek(fd, 10000, SEEK_SET);
    ssize_t wx = write(fd, "x", 1);
    char hole[10001];
    lseek(fd, 0, SEEK_SET);
    long n = read(fd, hole, sizeof(hole));
    int zeros = 1;
    for (int i = 0; i < 10000; i++)
        zeros &= hole[i] == 0;
    ktap_check(wx == 1 && n == 10001 && zeros && hole[10000] == 'x', "hole_reads_zeros",
               "read %ld", n);
    int t = ftruncate(fd, 3);
    ktap_check(t == 0 && lseek(fd, 0, SEEK_END) == 3, "ftruncate_shrinks", "ftruncate gave %d", t);
    ktap_check(ftruncate(fd, 5000) == 0 && lseek(fd, 0, SEEK_END) == 5000, "ftruncate_grows",
               "size %ld", (long)lseek(fd, 0, SEEK_END));
    ktap_check(syscall(SYS_write, fd, 16, 10) < 0 && errno == EFAULT, "write_bad_pointer_efault",
               "write from address 16 did not fail with EFAULT");
    close(fd);
    fd = open(DIR "/b", O_RDONLY);
    ktap_check(ftruncate(fd, 0) < 0 && errno == EINVAL, "ftruncate_read_only_einval",
               "ftruncate of an O_RDONLY file did not fail with EINVAL");
    close(fd);
}

static void check_names(void)
{
    ktap_check(link(DIR "/a", DIR "/a-link") == 0, "link", "link: %s", strerror(errno));
    struct stat st;
    ktap_check(stat(DIR "/a", &st) == 0 && st.st_nlink == 2, "link_count", "nlink %ld",
               (long)st.st_nlink);
    ktap_check(symlink("a", DIR "/sym") == 0, "symlink", "symlink: %s", strerror(errno));
    char target[16] = "";
    ktap_check(readlink(DIR "/sym", target, sizeof(target)) == 1 && target[0] == 'a',
               "readlink", "target %s", target);
    ktap_check(rename(DIR "/b", DIR "/a-link") == 0, "rename_over_file", "rename: %s",
               strerror(errno));
    ktap_check(stat(DIR "/a", &st) == 0 && st.st_nlink == 1, "rename_dropped_link",
               "nlink %ld", (long)st.st_nlink);
    ktap_check(mkdir(DIR "/d1", 0755) == 0 && mkdir(DIR "/d2", 0755) == 0 &&
               mkdir(DIR "/d1/sub", 0755) == 0, "mkdir", "mkdir: %s", strerror(errno));
    ktap_check(mkdir(DIR "/d1", 0755) < 0 && errno == EEXIST, "mkdir_exists", "no EEXIST");
    ktap_check(rename(DIR "/d1/sub", DIR "/d2/sub") == 0, "rename_dir_across",
               "rename: %s", strerror(errno));
    ktap_check(stat(DIR "/d2/sub/..", &st) == 0 && stat(DIR "/d2", &st) == 0 && st.st_nlink == 3,
               "rename_dir_dotdot", "d2 nlink %ld", (long)st.st_nlink);
    ktap_check(rmdir(DIR "/d2") < 0 && errno == ENOTEMPTY, "rmdir_not_empty", "no ENOTEMPTY");
    ktap_check(unlink(DIR "/d2") < 0 && errno == EISDIR, "unlink_dir_eisdir", "no EISDIR");
    ktap_check(rmdir(DIR "/d2/sub") == 0 && rmdir(DIR "/d2") == 0 && rmdir(DIR "/d1") == 0,
               "rmdir", "rmdir: %s", strerror(errno));
    ktap_check(unlink(DIR "/a") == 0 && unlink(DIR "/sym") == 0 && unlink(DIR "/a-link") == 0,
               "unlink", "unlink: %s", strerror(errno));
    ktap_check(unlink(DIR "/a") < 0 && errno == ENOENT, "unlink_gone", "no ENOENT");
}

int main(void)
{
    ktap_plan(35);
    ktap_check(mkdir(DIR, 0755) == 0, "mkdir_top", "mkdir: %s", strerror(errno));
    check_create_write_read();
    check_closed_file_cached();
    check_append_trunc();
    check_write_back();
    check_names();
    int fd = open(DIR "/kept", O_WRONLY | O_CREAT, 0644);
    ktap_check(fd >= 0 && write(fd, "kept\n", 5) == 5, "kept_file", "open: %s", strerror(errno));
    close(fd);
    sync();                                           /* and the disk's cache flushed */
    return ktap_finish();
}
