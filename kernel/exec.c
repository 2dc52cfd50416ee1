/* kernel/exec.c: execve. It builds the new address space beside the old one (so a
 * failure leaves the caller intact), fills the new stack with argc, argv, envp and
 * the auxiliary vector glibc expects, then swaps the address spaces. */
#include "kernel/exec.h"
#include "kernel/elf.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "kernel/power.h"
#include "kernel/cmdline.h"
#include "kernel/x86.h"
#include "kernel/fpu.h"
#include "kernel/signal.h"
#include "kernel/random.h"
#include "mm/mm.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "mm/memlayout.h"
#include "fs/vfs.h"
#include "fs/file.h"

#define ARG_MAX (128 * 1024)     /* room for the strings and tables at the stack top */
#define MAX_STRINGS 1000         /* argv + envp entries */
#define NAUXV 17                 /* auxiliary-vector entries we write, AT_NULL included */

struct stack_builder {
    struct mm *mm;
    uint32_t sp;                 /* grows down from STACK_TOP */
    char *scratch;               /* one string at a time, on its way in */
    uint32_t *addrs;             /* where each argv/envp string landed */
};

/* Entry i of a NULL-terminated pointer array, from the old program or the kernel. */
static int fetch_pointer(const struct exec_strings *s, uint32_t array, int i, uint32_t *out)
{
    if (!s->from_user) {
        *out = ((const uint32_t *)array)[i];
        return 0;
    }
    return copyin(out, array + 4 * i, 4);
}

/* The length of a string in the old program (read a page at a time) or the kernel. */
static int string_length(const struct exec_strings *s, uint32_t addr, char *scratch)
{
    if (!s->from_user)
        return strlen((const char *)addr);
    for (uint32_t len = 0; len < ARG_MAX; len += PGSIZE) {
        int n = copyinstr(scratch, addr + len, PGSIZE);
        if (n >= 0)
            return len + n;
        if (n != -ENAMETOOLONG)
            return n;
    }
    return -E2BIG;
}

/* Put bytes just below the current stack pointer; returns their address or 0. */
static uint32_t push_bytes(struct stack_builder *b, const void *data, uint32_t len)
{
    if (b->sp - len < STACK_TOP - ARG_MAX)
        return 0;
    b->sp -= len;
    return mm_write(b->mm, b->sp, data, len) == 0 ? b->sp : 0;
}

/* Copy one string (with its NUL) onto the new stack, a page at a time. */
static int push_string(struct stack_builder *b, const struct exec_strings *s, uint32_t str)
{
    int len = string_length(s, str, b->scratch);
    if (len < 0)
        return len;
    if (b->sp - (len + 1) < STACK_TOP - ARG_MAX)
        return -E2BIG;
    b->sp -= len + 1;
    for (uint32_t off = 0; off < (uint32_t)len + 1; off += PGSIZE) {
        uint32_t chunk = len + 1 - off < PGSIZE ? len + 1 - off : PGSIZE;
        const void *src = (const char *)str + off;
        if (s->from_user) {
            if (copyin(b->scratch, str + off, chunk) < 0)
                return -EFAULT;
            src = b->scratch;
        }
        if (mm_write(b->mm, b->sp + off, src, chunk) < 0)
            return -ENOMEM;
    }
    return 0;
}

/* Copy one NULL-terminated array's strings onto the new stack; returns the count. */
static int push_strings(struct stack_builder *b, const struct exec_strings *s, uint32_t array,
                        int first)
{
    int n = 0;
    for (; array; n++) {
        uint32_t str;
        int err = fetch_pointer(s, array, n, &str);
        if (err)
            return err;
        if (!str)
            break;
        if (first + n >= MAX_STRINGS)
            return -E2BIG;
        err = push_string(b, s, str);
        if (err)
            return err;
        b->addrs[first + n] = b->sp;
    }
    return n;
}

/* The auxiliary vector: what the kernel tells the C library about the program. */
static int auxv_fill(uint32_t *aux, const struct elf_image *img, uint32_t random,
                     uint32_t platform, uint32_t execfn)
{
    const uint32_t pairs[NAUXV][2] = {
        {AT_PHDR, img->phdr_addr}, {AT_PHENT, sizeof(struct elf_phdr)}, {AT_PHNUM, img->phnum},
        {AT_PAGESZ, PGSIZE}, {AT_BASE, 0}, {AT_FLAGS, 0}, {AT_ENTRY, img->entry},
        {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0}, {AT_SECURE, 0},
        {AT_CLKTCK, 100}, {AT_HWCAP, 0}, {AT_RANDOM, random}, {AT_PLATFORM, platform},
        {AT_EXECFN, execfn},
    };
    memcpy(aux, pairs, sizeof(pairs));
    aux[2 * NAUXV] = AT_NULL;
    aux[2 * NAUXV + 1] = 0;
    return 2 * NAUXV + 2;
}

/* The i386 process-start stack (System V ABI), from the stack pointer up:
 * argc, argv[0..argc-1], NULL, envp[..], NULL, auxv pairs, AT_NULL, then the strings. */
