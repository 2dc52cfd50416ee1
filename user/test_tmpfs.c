/* user/test_tmpfs.c: tmpfs at /tmp and /dev/shm through the system calls: open with
 * O_CREAT, O_EXCL, O_TRUNC and O_APPEND; write, lseek, read; a write past the end
 * leaves a hole of zeros; truncate down then up reads zeros; unlink of an open file
 * (still readable); rename over a file and a directory; mkdir, rmdir (ENOTEMPTY),
 * link, symlink; getdents64 (through readdir) lists what was made; stat's sizes,
 * blocks, links, modes and devices; ".." out of a mount; EXDEV between /tmp,
 * /dev/shm and the root; statfs; a MAP_SHARED mapping sharing the file's pages (and
 * keeping an unlinked file); shm_open; a program run from /tmp; EBADF. It removes everything it
 * makes (the leak check counts tmpfs inodes and cached pages).
 *
 * `test_tmpfs quota [DIR]` is the second half, booted with a small quota
 * (tests/boot/user_suite.py: tmpfs.size=64k): the tmpfs fills up with ENOSPC, the
 * data written before is intact, and the space of an unlinked file comes back only
 * when it is closed. `test_tmpfs swap MIB` writes a file larger than the machine's
 * RAM (booted on a 16 MiB machine with tmpfs.size=40m): its pages go to swap and come
 * back intact.
 *
 * The same program runs on Linux, where /tmp and /dev/shm are tmpfs mounts:
 *   gcc -m32 -static -I. -o /tmp/test_tmpfs user/test_tmpfs.c user/lib/ktap.c \
 *       user/lib/pagoda.c
 *   /tmp/test_tmpfs
 *   mkdir /tmp/q && sudo mount -t tmpfs -o size=64k none /tmp/q && /tmp/test_tmpfs quota /tmp/q
 * (on a /tmp that is not tmpfs, the st_dev checks fail: that is what they look at). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

#define D "/tmp/tmpfs-test"
#define PAGE 4096

static char buf[4 * PAGE];

static int all(const char *p, int c, long n)
{
    for (long i = 0; i < n; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The whole file at path into buf: its length, or -1. */
static long slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long n = 0, r;
    while (n < (long)sizeof(buf) && (r = read(fd, buf + n, sizeof(buf) - n)) > 0)
        n += r;
    close(fd);
    return n;
}

static int put(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    long n = fd >= 0 ? write(fd, s, strlen(s)) : -1;
    close(fd);
    return n == (long)strlen(s) ? 0 : -1;
}

static void check_create(void)
{
    ktap_check(mkdir(D, 0755) == 0, "mkdir", "mkdir " D ": %s", strerror(errno));
    int fd = open(D "/a", O_RDWR | O_CREAT | O_EXCL, 0644);
    ktap_check(fd >= 0, "open_creat_excl", "open: %s", strerror(errno));
    int fd2 = open(D "/a", O_RDWR | O_CREAT | O_EXCL, 0644);
    ktap_check(fd2 < 0 && errno == EEXIST, "excl_exists", "second O_EXCL open gave %d", fd2);
    long w = write(fd, "hello, tmpfs", 12);
    off_t at = lseek(fd, 7, SEEK_SET);
    long r = read(fd, buf, sizeof(buf));
    ktap_check(w == 12 && at == 7 && r == 5 && memcmp(buf, "tmpfs", 5) == 0, "write_lseek_read",
               "write %ld, lseek %ld, read %ld", w, (long)at, r);
    ktap_check(lseek(fd, 0, SEEK_END) == 12 && read(fd, buf, 1) == 0, "read_at_end",
               "SEEK_END or the read at the end is wrong");
    struct stat st;
    ktap_check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644 &&
               st.st_size == 12 && st.st_nlink == 1 && st.st_blocks == PAGE / 512,
               "fstat", "mode %o size %ld nlink %ld blocks %ld", (unsigned)st.st_mode,
               (long)st.st_size, (long)st.st_nlink, (long)st.st_blocks);
    close(fd);
}

