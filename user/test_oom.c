/* user/test_oom.c: running out of memory and swap with many processes. The OOM killer
 * takes memory-hungry children, never init (this program, process 1) while any other
 * candidate exists, even when init holds more than any of them; every child ends and is
 * reaped; children reading files into their memory while others are killed (the reads
 * fault pages in, in the middle of a system call) get their data or die, and the kernel
 * survives. The kernel's leak check after it proves every victim's frames, heap objects,
 * process slot and swap slots came back. Boot with small vm.frames and vm.swap. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define HUNGRY hungry_count     /* children that each want more than there is */
#define HUNGRY_MAX 40
#define READERS 3                /* children reading a file into big buffers meanwhile */
#define ROUNDS 2

static int hungry_count = 4;

/* Touches page after page until the OOM killer takes it. */
static void hungry(size_t pages)
{
    for (;;) {
        uint32_t *p = map_pages(pages);
        for (size_t i = 0; i < pages; i++)
            p[i * PAGE_SIZE / 4] = (uint32_t)i;
    }
}

/* Reads /tests/big.bin again and again into fresh memory (each read faults its buffer
 * in inside the kernel), comparing with the first read. Exits 0 after `rounds`. */
static void reader(int rounds)
{
    char path[128];
    root_path(path, sizeof(path), "/tests/big.bin");
    size_t len = 128 * 1024;
    unsigned char *first = map_pages(len / PAGE_SIZE);
    for (int r = 0; r <= rounds; r++) {
        unsigned char *buf = r == 0 ? first : map_pages(len / PAGE_SIZE);
        int fd = open(path, O_RDONLY);
        if (fd < 0 || read(fd, buf, len) != (ssize_t)len)
            _exit(2);
        close(fd);
        if (r > 0 && memcmp(buf, first, len) != 0)
            _exit(3);
    }
    _exit(0);
}

static pid_t spawn(void (*fn)(int), int arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    return pid;
}

static void hungry_child(int pages) { hungry((size_t)pages); }

static uint32_t *mem;
static size_t mine;

/* Init's own pages, read back while the children run: under their pressure these are
 * out on swap, so init faults and needs frames just when memory has run out. */
static size_t init_pages_wrong(void)
{
    size_t wrong = 0;
    for (size_t i = 0; i < mine; i++)
        wrong += mem[i * PAGE_SIZE / 4] != (uint32_t)i * 7;
    return wrong;
}

/* Waits for pid, touching init's memory between looks. */
static int wait_touching(pid_t pid, size_t *wrong)
{
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        if (r < 0)
            return -1;
        *wrong += init_pages_wrong();
    }
}

