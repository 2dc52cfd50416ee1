/* fs/rootfs.c: at boot, finds the root file system: the disks and their partitions
 * (drivers/disk.c), then the ext2 file system on the first Linux partition; tmpfs
 * is mounted on its /tmp and /dev/shm. */
#include "fs/rootfs.h"
#include "fs/vfs.h"
#include "fs/tmpfs.h"
#include "drivers/disk.h"
#include "drivers/mbr.h"
#include "kernel/printk.h"
#include "mm/kheap.h"

/* Print the names in the root directory on one line: proof that the mount works. */
static void list_root(void)
{
    struct inode *dir;
    struct vfs_dirent *de = kmalloc(sizeof(*de));
    if (!de || vfs_lookup("/", &dir) < 0) {
        kfree(de);
        return;
    }
    uint32_t pos = 0;
    int r;
    printk("/:");
    while ((r = vfs_readdir(dir, &pos, de)) > 0)
        printk(" %s", de->name);
    if (r < 0)
        printk(" (error %d)", r);
    printk("\n");
    vfs_iput(dir);
    kfree(de);
}

/* Two instances, as on Linux: /tmp for files, /dev/shm for POSIX shared memory
 * (shm_open). Each has its own quota. */
static void mount_tmpfs(const char *path)
{
    int err = tmpfs_mount(path);
    if (err < 0)
        printk("tmpfs: cannot mount on %s (error %d)\n", path, err);
    else
        printk("tmpfs on %s\n", path);
}

void rootfs_init(void)
{
    if (disk_init() == 0) {
        printk("disk: no ATA disk: no root file system\n");
        return;
    }
    struct blkdev *part = partition_find(MBR_TYPE_LINUX);
    if (!part) {
        printk("disk: no Linux (type 83) partition: no root file system\n");
        return;
    }
    int err = vfs_mount(part);
    if (err < 0) {
        printk("disk: %s: cannot mount the root file system (error %d)\n", part->name, err);
        return;
    }
    printk("root file system: ext2 on %s\n", part->name);
    list_root();
    mount_tmpfs("/tmp");
    mount_tmpfs("/dev/shm");
}
