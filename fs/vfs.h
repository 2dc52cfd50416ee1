/* fs/vfs.h: the file-system interface the rest of the kernel uses: look up a path,
 * read bytes or a whole page of a file, stat, list a directory, and change files and
 * names. Several file systems are mounted in one tree: the ext2 root (fs/ext2.c) and
 * tmpfs at /tmp and /dev/shm (fs/tmpfs.c); fs/vfs_int.h is how they plug in. */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdint.h>
#include "mm/pagecache.h"

/* File types and permission bits in inode.mode: Linux's S_IF* values. */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)

struct vfs_mount;

/* An in-memory inode. Lookups return a counted reference: drop it with vfs_iput. */
struct inode {
    struct vfs_mount *mnt;       /* the file system it belongs to */
    struct vfs_mount *mounted;   /* a directory another file system is mounted on */
    struct pcache cache;         /* a regular file's pages (mm/pagecache.h) */
    uint32_t ino;
    uint16_t mode;
    uint16_t nlink;
    uint32_t uid, gid;
    uint32_t size;               /* bytes */
    uint32_t atime, mtime, ctime;
    uint32_t blocks512;          /* allocated 512-byte sectors, as stat's st_blocks */
    int refs;
    int loading;                 /* being read from the disk: wait (fs/vfs.c) */
    void *fs_private;            /* the file system's own data (ext2: block pointers) */
};

/* Directory entry types, as Linux's getdents64 reports them. (A host test may
 * have them from <dirent.h> already, with the same values.) */
#ifndef DT_UNKNOWN
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#endif

struct vfs_dirent {
    uint32_t ino;
    uint8_t type;                /* DT_* */
    char name[256];
};

struct blkdev;

/* Mount the ext2 file system on dev as the root. 0, -EBUSY (a root is mounted),
 * or ext2_mount's error. */
int vfs_mount(struct blkdev *dev);
/* Unmount the root (marking it clean on the disk): 0, or -EBUSY while inodes other
 * than the root are held. */
int vfs_unmount(void);

/* vfs_iput's last reference to an inode with no name left frees it on the disk. */

/* Find the inode for an absolute path ("/bin/sh"), following symbolic links
 * (at most 8 deep) and handling "." and "..". 0, or -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG, -ELOOP, -EIO. */
int vfs_lookup(const char *path, struct inode **out);
/* The same, except that a symbolic link named last is returned itself (readlink). */
int vfs_lookup_link(const char *path, struct inode **out);
struct inode *vfs_idup(struct inode *ip);
void vfs_iput(struct inode *ip);
/* Kept inodes (a closed file's clean cached pages, fs/vfs.c) all given back: the leak
 * check's baseline and report, unmount, and pagoda_drop_caches. Returns the pages. */
uint32_t vfs_drop_unused(void);

/* Read up to n bytes at byte offset off into a kernel buffer: the count read (0 at
 * or past the end), or -EIO. A regular file is read through its page cache. */
int vfs_read(struct inode *ip, void *buf, uint32_t off, uint32_t n);

/* Fill one page-sized kernel buffer from page-aligned offset off, through the page
 * cache; bytes past the end of the file are zero. 0, -EINVAL or -EIO. (The pager
 * takes the cached frame itself, mm/pagecache.h; the disk tests read this way.) */
int vfs_read_page(struct inode *ip, uint32_t off, void *page);

/* The entry at *pos in a directory, advancing *pos: 1, 0 at the end, or -errno. */
int vfs_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *out);

/* The target of a symbolic link, NUL-terminated: its length, or -errno. */
int vfs_readlink(struct inode *ip, char *buf, uint32_t size);

/* ---- changing files and names (fs/vfs_write.c) ----------------------------------------
 * Linux's semantics and errors; besides those named, any may give -EROFS (a read-only
 * file system), -ENOSPC (no block or inode left; nothing else is lost), -EIO, and the
 * errors of looking the path's directory up. */

/* open(O_CREAT): the file at path, created (mode's permission bits) if missing.
 * excl: -EEXIST if it exists (O_EXCL). A directory found is -EISDIR. */
int vfs_create(const char *path, uint16_t mode, int excl, struct inode **out);
/* Write n bytes from a kernel buffer at off: the count written, or -errno. */
int vfs_write(struct inode *ip, const void *buf, uint32_t off, uint32_t n);
/* Set a regular file's size: blocks past it are freed, growing leaves a hole. */
int vfs_truncate(struct inode *ip, uint32_t size);
int vfs_mkdir(const char *path, uint16_t mode);
int vfs_rmdir(const char *path);         /* -ENOTEMPTY, -ENOTDIR, -EBUSY for "/" */
int vfs_unlink(const char *path);        /* -EISDIR for a directory */
int vfs_link(const char *oldpath, const char *newpath);    /* -EPERM for a directory */
int vfs_symlink(const char *target, const char *path);
/* rename(2): replaces newpath if it exists (an empty directory by a directory, a
 * non-directory by a non-directory); -EINVAL if a directory would move under itself. */
int vfs_rename(const char *oldpath, const char *newpath);
/* Put everything written on the medium: the pages shared mappings dirtied (of every
 * file, or of ip) go back to the file, then, as the block cache writes through, the
 * disk's own write cache is flushed (ATA FLUSH CACHE). */
int vfs_sync(void);
int vfs_fsync(struct inode *ip);
/* statfs(2): the file system's size and what is free, in blocks of bsize bytes. */
struct vfs_statfs {
    uint32_t type;               /* Linux's magic number: 0xEF53 ext2, 0x01021994 tmpfs */
    uint32_t bsize;
    uint32_t blocks, bfree, bavail;   /* bavail: free to anyone but root */
    uint32_t files, ffree;       /* inodes; 0, 0: no limit */
    uint32_t namelen;
    int read_only;
};
/* What statfs reports for ip's file system: 0, or -EIO. */
int vfs_statfs(struct inode *ip, struct vfs_statfs *out);

/* 1 if ip's file system is mounted read-only (tmpfs never is). */
int vfs_read_only(const struct inode *ip);
/* The device number stat reports for ip's file system (st_dev). */
uint32_t vfs_dev(const struct inode *ip);

#endif
