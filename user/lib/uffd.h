/* user/lib/uffd.h: userfaultfd helpers for the external-pager tests (docs/pagers.md):
 * open a context and do its handshake, register a range, answer a fault, read one fault
 * message, and the page contents a test pager serves. Each call returns 0 (or a
 * descriptor) on success and -errno on failure, so a test compares the exact errno
 * with the one Linux gives. The structures are Linux's, from <linux/userfaultfd.h>. */
#ifndef USER_LIB_UFFD_H
#define USER_LIB_UFFD_H

#include <linux/userfaultfd.h>
#include <stddef.h>
#include <stdint.h>

/* userfaultfd(2) (flags: O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY), no handshake yet. */
int uffd_new(int flags);

/* uffd_new(flags) followed by UFFDIO_API asking for features. */
int uffd_open(int flags, uint64_t features);

/* UFFDIO_API with the given api number and features; *answer gets the kernel's reply. */
int uffd_api(int fd, uint64_t api, uint64_t features, struct uffdio_api *answer);

/* UFFDIO_REGISTER of [start, start + len) in mode (UFFDIO_REGISTER_MODE_*). */
int uffd_register(int fd, uintptr_t start, uint64_t len, uint64_t mode);

/* UFFDIO_COPY of len bytes from src to dst (mode 0: wake the waiting faults). The
 * answer's copy field goes to *copy (bytes done, or -errno); on entry it holds *copy. */
int uffd_copy(int fd, uintptr_t dst, uintptr_t src, uint64_t len, int64_t *copy);

/* UFFDIO_ZEROPAGE of [start, start + len), waking the waiting faults. */
int uffd_zeropage(int fd, uintptr_t start, uint64_t len);

/* UFFDIO_WRITEPROTECT of [start, start + len): mode UFFDIO_WRITEPROTECT_MODE_WP sets the
 * protection, mode 0 lifts it and wakes the faults waiting on it. */
int uffd_writeprotect(int fd, uintptr_t start, uint64_t len, uint64_t mode);

/* One read(2) of exactly one message: 0, -errno, or -EIO for a short read. */
int uffd_read_msg(int fd, struct uffd_msg *m);

/* The 4096 bytes a test pager serves for the page at addr: they differ between any two of
 * 256 neighbouring pages and from zeros, so a page served to the wrong place, or not at
 * all, shows. */
void uffd_pattern(char *page, uintptr_t addr);

/* The offset of the first of the 4096 bytes at p that is not uffd_pattern's for the page
 * at addr, or -1 if all are. */
long uffd_pattern_mismatch(const void *p, uintptr_t addr);

/* A test pager's answer to a fault at addr: its page gets uffd_pattern's bytes
 * (UFFDIO_COPY, waking the fault). 0 or -errno; the copy field goes to *copy. */
int uffd_serve_pattern(int fd, uintptr_t addr, int64_t *copy);

#endif
