/* kernel/cmdline.c: splits the boot command line into key=value words (values may be
 * double-quoted to hold spaces) and checks each key against the table of known ones. */
#include <stdbool.h>
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"


/* Every key the kernel understands, with what it does (also the reference in docs/). */
static const struct { const char *key, *help; } known_keys[] = {
    {"init", "program (and arguments) to run as process 1"},
    {"ktest", "run in-kernel tests: all, or a comma-separated list of names"},
    {"vm.policy", "page-replacement policy (clock, fifo, ...)"},
    {"vm.cow", "1: fork shares pages copy-on-write (default); 0: fork copies eagerly; "
               "2: fork shares page tables"},
    {"vm.frames", "limit the number of frames available to user pages"},
    {"vm.swap", "limit the number of swap slots used (to show swap running out)"},
    {"vm.trace", "1: stream VM events on COM2"},
    {"vm.prepage", "pages to bring in around a file-backed fault"},
    {"vm.alloc", "frame allocation: equal (default), proportional, priority"},
    {"vm.scope", "replacement scope: global (default) or local (within the allocation)"},
    {"vm.minframes", "the fewest frames a process is allocated (default 16)"},
    {"vm.pff", "1: page-fault-frequency control adjusts each allocation"},
    {"vm.pffupper", "faults per working-set window above which an allocation grows (20)"},
    {"vm.pfflower", "faults per working-set window below which an allocation shrinks (2)"},
    {"vm.ws", "1: working-set control (suspend processes when the working sets do not fit)"},
    {"vm.wsdelta", "the working-set window, in thousands of the process's own instructions (5000)"},
    {"vm.poison", "1: fill freed frames with 0xdeadbeef (a debug mode: the tests use it)"},
    {"vm.cluster", "pages the pageout daemon writes to swap in one disk command (16; 1: none)"},
    {"vm.prezero", "free frames the idle loop keeps zeroed (256, at most 1/32 of RAM; 0: none)"},
    {"vm.check", "1: check the VM's invariants after every fault, eviction and exit"},
    {"vm.seed", "seed for the random policy, getrandom and AT_RANDOM (boots repeat)"},
    {"tmpfs.size", "the most each tmpfs mount holds: bytes, or with k, m or g (default half of RAM)"},
    {"ata.dma", "0: the disk moves data by PIO; 1: by bus-master DMA (default)"},
    {"ata.defer", "1: take disk interrupts only at ticks and while idle, the tick stopped (-icount runs)"},
    {"ata.timeout", "seconds a disk command may make no progress before -EIO (default 5)"},
    {"swap", "ram: swap to a RAM disk with a fixed service time, not the swap partition"},
    {"ramdisk.size", "swap=ram: the RAM disk's size in MiB (16)"},
    {"ramdisk.latency", "swap=ram: timer ticks each request takes (1)"},
    {"idle", "poll: the idle loop spins instead of halting (QEMU record/replay, tools/rr.py)"},
    {"vm.vmprint", "1: print process 1's page tables after each exec (mm/vmprint.c)"},
    {"vm.bug", "cow: plant the copy-on-write bug of docs/debugging.md (a lesson, never otherwise)"},
    {"quiet", "print less at boot"},
};

static struct cmdline boot_cmdline;

static void warn(struct cmdline *cl, const char *what, const char *word, int len)
{
    printk("cmdline: %s: '", what);
    for (int i = 0; i < len && i < 40; i++)
        printk("%c", word[i]);
    printk("'\n");
    cl->nwarnings++;
}

