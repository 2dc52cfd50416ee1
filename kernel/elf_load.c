/* kernel/elf_load.c: the ELF32 loader. It validates the header and program headers,
 * refusing bad files with a message, and turns each PT_LOAD segment into regions:
 * a private file-backed one for the bytes in the file, an anonymous one for the
 * rest of bss. It reads no page of the program: the first touch faults it in. */
#include "kernel/exec.h"
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "mm/mm.h"
#include "mm/kheap.h"
#include "mm/memlayout.h"
#include "fs/vfs.h"

#define MAX_PHNUM 64

/* Refuse the file with a message. Headers that do not describe an i386 executable
 * give ENOEXEC; segments that cannot be mapped give EINVAL. */
static int reject(const char *path, const char *why, int err)
{
    printk("exec: %s: %s\n", path, why);
    return err;
}

static int check_header(const struct elf_header *eh, uint32_t file_size, const char *path)
{
    if (eh->magic != ELF_MAGIC)
        return reject(path, "not an ELF file (bad magic)", -ENOEXEC);
    if (eh->class != ELFCLASS32 || eh->data != ELFDATA2LSB)
        return reject(path, "not a 32-bit little-endian ELF file", -ENOEXEC);
    if (eh->machine != EM_386)
        return reject(path, "wrong machine (not i386)", -ENOEXEC);
    if (eh->type != ET_EXEC)
        return reject(path, "not a static executable (ET_EXEC)", -ENOEXEC);
    if (eh->phentsize != sizeof(struct elf_phdr) || eh->phnum == 0 || eh->phnum > MAX_PHNUM)
        return reject(path, "impossible program header table", -ENOEXEC);
    if (eh->phoff > file_size || eh->phnum * sizeof(struct elf_phdr) > file_size - eh->phoff)
        return reject(path, "program headers past the end of the file", -ENOEXEC);
    return 0;
}

static int check_segment(const struct elf_phdr *ph, uint32_t file_size, const char *path)
{
    if (ph->filesz > ph->memsz)
        return reject(path, "segment larger in the file than in memory", -EINVAL);
    if (ph->offset > file_size || ph->filesz > file_size - ph->offset)
        return reject(path, "segment past the end of the file", -EINVAL);
    if (ph->vaddr < PGSIZE || ph->memsz > USER_TOP || ph->vaddr > USER_TOP - ph->memsz)
        return reject(path, "segment outside user space (overlaps page 0 or the kernel)", -EINVAL);
    if ((ph->vaddr - ph->offset) % PGSIZE != 0)
        return reject(path, "segment offset and address disagree modulo the page size", -EINVAL);
    return 0;
}

static uint32_t segment_prot(uint32_t flags)
{
    return ((flags & PF_R) ? VM_READ : 0) | ((flags & PF_W) ? VM_WRITE | VM_READ : 0) |
           ((flags & PF_X) ? VM_EXEC | VM_READ : 0);
}

/* One PT_LOAD segment becomes up to two regions: the pages holding file bytes (the
 * last of them zero past the file's part) and the anonymous bss pages after them. */
static int map_segment(struct mm *mm, struct inode *ip, const struct elf_phdr *ph,
                       const char *path)
{
    uint32_t start = PGROUNDDOWN(ph->vaddr);
    uint32_t file_end = PGROUNDUP(ph->vaddr + ph->filesz);
    uint32_t mem_end = PGROUNDUP(ph->vaddr + ph->memsz);
    uint32_t prot = segment_prot(ph->flags);
    int err = 0;
    if (ph->filesz > 0)
        err = mm_map(mm, start, file_end, prot, ip, ph->offset - (ph->vaddr - start),
                     ph->vaddr + ph->filesz - start);
    uint32_t bss_start = ph->filesz > 0 ? file_end : start;
    if (!err && mem_end > bss_start)
        err = mm_map(mm, bss_start, mem_end, prot, NULL, 0, 0);
    return err == -EEXIST ? reject(path, "segments overlap", -EINVAL) : err;
}

/* The address of the program headers in memory, for AT_PHDR: glibc reads them to find
 * its TLS segment. They lie in whichever segment maps their file offset. */
static uint32_t phdr_address(const struct elf_header *eh, const struct elf_phdr *ph)
{
    for (int i = 0; i < eh->phnum; i++)
        if (ph[i].type == PT_PHDR)
            return ph[i].vaddr;
    for (int i = 0; i < eh->phnum; i++)
        if (ph[i].type == PT_LOAD && eh->phoff >= ph[i].offset &&
            eh->phoff - ph[i].offset < ph[i].filesz)
            return ph[i].vaddr + (eh->phoff - ph[i].offset);
    return 0;
}

static int load_segments(struct inode *ip, const char *path, struct mm *mm,
                         const struct elf_header *eh, const struct elf_phdr *ph,
                         struct elf_image *img)
{
    int entry_mapped = 0;
    img->brk = 0;
    for (int i = 0; i < eh->phnum; i++) {
        if (ph[i].type == PT_INTERP)
            return reject(path, "dynamically linked (needs an interpreter)", -ENOEXEC);
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        int err = check_segment(&ph[i], ip->size, path);
        if (!err)
            err = map_segment(mm, ip, &ph[i], path);
        if (err)
            return err;
        uint32_t end = PGROUNDUP(ph[i].vaddr + ph[i].memsz);
        if (end > img->brk)
            img->brk = end;
        entry_mapped |= eh->entry >= ph[i].vaddr && eh->entry - ph[i].vaddr < ph[i].memsz;
    }
    if (!entry_mapped)
        return reject(path, "entry point outside every segment", -ENOEXEC);
    img->entry = eh->entry;
    img->phdr_addr = phdr_address(eh, ph);
    img->phnum = eh->phnum;
    return 0;
}

int elf_load(struct inode *ip, const char *path, struct mm *mm, struct elf_image *img)
{
    /* The header and program headers fit in one page (MAX_PHNUM * 32 bytes). */
    char *buf = kmalloc(PGSIZE);
    if (!buf)
        return -ENOMEM;
    struct elf_header *eh = (struct elf_header *)buf;
    int n = vfs_read(ip, buf, 0, PGSIZE);
    int err;
    if (n < 0)
        err = n;
    else if ((uint32_t)n < sizeof(*eh))
        err = reject(path, "too short to be an ELF file", -ENOEXEC);
    else if ((err = check_header(eh, ip->size, path)) == 0) {
        struct elf_phdr *ph = (struct elf_phdr *)(buf + sizeof(*eh));
        /* Programs almost always put the program headers right after the header;
         * read them separately when they are elsewhere. */
        uint32_t ph_bytes = eh->phnum * sizeof(struct elf_phdr);
        if (eh->phoff != sizeof(*eh) || (uint32_t)n < sizeof(*eh) + ph_bytes) {
            n = vfs_read(ip, ph, eh->phoff, ph_bytes);
            if (n != (int)ph_bytes)
                err = n < 0 ? n : reject(path, "cannot read the program headers", -ENOEXEC);
        }
        if (!err)
            err = load_segments(ip, path, mm, eh, ph, img);
    }
    kfree(buf);
    return err;
}
