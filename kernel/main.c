/* kernel/main.c: kmain, the first C function. It brings the machine up in order:
 * console, command line, segments and traps, physical memory, paging, heap, timer,
 * then the disk and the root file system. */
#include "boot/multiboot.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/cmdline.h"
#include "kernel/gdt.h"
#include "kernel/trap.h"
#include "kernel/ktest.h"
#include "kernel/power.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "kernel/random.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "drivers/tty.h"
#include "mm/mm.h"
#include "mm/memlayout.h"
#include "fs/rootfs.h"
#include "kernel/proc.h"
#include "kernel/fpu.h"
#include "kernel/doublefault.h"

extern char __kernel_end[];

/* Multiboot data lives wherever the boot loader put it, possibly where the frame
 * table is about to go: copy what we need into the kernel first. */
static char boot_cmdline[CMDLINE_MAX];
static struct multiboot_mmap_entry boot_mmap[32];
static struct multiboot_info boot_info;

static void save_multiboot(uint32_t magic, uint32_t mbi_pa)
{
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("not started by a multiboot loader (magic %x)", magic);
    struct multiboot_info *mbi = P2V(mbi_pa);
    boot_info = *mbi;
    if (mbi->flags & MB_INFO_CMDLINE)
        strlcpy(boot_cmdline, P2V(mbi->cmdline), sizeof(boot_cmdline));
    if (mbi->flags & MB_INFO_MMAP) {
        uint32_t n = mbi->mmap_length < sizeof(boot_mmap) ? mbi->mmap_length : sizeof(boot_mmap);
        memcpy(boot_mmap, P2V(mbi->mmap_addr), n);
        boot_info.mmap_addr = V2P(boot_mmap);
        boot_info.mmap_length = n;
    }
}

static void print_memory_map(void)
{
    uint32_t p = boot_info.mmap_addr;
    while (p < boot_info.mmap_addr + boot_info.mmap_length) {
        struct multiboot_mmap_entry *e = P2V(p);
        printk("  %08x-%08x %s\n", (uint32_t)e->addr, (uint32_t)(e->addr + e->len - 1),
               e->type == MMAP_USABLE ? "usable" : "reserved");
        p += e->size + 4;
    }
}

void kmain(uint32_t magic, uint32_t mbi_pa)
{
    console_init();
    save_multiboot(magic, mbi_pa);
    printk("Pagoda: a teaching kernel for virtual memory on 32-bit x86\n");
    printk("cmdline: %s\n", boot_cmdline);
    cmdline_boot_init(boot_cmdline);
    random_init();

    gdt_init();
    idt_init();
    pic_init();

    print_memory_map();
    fpu_init();                         /* before mm_boot: pages are zeroed with SSE2 */
    mm_boot(&boot_info, V2P(__kernel_end));   /* frames, kernel page tables, kernel stacks */
    doublefault_init();

    pit_init();
    sti();

    mm_init_pool();
    rootfs_init();
    mm_init_paging();                   /* swap needs the disk rootfs_init found */

    const char *tests = cmdline_get("ktest");
    if (tests)
        ktest_run(tests);

    tty_enable_input();
    proc_create_init();                 /* pid 1 */
    mm_start();                         /* pid 2, the pageout daemon */
    proc_start_init();                  /* becomes the scheduler; never returns */
}
