/* tests/host/test_ext2.c: the ext2 driver and the VFS path walk on images made by
 * mke2fs -d (tests/host/mkimages.py): every file, link and directory of the source
 * tree read back and compared; lookups; and damaged images refused cleanly. */
// uses: fs/ext2.c fs/ext2_balloc.c fs/ext2_bmap.c fs/ext2_dir.c fs/ext2_write.c fs/ext2_namei.c fs/bcache.c fs/vfs.c fs/vfs_write.c fs/vfs_ext2.c drivers/blkdev.c tests/host/imagedev.c tests/host/fake_pcache.c
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/host/check.h"
#include "tests/host/imagedev.h"
#include "fs/vfs.h"
#include "fs/ext2.h"
#include "fs/ext2_disk.h"
#include "kernel/errno.h"

#define IMAGES "build/host/images"
#define TREE IMAGES "/tree"
#define PAGE 4096

static struct imagedev img;

static int load(const char *image)
{
    char path[256];
    snprintf(path, sizeof(path), IMAGES "/%s", image);
    return imagedev_open(&img, path);
}

/* Mount the loaded image as the root: 0, or the test fails. */
static int mount_loaded(void)
{
    int err = vfs_mount(&img.dev);
    CHECK_EQ(err, 0);
    if (err)
        imagedev_close(&img);
    return err;
}

static int mount(const char *image)
{
    if (load(image) < 0) {
        CHECK(0);
        return -1;
    }
    return mount_loaded();
}

/* Unmounting fails while any inode is still held: every test checks it leaked none. */
static void unmount(void)
{
    CHECK_EQ(vfs_unmount(), 0);
    imagedev_close(&img);
}

/* Look a path up expecting success; NULL (and a failure) otherwise. */
static struct inode *get(const char *path)
{
    struct inode *ip = NULL;
    int err = vfs_lookup(path, &ip);
    if (err) {
        printf("    # lookup %s: %d\n", path, err);
        CHECK_EQ(err, 0);
        return NULL;
    }
    return ip;
}

static int lookup_err(const char *path)
{
    struct inode *ip;
    int err = vfs_lookup(path, &ip);
    if (err == 0)
        vfs_iput(ip);
    return err;
}

/* ---- the whole tree, compared with the files mke2fs was given -------------------- */

static int files_compared, links_compared, dirs_compared;

/* Read the file in pieces of changing, odd sizes (crossing block boundaries every
 * which way), then page by page as the pager will, comparing as we go. */
static void compare_file(const char *host, const char *path)
{
    static uint8_t want[20011 + PAGE], got[20011 + PAGE];
    FILE *f = fopen(host, "rb");
    struct inode *ip = get(path);
    if (!f || !ip) {
        CHECK(0);
        return;
    }
    fseek(f, 0, SEEK_END);
    uint32_t size = ftell(f);
    rewind(f);
    CHECK(S_ISREG(ip->mode));
    CHECK_EQ(ip->size, size);
    uint32_t off = 0, same = 1;
    for (uint32_t n = 777; off < size; n = n * 3 % 20011 + 1) {
        int r = vfs_read(ip, got, off, n);
        CHECK(r > 0);
        if (r <= 0)
            break;
        same &= fread(want, 1, r, f) == (size_t)r && memcmp(got, want, r) == 0;
        off += r;
    }
    CHECK_EQ(off, size);
    CHECK_EQ(vfs_read(ip, got, size, 10), 0);
    rewind(f);
    for (uint32_t page = 0; page < size; page += PAGE) {
        size_t n = fread(want, 1, PAGE, f);
        memset(got, 0xAA, PAGE);
        CHECK_EQ(vfs_read_page(ip, page, got), 0);
        same &= memcmp(got, want, n) == 0;
        same &= n == PAGE || (got[n] == 0 && got[PAGE - 1] == 0);  /* zeros past the end */
    }
    if (!same)
        printf("    # %s differs\n", path);
    CHECK(same);
    fclose(f);
    vfs_iput(ip);
    files_compared++;
}

