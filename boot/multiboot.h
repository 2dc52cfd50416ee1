/* boot/multiboot.h: the parts of the Multiboot 1 information structure Pagoda
 * reads: the command line, the modules and the BIOS memory map. */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODS    (1u << 3)
#define MB_INFO_MMAP    (1u << 6)

struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct multiboot_mmap_entry {
    uint32_t size;            /* size of the rest of this entry (usually 20) */
    uint64_t addr, len;
    uint32_t type;            /* 1 = usable RAM */
} __attribute__((packed));

struct multiboot_module {
    uint32_t start, end, string, reserved;
} __attribute__((packed));

#define MMAP_USABLE 1

#endif