/* One round: hungry children and readers together; counts how each ended. */
static void round_of(int round, size_t frames, size_t *wrong)
{
    pid_t pids[HUNGRY_MAX + READERS];
    for (int i = 0; i < HUNGRY + READERS; i++)
        pids[i] = i < HUNGRY ? spawn(hungry_child, (int)frames / 4) : spawn(reader, 8);
    int killed = 0, bad = 0, reaped = 0, readers_ok = 0;
    for (int i = 0; i < HUNGRY + READERS; i++) {
        int st = pids[i] > 0 ? wait_touching(pids[i], wrong) : -1;
        reaped += st != -1;
        if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
            killed++;
        else if (i >= HUNGRY && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
            readers_ok++;
        else {
            char how[80];
            ktap_diag("child %d: %s", i, describe_status(st, how, sizeof(how)));
            bad++;
        }
    }
    char name[48];
    snprintf(name, sizeof(name), "round_%d_children_all_end", round);
    ktap_check(reaped == HUNGRY + READERS && bad == 0, name,
               "%d reaped, %d ended otherwise than killed or done", reaped, bad);
    snprintf(name, sizeof(name), "round_%d_hungry_killed", round);
    ktap_check(killed >= HUNGRY, name, "%d killed (readers done: %d)", killed, readers_ok);
}

/* The OOM killer's first victim sleeps in wait4 for its own child, which sleeps reading
 * a pipe. The allocation that needs the victim's memory must not wait for ever, nor take
 * init: the victim dies at once (wait4 is interruptible, docs/signals.md) or, if it could
 * not, after a grace period the child is taken too. Init then gets its memory, and reaps
 * the child if it outlived its parent (it is init's then). */
static void stuck_victim_scenario(size_t frames)
{
    int fds[2], ready[2];
    if (pipe(fds) != 0 || pipe(ready) != 0)
        ktap_diag("pipe failed");
    pid_t victim = fork();
    if (victim == 0) {
        uint32_t *big = map_pages(frames / 2);
        for (size_t i = 0; i < frames / 2; i++)
            big[i * PAGE_SIZE / 4] = (uint32_t)i;
        write_full(ready[1], "", 1);    /* filled: now it is the biggest after init */
        pid_t sleeper = fork();
        if (sleeper == 0) {
            char c;
            read(fds[0], &c, 1);        /* init never writes: only death ends this */
            _exit(0);
        }
        waitpid(sleeper, NULL, 0);
        _exit(0);
    }
    close(fds[0]);
    /* Wait until the victim has filled its pages (a handshake, not a sleep: how long
     * that takes depends on the host), then take as many as there are frames: with the
     * victim's that is more than frames and swap hold, so the OOM killer must act. */
    char c;
    close(ready[1]);
    read_full(ready[0], &c, 1);
    close(ready[0]);
    size_t want = frames;
    uint32_t *mine2 = map_pages(want);
    for (size_t i = 0; i < want; i++)
        mine2[i * PAGE_SIZE / 4] = (uint32_t)i * 3;
    size_t wrong = 0;
    for (size_t i = 0; i < want; i++)
        wrong += mine2[i * PAGE_SIZE / 4] != (uint32_t)i * 3;
    close(fds[1]);                      /* had it not been killed, the victim ends now */
    int st = wait_status(victim);
    char how[80];
    ktap_check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "stuck_victim_killed",
               "victim %s", describe_status(st, how, sizeof(how)));
    ktap_check(wrong == 0, "init_got_its_memory", "%zu pages differ", wrong);
    munmap(mine2, want * PAGE_SIZE);
    while (waitpid(-1, NULL, 0) > 0)
        ;                               /* an orphaned sleeper, now init's, read EOF */
}

/* test_oom FRAMES HUNGRY: the vm.frames the kernel was booted with (sizes every
 * child), and how many hungry children each round forks. */
int main(int argc, char **argv)
{
    size_t frames = argc > 1 ? strtoul(argv[1], NULL, 0) : 512;
    if (argc > 2)
        hungry_count = atoi(argv[2]) < HUNGRY_MAX ? atoi(argv[2]) : HUNGRY_MAX;
    ktap_plan(2 * ROUNDS + 5);
    /* Init holds more than any child ever will at once: the biggest, yet never chosen. */
    mine = frames / 2;
    mem = map_pages(mine);
    for (size_t i = 0; i < mine; i++)
        mem[i * PAGE_SIZE / 4] = (uint32_t)i * 7;
    size_t wrong = 0;
    for (int r = 0; r < ROUNDS; r++)
        round_of(r, frames, &wrong);
    wrong += init_pages_wrong();
    ktap_check(wrong == 0, "init_memory_intact", "%zu page reads differ", wrong);
    munmap(mem, mine * PAGE_SIZE);
    stuck_victim_scenario(frames);
    struct pagoda_vmstat g;
    int on = pagoda_vmstat(&g, 0) == 0;
    ktap_check(!on || g.oom_kills >= 1, "oom_kills_counted", "%llu",
               (unsigned long long)g.oom_kills);
    ktap_check(getpid() == 1 || !on, "init_survived", "pid %d", getpid());
    return ktap_finish();
}
