/* fs/ext2.h: the ext2 driver: mount a partition, read inodes, files, directories and
 * symbolic links, and change them: create, write, truncate, link, unlink, rename,
 * mkdir, rmdir, symlink. Needs only a block device, so it also runs on the host. */
#ifndef FS_EXT2_H
#define FS_EXT2_H

#include <stdint.h>
#include "drivers/blkdev.h"
#include "fs/vfs.h"

/* A mounted file system: the geometry read from its superblock. */
struct ext2_fs {
    struct blkdev *dev;
    uint32_t block_size;           /* 1024, 2048 or 4096 bytes */
    uint32_t blocks_count;
    uint32_t inodes_count;
    uint32_t blocks_per_group;
    uint32_t inodes_per_group;
    uint32_t inode_size;
    uint32_t first_data_block;
    uint32_t first_ino;            /* the first inode not reserved */
    uint32_t groups;
    int dirent_has_type;           /* directory entries carry the file type */
    int writable;                  /* 0: a feature or a state Pagoda cannot write */
    int changed;                   /* marked "not clean" on the disk by a change */
    uint32_t generation;           /* for new inodes: NFS's "which file of this number" */
    uint32_t time_base;            /* the superblock's last write time, at mount */
};

/* Check dev's superblock and fill fs. 0, or -EINVAL (not ext2, a feature or block
 * size Pagoda does not support, inconsistent geometry, a partition too small for
 * it: the message says which) or -EIO. A file system Pagoda can read but not write
 * (read-only-compatible features it does not know, errors recorded) is mounted
 * read-only, with a message. */
int ext2_mount(struct ext2_fs *fs, struct blkdev *dev);
/* Called before each change: the first one marks the file system "not clean" on the
 * disk (until ext2_unmount), so that a crash leaves it to be checked. 0, -EROFS or
 * -EIO. */
int ext2_begin_change(struct ext2_fs *fs);
/* statfs's figures, from the superblock's counts (all but out->read_only). 0 or -EIO. */
int ext2_statfs(struct ext2_fs *fs, struct vfs_statfs *out);
/* Mark a changed file system clean again and flush the disk's cache. 0 or -EIO. */
int ext2_unmount(struct ext2_fs *fs);

/* Read inode ino into ip (all but ip->refs); ip->fs_private is allocated and must
 * be given back with ext2_irelease. 0, -EINVAL (ino out of range), -EIO (inode
 * not in use or unreadable), -EFBIG (larger than 4 GiB) or -ENOMEM. */
int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode *ip);
void ext2_irelease(struct inode *ip);

/* These behave as vfs_read, vfs_readdir and vfs_readlink (fs/vfs.h). A block
 * pointer past the end of the file system or a malformed directory entry is -EIO. */
int ext2_read(struct ext2_fs *fs, struct inode *ip, void *buf, uint32_t off, uint32_t n);
int ext2_readdir(struct ext2_fs *fs, struct inode *dir, uint32_t *pos, struct vfs_dirent *out);
int ext2_readlink(struct ext2_fs *fs, struct inode *ip, char *buf, uint32_t size);

/* ---- changing the file system (fs/ext2_write.c, fs/ext2_namei.c) ----------------------
 * Every call that changes something returns -EROFS on a read-only mount, -ENOSPC when
 * no block or inode is left (having undone what it began), -EIO on a disk error. The
 * caller (fs/vfs.c) serializes them and keeps one in-memory inode per file. */

/* Before write(2)'s n bytes at off go into the page cache: every block of the range gets
 * a block (of zeros, for a hole) and the size grows to cover it: the count reserved
 * (short only if the disk filled up), -EFBIG past 4 GiB. The bytes themselves reach the
 * blocks when the cache writes them back (ext2_write_in_place). */
int ext2_reserve(struct ext2_fs *fs, struct inode *ip, uint32_t off, uint32_t n);
/* Set the size, freeing the blocks past it; growing leaves a hole. */
int ext2_truncate(struct ext2_fs *fs, struct inode *ip, uint32_t size);
/* A page of a shared writable mapping: its holes get blocks (zeros) before it is written
 * through the mapping, and written back later into the blocks it has, without
 * allocating or locking (a hole then is -EIO). */
int ext2_alloc_range(struct ext2_fs *fs, struct inode *ip, uint32_t off, uint32_t n);
int ext2_write_in_place(struct ext2_fs *fs, struct inode *ip, const void *buf, uint32_t off,
                        uint32_t n);

/* Look name (len bytes) up in dir: its inode number, -ENOENT or -ENOTDIR. */
int ext2_lookup(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t len,
                uint32_t *ino);
/* A new regular file, directory or symbolic link (the target) named name in dir:
 * the new inode's number in *ino. -EEXIST if the name is taken. */
int ext2_create(struct ext2_fs *fs, struct inode *dir, const char *name, uint16_t mode,
                uint32_t *ino);
int ext2_mkdir(struct ext2_fs *fs, struct inode *dir, const char *name, uint16_t mode,
               uint32_t *ino);
int ext2_symlink(struct ext2_fs *fs, struct inode *dir, const char *name, const char *target,
                 uint32_t *ino);
/* Another name for ip (not a directory: -EPERM); -EMLINK at 65000 links. */
int ext2_link(struct ext2_fs *fs, struct inode *dir, const char *name, struct inode *ip);
/* Remove name, which names ip, from dir; ip's link count drops (rmdir: an empty
 * directory, else -ENOTEMPTY). The inode is freed by ext2_evict once nobody holds it. */
int ext2_unlink(struct ext2_fs *fs, struct inode *dir, const char *name, struct inode *ip);
int ext2_rmdir(struct ext2_fs *fs, struct inode *dir, const char *name, struct inode *ip);
/* Move ip from odir/oname to ndir/nname, replacing victim (what nname named, or
 * NULL). The caller has checked the types and that a directory is not moved under
 * itself; a replaced directory must be empty (-ENOTEMPTY). */
int ext2_rename(struct ext2_fs *fs, struct inode *odir, const char *oname, struct inode *ip,
                struct inode *ndir, const char *nname, struct inode *victim);
/* The last in-memory reference to ip is going: free it if no name is left. */
int ext2_evict(struct ext2_fs *fs, struct inode *ip);

#endif
