/* fs/ext2_disk.h: the ext2 on-disk format: superblock, group descriptor, inode and
 * directory entry, as the bytes lie on the disk (little-endian, like x86). */
#ifndef FS_EXT2_DISK_H
#define FS_EXT2_DISK_H

#include <stdint.h>

#define EXT2_SUPER_OFFSET 1024     /* byte offset of the superblock in the partition */
#define EXT2_MAGIC 0xEF53
#define EXT2_GOOD_OLD_REV 0        /* revision 0: 128-byte inodes, no feature flags */
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_ROOT_INO 2

/* The state field: clear while a writer has the file system mounted, so that after a
 * crash e2fsck knows it must check. */
#define EXT2_VALID_FS 1
#define EXT2_GOOD_OLD_FIRST_INO 11  /* revision 0: inodes 1-10 are reserved */

/* Read-only-compatible features: a reader may ignore them, a writer must know them. */
#define EXT2_RO_COMPAT_SPARSE_SUPER 0x0001  /* backup superblocks in a few groups only */
#define EXT2_RO_COMPAT_LARGE_FILE   0x0002  /* some file is 2 GiB or larger */

/* Inode flags Pagoda's writer must honour. */
#define EXT2_INDEX_FL 0x1000       /* directory with a hash index (Pagoda clears it) */

/* Incompatible features: a reader that does not know one must not mount. */
#define EXT2_INCOMPAT_COMPRESSION 0x0001
#define EXT2_INCOMPAT_FILETYPE    0x0002   /* directory entries carry the file type */
#define EXT2_INCOMPAT_RECOVER     0x0004   /* ext3 journal needs replaying */
#define EXT2_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT2_INCOMPAT_META_BG     0x0010
#define EXT2_INCOMPAT_EXTENTS     0x0040   /* ext4 extent trees instead of block pointers */
#define EXT2_INCOMPAT_64BIT       0x0080
#define EXT2_INCOMPAT_MMP         0x0100
#define EXT2_INCOMPAT_FLEX_BG     0x0200   /* metadata of several groups packed together */
#define EXT2_INCOMPAT_INLINE_DATA 0x8000

/* The start of the superblock: every field Pagoda reads. */
struct ext2_super {
    uint32_t inodes_count;
    uint32_t blocks_count;
    uint32_t r_blocks_count;
    uint32_t free_blocks_count;
    uint32_t free_inodes_count;
    uint32_t first_data_block;     /* the block holding the superblock: 1 for 1 KiB blocks */
    uint32_t log_block_size;       /* block size = 1024 << this */
    uint32_t log_frag_size;
    uint32_t blocks_per_group;
    uint32_t frags_per_group;
    uint32_t inodes_per_group;
    uint32_t mtime, wtime;
    uint16_t mnt_count, max_mnt_count;
    uint16_t magic;
    uint16_t state, errors, minor_rev_level;
    uint32_t lastcheck, checkinterval, creator_os;
    uint32_t rev_level;
    uint16_t def_resuid, def_resgid;
    /* From here on, revision 1 only. */
    uint32_t first_ino;
    uint16_t inode_size;
    uint16_t block_group_nr;
    uint32_t feature_compat;
    uint32_t feature_incompat;
    uint32_t feature_ro_compat;
} __attribute__((packed));

/* One per block group, in the blocks right after the superblock's. */
struct ext2_group_desc {
    uint32_t block_bitmap;
    uint32_t inode_bitmap;
    uint32_t inode_table;          /* first block of the group's inodes */
    uint16_t free_blocks_count, free_inodes_count, used_dirs_count, pad;
    uint32_t reserved[3];
} __attribute__((packed));

#define EXT2_NDIR_BLOCKS 12        /* block[0..11] point at data */
#define EXT2_IND_BLOCK 12          /* block[12]: a block of pointers to data */
#define EXT2_DIND_BLOCK 13         /* block[13]: pointers to blocks of pointers */
#define EXT2_TIND_BLOCK 14         /* block[14]: three levels */
#define EXT2_N_BLOCKS 15

struct ext2_disk_inode {
    uint16_t mode;
    uint16_t uid;
    uint32_t size;
    uint32_t atime, ctime, mtime, dtime;
    uint16_t gid;
    uint16_t links_count;
    uint32_t blocks;               /* 512-byte sectors allocated, indirect blocks too */
    uint32_t flags;
    uint32_t osd1;
    uint32_t block[EXT2_N_BLOCKS]; /* a fast symlink keeps its target here instead */
    uint32_t generation;
    uint32_t file_acl;             /* extended-attribute block, also counted in blocks */
    uint32_t size_high;            /* regular files: bits 32-63 of the size */
    uint32_t faddr;
    uint32_t osd2_unused;
    uint16_t uid_high, gid_high;
    uint32_t osd2_reserved;
} __attribute__((packed));

#define EXT2_FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4)

/* A directory is a file of these, each rec_len bytes long (name included, padded
 * to 4 bytes); an entry never crosses a block boundary. inode 0: an unused slot. */
struct ext2_dirent {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len;
    uint8_t file_type;             /* with INCOMPAT_FILETYPE; before, name_len's high byte */
} __attribute__((packed));

#define EXT2_NAME_MAX 255
#define EXT2_FT_REG 1              /* file_type values */
#define EXT2_FT_DIR 2
#define EXT2_FT_SYMLINK 7

/* An extended-attribute block (inode.file_acl) starts so; files may share one. */
struct ext2_xattr_header {
    uint32_t magic;                /* EXT2_XATTR_MAGIC */
    uint32_t refcount;             /* inodes that point at it */
} __attribute__((packed));
#define EXT2_XATTR_MAGIC 0xEA020000

#endif