static void check_hole(void)
{
    int fd = open(D "/hole", O_RDWR | O_CREAT, 0600);
    long w1 = write(fd, "x", 1);
    lseek(fd, 2 * PAGE + 10, SEEK_SET);
    long w2 = write(fd, "y", 1);
    struct stat st;
    fstat(fd, &st);
    ktap_check(w1 == 1 && w2 == 1 && st.st_size == 2 * PAGE + 11 && st.st_blocks == 2 * PAGE / 512,
               "hole_takes_no_page", "size %ld, %ld blocks (want 2 pages)", (long)st.st_size,
               (long)st.st_blocks);
    close(fd);
    long n = slurp(D "/hole");
    ktap_check(n == 2 * PAGE + 11 && buf[0] == 'x' && all(buf + 1, 0, 2 * PAGE + 9) &&
               buf[2 * PAGE + 10] == 'y', "hole_reads_zeros", "read %ld bytes", n);
    ktap_check(stat(D "/hole", &st) == 0 && st.st_blocks == 2 * PAGE / 512,
               "hole_read_takes_no_page", "%ld blocks after the read", (long)st.st_blocks);
    ktap_check(unlink(D "/hole") == 0, "unlink", "unlink: %s", strerror(errno));
}

static void check_append_trunc(void)
{
    put(D "/b", "abc");
    int fd = open(D "/b", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    long w = write(fd, "def", 3);
    close(fd);
    long n = slurp(D "/b");
    ktap_check(w == 3 && n == 6 && memcmp(buf, "abcdef", 6) == 0, "append", "read %ld bytes", n);
    fd = open(D "/b", O_RDWR | O_TRUNC);
    ktap_check(fd >= 0 && file_size(D "/b") == 0, "o_trunc", "size %ld", file_size(D "/b"));
    memset(buf, 'z', 2 * PAGE);
    w = write(fd, buf, 2 * PAGE);
    int t1 = ftruncate(fd, 100), t2 = ftruncate(fd, 2 * PAGE);
    close(fd);
    memset(buf, 1, sizeof(buf));
    n = slurp(D "/b");
    ktap_check(w == 2 * PAGE && t1 == 0 && t2 == 0 && n == 2 * PAGE && all(buf, 'z', 100) &&
               all(buf + 100, 0, 2 * PAGE - 100), "truncate_down_up_zeros",
               "write %ld, truncates %d %d, read %ld", w, t1, t2, n);
    ktap_check(truncate(D "/b", 3) == 0 && file_size(D "/b") == 3, "truncate_path",
               "size %ld", file_size(D "/b"));
}

static void check_unlink_open(void)
{
    put(D "/u", "still here");
    int fd = open(D "/u", O_RDONLY);
    int u = unlink(D "/u");
    long r = read(fd, buf, sizeof(buf));
    struct stat st;
    fstat(fd, &st);
    ktap_check(u == 0 && r == 10 && memcmp(buf, "still here", 10) == 0 && st.st_nlink == 0 &&
               access(D "/u", F_OK) < 0 && errno == ENOENT, "unlink_while_open",
               "unlink %d, read %ld, nlink %ld", u, r, (long)st.st_nlink);
    close(fd);
}

static void check_rename(void)
{
    put(D "/old", "new contents");
    int r = rename(D "/old", D "/b");
    long n = slurp(D "/b");
    ktap_check(r == 0 && n == 12 && memcmp(buf, "new contents", 12) == 0 &&
               access(D "/old", F_OK) < 0, "rename_over_file", "rename %d, read %ld", r, n);
    mkdir(D "/d1", 0755);
    mkdir(D "/d2", 0755);
    put(D "/d2/f", "f");
    r = rename(D "/d1", D "/d2");
    ktap_check(r < 0 && errno == ENOTEMPTY, "rename_over_full_dir", "rename gave %d", r);
    r = rename(D "/d1", D "/d2/f");
    ktap_check(r < 0 && errno == ENOTDIR, "rename_dir_over_file", "rename gave %d", r);
    r = rename(D "/d2", D "/d2/sub");
    ktap_check(r < 0 && errno == EINVAL, "rename_under_itself", "rename gave %d", r);
    unlink(D "/d2/f");
    r = rename(D "/d1", D "/d2");
    ktap_check(r == 0 && access(D "/d1", F_OK) < 0 && access(D "/d2", F_OK) == 0,
               "rename_over_empty_dir", "rename gave %d: %s", r, strerror(errno));
    mkdir(D "/d3", 0755);
    struct stat st;
    r = rename(D "/d2", D "/d3/d2");
    ktap_check(r == 0 && stat(D, &st) == 0 && st.st_nlink == 3, "rename_dir_moves_dotdot",
               "rename %d, " D " has %ld links (want 3: ., its name, d3's ..)", r,
               (long)st.st_nlink);
    rmdir(D "/d3/d2");
    rmdir(D "/d3");
}

static void check_dirs(void)
{
    mkdir(D "/dir", 0700);
    put(D "/dir/f", "x");
    int r = rmdir(D "/dir");
    ktap_check(r < 0 && errno == ENOTEMPTY, "rmdir_not_empty", "rmdir gave %d", r);
    ktap_check(rmdir(D "/dir/f") < 0 && errno == ENOTDIR, "rmdir_file", "no ENOTDIR");
    ktap_check(unlink(D "/dir") < 0 && errno == EISDIR, "unlink_dir", "no EISDIR");
    ktap_check(mkdir(D "/dir", 0700) < 0 && errno == EEXIST, "mkdir_exists", "no EEXIST");
    ktap_check(rmdir("/tmp") < 0 && errno == EBUSY, "rmdir_mount_point", "rmdir /tmp: %s",
               strerror(errno));
    struct stat st;
    ktap_check(stat(D "/dir", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700 &&
               st.st_nlink == 2, "stat_dir", "mode %o nlink %ld", (unsigned)st.st_mode,
               (long)st.st_nlink);
    ktap_check(link(D "/dir/f", D "/dir/g") == 0 && stat(D "/dir/f", &st) == 0 &&
               st.st_nlink == 2, "link", "nlink %ld", (long)st.st_nlink);
    ktap_check(link(D "/dir", D "/dirlink") < 0 && errno == EPERM, "link_dir", "no EPERM");
    char target[64] = {0};
    long n = symlink("f", D "/dir/s") == 0 ? readlink(D "/dir/s", target, sizeof(target)) : -1;
    long via = file_size(D "/dir/s");
    ktap_check(n == 1 && target[0] == 'f' && via == 1, "symlink", "readlink %ld, size %ld", n,
               via);
    int nf = open(D "/dir/s", O_RDONLY | O_NOFOLLOW);
    ktap_check(nf < 0 && errno == ELOOP, "o_nofollow_link", "open gave %d", nf);
    mkdir(D "/dir/sub", 0755);
    DIR *dp = opendir(D "/dir");
    int seen = 0, other = 0;
    struct dirent *de;
    while (dp && (de = readdir(dp))) {
        const char *want[] = {".", "..", "f", "g", "s", "sub"};
        const unsigned char type[] = {DT_DIR, DT_DIR, DT_REG, DT_REG, DT_LNK, DT_DIR};
        int i = 0;
        while (i < 6 && strcmp(de->d_name, want[i]) != 0)
            i++;
        if (i < 6 && de->d_type == type[i])
            seen |= 1 << i;
        else
            other++;
    }
    if (dp)
        closedir(dp);
    ktap_check(seen == 0x3F && other == 0, "getdents64_lists", "seen %#x, %d others", seen,
               other);
    ktap_check(stat(D "/dir", &st) == 0 && st.st_nlink == 3, "subdir_counts_link",
               "nlink %ld", (long)st.st_nlink);
    int fd = open(D "/dir", O_RDONLY);
    ktap_check(read(fd, buf, 1) < 0 && errno == EISDIR, "read_dir", "no EISDIR");
    close(fd);
    rmdir(D "/dir/sub");
    unlink(D "/dir/s");
    unlink(D "/dir/g");
    unlink(D "/dir/f");
    ktap_check(rmdir(D "/dir") == 0, "rmdir", "rmdir: %s", strerror(errno));
    /* A removed directory still open lists nothing, not even ".." (its parent is gone). */
    mkdir(D "/up", 0755);
    mkdir(D "/up/down", 0755);
    fd = open(D "/up/down", O_RDONLY | O_DIRECTORY);
    int r1 = rmdir(D "/up/down"), r2 = rmdir(D "/up");
    long g = syscall(SYS_getdents64, fd, buf, sizeof(buf));
    ktap_check(fd >= 0 && r1 == 0 && r2 == 0 && g < 0 && errno == ENOENT, "removed_dir_open",
               "rmdir %d %d, getdents64 %ld", r1, r2, g);
    close(fd);
}

static int same(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void check_mounts(void)
{
    struct stat root, tmp, shm;
    stat("/", &root);
    stat("/tmp", &tmp);
    stat("/dev/shm", &shm);
    ktap_check(root.st_dev != tmp.st_dev && tmp.st_dev != shm.st_dev &&
               root.st_dev != shm.st_dev && (tmp.st_mode & 07777) == 01777,
               "devices_differ", "st_dev / %#lx /tmp %#lx /dev/shm %#lx, /tmp mode %o",
               (long)root.st_dev, (long)tmp.st_dev, (long)shm.st_dev, (unsigned)tmp.st_mode);
    ktap_check(same("/tmp/..", "/") && same("/dev/shm/..", "/dev") && same(D "/..", "/tmp") &&
               same("/tmp/../tmp", "/tmp"), "dotdot_leaves_mount", "a \"..\" went wrong");
    char cwd[64];
    int c = chdir(D);
    ktap_check(c == 0 && same("..", "/tmp") && same("../..", "/") &&
               getcwd(cwd, sizeof(cwd)) && strcmp(cwd, D) == 0, "chdir_into_tmpfs",
               "chdir %d", c);
    chdir("/");
    put(D "/x", "x");
    put("/dev/shm/y", "y");
    ktap_check(rename(D "/x", "/dev/shm/x") < 0 && errno == EXDEV, "exdev_tmp_shm",
               "rename /tmp -> /dev/shm: %s", strerror(errno));
    ktap_check(link(D "/x", "/dev/shm/x") < 0 && errno == EXDEV, "exdev_link",
               "link /tmp -> /dev/shm: %s", strerror(errno));
    ktap_check(rename(D "/x", "/x") < 0 && errno == EXDEV, "exdev_tmp_root",
               "rename /tmp -> /: %s", strerror(errno));
    ktap_check(rename("/bin/true", D "/true") < 0 && errno == EXDEV, "exdev_root_tmp",
               "rename / -> /tmp: %s", strerror(errno));
    ktap_check(rename("/dev/shm/y", "/dev/shm/z") == 0 && unlink("/dev/shm/z") == 0,
               "shm_writable", "rename in /dev/shm: %s", strerror(errno));
    unlink(D "/x");
}

/* A file's pages are the same frames for read, write and a MAP_SHARED mapping; the
 * mapping holds the file, so unlinking and closing it leaves the pages mapped. */
static void check_mmap(void)
{
    int fd = open(D "/m", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char *p = ftruncate(fd, 2 * PAGE) == 0 ?
              mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (!ktap_check(p != MAP_FAILED, "mmap_shared", "mmap: %s", strerror(errno))) {
        close(fd);
        unlink(D "/m");
        return;
    }
    lseek(fd, PAGE, SEEK_SET);
    long w = write(fd, "seen", 4);
    ktap_check(w == 4 && memcmp(p + PAGE, "seen", 4) == 0, "map_sees_write",
               "the mapping shows %.4s", p + PAGE);
    memcpy(p, "back", 4);
    lseek(fd, 0, SEEK_SET);
    long r = read(fd, buf, 4);
    ktap_check(r == 4 && memcmp(buf, "back", 4) == 0, "read_sees_map", "read %.4s", buf);
    close(fd);
    int u = unlink(D "/m");
    p[PAGE + 4] = '!';
    ktap_check(u == 0 && memcmp(p, "back", 4) == 0 && memcmp(p + PAGE, "seen!", 5) == 0,
               "unlinked_while_mapped", "unlink %d", u);
    munmap(p, 2 * PAGE);
}

/* POSIX shared memory: glibc's shm_open opens /dev/shm/NAME. A child writes through
 * its mapping, the parent reads through its own. */
static void check_shm(void)
{
    int fd = shm_open("/tmpfs-test", O_RDWR | O_CREAT | O_EXCL, 0600);
    char *p = fd >= 0 && ftruncate(fd, PAGE) == 0 ?
              mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    int status = -1;
    pid_t pid = p != MAP_FAILED ? fork() : -1;
    if (pid == 0) {
        strcpy(p, "from the child");
        _exit(0);
    }
    if (pid > 0)
        waitpid(pid, &status, 0);
    ktap_check(p != MAP_FAILED && status == 0 && strcmp(p, "from the child") == 0 &&
               file_size("/dev/shm/tmpfs-test") == PAGE, "shm_open_shared",
               "fd %d, status %#x: %s", fd, status, strerror(errno));
    if (p != MAP_FAILED)
        munmap(p, PAGE);
    close(fd);
    ktap_check(shm_unlink("/tmpfs-test") == 0 && access("/dev/shm/tmpfs-test", F_OK) < 0,
               "shm_unlink", "shm_unlink: %s", strerror(errno));
}

/* A program copied into /tmp runs from there: exec reads it through the page cache. */
static void check_exec(void)
{
    int in = open("/bin/true", O_RDONLY);
    int fd = open(D "/true", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    long n = 0, w = 0, r;
    while ((r = read(in, buf, sizeof(buf))) > 0 && write(fd, buf, r) == r)
        n += r;
    close(in);
    close(fd);
    w = file_size(D "/true");
    int status = -1;
    pid_t pid = n > 0 && w == n && w == file_size("/bin/true") ? fork() : -1;
    if (pid == 0) {
        execl(D "/true", "true", (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, &status, 0);
    ktap_check(n > 0 && w == n && WIFEXITED(status) && WEXITSTATUS(status) == 0,
               "exec_from_tmpfs", "copied %ld of %ld bytes, status %#x", w, n, status);
    unlink(D "/true");
}

/* statfs: tmpfs's blocks are pages of its quota, taken by a file and given back. */
static void check_statfs(void)
{
    struct statfs root = {0}, tmp = {0};
    struct statvfs v0, v1, v2;
    ktap_check(statfs("/", &root) == 0 && root.f_type == 0xEF53 && statfs("/tmp", &tmp) == 0 &&
               tmp.f_type == 0x01021994 && tmp.f_bsize == PAGE && tmp.f_blocks > 0,
               "statfs_types", "/ %#lx, /tmp %#lx, bsize %ld, %ld blocks", (long)root.f_type,
               (long)tmp.f_type, (long)tmp.f_bsize, (long)tmp.f_blocks);
    int s0 = statvfs("/tmp", &v0);
    int fd = open(D "/sz", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    memset(buf, 's', 3 * PAGE);
    long w = write(fd, buf, 3 * PAGE);
    int s1 = fstatvfs(fd, &v1);
    close(fd);
    unlink(D "/sz");
    int s2 = statvfs("/tmp", &v2);
    ktap_check(s0 == 0 && s1 == 0 && s2 == 0 && w == 3 * PAGE && v1.f_bfree == v0.f_bfree - 3 &&
               v2.f_bfree == v0.f_bfree && v0.f_bavail == v0.f_bfree, "statfs_counts_pages",
               "free %lu, with the file %lu, after %lu", (unsigned long)v0.f_bfree,
               (unsigned long)v1.f_bfree, (unsigned long)v2.f_bfree);
}

static void check_ebadf(void)
{
    struct stat st;
    ktap_check(read(-1, buf, 1) < 0 && errno == EBADF, "read_ebadf", "no EBADF");
    ktap_check(write(99, buf, 1) < 0 && errno == EBADF, "write_ebadf", "no EBADF");
    ktap_check(fstat(77, &st) < 0 && errno == EBADF, "fstat_ebadf", "no EBADF");
    ktap_check(ftruncate(-5, 0) < 0 && errno == EBADF, "ftruncate_ebadf", "no EBADF");
    ktap_check(lseek(88, 0, SEEK_SET) < 0 && errno == EBADF, "lseek_ebadf", "no EBADF");
    int fd = open(D "/b", O_RDONLY);
    ktap_check(write(fd, "x", 1) < 0 && errno == EBADF, "write_read_only_fd", "no EBADF");
    ktap_check(ftruncate(fd, 0) < 0 && errno == EINVAL, "ftruncate_read_only_fd", "no EINVAL");
    close(fd);
}

static void cleanup(void)
{
    unlink(D "/a");
    unlink(D "/b");
    ktap_check(rmdir(D) == 0, "cleanup", "rmdir " D ": %s", strerror(errno));
}

/* When the file filled up: a tmpfs at its size limit is full by statfs; one that filled
 * memory and swap (swapfull) left swap without a free slot. */
static void check_full(const char *dir, long total, int swapfull)
{
    struct statvfs v;
    struct pagoda_vmstat st;
    if (swapfull && pagoda_vmstat(&st, 0) == 0)
        ktap_check(st.swap_slots_free == 0 && total > (long)st.frames_total * PAGE / 2,
                   "swap_full", "%u slots free, %ld bytes written", st.swap_slots_free, total);
    else if (swapfull)
        ktap_skip("swap_full", "no Pagoda counters (Linux)");
    else
        ktap_check(statvfs(dir, &v) == 0 && v.f_bfree == 0 &&
                   v.f_blocks * v.f_bsize == (unsigned long)total + PAGE, "statfs_full",
                   "%lu free of %lu", (unsigned long)v.f_bfree, (unsigned long)v.f_blocks);
}

/* A full tmpfs: ENOSPC, what was written before intact, and an open unlinked file
 * keeps its pages until its close. Full by its size limit, or (swapfull) because
 * memory and swap are: then too the writer lives, and loses nothing but the write. */
static int quota(const char *dir, int swapfull)
{
    char a[128], b[128], c[128];
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(c, sizeof(c), "%s/c", dir);
    ktap_plan(7);
    ktap_check(put(a, "first file\n") == 0, "small_file", "cannot write %s", a);
    int fd = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    long total = 0, w;
    int err = 0;
    memset(buf, 'q', sizeof(buf));
    while ((w = write(fd, buf, PAGE)) > 0 && total < (1L << 30))
        total += w;
    err = errno;
    close(fd);
    ktap_diag("wrote %ld bytes before tmpfs filled", total);
    ktap_check(w < 0 && err == ENOSPC && total > 0 && total % PAGE == 0, "fills_with_enospc",
               "last write %ld (%s) after %ld bytes", w, strerror(err), total);
    check_full(dir, total, swapfull);
    long n = slurp(a);
    ktap_check(n == 11 && memcmp(buf, "first file\n", 11) == 0 && file_size(b) == total,
               "earlier_data_intact", "read %ld, %s is %ld bytes", n, b, file_size(b));
    fd = open(b, O_RDONLY);
    unlink(b);
    if (swapfull)                       /* memory is no quota: a page may come free anyway */
        ktap_check(pread(fd, buf, PAGE, total - PAGE) == PAGE && buf[0] == 'q' &&
                       buf[PAGE - 1] == 'q', "open_unlinked_keeps_pages",
                   "the last page of the unlinked file does not read back: %s", strerror(errno));
    else
        ktap_check(put(c, "c") < 0, "open_unlinked_keeps_space",
                   "a new page fit while the unlinked file was open");
    close(fd);
    unlink(c);
    ktap_check(put(c, "c") == 0, "space_returns_at_close", "no page after the close: %s",
               strerror(errno));
    ktap_check(unlink(c) == 0 && unlink(a) == 0, "cleanup", "unlink: %s", strerror(errno));
    return ktap_finish();
}

/* Page i of the file holds i in every word. */
static void fill(uint32_t *page, uint32_t i)
{
    for (uint32_t j = 0; j < PAGE / 4; j++)
        page[j] = i;
}

/* A tmpfs file bigger than RAM: written, read back word for word, removed. */
static int swap(long mib)
{
    long pages = mib * 256, bad = -1, w = 0;
    struct pagoda_vmstat before, after;
    int counted = pagoda_vmstat(&before, 0) == 0;
    ktap_plan(4);
    int fd = open(D "-big", O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (long i = 0; i < pages && w >= 0; i++) {
        fill((uint32_t *)buf, i);
        w = write(fd, buf, PAGE) == PAGE ? w + 1 : -1;
    }
    ktap_check(w == pages, "write_more_than_ram", "%ld of %ld pages written: %s", w, pages,
               strerror(errno));
    lseek(fd, 0, SEEK_SET);
    for (long i = 0; i < pages && bad < 0; i++) {
        fill((uint32_t *)(buf + PAGE), i);
        if (read(fd, buf, PAGE) != PAGE || memcmp(buf, buf + PAGE, PAGE) != 0)
            bad = i;
    }
    ktap_check(bad < 0, "read_back_intact", "page %ld differs", bad);
    /* What did not fit in RAM was written to swap, and read() brought it back: swap-ins
     * that no fault took, counted all the same. */
    uint64_t least = (uint64_t)(pages - before.frames_total);
    if (counted && pagoda_vmstat(&after, 0) == 0)
        ktap_check(after.swap_outs - before.swap_outs >= least &&
                       after.swap_ins - before.swap_ins >= least,
                   "went_to_swap", "swap_outs +%llu, swap_ins +%llu for %ld pages in %u frames",
                   (unsigned long long)(after.swap_outs - before.swap_outs),
                   (unsigned long long)(after.swap_ins - before.swap_ins), pages,
                   before.frames_total);
    else
        ktap_skip("went_to_swap", "no Pagoda counters (Linux)");
    close(fd);
    ktap_check(unlink(D "-big") == 0, "cleanup", "unlink: %s", strerror(errno));
    return ktap_finish();
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "swap") == 0)
        return swap(atol(argv[2]));
    if (argc > 1 && strcmp(argv[1], "quota") == 0)
        return quota(argc > 2 ? argv[2] : "/tmp", 0);
    if (argc > 1 && strcmp(argv[1], "swapfull") == 0)
        return quota("/tmp", 1);
    ktap_plan(61);
    check_create();
    check_hole();
    check_append_trunc();
    check_unlink_open();
    check_rename();
    check_dirs();
    check_mounts();
    check_mmap();
    check_exec();
    check_shm();
    check_statfs();
    check_ebadf();
    cleanup();
    return ktap_finish();
}
