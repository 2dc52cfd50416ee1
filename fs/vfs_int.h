/* fs/vfs_int.h: what fs/vfs.c shares with fs/vfs_write.c: the root file system, the
 * writers' lock, and the inode and lookup calls made with it held. */
#ifndef FS_VFS_INT_H
#define FS_VFS_INT_H

#include "fs/vfs.h"
#include "fs/ext2.h"

#define VFS_PATH_MAX 4096

extern struct ext2_fs vfs_root_fs;
extern struct inode *vfs_root;

void vfs_lock(void);
void vfs_unlock(void);
int vfs_iget(uint32_t ino, struct inode **out);
void vfs_iput_locked(struct inode *ip);
int vfs_lookup_locked(const char *path, int follow_last, struct inode **out);
/* A shared writable mapping's pages (mm/pagecache.h's mkwrite and writepage). */
int vfs_page_mkwrite(struct pcache *pc, uint32_t index);
int vfs_page_write(struct pcache *pc, uint32_t index, const void *page);

#endif
