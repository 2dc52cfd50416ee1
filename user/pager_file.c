/* user/pager_file.c: lesson 1 of the external pagers (docs/pagers.md): a region whose
 * backing store is an ordinary file, served from user space.
 *
 * Tanenbaum (Modern Operating Systems, 3.6.6, "Separation of Policy and Mechanism")
 * lets the kernel keep the mechanism (trap, page tables) and an external pager decide
 * where a page comes from. Here that is a file in /tmp, read with pread(2) when a page
 * is first touched, and written back with pwrite(2) when the pager evicts a page the
 * client wrote: the pager does in user space what the kernel does for a shared file
 * mapping (its fill and its write-back), through nothing but pread, pwrite and
 * userfaultfd. (pread and pwrite leave the file's offset alone, which the pager shares
 * with the client: the descriptor was opened before the fork.)
 * The file starts as round 0 of the workload's pattern, so the first touch of every page
 * checks what pread gave. At the end the client tells the pager to take every page back
 * (upager_stop flushes): the dirty ones land in the file, which must then hold exactly
 * what the client last wrote (on Linux nothing can be taken back, and that check is
 * skipped). The frame budget and the eviction calls are Pagoda's (user/lib/upager.h).
 *
 * On Pagoda: make run INIT=/bin/pager_file (the test user-pager-file, with vm.check=1).
 * On Linux (x86-64 with IA32 emulation, as root or vm.unprivileged_userfaultfd=1):
 *     build/rootfs/bin/pager_file [BUDGET [PAGES [ROUNDS]]]     or     ... bench */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/upwork.h"

struct backing {
    int fd;
    uint32_t npages;
};

/* The pager cannot serve what it cannot read: exiting lets the kernel take the region
 * back, and the client's checks see the zeros. */
static void give_up(const char *what, uint32_t page)
{
    ktap_diag("pager_file: %s of page %u failed", what, page);
    _exit(3);
}

/* Page page of the file into buf, or buf into it: 1 if all 4096 bytes moved. */
static int move_page(int fd, uint32_t page, void *buf, int write_it)
{
    off_t at = (off_t)page * UPAGER_PAGE;
    return (write_it ? pwrite(fd, buf, UPAGER_PAGE, at) : pread(fd, buf, UPAGER_PAGE, at)) ==
           UPAGER_PAGE;
}

static int file_fetch(void *self, uint32_t page, void *buf)
{
    if (!move_page(((struct backing *)self)->fd, page, buf, 0))
        give_up("reading", page);
    return 1;
}

static void file_store(void *self, uint32_t page, const void *buf)
{
    if (!move_page(((struct backing *)self)->fd, page, (void *)buf, 1))
        give_up("writing back", page);
}

static void file_usage(void *self, uint32_t *pages, uint32_t *bytes)
{
    struct backing *b = self;
    *pages = b->npages;
    *bytes = b->npages * UPAGER_PAGE;
}

static const struct upager_ops file_ops = {
    .fetch = file_fetch, .store = file_store, .usage = file_usage,
};

/* Pages that hold round r of the pattern, written into the file or checked against it:
 * the number of pages that differ (or could not be moved). */
static uint32_t file_pass(int fd, uint32_t npages, uint32_t r, int write_it)
{
    static uint32_t want[UPAGER_PAGE / 4], got[UPAGER_PAGE / 4];
    uint32_t bad = 0;
    for (uint32_t p = 0; p < npages; p++) {
        upwork_fill(want, p, r);
        if (write_it)
            bad += !move_page(fd, p, want, 1);
        else
            bad += !move_page(fd, p, got, 0) || memcmp(got, want, UPAGER_PAGE) != 0;
    }
    return bad;
}

int main(int argc, char **argv)
{
    struct backing b;
    struct upwork w = {.name = "file", .from_file = 1, .ops = &file_ops, .self = &b};
    int bench = upwork_args(argc, argv, &w);
    char path[64];
    snprintf(path, sizeof(path), "/tmp/pager_file.%d", (int)getpid());
    b = (struct backing){.fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), .npages = w.npages};
    int made = b.fd >= 0 && file_pass(b.fd, w.npages, 0, 1) == 0;
    if (bench) {
        int r = made ? upwork_bench(&w) : 1;
        unlink(path);
        return r;
    }
    ktap_plan(UPWORK_CHECKS + 2);
    ktap_check(made, "file: the backing file written", "%s", path);
    struct upager_stats st;
    upwork_run(&w, &st);
    if (st.budgeted) {
        uint32_t bad = file_pass(b.fd, w.npages, w.rounds, 0);
        ktap_check(bad == 0, "file: holds the client's last round", "%u pages differ", bad);
    } else {
        ktap_skip("file: holds the client's last round", "exports unavailable: no write-back");
    }
    close(b.fd);
    unlink(path);
    return ktap_finish();
}
