/* mm/uffd.h: userfaultfd inside mm/, an external pager's door into the kernel
 * (Tanenbaum, MOS 3.6.6, "Separation of Policy and Mechanism"). A region registered with
 * a userfaultfd context gets the region operations uffd_vma_ops: a missing page (or a
 * write to a write-protected one) is not filled by the kernel but reported to whoever
 * reads the context's descriptor, and the faulting process sleeps until that pager
 * answers with UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_WRITEPROTECT or UFFDIO_WAKE.
 * The numbers and layouts below are Linux's (include/uapi/linux/userfaultfd.h), so a
 * pager built for Linux runs here unchanged. */
#ifndef MM_UFFD_H
#define MM_UFFD_H

#include <stdint.h>
#include "mm/mmu.h"

struct mm;
struct vma;

#define UFFD_API 0xAA
#define UFFD_USER_MODE_ONLY 1              /* userfaultfd flag: kernel-mode faults are EFAULT */

/* Features a pager may ask for in UFFDIO_API. */
#define UFFD_FEATURE_PAGEFAULT_FLAG_WP (1u << 0)
#define UFFD_FEATURE_SIGBUS            (1u << 7)   /* a missing page is SIGBUS, not a wait */
#define UFFD_FEATURE_EXACT_ADDRESS     (1u << 11)  /* report the byte, not its page */
#define UFFD_FEATURES (UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_SIGBUS | \
                       UFFD_FEATURE_EXACT_ADDRESS)

/* The ioctl numbers: _IOWR / _IOR (type 0xAA) of the command and its argument's size. */
#define UFFD_IOC(dir, nr, size) (((uint32_t)(dir) << 30) | ((size) << 16) | (0xAAu << 8) | (nr))
#define _UFFDIO_REGISTER     0x00
#define _UFFDIO_UNREGISTER   0x01
#define _UFFDIO_WAKE         0x02
#define _UFFDIO_COPY         0x03
#define _UFFDIO_ZEROPAGE     0x04
#define _UFFDIO_WRITEPROTECT 0x06
#define _UFFDIO_API          0x3F
#define UFFDIO_API          UFFD_IOC(3, _UFFDIO_API, 24)
#define UFFDIO_REGISTER     UFFD_IOC(3, _UFFDIO_REGISTER, 32)
#define UFFDIO_UNREGISTER   UFFD_IOC(2, _UFFDIO_UNREGISTER, 16)
#define UFFDIO_WAKE         UFFD_IOC(2, _UFFDIO_WAKE, 16)
#define UFFDIO_COPY         UFFD_IOC(3, _UFFDIO_COPY, 40)
#define UFFDIO_ZEROPAGE     UFFD_IOC(3, _UFFDIO_ZEROPAGE, 32)
#define UFFDIO_WRITEPROTECT UFFD_IOC(3, _UFFDIO_WRITEPROTECT, 24)

#define UFFDIO_REGISTER_MODE_MISSING 1
#define UFFDIO_REGISTER_MODE_WP      2
#define UFFDIO_COPY_MODE_DONTWAKE    1
#define UFFDIO_COPY_MODE_WP          2
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE 1
#define UFFDIO_WRITEPROTECT_MODE_WP  1
#define UFFDIO_WRITEPROTECT_MODE_DONTWAKE 2

struct uffdio_range { uint64_t start, len; };
struct uffdio_api { uint64_t api, features, ioctls; };
struct uffdio_register { struct uffdio_range range; uint64_t mode, ioctls; };
struct uffdio_copy { uint64_t dst, src, len, mode; int64_t copy; };
struct uffdio_zeropage { struct uffdio_range range; uint64_t mode; int64_t zeropage; };
struct uffdio_writeprotect { struct uffdio_range range; uint64_t mode; };

/* What read(2) returns: one 32-byte message a fault. */
#define UFFD_EVENT_PAGEFAULT 0x12
#define UFFD_PAGEFAULT_FLAG_WRITE 1
#define UFFD_PAGEFAULT_FLAG_WP    2
struct uffd_msg {
    uint8_t event, reserved1;
    uint16_t reserved2;
    uint32_t reserved3;
    uint64_t flags;                        /* UFFD_PAGEFAULT_FLAG_* */
    uint64_t address;
    uint32_t ptid, pad;
} __attribute__((packed));

/* A page the pager write-protected (UFFDIO_WRITEPROTECT): one of the PTE bits the MMU
 * leaves to software (Intel SDM vol. 3, 4.3). A write to it goes to the pager. */
#define PTE_UFFD_WP 0x200

/* A fault waiting for its pager: it lives on the sleeping process's kernel stack, and is
 * on its context's list until it is answered or the context goes. */
enum uffd_wait_state { UFFD_QUEUED, UFFD_READ, UFFD_WOKEN };
struct uffd_fault {
    uint32_t page;                         /* the page, for the pager's answers */
    uint32_t seq;                          /* which fault this is (the context counts them) */
    struct uffd_msg msg;
    enum uffd_wait_state state;
    struct uffd_fault *next;
};

/* One userfaultfd context (one descriptor, however many processes hold it). */
struct uffd {
    struct mm *mm;                 /* the address space it serves (NULL: it is gone) */
    int api_done;                  /* UFFDIO_API was called: the other ioctls may be used */
    int user_only;                 /* UFFD_USER_MODE_ONLY */
    uint64_t features;
    uint32_t seq;                  /* faults reported so far */
    struct uffd_fault *faults;     /* waiting, oldest first */
    struct uffd *next;             /* every context (uffd_mm_gone) */
};

extern const struct vma_ops uffd_vma_ops;

/* mm/uffd.c, for the ioctls: wake every fault on a page of [start, end). */
void uffd_wake_range(struct uffd *ctx, uint32_t start, uint32_t end);
/* The registered region of ctx holding [start, start + len), or NULL if the range is
 * not page-aligned, wraps, or is not inside one region registered with ctx. */
struct vma *uffd_region(struct uffd *ctx, uint32_t start, uint32_t len);
/* Region v of mm is served by the kernel again; its faults waiting for the pager wake. */
void uffd_unregister_region(struct mm *mm, struct vma *v);

#endif
