/* fs/vfs_int.h: what the VFS (fs/vfs.c, fs/vfs_write.c) shares with the file systems
 * it serves: a mounted file system's operations table, the mount itself, the writers'
 * lock, and the inode and lookup calls made with it held. The VFS checks what Linux
 * checks (types, names, mount points) and calls the operations; a file system only
 * keeps its own structures right (Tanenbaum, MOS 4.3.7 "Virtual File Systems"). */
#ifndef FS_VFS_INT_H
#define FS_VFS_INT_H

#include "fs/vfs.h"

#define VFS_PATH_MAX 4096
#define VFS_NAME_MAX 255

/* One file system's operations. The changing ones run under the writers' lock;
 * lookup, readdir and readlink do not take it. iget, evict, read_only and sync may
 * be NULL (no inode table, nothing to free on a medium, always writable, no medium). */
struct vfs_ops {
    /* Fill ip (all but the VFS's fields) with inode ino from the medium: file systems
     * whose inodes live on a medium keep them in fs/vfs.c's table (vfs_iget). */
    int (*iget)(struct vfs_mount *m, uint32_t ino, struct inode *ip);
    /* The inode name (len bytes) names in directory dir, with a new reference. */
    int (*lookup)(struct inode *dir, const char *name, uint32_t len, struct inode **out);
    int (*readdir)(struct inode *dir, uint32_t *pos, struct vfs_dirent *out);
    int (*readlink)(struct inode *ip, char *buf, uint32_t size);
    /* A new regular file (a new reference in *out), directory or symbolic link. */
    int (*create)(struct inode *dir, const char *name, uint16_t mode, struct inode **out);
    int (*mkdir)(struct inode *dir, const char *name, uint16_t mode);
    int (*symlink)(struct inode *dir, const char *name, const char *target);
    /* These behave as ext2's (fs/ext2.h): the VFS has checked the types. */
    int (*link)(struct inode *dir, const char *name, struct inode *ip);
    int (*unlink)(struct inode *dir, const char *name, struct inode *ip);
    int (*rmdir)(struct inode *dir, const char *name, struct inode *ip);
    int (*rename)(struct inode *odir, const char *oname, struct inode *ip,
                  struct inode *ndir, const char *nname, struct inode *victim);
    /* A regular file's bytes: written (the count) and its size set. */
    int (*write)(struct inode *ip, const void *buf, uint32_t off, uint32_t n);
    int (*truncate)(struct inode *ip, uint32_t size);
    /* The last reference to an inode with no name is going: free it on the medium
     * (may sleep; the writers' lock is held). */
    void (*evict)(struct inode *ip);
    /* The reference count reached 0 (interrupts off; its cached pages are gone if
     * they were to go): give back the inode's memory. */
    void (*release)(struct inode *ip);
    int (*read_only)(struct vfs_mount *m);
    /* statfs: all but read_only. */
    int (*statfs)(struct vfs_mount *m, struct vfs_statfs *out);
    /* Put what was written on the medium (fsync, sync). */
    int (*sync)(struct vfs_mount *m);
};

/* A mounted file system. The root one covers nothing. */
struct vfs_mount {
    const struct vfs_ops *ops;
    void *fs;                      /* the file system's own state */
    struct inode *root;            /* its root directory (a reference) */
    struct inode *covered;         /* the directory it is mounted on (a reference) */
    uint32_t dev;                  /* st_dev */
};

extern struct inode *vfs_root;

void vfs_lock(void);
void vfs_unlock(void);
/* The in-memory inode ino of m (a file system with an iget operation), with a new
 * reference: read by m->ops->iget if it is not in memory yet. */
int vfs_iget(struct vfs_mount *m, uint32_t ino, struct inode **out);
void vfs_iput_locked(struct inode *ip);
int vfs_lookup_locked(const char *path, int follow_last, struct inode **out);

/* Mount m (its root set) on the directory at path: 0, -ENOTDIR, -EBUSY (already a
 * mount point), or the lookup's error. */
int vfs_mount_at(const char *path, struct vfs_mount *m);

/* fs/vfs_ext2.c: ext2 as a VFS file system, on the root mount m (root not set). */
struct blkdev;
int ext2_vfs_mount(struct vfs_mount *m, struct blkdev *dev);
int ext2_vfs_unmount(struct vfs_mount *m);

#endif
