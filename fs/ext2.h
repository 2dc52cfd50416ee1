/* fs/ext2.h: the read-only ext2 driver: mount a partition, read inodes, files,
 * directories and symbolic links. Needs only a block device, so it also runs on the host. */
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
    uint32_t groups;
    int dirent_has_type;           /* directory entries carry the file type */
};

/* Check dev's superblock and fill fs. 0, or -EINVAL (not ext2, a feature or block
 * size Pagoda does not support, inconsistent geometry, a partition too small for
 * it: the message says which) or -EIO. */
int ext2_mount(struct ext2_fs *fs, struct blkdev *dev);

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

#endif