static bool key_known(const char *key)
{
    for (unsigned i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
        if (strcmp(known_keys[i].key, key) == 0)
            return true;
    return false;
}

/* Copy one value, dropping double quotes (literal ones too: GRUB's form keeps them);
 * returns false if it does not fit. */
static bool copy_value(char *dst, const char *src, int len)
{
    int n = 0;
    for (int i = 0; i < len; i++) {
        if (src[i] == '"')
            continue;
        if (n + 1 >= CMDLINE_VALUE_MAX)
            return false;
        dst[n++] = src[i];
    }
    dst[n] = '\0';
    return true;
}

static void store(struct cmdline *cl, const char *key, int keylen, const char *val, int vallen)
{
    int slot = cl->nargs;
    for (int i = 0; i < cl->nargs; i++)          /* a repeated key: the last one wins */
        if ((int)strlen(cl->args[i].key) == keylen && strncmp(cl->args[i].key, key, keylen) == 0)
            slot = i;
    if (slot == CMDLINE_ARGS) {
        warn(cl, "too many arguments, ignored", key, keylen);
        return;
    }
    char name[CMDLINE_KEY_MAX], value[CMDLINE_VALUE_MAX];
    memcpy(name, key, keylen);
    name[keylen] = '\0';
    if (!copy_value(value, val, vallen)) {
        warn(cl, "value too long, ignored", key, keylen);
        return;
    }
    if (!key_known(name)) {
        warn(cl, "unknown key, ignored", key, keylen);
        return;
    }
    strlcpy(cl->args[slot].key, name, CMDLINE_KEY_MAX);
    strlcpy(cl->args[slot].value, value, CMDLINE_VALUE_MAX);
    if (slot == cl->nargs)
        cl->nargs++;
}

/* One word: key=value, or a bare key (meaning key=1). */
static void parse_word(struct cmdline *cl, const char *w, int len)
{
    const char *eq = NULL;
    for (int i = 0; i < len && !eq; i++)
        if (w[i] == '=')
            eq = w + i;
    int keylen = eq ? (int)(eq - w) : len;
    if (keylen == 0) {
        warn(cl, "missing key", w, len);
        return;
    }
    if (keylen >= CMDLINE_KEY_MAX) {
        warn(cl, "key too long", w, len);
        return;
    }
    for (int i = 0; i < keylen; i++)
        if (w[i] == '"') {
            warn(cl, "quote in key", w, len);
            return;
        }
    if (eq)
        store(cl, w, keylen, eq + 1, len - keylen - 1);
    else
        store(cl, w, keylen, "1", 1);
}

/* GRUB and QEMU put the kernel's own file name first ("/boot/kernel.elf"). */
static bool looks_like_kernel_path(const char *w, int len)
{
    bool slash = false;
    for (int i = 0; i < len; i++) {
        if (w[i] == '=')
            return false;
        slash |= w[i] == '/';
    }
    return slash || (len > 4 && strncmp(w + len - 4, ".elf", 4) == 0);
}

/* Words are split at blanks outside double quotes; the quotes go, and a backslash makes
 * the next character literal. GRUB 2.06 passes a grub.cfg word that holds blanks that
 * way: "init=\"/bin/sh -c 'x'\"" arrives as "init=\"/bin/sh -c \'x\'\"" (its
 * grub_create_loader_cmdline), and QEMU's -append passes init="/bin/sh -c 'x'" as is. */
void cmdline_parse(struct cmdline *cl, const char *line)
{
    static char word[CMDLINE_MAX];      /* boot only: no two parses at once */
    cl->nargs = 0;
    cl->nwarnings = 0;
    const char *p = line;
    bool first = true;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *start = p;
        bool quoted = false;
        int len = 0;
        while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
            if (*p == '"') {
                quoted = !quoted;
                p++;
                continue;
            }
            if (*p == '\\' && p[1])
                p++;
            char c = *p++;
            if (len < CMDLINE_MAX - 1)
                word[len++] = c;
        }
        word[len] = '\0';
        if (quoted)
            warn(cl, "unterminated quote", start, p - start);
        if (!(first && looks_like_kernel_path(word, len)))
            parse_word(cl, word, len);
        first = false;
    }
}

const char *cmdline_lookup(const struct cmdline *cl, const char *key)
{
    for (int i = 0; i < cl->nargs; i++)
        if (strcmp(cl->args[i].key, key) == 0)
            return cl->args[i].value;
    return NULL;
}

long cmdline_lookup_int(const struct cmdline *cl, const char *key, long fallback)
{
    const char *v = cmdline_lookup(cl, key);
    if (!v || !*v)
        return fallback;
    long n = 0;
    bool neg = *v == '-';
    for (const char *c = v + neg; *c; c++) {
        if (*c < '0' || *c > '9')
            return fallback;
        n = n * 10 + (*c - '0');
    }
    return neg ? -n : n;
}

void cmdline_boot_init(const char *line)
{
    cmdline_parse(&boot_cmdline, line);
}

const char *cmdline_get(const char *key)
{
    return cmdline_lookup(&boot_cmdline, key);
}

long cmdline_int(const char *key, long fallback)
{
    return cmdline_lookup_int(&boot_cmdline, key, fallback);
}
