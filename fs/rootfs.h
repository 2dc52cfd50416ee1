/* fs/rootfs.h: bringing up the disk at boot and mounting the root file system. */
#ifndef FS_ROOTFS_H
#define FS_ROOTFS_H

/* Probe the disks, list their partitions, mount the first Linux partition as the
 * root and list its top directory. Without a disk or a usable root partition it
 * says so and returns: the kernel goes on without files. */
void rootfs_init(void);

#endif
