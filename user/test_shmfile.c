/* user/test_shmfile.c: tmpfs files shared through the page cache: two processes that open
 * one file by name and map it MAP_SHARED see each other's writes; write(2) is seen through
 * a mapping and a store through the mapping by read(2); shm_open works through /dev/shm;
 * a truncated mapped file gives SIGBUS past its new end; an unlinked mapped file lives
 * until its last mapping goes. Runs on Linux too, where /tmp and /dev/shm are tmpfs:
 * gcc -static -m32 -I. user/test_shmfile.c user/lib/ktap.c user/lib/mem.c */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"

#define TMPFILE "/tmp/shmfile-test"
#define PAGES 3

static int wait_child(pid_t pid)
{
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *map_file(const char *path, int flags, size_t len)
{
    int fd = open(path, flags, 0600);
    if (fd < 0)
        return MAP_FAILED;
    if ((flags & O_CREAT) && ftruncate(fd, len) < 0) {
        close(fd);
        return MAP_FAILED;
    }
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);                          /* the mapping keeps the file */
    return m;
}

/* The child opens the file by name (not a fork's inherited mapping) and maps it; parent
 * and child each write pages the other then checks. */
static void two_processes(void)
{
    size_t len = PAGES * PAGE_SIZE;
    char *m = map_file(TMPFILE, O_RDWR | O_CREAT | O_TRUNC, len);
    if (m == MAP_FAILED) {
        ktap_check(0, "two_processes_map", "%s: %s", TMPFILE, strerror(errno));
        return;
    }
    int go[2], done[2];
    pipe(go);
    pipe(done);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        munmap(m, len);                 /* forget the inherited mapping: map it afresh */
        char *own = map_file(TMPFILE, O_RDWR, len);
        if (own == MAP_FAILED)
            _exit(2);
        memset(own + PAGE_SIZE, 'c', PAGE_SIZE);
        write(done[1], "d", 1);
        read(go[0], &c, 1);
        _exit(first_mismatch(own, PAGE_SIZE, 'p') < 0 ? 0 : 3);
    }
    char c;
    read(done[0], &c, 1);
    ktap_check(first_mismatch(m + PAGE_SIZE, PAGE_SIZE, 'c') < 0, "child_store_seen_by_parent",
               "page 1 holds %d", m[PAGE_SIZE]);
    memset(m, 'p', PAGE_SIZE);
    write(go[1], "g", 1);
    int st = wait_child(pid);
    ktap_check(st == 0, "parent_store_seen_by_child", "child status %d", st);
    munmap(m, len);
}

/* write(2) and read(2) meet the mapping's pages. */
static void write_read_and_mapping(void)
{
    int fd = open(TMPFILE, O_RDWR);
    char *m = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    lseek(fd, 100, SEEK_SET);
    write(fd, "hello", 5);
    ktap_check(m != MAP_FAILED && memcmp(m + 100, "hello", 5) == 0, "write_seen_by_mapping",
               "mapping shows %.5s", m + 100);
    memcpy(m + 200, "store", 5);
    char buf[5] = {0};
    lseek(fd, 200, SEEK_SET);
    read(fd, buf, 5);
    ktap_check(memcmp(buf, "store", 5) == 0, "store_seen_by_read", "read %.5s", buf);
    munmap(m, PAGE_SIZE);
    close(fd);
}

static sigjmp_buf escape;
static void on_sigbus(int sig)
{
    (void)sig;
    siglongjmp(escape, 1);
}

static int touch(volatile char *p)
{
    if (sigsetjmp(escape, 1))
        return -1;
    return *p;
}

/* Truncating a mapped file: the pages past the new end are gone from the mapping (SIGBUS),
 * the tail of the new last page reads zeros, and growing it again brings zeros back. */
static void truncate_mapped(void)
{
    struct sigaction sa = {.sa_handler = on_sigbus}, old;
    sigaction(SIGBUS, &sa, &old);
    int fd = open(TMPFILE, O_RDWR);
    char *m = mmap(NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(m, 'x', PAGES * PAGE_SIZE);
    ftruncate(fd, PAGE_SIZE + 10);
    ktap_check(touch(m + PAGE_SIZE + 9) == 'x' && touch(m + PAGE_SIZE + 10) == 0,
               "truncate_zeroes_the_tail", "%d %d", m[PAGE_SIZE + 9], m[PAGE_SIZE + 10]);
    ktap_check(touch(m + 2 * PAGE_SIZE) == -1, "past_new_end_sigbus", "no SIGBUS");
    ftruncate(fd, PAGES * PAGE_SIZE);
    ktap_check(touch(m + 2 * PAGE_SIZE) == 0, "regrown_reads_zeros", "reads %d",
               touch(m + 2 * PAGE_SIZE));
    sigaction(SIGBUS, &old, NULL);
    munmap(m, PAGES * PAGE_SIZE);
    close(fd);
}

/* Unlinked while mapped: the name goes, the pages stay until the mapping goes. */
static void unlink_mapped(void)
{
    char *m = map_file(TMPFILE, O_RDWR, PAGE_SIZE);
    m[0] = 'u';
    struct stat st;
    ktap_check(unlink(TMPFILE) == 0 && stat(TMPFILE, &st) < 0 && errno == ENOENT,
               "unlinked_name_gone", "errno %d", errno);
    m[1] = 'v';
    ktap_check(m[0] == 'u' && m[1] == 'v', "unlinked_pages_live", "%c%c", m[0], m[1]);
    munmap(m, PAGE_SIZE);
}

/* shm_open is open(2) on /dev/shm (glibc). */
static void shm_through_dev_shm(void)
{
    int fd = shm_open("/pagoda-test", O_RDWR | O_CREAT | O_EXCL, 0600);
    int ok = fd >= 0 && ftruncate(fd, PAGE_SIZE) == 0;
    char *m = ok ? mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (m != MAP_FAILED)
        strcpy(m, "shm");
    struct stat st;
    ktap_check(m != MAP_FAILED && stat("/dev/shm/pagoda-test", &st) == 0 &&
               st.st_size == PAGE_SIZE, "shm_open_in_dev_shm", "errno %d", errno);
    if (m != MAP_FAILED)
        munmap(m, PAGE_SIZE);
    if (fd >= 0)
        close(fd);
    ktap_check(shm_unlink("/pagoda-test") == 0, "shm_unlink", "errno %d", errno);
}

int main(void)
{
    ktap_plan(11);
    two_processes();
    write_read_and_mapping();
    truncate_mapped();
    unlink_mapped();
    shm_through_dev_shm();
    return ktap_finish();
}