static int build_stack(struct stack_builder *b, const struct exec_strings *s, const char *path,
                       const struct elf_image *img)
{
    uint8_t random_bytes[16];
    random_fill(random_bytes, sizeof(random_bytes));
    uint32_t random = push_bytes(b, random_bytes, sizeof(random_bytes));
    uint32_t platform = push_bytes(b, "i686", 5);
    uint32_t execfn = push_bytes(b, path, strlen(path) + 1);
    if (!random || !platform || !execfn)
        return -E2BIG;
    int argc = push_strings(b, s, s->argv, 0);
    if (argc < 0)
        return argc;
    int envc = push_strings(b, s, s->envp, argc);
    if (envc < 0)
        return envc;

    /* The table, assembled in the scratch page, then written below the strings. */
    uint32_t *t = (uint32_t *)b->scratch;
    int n = 0;
    t[n++] = argc;
    for (int i = 0; i < argc; i++)
        t[n++] = b->addrs[i];
    t[n++] = 0;
    for (int i = 0; i < envc; i++)
        t[n++] = b->addrs[argc + i];
    t[n++] = 0;
    if ((uint32_t)(n + 2 * NAUXV + 2) * 4 > PGSIZE)
        return -E2BIG;
    n += auxv_fill(t + n, img, random, platform, execfn);
    b->sp = (b->sp - n * 4) & ~15u;     /* the ABI wants a 16-byte aligned stack */
    if (b->sp < STACK_TOP - ARG_MAX || mm_write(b->mm, b->sp, t, n * 4) != 0)
        return -E2BIG;
    return 0;
}

/* Every process is root, and root may run a file if any of its three execute bits is
 * set (Linux's generic_permission: CAP_DAC_OVERRIDE grants exec only then). Linux checks
 * this, and that the file is regular, before it reads a byte: so a file mode 0644
 * gives EACCES, whatever it contains, never ENOEXEC. */
static int may_exec(const struct inode *ip)
{
    return (ip->mode & 0111) != 0;
}

/* Load path into a fresh address space; on success *out_mm and *sp describe it. */
static int load_program(const char *path, const struct exec_strings *s, struct mm **out_mm,
                        struct elf_image *img, uint32_t *sp)
{
    struct inode *ip;
    int err = vfs_lookup(path, &ip);
    if (err)
        return err;
    struct mm *mm = NULL;
    struct stack_builder b = {0};
    if (!S_ISREG(ip->mode) || !may_exec(ip))
        err = -EACCES;
    else if (!(mm = mm_create()))
        err = -ENOMEM;
    else
        err = elf_load(ip, path, mm, img);
    vfs_iput(ip);                       /* the regions hold their own references */
    if (!err)
        err = mm_map_stack(mm, STACK_TOP - ARG_MAX, STACK_TOP);
    if (!err) {
        b = (struct stack_builder){mm, STACK_TOP, kmalloc(PGSIZE), kmalloc(MAX_STRINGS * 4)};
        err = (b.scratch && b.addrs) ? build_stack(&b, s, path, img) : -ENOMEM;
        kfree(b.scratch);
        kfree(b.addrs);
    }
    if (err && mm)
        mm_destroy(mm);
    if (!err) {
        *out_mm = mm;
        *sp = b.sp;
    }
    return err;
}

static void set_name(struct proc *p, const char *path)
{
    const char *base = path;
    for (const char *c = path; *c; c++)
        if (*c == '/' && c[1])
            base = c + 1;
    strlcpy(p->name, base, sizeof(p->name));
}

int exec(const char *path, const struct exec_strings *s)
{
    struct proc *p = myproc();
    struct mm *mm;
    struct elf_image img;
    uint32_t sp;
    int err = load_program(path, s, &mm, &img, &sp);
    if (err)
        return err;

    /* The point of no return: switch to the new address space, free the old one. */
    mm->brk_start = mm->brk = img.brk;
    set_name(p, path);                  /* before mm_exec: the trace's exec line names it */
    mm_exec(p, mm);                     /* mm/mm.c */

    memset(p->tf, 0, sizeof(*p->tf));   /* edx = 0: no exit handler from a loader */
    p->tf->cs = UCODE_SEL;
    p->tf->ds = p->tf->es = p->tf->fs = p->tf->ss = UDATA_SEL;
    p->tf->eflags = EFLAGS_IF;
    p->tf->esp = sp;
    p->tf->eip = img.entry;
    memset(p->tls, 0, sizeof(p->tls));
    fpu_reset(&p->fpu);
    fpu_restore(&p->fpu);
    gdt_load_tls(p->tls);
    file_close_on_exec(p);
    signal_exec(p);                     /* handlers back to SIG_DFL */
    return 0;
}

/* Split line into words at spaces, in place; 'single quotes' keep spaces in a word
 * (init="/bin/sh -c 'ls /bin'"). Returns the number of words. */
static int split_words(char *line, char **argv, int max)
{
    int argc = 0;
    char *out = line;
    for (char *c = line; *c && argc < max;) {
        while (*c == ' ')
            c++;
        if (!*c)
            break;
        argv[argc++] = out;
        int quoted = 0;
        for (; *c && (quoted || *c != ' '); c++) {
            if (*c == '\'')
                quoted = !quoted;
            else
                *out++ = *c;
        }
        if (*c)
            c++;                        /* past the space before out overwrites it */
        *out++ = '\0';
    }
    argv[argc] = NULL;
    return argc;
}

/* Process 1's first run (from forkret): open the console as fds 0-2 and run the
 * init= program (default /bin/init) with its arguments. */
void exec_init(void)
{
    static char line[CMDLINE_VALUE_MAX];
    static char *argv[16];
    static char *envp[] = {"HOME=/", "PATH=/bin", "TERM=vt100", NULL};
    const char *init = cmdline_get("init");
    strlcpy(line, init ? init : "/bin/init", sizeof(line));
    int argc = split_words(line, argv, 15);
    if (argc == 0 || file_open_console(myproc()) < 0) {
        printk("init: no program to run\n");
        power_off(127);
    }
    struct exec_strings s = {0, (uint32_t)argv, (uint32_t)envp};
    int err = exec(argv[0], &s);
    if (err) {
        printk("init: cannot run %s: error %d\n", argv[0], -err);
        power_off(127);
    }
}