static void compare_link(const char *host, const char *path)
{
    char want[PAGE], got[PAGE];
    ssize_t n = readlink(host, want, sizeof(want) - 1);
    struct inode *ip;
    CHECK(n > 0);
    CHECK_EQ(vfs_lookup_link(path, &ip), 0);
    want[n > 0 ? n : 0] = 0;
    CHECK(S_ISLNK(ip->mode));
    CHECK_EQ(vfs_readlink(ip, got, sizeof(got)), n);
    CHECK(strcmp(got, want) == 0);
    vfs_iput(ip);
    links_compared++;
}

static void compare_dir(const char *host, const char *path, int typed);

static void compare_entry(const char *host, const char *path, const struct dirent *e, int typed)
{
    char h[1024], p[1024];
    snprintf(h, sizeof(h), "%s/%s", host, e->d_name);
    snprintf(p, sizeof(p), "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
    if (e->d_type == DT_DIR)
        compare_dir(h, p, typed);
    else if (e->d_type == DT_LNK)
        compare_link(h, p);
    else
        compare_file(h, p);
}

/* Every entry of the ext2 directory must be in the host's (lost+found aside), with
 * the same type, and the same number of them. */
static void compare_listing(const char *host, const char *path, int typed)
{
    struct inode *dir = get(path);
    struct vfs_dirent *de = malloc(sizeof(*de));
    if (!dir) {
        free(de);
        return;
    }
    uint32_t pos = 0;
    int entries = 0, r;
    char h[1024];
    while ((r = vfs_readdir(dir, &pos, de)) > 0) {
        if (strcmp(de->name, ".") == 0) {
            CHECK_EQ(de->ino, dir->ino);
            continue;
        }
        if (strcmp(de->name, "..") == 0 || strcmp(de->name, "lost+found") == 0)
            continue;
        entries++;
        snprintf(h, sizeof(h), "%s/%s", host, de->name);
        DIR *d = opendir(host);
        struct dirent *e;
        while ((e = readdir(d)) && strcmp(e->d_name, de->name) != 0)
            ;
        CHECK(e != NULL);
        if (e)                                           /* the host's DT_* are Linux's too */
            CHECK_EQ(de->type, typed ? e->d_type : DT_UNKNOWN);
        closedir(d);
    }
    CHECK_EQ(r, 0);
    DIR *d = opendir(host);
    int host_entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        host_entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    CHECK_EQ(entries, host_entries);
    vfs_iput(dir);
    free(de);
}

static void compare_dir(const char *host, const char *path, int typed)
{
    compare_listing(host, path, typed);
    DIR *d = opendir(host);
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            compare_entry(host, path, e, typed);
    closedir(d);
    dirs_compared++;
}

static void compare_image(const char *image, int typed)
{
    files_compared = links_compared = dirs_compared = 0;
    if (mount(image) != 0)
        return;
    compare_dir(TREE, "/", typed);
    unmount();
    CHECK(files_compared > 300);
    CHECK_EQ(links_compared, 25);
    CHECK_EQ(dirs_compared, 7);
}

TEST(tree_1k_blocks_many_groups)
{
    compare_image("1k.img", 1);
}

TEST(tree_4k_blocks_flex_bg)
{
    compare_image("4k.img", 1);
}

TEST(tree_revision_0_2k_blocks)
{
    compare_image("rev0.img", 0);
}

/* The big sparse file really is past the double-indirect range at 1 KiB blocks. */
TEST(triple_indirect_reached)
{
    if (mount("1k.img") != 0)
        return;
    struct inode *ip = get("/triple.sparse");
    if (ip) {
        CHECK(ip->size > (12 + 256 + 256 * 256) * 1024u);
        CHECK(ip->blocks512 < 100);                     /* holes take no blocks */
        vfs_iput(ip);
    }
    unmount();
}

/* ---- path lookup --------------------------------------------------------------------- */

static uint32_t ino_of(const char *path)
{
    struct inode *ip = get(path);
    uint32_t ino = ip ? ip->ino : 0;
    if (ip)
        vfs_iput(ip);
    return ino;
}

TEST(lookup_dots_slashes_and_links)
{
    if (mount("1k.img") != 0)
        return;
    CHECK_EQ(ino_of("/"), EXT2_ROOT_INO);
    CHECK_EQ(ino_of("/.."), EXT2_ROOT_INO);             /* the root is its own parent */
    CHECK_EQ(ino_of("//./../."), EXT2_ROOT_INO);
    uint32_t deep = ino_of("/nested/a/b/c/d/deep.txt");
    uint32_t hello = ino_of("/hello.txt");
    CHECK(deep != 0 && hello != 0 && deep != hello);
    CHECK_EQ(ino_of("/nested/./a/b/../b/c//d/deep.txt"), deep);
    CHECK_EQ(ino_of("nested/a/b/c/d/deep.txt"), deep);  /* relative: from the root */
    CHECK_EQ(ino_of("/nested/"), ino_of("/nested"));
    CHECK_EQ(ino_of("/link-hello"), hello);              /* fast symlink */
    CHECK_EQ(ino_of("/link-slow"), deep);                /* slow symlink, full of "./" */
    CHECK_EQ(ino_of("/link-abs"), deep);
    CHECK_EQ(ino_of("/nested/a/b/up"), hello);           /* relative to the link's directory */
    CHECK_EQ(ino_of("/link-dir/c/d/deep.txt"), deep);
    CHECK_EQ(ino_of("/link-dir/.."), ino_of("/nested/a"));   /* ".." of where the link leads */
    CHECK_EQ(ino_of("/chain8-1"), hello);                /* 8 links: the most allowed */

    /* Two lookups of one file share one in-memory inode. */
    struct inode *a = get("/hello.txt"), *b = get("/link-hello");
    CHECK(a == b);
    if (a)
        CHECK_EQ(a->refs, 2);
    if (a)
        vfs_iput(a);
    if (b)
        vfs_iput(b);
    unmount();
}

TEST(lookup_errors)
{
    if (mount("1k.img") != 0)
        return;
    char name[300];
    memset(name, 'n', sizeof(name));
    name[0] = '/';
    name[256] = 0;                                       /* "/" + 255 letters: fine */
    CHECK_EQ(lookup_err(name), 0);
    name[256] = 'n';
    name[257] = 0;                                       /* 256 letters: too long */
    CHECK_EQ(lookup_err(name), -ENAMETOOLONG);
    char *path = malloc(5000);
    for (int i = 0; i < 4999; i++)
        path[i] = i % 2 ? '.' : '/';
    path[4999] = 0;
    CHECK_EQ(lookup_err(path), -ENAMETOOLONG);
    free(path);

    CHECK_EQ(lookup_err(""), -ENOENT);
    CHECK_EQ(lookup_err("/no-such-file"), -ENOENT);
    CHECK_EQ(lookup_err("/nested/no/deeper"), -ENOENT);
    CHECK_EQ(lookup_err("/hello.txt/x"), -ENOTDIR);
    CHECK_EQ(lookup_err("/hello.txt/"), -ENOTDIR);
    CHECK_EQ(lookup_err("/link-hello/"), -ENOTDIR);
    CHECK_EQ(lookup_err("/link-dangling"), -ENOENT);
    CHECK_EQ(lookup_err("/loop1"), -ELOOP);
    CHECK_EQ(lookup_err("/chain9-1"), -ELOOP);
    CHECK_EQ(lookup_err("/loop1/x"), -ELOOP);

    struct inode *ip;                                    /* no-follow: the link itself */
    CHECK_EQ(vfs_lookup_link("/loop1", &ip), 0);
    CHECK(S_ISLNK(ip->mode));
    vfs_iput(ip);
    CHECK_EQ(vfs_lookup_link("/link-dir/", &ip), 0);     /* a trailing slash follows */
    CHECK(S_ISDIR(ip->mode));
    vfs_iput(ip);
    unmount();
}

/* ---- reading at the edges -------------------------------------------------------------- */

TEST(reads_at_the_edges)
{
    if (mount("1k.img") != 0)
        return;
    static uint8_t page[PAGE];
    struct inode *hello = get("/hello.txt"), *empty = get("/empty"), *dir = get("/nested");
    if (!hello || !empty || !dir)
        return;
    uint32_t size = hello->size;
    CHECK_EQ(vfs_read(hello, page, 0, 1000), size);      /* clipped at the end */
    CHECK_EQ(vfs_read(hello, page, size - 2, 1000), 2);
    CHECK_EQ(vfs_read(hello, page, size, 1), 0);
    CHECK_EQ(vfs_read(hello, page, 0xFFFFFFF0u, 100), 0);
    CHECK_EQ(vfs_read(empty, page, 0, 10), 0);
    memset(page, 0xAA, PAGE);
    CHECK_EQ(vfs_read_page(hello, PAGE, page), 0);       /* wholly past the end: zeros */
    CHECK_EQ(page[0], 0);
    CHECK_EQ(page[PAGE - 1], 0);
    CHECK_EQ(vfs_read_page(hello, 100, page), -EINVAL);  /* not page-aligned */

    char buf[16];
    CHECK_EQ(vfs_readlink(hello, buf, sizeof(buf)), -EINVAL);
    struct inode *link;
    CHECK_EQ(vfs_lookup_link("/link-hello", &link), 0);
    CHECK_EQ(vfs_readlink(link, buf, 9), -ENAMETOOLONG); /* "hello.txt" and its NUL */
    CHECK_EQ(vfs_readlink(link, buf, 10), 9);
    CHECK(strcmp(buf, "hello.txt") == 0);
    vfs_iput(link);

    uint32_t pos = 0;
    struct vfs_dirent de;
    CHECK_EQ(vfs_readdir(hello, &pos, &de), -ENOTDIR);
    int n = 0;
    while (vfs_readdir(dir, &pos, &de) > 0)
        n++;
    CHECK_EQ(n, 3);                                      /* ".", "..", "a" */
    CHECK_EQ(vfs_readdir(dir, &pos, &de), 0);            /* and it stays at the end */
    vfs_iput(hello);
    vfs_iput(empty);
    vfs_iput(dir);
    unmount();
}

/* The table of in-memory inodes is finite: running out is -ENFILE, not a crash. */
TEST(inode_table_runs_out)
{
    if (mount("1k.img") != 0)
        return;
    static struct inode *held[300];
    char path[128];
    int n = 0, err = 0;
    while (n < 300) {
        snprintf(path, sizeof(path), "/bigdir/file-with-a-longish-name-%03d", n);
        if ((err = vfs_lookup(path, &held[n])) != 0)
            break;
        n++;
    }
    CHECK_EQ(err, -ENFILE);
    CHECK(n > 10);
    CHECK_EQ(vfs_unmount(), -EBUSY);                     /* still in use */
    while (n > 0)
        vfs_iput(held[--n]);
    CHECK_EQ(ino_of("/hello.txt") != 0, 1);
    unmount();
}

/* ---- damaged images ------------------------------------------------------------------- */

#define BS 1024                                          /* 1k.img's block size */

static struct ext2_super *super(void)
{
    return (struct ext2_super *)(img.bytes + EXT2_SUPER_OFFSET);
}

/* The on-disk inode of path in the loaded 1k.img, found by debugfs, so that the
 * test does not trust the code it tests to find it. */
static struct ext2_disk_inode *disk_inode(const char *path)
{
    char cmd[256], line[256];
    unsigned long block, offset;
    size_t at = 0;
    snprintf(cmd, sizeof(cmd), "PATH=$PATH:/usr/sbin:/sbin debugfs -R 'imap %s' "
             IMAGES "/1k.img 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof(line), p))
        if (sscanf(line, " located at block %lu, offset 0x%lx", &block, &offset) == 2)
            at = block * BS + offset;
    if (p)
        pclose(p);
    CHECK(at != 0);
    return (struct ext2_disk_inode *)(img.bytes + at);
}

static uint32_t *block_of_pointers(uint32_t block)
{
    return (uint32_t *)(img.bytes + (size_t)block * BS);
}

/* Mount 1k.img after `damage` changed its superblock: the mount's result. */
static int mount_damaged(void (*damage)(struct ext2_super *))
{
    if (load("1k.img") < 0)
        return 1;
    damage(super());
    int err = vfs_mount(&img.dev);
    if (err == 0)
        vfs_unmount();
    imagedev_close(&img);
    return err;
}

static void bad_magic(struct ext2_super *sb) { sb->magic = 0xEF54; }
static void block_size_8k(struct ext2_super *sb) { sb->log_block_size = 3; }
static void block_size_huge(struct ext2_super *sb) { sb->log_block_size = 40; }
static void revision_2(struct ext2_super *sb) { sb->rev_level = 2; }
static void extents(struct ext2_super *sb) { sb->feature_incompat |= EXT2_INCOMPAT_EXTENTS; }
static void inode_size_200(struct ext2_super *sb) { sb->inode_size = 200; }
static void no_inodes_per_group(struct ext2_super *sb) { sb->inodes_per_group = 0; }
static void no_blocks_per_group(struct ext2_super *sb) { sb->blocks_per_group = 0; }
static void an_inode_too_many(struct ext2_super *sb) { sb->inodes_count++; }
static void bigger_than_device(struct ext2_super *sb) { sb->blocks_count *= 2; }
static void first_data_block_0(struct ext2_super *sb) { sb->first_data_block = 0; }

TEST(damaged_superblocks_are_refused)
{
    void (*damage[])(struct ext2_super *) = {
        bad_magic, block_size_8k, block_size_huge, revision_2, extents, inode_size_200,
        no_inodes_per_group, no_blocks_per_group, an_inode_too_many, bigger_than_device,
        first_data_block_0,
    };
    for (unsigned i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
        int err = mount_damaged(damage[i]);
        if (err != -EINVAL)
            printf("    # damage %u: mount gave %d\n", i, err);
        CHECK_EQ(err, -EINVAL);
    }
}

TEST(truncated_and_foreign_images_are_refused)
{
    if (load("1k.img") < 0)
        return;
    img.dev.nsectors = img.dev.nsectors / 2;             /* the partition is too small */
    CHECK_EQ(vfs_mount(&img.dev), -EINVAL);
    img.dev.nsectors = 2;                                /* not even the superblock */
    CHECK_EQ(vfs_mount(&img.dev), -EINVAL);
    img.dev.nsectors = img.size / SECTOR_SIZE;
    img.failing = 1;
    CHECK_EQ(vfs_mount(&img.dev), -EIO);
    imagedev_close(&img);
    if (load("ext4.img") < 0)
        return;
    CHECK_EQ(vfs_mount(&img.dev), -EINVAL);              /* extent, 64bit, ...: refused */
    imagedev_close(&img);
}

/* Bad pointers at every level: direct, to the single-indirect block, inside the
 * double- and triple-indirect blocks. Each read that needs one fails with -EIO;
 * everything else still reads. */
TEST(block_pointers_past_the_end)
{
    if (load("1k.img") < 0)
        return;
    uint32_t blocks = super()->blocks_count;
    disk_inode("/hello.txt")->block[0] = blocks;
    disk_inode("/single")->block[EXT2_IND_BLOCK] = 0xFFFFFFFFu;
    block_of_pointers(disk_inode("/double")->block[EXT2_DIND_BLOCK])[0] = blocks + 5;
    block_of_pointers(disk_inode("/triple.sparse")->block[EXT2_TIND_BLOCK])[0] = 0x80000000u;
    if (mount_loaded() != 0)
        return;
    static uint8_t buf[20 * 1024];
    struct inode *hello = get("/hello.txt"), *single = get("/single");
    struct inode *dbl = get("/double"), *tri = get("/triple.sparse");
    if (hello && single && dbl && tri) {
        CHECK_EQ(vfs_read(hello, buf, 0, 5), -EIO);
        CHECK_EQ(vfs_read(single, buf, 0, 12 * 1024), 12 * 1024);
        CHECK_EQ(vfs_read(single, buf, 12 * 1024 - 1, 2), -EIO);
        CHECK_EQ(vfs_read(dbl, buf, 100 * 1024, 1024), 1024);          /* single-indirect */
        CHECK_EQ(vfs_read(dbl, buf, 268 * 1024, 10), -EIO);
        CHECK_EQ(vfs_read_page(tri, 40 * 1024 * 1024, buf), 0);         /* double-indirect */
        CHECK_EQ(vfs_read_page(tri, 66 * 1024 * 1024, buf), -EIO);
        vfs_iput(hello);
        vfs_iput(single);
        vfs_iput(dbl);
        vfs_iput(tri);
    }
    CHECK_EQ(ino_of("/nested/a/b/c/d/deep.txt") != 0, 1);
    unmount();
}

/* The entry for name in the root directory's first block of the loaded 1k.img. */
static struct ext2_dirent *root_entry(const char *name)
{
    uint8_t *block = img.bytes + (size_t)disk_inode("/")->block[0] * BS;
    for (uint32_t off = 0; off < BS;) {
        struct ext2_dirent *de = (struct ext2_dirent *)(block + off);
        if (de->name_len == strlen(name) && memcmp(de + 1, name, de->name_len) == 0)
            return de;
        if (de->rec_len == 0)
            break;
        off += de->rec_len;
    }
    CHECK(0);
    return (struct ext2_dirent *)block;
}

/* Mount after changing hello.txt's entry in the root directory: the lookup's error. */
static int lookup_with_entry(uint32_t ino, uint16_t rec_len, uint8_t name_len)
{
    if (load("1k.img") < 0)
        return 1;
    struct ext2_dirent *de = root_entry("hello.txt");
    de->inode = ino ? ino : de->inode;
    de->rec_len = rec_len ? rec_len : de->rec_len;
    de->name_len = name_len ? name_len : de->name_len;
    if (mount_loaded() != 0)
        return 1;
    int err = lookup_err("/hello.txt");
    unmount();
    return err;
}

TEST(damaged_directories)
{
    if (load("1k.img") < 0)
        return;
    uint32_t inodes = super()->inodes_count;
    imagedev_close(&img);
    CHECK_EQ(lookup_with_entry(inodes + 1, 0, 0), -EIO);   /* inode number out of range */
    CHECK_EQ(lookup_with_entry(inodes, 0, 0), -EIO);       /* an inode not in use */
    CHECK_EQ(lookup_with_entry(0, 3, 0), -EIO);            /* entry shorter than its header */
    CHECK_EQ(lookup_with_entry(0, 2048, 0), -EIO);         /* entry crossing the block */
    CHECK_EQ(lookup_with_entry(0, 0, 200), -EIO);          /* name longer than the entry */
    CHECK_EQ(lookup_with_entry(0, 0, 0), 0);               /* and undamaged, it works */
}

TEST(damaged_inodes)
{
    if (load("1k.img") < 0)
        return;
    struct ext2_fs fs;
    struct inode ip;
    CHECK_EQ(ext2_mount(&fs, &img.dev), 0);
    CHECK_EQ(ext2_iget(&fs, 0, &ip), -EINVAL);
    CHECK_EQ(ext2_iget(&fs, fs.inodes_count + 1, &ip), -EINVAL);
    CHECK_EQ(ext2_iget(&fs, 0xFFFFFFFFu, &ip), -EINVAL);
    CHECK_EQ(ext2_iget(&fs, fs.inodes_count, &ip), -EIO);           /* not in use */
    CHECK_EQ(ext2_iget(&fs, EXT2_ROOT_INO, &ip), 0);
    ext2_irelease(&ip);

    disk_inode("/link-hello")->size = 70;            /* a fast symlink longer than fits */
    disk_inode("/hello.txt")->size_high = 1;         /* a regular file past 4 GiB */
    CHECK_EQ(mount_loaded(), 0);
    CHECK_EQ(lookup_err("/link-hello"), -EIO);
    CHECK_EQ(lookup_err("/hello.txt"), -EFBIG);
    CHECK_EQ(vfs_unmount(), 0);

    /* Group 0's inode table said to run past the end: no inode of it can be read. */
    block_of_pointers(2)[2] = fs.blocks_count - 1;  /* descriptor 0, inode_table */
    CHECK_EQ(ext2_mount(&fs, &img.dev), 0);          /* a new mount forgets cached blocks */
    CHECK_EQ(ext2_iget(&fs, EXT2_ROOT_INO, &ip), -EIO);
    CHECK_EQ(vfs_mount(&img.dev), -EIO);
    imagedev_close(&img);
}

/* ---- random damage ---------------------------------------------------------------------- */

/* Look at everything reachable from path (a bounded amount of it): the number of
 * files read in full, with errors along the way simply skipped. */
static int visit_all(const char *path, int depth, int *budget)
{
    static uint8_t page[PAGE];
    struct vfs_dirent *de = malloc(sizeof(*de));
    struct inode *dir, *ip;
    uint32_t pos = 0;
    int files = 0;
    char child[1024];
    if (vfs_lookup(path, &dir) != 0) {
        free(de);
        return 0;
    }
    while (--*budget > 0 && vfs_readdir(dir, &pos, de) > 0) {
        if (strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0)
            continue;
        snprintf(child, sizeof(child), "%s/%s", path, de->name);
        if (vfs_lookup_link(child, &ip) != 0)
            continue;
        if (S_ISDIR(ip->mode) && depth < 6)
            files += visit_all(child, depth + 1, budget);
        else if (S_ISLNK(ip->mode))
            vfs_readlink(ip, (char *)page, sizeof(page));
        else if (S_ISREG(ip->mode))
            files += vfs_read(ip, page, 0, PAGE) >= 0 && vfs_read_page(ip, 0, page) == 0;
        vfs_iput(ip);
    }
    vfs_iput(dir);
    free(de);
    return files;
}

/* A byte where damage hurts, found in the undamaged image: the superblock and the
 * group descriptors, or the used start of a group's inode table. */
static size_t metadata_byte(const uint8_t *pristine)
{
    const struct ext2_super *sb = (const void *)(pristine + EXT2_SUPER_OFFSET);
    const struct ext2_group_desc *gd = (const void *)(pristine + 2 * BS);
    if (rand() % 3 == 0)
        return EXT2_SUPER_OFFSET + rand() % (2 * BS);
    uint32_t group = rand() % (sb->inodes_count / sb->inodes_per_group);
    return ((size_t)gd[group].inode_table * BS + rand() % (64 * sb->inode_size)) % img.size;
}

/* Random bytes over the metadata must give errors, never a crash: the sanitizers
 * watch every access. No error path may leak an inode either. */
TEST(random_damage_never_crashes)
{
    enum { ROUNDS = 100 };
    int mounted = 0, files = 0;
    if (load("1k.img") < 0)
        return;
    uint8_t *pristine = malloc(img.size);
    memcpy(pristine, img.bytes, img.size);
    for (unsigned round = 0; round < ROUNDS; round++) {
        memcpy(img.bytes, pristine, img.size);
        srand(round);
        for (int i = 0; i < 20; i++)
            img.bytes[metadata_byte(pristine)] = rand();
        if (vfs_mount(&img.dev) == 0) {             /* which forgets the cached blocks */
            int budget = 3000;
            mounted++;
            files += visit_all("/", 0, &budget);
            CHECK_EQ(vfs_unmount(), 0);
        }
    }
    free(pristine);
    imagedev_close(&img);
    printf("    # %d of %d damaged images mounted; %d files read\n", mounted, ROUNDS, files);
    CHECK(mounted > 0 && files > 0);
}
