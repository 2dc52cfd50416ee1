/* fs/tmpfs.h: tmpfs, a file system in memory (fs/tmpfs.c, fs/tmpfs_file.c): its
 * directories are lists in the kernel heap, its files' pages live only in the page
 * cache (mm/pagecache.h) and go to swap under pressure like anonymous memory. */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include <stdint.h>

/* Mount a new, empty tmpfs on the directory at path. Its pages are limited to the
 * kernel command line's tmpfs.size (bytes, or with a k, m or g suffix), by default
 * half of the RAM free at boot (Linux's default is half of RAM). 0, or -errno. */
int tmpfs_mount(const char *path);

/* Inodes of every tmpfs mount (files, directories, links, the roots): the leak check
 * counts them, so a program that leaves a file behind shows. */
uint32_t tmpfs_inodes(void);

#endif
