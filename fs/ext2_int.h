/* fs/ext2_int.h: what the files of the ext2 driver share among themselves and show
 * nobody else: an inode's block pointers, and the allocator, block-map, directory and
 * inode-writing calls. */
#ifndef FS_EXT2_INT_H
#define FS_EXT2_INT_H

#include "fs/ext2.h"
#include "fs/ext2_disk.h"

/* What struct inode does not hold of an ext2 inode: where its data lies. */
struct ext2_inode_info {
    uint32_t block[EXT2_N_BLOCKS];
    uint32_t file_acl;
    uint32_t flags;
    uint32_t dtime;
};

/* Say what is wrong with the file system (naming its device) and return err. */
int ext2_complain(const struct ext2_fs *fs, int err, const char *fmt, ...);

/* Whole blocks of the file system, through the block cache. */
int ext2_bread(struct ext2_fs *fs, uint32_t block, void *buf);
int ext2_bwrite(struct ext2_fs *fs, uint32_t block, const void *buf);

/* fs/ext2.c: the superblock's first 104 bytes read or written; ip's inode written
 * back to its place in the inode table; a new inode's slot initialized; a read that
 * must deliver all n bytes (a short one is -EIO); the time for inode stamps. */
struct ext2_super;
int ext2_super_rw(struct ext2_fs *fs, struct ext2_super *sb, int write);
int ext2_iupdate(struct ext2_fs *fs, struct inode *ip);
int ext2_iinit(struct ext2_fs *fs, uint32_t ino, uint16_t mode, uint16_t nlink, uint32_t now);
int ext2_read_exact(struct ext2_fs *fs, struct inode *ip, void *buf, uint32_t off, uint32_t n);
uint32_t ext2_now(const struct ext2_fs *fs);
/* Does the symbolic link keep its target in the block pointers? */
int ext2_is_fast_symlink(const struct ext2_fs *fs, const struct inode *ip);

/* fs/ext2_balloc.c: allocate a free block near `goal` (marked in its group's bitmap,
 * counted in the group descriptor and the superblock), or free one; the same for
 * inodes, a new one placed near the group of inode `near`. -ENOSPC when none is left. */
int ext2_balloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *block);
int ext2_balloc_free_block(struct ext2_fs *fs, uint32_t block);
int ext2_balloc_inode(struct ext2_fs *fs, uint32_t near, int is_dir, uint32_t *ino);
int ext2_balloc_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir);

/* fs/ext2_bmap.c: the disk block of file block fblock (0: a hole); the same, but
 * allocating a hole's block, whose bytes are written from `fill` (a whole block)
 * before any pointer to it is; and freeing every block from file block `keep` on. */
int ext2_bmap(struct ext2_fs *fs, struct inode *ip, uint32_t fblock, uint32_t *out);
int ext2_bmap_alloc(struct ext2_fs *fs, struct inode *ip, uint32_t fblock, const void *fill,
                    uint32_t *out);
int ext2_bmap_truncate(struct ext2_fs *fs, struct inode *ip, uint32_t keep);

/* fs/ext2_dir.c: directory entries. Add refuses a name that is there (-EEXIST);
 * remove and set find the entry by name (-ENOENT): set points it at another inode. */
int ext2_dir_add(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t ino,
                 uint16_t mode);
int ext2_dir_remove(struct ext2_fs *fs, struct inode *dir, const char *name);
int ext2_dir_set(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t ino,
                 uint16_t mode);
/* 1 if dir holds nothing but "." and "..", 0 if it holds more, or -errno. */
int ext2_dir_empty(struct ext2_fs *fs, struct inode *dir);
/* The block of a new directory: "." (ino) and ".." (parent), in a whole block. */
void ext2_dir_init_block(struct ext2_fs *fs, void *block, uint32_t ino, uint32_t parent);

#endif
