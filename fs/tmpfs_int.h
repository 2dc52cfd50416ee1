/* fs/tmpfs_int.h: what fs/tmpfs.c (names and directories) shares with
 * fs/tmpfs_file.c (the bytes of regular files). */
#ifndef FS_TMPFS_INT_H
#define FS_TMPFS_INT_H

#include "fs/vfs_int.h"

/* One mount: its quota of pages, shared by all its files (mm/pagecache.h). */
struct tmpfs {
    struct vfs_mount mnt;
    struct pcache_quota quota;
    uint32_t next_ino;
};

/* One name in a directory. */
struct tmpfs_dirent {
    struct tmpfs_dirent *next;
    struct inode *ip;
    char name[];
};

/* A tmpfs inode lives as long as it has a name or a reference (vfs_iput). */
struct tmpfs_inode {
    struct inode vfs;              /* first: what the VFS sees */
    struct tmpfs_dirent *entries;  /* a directory's names, oldest first */
    struct inode *parent;          /* a directory's "..": the root's own is itself */
    char *target;                  /* a symbolic link's */
};

static inline struct tmpfs_inode *tmpfs_i(struct inode *ip)
{
    return (struct tmpfs_inode *)ip;
}

uint32_t tmpfs_now(void);

/* fs/tmpfs_file.c */
int tmpfs_write(struct inode *ip, const void *buf, uint32_t off, uint32_t n);
int tmpfs_truncate(struct inode *ip, uint32_t size);
uint32_t tmpfs_quota_pages(void);

#endif
