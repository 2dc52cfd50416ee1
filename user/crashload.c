/* user/crashload.c: "crashload SEED" is a write workload for the crash test
 * (tests/run/test_crash.py), which kills QEMU in the middle of it. In /crash it makes
 * files of seeded sizes, each written (partly through a shared mapping), fsynced and then
 * never touched again, and between them changes scratch files without fsync: appends,
 * truncates, renames, unlinks, a directory made and removed. After each fsync it prints
 * "crashload: fsynced NAME SIZE": the test checks those files on the image after the
 * crash. A file's bytes are byte(name's number, offset), so the test knows them. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR "/crash"
#define FILES 400
#define MAX_SIZE (48 * 1024)

static uint32_t seed_state;

static uint32_t next_random(void)
{
    seed_state = seed_state * 1103515245u + 12345u;
    return seed_state >> 8;
}

/* The byte at offset off of file n (the test computes the same). */
static uint8_t byte_of(uint32_t n, uint32_t off)
{
    return (uint8_t)(n * 31 + off * 7 + (off >> 9));
}

/* File n: its first half by write(2), the rest through a shared mapping; then fsync. */
static int make_kept(uint32_t n, uint32_t size)
{
    static uint8_t buf[MAX_SIZE];
    char path[64];
    snprintf(path, sizeof(path), DIR "/kept%u", n);
    for (uint32_t i = 0; i < size; i++)
        buf[i] = byte_of(n, i);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    uint32_t half = size / 2;
    if (fd < 0 || write(fd, buf, half) != (ssize_t)half || ftruncate(fd, size) < 0)
        return -1;
    if (size > half) {
        uint8_t *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED)
            return -1;
        memcpy(m + half, buf + half, size - half);
        munmap(m, size);
    }
    if (fsync(fd) < 0)
        return -1;
    close(fd);
    printf("crashload: fsynced kept%u %u\n", n, size);
    fflush(stdout);
    return 0;
}

/* Changes nobody waits for: the crash may cut any of them short. */
static void scratch(uint32_t n)
{
    static uint8_t junk[8192];
    memset(junk, (int)n, sizeof(junk));
    int fd = open(DIR "/log", O_WRONLY | O_CREAT | O_APPEND, 0644);
    write(fd, junk, next_random() % sizeof(junk));
    close(fd);
    switch (next_random() % 4) {
    case 0:
        truncate(DIR "/log", next_random() % 65536);
        break;
    case 1:
        fd = open(DIR "/tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        write(fd, junk, sizeof(junk));
        close(fd);
        rename(DIR "/tmp", DIR "/renamed");
        break;
    case 2:
        unlink(DIR "/renamed");
        break;
    default:
        mkdir(DIR "/sub", 0755);
        rmdir(DIR "/sub");
    }
}

int main(int argc, char **argv)
{
    seed_state = argc > 1 ? (uint32_t)atoi(argv[1]) : 1;
    mkdir(DIR, 0755);
    for (uint32_t n = 0; n < FILES; n++) {
        if (make_kept(n, 1 + next_random() % MAX_SIZE) < 0) {
            printf("crashload: kept%u failed\n", n);
            return 1;
        }
        scratch(n);
    }
    printf("crashload: done\n");
    return 0;
}
