/* tests/host/test_ext2w.c: the ext2 writer through the VFS, on empty file systems
 * made by mke2fs (tests/host/mkimages.py). After every sequence of operations the
 * image is unmounted and saved, `e2fsck -fn` must call it clean, and `debugfs` must
 * read back exactly what was written. A seeded random sequence is checked against an
 * in-memory model; files reach triple-indirect blocks; a full disk and a full inode
 * table give -ENOSPC and leave a clean file system. */
// uses: fs/ext2.c fs/ext2_balloc.c fs/ext2_bmap.c fs/ext2_dir.c fs/ext2_write.c fs/ext2_namei.c fs/bcache.c fs/vfs.c fs/vfs_write.c fs/vfs_ext2.c drivers/blkdev.c tests/host/imagedev.c tests/host/fake_pcache.c
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/host/check.h"
#include "tests/host/imagedev.h"
#include "fs/vfs.h"
#include "fs/ext2_disk.h"
#include "kernel/errno.h"

#define IMAGES "build/host/images"
#define SAVED "build/host/ext2w"            /* images saved for e2fsck and debugfs */
#define TOOLS "PATH=$PATH:/usr/sbin:/sbin "
#define KiB 1024u
#define MiB (1024u * 1024u)

static struct imagedev img;
static char saved[256];                     /* the image file the tools look at */

static int mount(const char *image)
{
    char path[256];
    snprintf(path, sizeof(path), IMAGES "/%s", image);
    snprintf(saved, sizeof(saved), SAVED "/%s", image);
    if (imagedev_open(&img, path) < 0) {
        CHECK(0);
        return -1;
    }
    int err = vfs_mount(&img.dev);
    CHECK_EQ(err, 0);
    if (err)
        imagedev_close(&img);
    return err;
}

/* Unmount (which marks the file system clean), write the image out, and run
 * e2fsck -fn on it: 1 if it found nothing to fix (its report is printed if not). */
static int unmount_and_check(void)
{
    CHECK_EQ(vfs_unmount(), 0);
    if (system("mkdir -p " SAVED) != 0)
        return 0;
    FILE *f = fopen(saved, "wb");
    int ok = f && fwrite(img.bytes, 1, img.size, f) == img.size;
    if (f)
        fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), TOOLS "e2fsck -fn %s > %s.fsck 2>&1", saved, saved);
    int status = system(cmd);
    if (status != 0) {
        printf("    # e2fsck -fn %s: exit status %d:\n", saved, status);
        snprintf(cmd, sizeof(cmd), "sed 's/^/    #   /' %s.fsck | head -30", saved);
        CHECK_EQ(system(cmd), 0);
    }
    CHECK_EQ(status, 0);
    return ok && status == 0;
}

static int remount(void)
{
    int err = vfs_mount(&img.dev);
    CHECK_EQ(err, 0);
    return err;
}

static void finish(void)
{
    unmount_and_check();
    imagedev_close(&img);
}

/* What debugfs reads from the saved image at path (`cat`): its length, or -1. */
static long debugfs_cat(const char *path, uint8_t *buf, size_t max)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), TOOLS "debugfs -R 'cat \"%s\"' %s 2>/dev/null", path, saved);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(buf, 1, max, p);
    uint8_t extra;
    if (n == max && fread(&extra, 1, 1, p) == 1)
        n = max + 1;                            /* longer than expected */
    pclose(p);
    return n;
}

/* One line of `debugfs -R 'stat path'` that starts with `key`, copied into out. */
static int debugfs_stat(const char *path, const char *key, char *out, size_t size)
{
    char cmd[1024], line[512];
    snprintf(cmd, sizeof(cmd), TOOLS "debugfs -R 'stat \"%s\"' %s 2>/dev/null", path, saved);
    FILE *p = popen(cmd, "r");
    int found = 0;
    while (p && fgets(line, sizeof(line), p))
        if (!found && strstr(line, key)) {
            strncpy(out, strstr(line, key) + strlen(key), size - 1);
            out[size - 1] = 0;
            found = 1;
        }
    if (p)
        pclose(p);
    return found;
}

/* debugfs must find exactly `want` (n bytes) at path. */
static void check_debugfs(const char *path, const uint8_t *want, size_t n)
{
    uint8_t *got = malloc(n + 1);
    long r = debugfs_cat(path, got, n);
    int same = r == (long)n && (n == 0 || memcmp(got, want, n) == 0);
    if (!same)
        printf("    # debugfs cat %s: %ld bytes, want %zu%s\n", path, r, n,
               r == (long)n ? " (contents differ)" : "");
    CHECK(same);
    free(got);
}

static int links_of(const char *path)
{
    char v[64];
    return debugfs_stat(path, "Links: ", v, sizeof(v)) ? atoi(v) : -1;
}

static struct inode *create(const char *path)
{
    struct inode *ip = NULL;
    int err = vfs_create(path, 0644, 1, &ip);
    if (err)
        printf("    # create %s: %d\n", path, err);
    CHECK_EQ(err, 0);
    return err ? NULL : ip;
}

static void write_file(const char *path, const void *data, uint32_t n)
{
    struct inode *ip = create(path);
    if (!ip)
        return;
    CHECK_EQ(vfs_write(ip, data, 0, n), n);
    vfs_iput(ip);
}

static uint32_t free_blocks(void)
{
    return ((struct ext2_super *)(img.bytes + EXT2_SUPER_OFFSET))->free_blocks_count;
}

static uint32_t free_inodes(void)
{
    return ((struct ext2_super *)(img.bytes + EXT2_SUPER_OFFSET))->free_inodes_count;
}

static void fill_random(uint8_t *p, size_t n, unsigned seed)
{
    srand(seed);
    for (size_t i = 0; i < n; i++)
        p[i] = rand();
}

/* ---- each operation, then e2fsck and debugfs ----------------------------------------- */

static void basic_operations(const char *image)
{
    static uint8_t data[70000];
    fill_random(data, sizeof(data), 1);
    if (mount(image) != 0)
        return;
    uint32_t blocks0 = free_blocks(), inodes0 = free_inodes();
    write_file("/hello", "hello, writer\n", 14);
    write_file("/big", data, sizeof(data));
    CHECK_EQ(vfs_mkdir("/dir", 0755), 0);
    CHECK_EQ(vfs_mkdir("/dir/sub", 0755), 0);
    CHECK_EQ(vfs_mkdir("/dir", 0755), -EEXIST);
    write_file("/dir/sub/inner", data + 5, 3000);
    CHECK_EQ(vfs_link("/hello", "/dir/hello-again"), 0);
    CHECK_EQ(vfs_link("/dir", "/dir-link"), -EPERM);
    CHECK_EQ(vfs_symlink("hello", "/fast"), 0);
    char slow[300];
    memset(slow, 'x', sizeof(slow) - 1);
    slow[sizeof(slow) - 1] = 0;
    memcpy(slow, "dir/../", 7);
    CHECK_EQ(vfs_symlink(slow, "/slow"), 0);
    write_file("/gone", data, 20000);
    CHECK_EQ(vfs_unlink("/gone"), 0);
    CHECK_EQ(vfs_unlink("/gone"), -ENOENT);
    CHECK_EQ(vfs_unlink("/dir"), -EISDIR);
    CHECK_EQ(vfs_rmdir("/dir"), -ENOTEMPTY);
    CHECK_EQ(vfs_rmdir("/hello"), -ENOTDIR);
    CHECK_EQ(vfs_mkdir("/empty", 0700), 0);
    CHECK_EQ(vfs_rmdir("/empty"), 0);

    /* Holes: bytes past the end, and a truncate that cuts a block in the middle. */
    struct inode *ip = create("/holes");
    if (ip) {
        CHECK_EQ(vfs_write(ip, "end", 100000, 3), 3);
        CHECK_EQ(vfs_write(ip, data, 10, 5000), 5000);
        CHECK_EQ(ip->size, 100003);
        CHECK_EQ(vfs_truncate(ip, 2500), 0);
        CHECK_EQ(vfs_truncate(ip, 9000), 0);            /* grows again: zeros after 2500 */
        vfs_iput(ip);
    }
    CHECK(free_blocks() < blocks0);
    if (!unmount_and_check())
        return (void)imagedev_close(&img);

    check_debugfs("/hello", (const uint8_t *)"hello, writer\n", 14);
    check_debugfs("/dir/hello-again", (const uint8_t *)"hello, writer\n", 14);
    check_debugfs("/big", data, sizeof(data));
    check_debugfs("/dir/sub/inner", data + 5, 3000);
    static uint8_t holes[9000];
    memset(holes, 0, sizeof(holes));
    memcpy(holes + 10, data, 2490);
    check_debugfs("/holes", holes, sizeof(holes));
    char v[400];
    CHECK(debugfs_stat("/fast", "Fast link dest: ", v, sizeof(v)) && strncmp(v, "\"hello\"", 7) == 0);
    check_debugfs("/slow", (const uint8_t *)slow, strlen(slow));
    CHECK_EQ(links_of("/hello"), 2);
    CHECK_EQ(links_of("/dir"), 3);                      /* ".", its entry, sub's ".." */
    CHECK_EQ(debugfs_cat("/gone", holes, 10), 0);       /* no such file */

    /* Everything removed again: the free counts return to where they started. */
    if (remount() != 0)
        return (void)imagedev_close(&img);
    static const char *files[] = {"/hello", "/big", "/dir/sub/inner", "/dir/hello-again",
                                  "/fast", "/slow", "/holes"};
    for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        CHECK_EQ(vfs_unlink(files[i]), 0);
    CHECK_EQ(vfs_rmdir("/dir/sub"), 0);
    CHECK_EQ(vfs_rmdir("/dir"), 0);
    CHECK_EQ(vfs_rmdir("/"), -EBUSY);
    CHECK_EQ(free_blocks(), blocks0);
    CHECK_EQ(free_inodes(), inodes0);
    finish();
}

TEST(operations_1k_blocks)
{
    basic_operations("w1k.img");
}

TEST(operations_4k_blocks_flex_bg)
{
    basic_operations("w4k.img");
}

/* The images mke2fs filled (-d), revision 0 among them: changed in place. */
TEST(operations_on_full_trees_and_revision_0)
{
    static const char *images[] = {"1k.img", "rev0.img"};
    for (unsigned i = 0; i < 2; i++) {
        if (mount(images[i]) != 0)
            return;
        CHECK_EQ(vfs_unlink("/bigdir/file-with-a-longish-name-007"), 0);
        write_file("/bigdir/new-one", "new\n", 4);           /* a directory of many blocks */
        CHECK_EQ(vfs_rename("/hello.txt", "/nested/a/hello.txt"), 0);
        CHECK_EQ(vfs_unlink("/triple.sparse"), 0);
        CHECK_EQ(vfs_unlink("/link-slow"), 0);
        if (!unmount_and_check())
            return (void)imagedev_close(&img);
        check_debugfs("/nested/a/hello.txt", (const uint8_t *)"hello, ext2\n", 12);
        check_debugfs("/bigdir/new-one", (const uint8_t *)"new\n", 4);
        imagedev_close(&img);
    }
}

/* An open file outlives its last name; it is freed when let go. */
TEST(unlinked_while_open)
{
    if (mount("w1k.img") != 0)
        return;
    uint32_t inodes0 = free_inodes();
    struct inode *ip = create("/open");
    if (!ip)
        return;
    CHECK_EQ(vfs_write(ip, "still here", 0, 10), 10);
    CHECK_EQ(vfs_unlink("/open"), 0);
    char buf[16];
    CHECK_EQ(vfs_read(ip, buf, 0, sizeof(buf)), 10);
    CHECK(memcmp(buf, "still here", 10) == 0);
    CHECK_EQ(free_inodes(), inodes0 - 1);
    vfs_iput(ip);
    CHECK_EQ(free_inodes(), inodes0);
    finish();
}

/* ---- rename ------------------------------------------------------------------------------- */

TEST(rename_cases)
{
    if (mount("w1k.img") != 0)
        return;
    write_file("/a", "AAAA", 4);
    write_file("/b", "BB", 2);
    CHECK_EQ(vfs_mkdir("/d1", 0755), 0);
    CHECK_EQ(vfs_mkdir("/d2", 0755), 0);
    CHECK_EQ(vfs_mkdir("/d1/moving", 0755), 0);
    write_file("/d1/moving/f", "in the moving directory", 23);
    CHECK_EQ(vfs_mkdir("/d2/emptytarget", 0755), 0);
    CHECK_EQ(vfs_rename("/a", "/b"), 0);                 /* over an existing file */
    CHECK_EQ(vfs_rename("/d1/moving", "/d2/moved"), 0);  /* across directories: ".." fixed */
    CHECK_EQ(vfs_rename("/d2/moved", "/d2/moved/deeper"), -EINVAL);   /* under itself */
    CHECK_EQ(vfs_rename("/b", "/d2"), -EISDIR);
    CHECK_EQ(vfs_rename("/d2/moved", "/b"), -ENOTDIR);
    CHECK_EQ(vfs_mkdir("/d1/x", 0755), 0);
    CHECK_EQ(vfs_rename("/d1/x", "/d2/emptytarget"), 0); /* over an empty directory */
    CHECK_EQ(vfs_rename("/d1", "/d2"), -ENOTEMPTY);
    CHECK_EQ(vfs_link("/b", "/b2"), 0);
    CHECK_EQ(vfs_rename("/b", "/b2"), 0);                /* two names of one file: no-op */
    CHECK_EQ(vfs_rename("/nothing", "/c"), -ENOENT);
    struct inode *ip;
    CHECK_EQ(vfs_lookup("/d2/moved/..", &ip), 0);
    struct inode *d2;
    CHECK_EQ(vfs_lookup("/d2", &d2), 0);
    CHECK(ip == d2);
    vfs_iput(ip);
    vfs_iput(d2);
    if (!unmount_and_check())
        return (void)imagedev_close(&img);
    check_debugfs("/b", (const uint8_t *)"AAAA", 4);
    check_debugfs("/b2", (const uint8_t *)"AAAA", 4);
    check_debugfs("/d2/moved/f", (const uint8_t *)"in the moving directory", 23);
    CHECK_EQ(links_of("/d1"), 2);                        /* lost moving's ".." */
    CHECK_EQ(links_of("/d2"), 4);                        /* gained it; emptytarget's stays */
    imagedev_close(&img);
}

/* ---- big files: double and triple indirect blocks ---------------------------------------- */

TEST(triple_indirect_write_and_truncate)
{
    if (mount("w1k.img") != 0)
        return;
    uint32_t blocks0 = free_blocks();
    static uint8_t piece[5000];
    fill_random(piece, sizeof(piece), 7);
    /* 1 KiB blocks: direct to 12 KiB, single to 268 KiB, double to 65804 KiB. */
    static const uint32_t offs[] = {0, 300 * KiB, 40 * MiB, 66 * MiB + 123, 130 * MiB};
    struct inode *ip = create("/sparse");
    if (!ip)
        return;
    for (unsigned i = 0; i < 5; i++)
        CHECK_EQ(vfs_write(ip, piece, offs[i], sizeof(piece)), sizeof(piece));
    uint32_t size = ip->size;
    CHECK_EQ(size, 130 * MiB + sizeof(piece));
    CHECK(ip->blocks512 < 100);                          /* the holes cost nothing */
    vfs_iput(ip);
    if (!unmount_and_check())
        return (void)imagedev_close(&img);
    uint8_t *want = calloc(1, size), *got = malloc(size + 1);
    for (unsigned i = 0; i < 5; i++)
        memcpy(want + offs[i], piece, sizeof(piece));
    long r = debugfs_cat("/sparse", got, size);
    CHECK(r == (long)size && memcmp(got, want, size) == 0);

    /* Cut inside the triple-indirect range, then inside the single, then to nothing. */
    if (remount() != 0)
        return (void)imagedev_close(&img);
    static const uint32_t cuts[] = {66 * MiB + 1000, 300 * KiB + 17, 0};
    for (unsigned i = 0; i < 3; i++) {
        CHECK_EQ(vfs_lookup("/sparse", &ip), 0);
        CHECK_EQ(vfs_truncate(ip, cuts[i]), 0);
        vfs_iput(ip);
        if (!unmount_and_check())
            break;
        r = debugfs_cat("/sparse", got, cuts[i]);
        CHECK(r == (long)cuts[i] && memcmp(got, want, cuts[i]) == 0);
        if (remount() != 0)
            break;
    }
    CHECK_EQ(free_blocks(), blocks0);
    CHECK_EQ(vfs_unlink("/sparse"), 0);
    free(want);
    free(got);
    finish();
}

/* ---- running out --------------------------------------------------------------------------- */

TEST(disk_full_is_enospc_and_clean)
{
    if (mount("full.img") != 0)
        return;
    uint32_t blocks0 = free_blocks();
    write_file("/keep", "kept", 4);
    static uint8_t chunk[8192];
    fill_random(chunk, sizeof(chunk), 3);
    struct inode *ip = create("/filler");
    if (!ip)
        return;
    struct vfs_statfs st;                                /* statfs reads the superblock */
    CHECK_EQ(vfs_statfs(ip, &st), 0);
    CHECK_EQ(st.type, EXT2_MAGIC);
    CHECK_EQ(st.bfree, free_blocks());
    CHECK_EQ(st.ffree, free_inodes());
    CHECK_EQ(st.blocks, ((struct ext2_super *)(img.bytes + EXT2_SUPER_OFFSET))->blocks_count);
    uint32_t off = 0;
    int r;
    while ((r = vfs_write(ip, chunk, off, sizeof(chunk))) == (int)sizeof(chunk))
        off += r;
    CHECK(r == -ENOSPC || (r >= 0 && r < (int)sizeof(chunk)));   /* short, or none... */
    off += r > 0 ? r : 0;
    CHECK_EQ(vfs_write(ip, chunk, off, sizeof(chunk)), -ENOSPC);    /* ...then none */
    CHECK_EQ(free_blocks(), 0);
    CHECK(vfs_statfs(ip, &st) == 0 && st.bfree == 0 && st.bavail == 0);
    CHECK_EQ(vfs_mkdir("/nodir", 0755), -ENOSPC);
    CHECK_EQ(vfs_symlink("a-target-long-enough-to-need-a-block-of-its-own-xxxxxxxxxxxxxx",
                         "/nolink"), -ENOSPC);
    CHECK_EQ(ip->size, off);
    vfs_iput(ip);
    if (!unmount_and_check())
        return (void)imagedev_close(&img);
    check_debugfs("/keep", (const uint8_t *)"kept", 4);
    uint8_t *want = malloc(off), *got = malloc(off + 1);
    for (uint32_t i = 0; i < off; i++)
        want[i] = chunk[i % sizeof(chunk)];
    CHECK_EQ(debugfs_cat("/filler", got, off), off);
    CHECK(memcmp(got, want, off) == 0);
    free(want);
    free(got);
    if (remount() != 0)
        return (void)imagedev_close(&img);
    CHECK_EQ(vfs_unlink("/filler"), 0);                  /* and the space comes back */
    CHECK_EQ(free_blocks(), blocks0 - 1);
    CHECK_EQ(vfs_mkdir("/nowdir", 0755), 0);
    finish();
}

TEST(out_of_inodes_is_enospc_and_clean)
{
    if (mount("full.img") != 0)
        return;
    char path[32];
    int n = 0, err = 0;
    struct inode *ip;
    while (n < 100) {
        snprintf(path, sizeof(path), "/f%d", n);
        if ((err = vfs_create(path, 0644, 1, &ip)) != 0)
            break;
        vfs_iput(ip);
        n++;
    }
    CHECK_EQ(err, -ENOSPC);
    CHECK_EQ(free_inodes(), 0);
    CHECK(n > 10);
    CHECK_EQ(vfs_mkdir("/d", 0755), -ENOSPC);
    CHECK_EQ(vfs_symlink("x", "/s"), -ENOSPC);
    CHECK_EQ(vfs_link("/f0", "/f0-again"), 0);           /* a link needs no inode */
    if (!unmount_and_check())
        return (void)imagedev_close(&img);
    if (remount() != 0)
        return (void)imagedev_close(&img);
    CHECK_EQ(vfs_unlink("/f3"), 0);
    CHECK_EQ(vfs_mkdir("/d", 0755), 0);
    finish();
}

/* A feature the writer does not know: mounted, read, never written. */
TEST(unknown_feature_is_read_only)
{
    if (mount("rofeat.img") != 0)
        return;
    struct inode *ip;
    CHECK_EQ(vfs_create("/x", 0644, 1, &ip), -EROFS);
    CHECK_EQ(vfs_mkdir("/x", 0755), -EROFS);
    CHECK_EQ(vfs_lookup("/lost+found", &ip), 0);
    vfs_iput(ip);
    CHECK_EQ(vfs_unmount(), 0);
    imagedev_close(&img);
}

/* Sync reaches the disk's write cache: the device's flush is called. */
static int flushes;
static int count_flush(struct blkdev *dev)
{
    (void)dev;
    return ++flushes, 0;
}

TEST(sync_flushes_the_device)
{
    if (mount("w1k.img") != 0)
        return;
    img.dev.flush = count_flush;
    int before = flushes;
    CHECK_EQ(vfs_sync(), 0);
    CHECK_EQ(flushes, before + 1);
    struct inode *ip = create("/f");                     /* the first change: "not clean" */
    CHECK_EQ(flushes, before + 2);
    if (ip) {
        CHECK_EQ(vfs_fsync(ip), 0);
        vfs_iput(ip);
    }
    CHECK_EQ(flushes, before + 3);
    finish();
    CHECK_EQ(flushes, before + 4);                       /* unmount marks clean, flushes */
}

/* ---- random operation sequences against a model ------------------------------------------- */

enum { NONE, REG, DIR, LNK };
#define MAXOBJ 48
#define MAXNAME 64
#define MODEL_MAX (600 * KiB)              /* the model's files stay below this */

struct obj {
    int type, nlink;
    uint8_t *data;
    uint32_t size;
    char target[210];
};
struct name {
    int obj;                                /* -1: a free slot */
    char path[96];
};
static struct obj objs[MAXOBJ];
static struct name names[MAXNAME];
static uint32_t rng;
static int changes;                         /* names added or dropped: the test did things */

static uint32_t rnd(uint32_t n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

static int find_name(const char *path)
{
    for (int i = 0; i < MAXNAME; i++)
        if (names[i].obj >= 0 && strcmp(names[i].path, path) == 0)
            return i;
    return -1;
}

static int new_obj(int type)
{
    for (int i = 0; i < MAXOBJ; i++)
        if (objs[i].type == NONE) {
            memset(&objs[i], 0, sizeof(objs[i]));
            objs[i].type = type;
            return i;
        }
    return -1;
}

static void add_name(const char *path, int obj)
{
    for (int i = 0; i < MAXNAME; i++)
        if (names[i].obj < 0) {
            names[i].obj = obj;
            strcpy(names[i].path, path);
            objs[obj].nlink++;
            changes++;
            return;
        }
}

static void drop_name(int n)
{
    struct obj *o = &objs[names[n].obj];
    names[n].obj = -1;
    changes++;
    if (--o->nlink == 0 || o->type == DIR) {
        free(o->data);
        o->type = NONE;
    }
}

static int free_slots(void)
{
    int n = 0, o = 0;
    for (int i = 0; i < MAXNAME; i++)
        n += names[i].obj < 0;
    for (int i = 0; i < MAXOBJ; i++)
        o += objs[i].type == NONE;
    return n < o ? n : o;
}

/* A random existing name of this type (NONE: any), or -1. */
static int pick(int type)
{
    int n = 0, chosen = -1;
    for (int i = 0; i < MAXNAME; i++)
        if (names[i].obj >= 0 && (type == NONE || objs[names[i].obj].type == type) &&
            rnd(++n) == 0)
            chosen = i;
    return chosen;
}

static int depth(const char *path)
{
    int d = 0;
    for (; *path; path++)
        d += *path == '/';
    return d;
}

/* A path in a random directory (the root or a made one, not too deep), with a name
 * from a small set so that names collide. */
static void random_path(char *out)
{
    int d = pick(DIR);
    const char *dir = d >= 0 && depth(names[d].path) < 3 ? names[d].path : "";
    sprintf(out, "%s/n%u", dir, rnd(6));
}

static int children(const char *dir)
{
    size_t len = strlen(dir);
    int n = 0;
    for (int i = 0; i < MAXNAME; i++)
        n += names[i].obj >= 0 && strncmp(names[i].path, dir, len) == 0 &&
             names[i].path[len] == '/' && !strchr(names[i].path + len + 1, '/');
    return n;
}

static int parent_exists(const char *path)
{
    char dir[96];
    strcpy(dir, path);
    *strrchr(dir, '/') = 0;
    return dir[0] == 0 || find_name(dir) >= 0;
}

static int model_write(struct obj *o, uint32_t off, uint32_t n, uint32_t seed)
{
    if (off + n > o->size) {
        o->data = realloc(o->data, off + n);
        memset(o->data + o->size, 0, off + n - o->size);
        o->size = off + n;
    }
    fill_random(o->data + off, n, seed);
    return n;
}

static int op_create(char *path)
{
    random_path(path);
    struct inode *ip;
    int err = vfs_create(path, 0644, 1, &ip);
    if (err == 0) {
        vfs_iput(ip);
        add_name(path, new_obj(REG));
    }
    return err == (find_name(path) >= 0 && err ? -EEXIST : 0);
}

static int op_write(char *path)
{
    static uint8_t buf[20000];
    int n = pick(REG);
    if (n < 0)
        return 1;
    struct obj *o = &objs[names[n].obj];
    strcpy(path, names[n].path);
    uint32_t len = 1 + rnd(sizeof(buf));
    uint32_t off = rnd(3) == 0 ? o->size + rnd(300 * KiB) : rnd(o->size + 1);
    if (off + len > MODEL_MAX)
        return 1;
    uint32_t seed = rnd(1000000);
    fill_random(buf, len, seed);
    struct inode *ip;
    int ok = vfs_lookup(path, &ip) == 0;
    if (ok) {
        ok = vfs_write(ip, buf, off, len) == (int)len;
        vfs_iput(ip);
    }
    model_write(o, off, len, seed);
    return ok;
}

static int op_truncate(char *path)
{
    int n = pick(REG);
    if (n < 0)
        return 1;
    struct obj *o = &objs[names[n].obj];
    strcpy(path, names[n].path);
    uint32_t size = rnd(o->size + 50000);
    if (size > MODEL_MAX)
        return 1;
    struct inode *ip;
    int ok = vfs_lookup(path, &ip) == 0;
    if (ok) {
        ok = vfs_truncate(ip, size) == 0;
        vfs_iput(ip);
    }
    if (size > o->size) {
        o->data = realloc(o->data, size);
        memset(o->data + o->size, 0, size - o->size);
    }
    o->size = size;
    return ok;
}

static int op_unlink(char *path)
{
    int n = pick(NONE);
    if (n < 0)
        return 1;
    strcpy(path, names[n].path);
    int is_dir = objs[names[n].obj].type == DIR;
    int err = vfs_unlink(path);
    if (!is_dir && err == 0)
        drop_name(n);
    return err == (is_dir ? -EISDIR : 0);
}

static int op_rmdir(char *path)
{
    int n = pick(NONE);
    if (n < 0)
        return 1;
    strcpy(path, names[n].path);
    int want = objs[names[n].obj].type != DIR ? -ENOTDIR : children(path) ? -ENOTEMPTY : 0;
    int err = vfs_rmdir(path);
    if (err == 0 && want == 0)
        drop_name(n);
    return err == want;
}

static int op_mkdir(char *path)
{
    random_path(path);
    int want = find_name(path) >= 0 ? -EEXIST : 0;
    int err = vfs_mkdir(path, 0755);
    if (err == 0 && want == 0)
        add_name(path, new_obj(DIR));
    return err == want;
}

static int op_link(char *path)
{
    int n = pick(NONE);
    char to[96];
    if (n < 0)
        return 1;
    random_path(to);
    int want = find_name(to) >= 0 ? -EEXIST : objs[names[n].obj].type == DIR ? -EPERM : 0;
    int err = vfs_link(names[n].path, to);
    sprintf(path, "%s -> %s", names[n].path, to);
    if (err == 0 && want == 0)
        add_name(to, names[n].obj);
    return err == want;
}

static int op_symlink(char *path)
{
    random_path(path);
    char target[210];
    uint32_t len = 1 + rnd(sizeof(target) - 1);
    for (uint32_t i = 0; i < len; i++)
        target[i] = 'a' + rnd(26);
    target[len] = 0;
    int want = find_name(path) >= 0 ? -EEXIST : 0;
    int err = vfs_symlink(target, path);
    if (err == 0 && want == 0) {
        int o = new_obj(LNK);
        strcpy(objs[o].target, target);
        add_name(path, o);
    }
    return err == want;
}

/* What rename(2) must answer, checked in the order Linux checks. */
static int rename_want(int s, const char *to)
{
    int d = find_name(to);
    size_t len = strlen(names[s].path);
    int src_dir = objs[names[s].obj].type == DIR;
    if (d >= 0 && names[d].obj == names[s].obj)
        return 1;                                       /* the same file: nothing happens */
    if (d >= 0 && src_dir && objs[names[d].obj].type != DIR)
        return -ENOTDIR;
    if (d >= 0 && !src_dir && objs[names[d].obj].type == DIR)
        return -EISDIR;
    if (src_dir && strncmp(to, names[s].path, len) == 0 && to[len] == '/')
        return -EINVAL;
    if (d >= 0 && src_dir && children(to))
        return -ENOTEMPTY;
    return 0;
}

static int op_rename(char *path)
{
    int s = pick(NONE);
    char to[96];
    if (s < 0)
        return 1;
    int d = rnd(2) ? pick(NONE) : -1;
    if (d >= 0)
        strcpy(to, names[d].path);
    else
        random_path(to);
    if (!parent_exists(to))
        return 1;
    int want = rename_want(s, to);
    sprintf(path, "%s -> %s", names[s].path, to);
    int err = vfs_rename(names[s].path, to);
    if (want == 1)
        return err == 0;
    if (err != 0 || want != 0)
        return err == want;
    if ((d = find_name(to)) >= 0)
        drop_name(d);
    char from[96];
    strcpy(from, names[s].path);
    size_t len = strlen(from);
    for (int i = 0; i < MAXNAME; i++)                   /* the name and all below it */
        if (names[i].obj >= 0 && strncmp(names[i].path, from, len) == 0 &&
            (names[i].path[len] == 0 || names[i].path[len] == '/')) {
            char joined[200];
            snprintf(joined, sizeof(joined), "%s%s", to, names[i].path + len);
            CHECK(strlen(joined) < sizeof(names[i].path));     /* depth() keeps paths short */
            memcpy(names[i].path, joined, sizeof(names[i].path) - 1);
        }
    return 1;
}

/* The file system, looked at through the VFS, must be the model. */
static void compare_with_model(void)
{
    static uint8_t buf[MODEL_MAX];
    for (int i = 0; i < MAXNAME; i++) {
        if (names[i].obj < 0)
            continue;
        struct obj *o = &objs[names[i].obj];
        struct inode *ip;
        int err = vfs_lookup_link(names[i].path, &ip);
        CHECK_EQ(err, 0);
        if (err) {
            printf("    # %s: %d\n", names[i].path, err);
            continue;
        }
        if (o->type == REG) {
            CHECK(S_ISREG(ip->mode));
            CHECK_EQ(ip->size, o->size);
            CHECK_EQ(vfs_read(ip, buf, 0, sizeof(buf)), o->size);
            CHECK(o->size == 0 || memcmp(buf, o->data, o->size) == 0);
            CHECK_EQ(ip->nlink, o->nlink);
        } else if (o->type == LNK) {
            CHECK_EQ(vfs_readlink(ip, (char *)buf, sizeof(buf)), strlen(o->target));
            CHECK(strcmp((char *)buf, o->target) == 0);
        } else {
            CHECK(S_ISDIR(ip->mode));
            uint32_t pos = 0;
            struct vfs_dirent de;
            int entries = 0;
            while (vfs_readdir(ip, &pos, &de) > 0)
                entries++;
            CHECK_EQ(entries, children(names[i].path) + 2);
        }
        vfs_iput(ip);
    }
}

static void random_sequence(uint32_t seed, const char *image)
{
    static int (*const ops[])(char *) = {op_create, op_write, op_write, op_truncate, op_unlink,
                                         op_rename, op_rename, op_mkdir, op_rmdir, op_link,
                                         op_symlink};
    enum { OPS = 400, CHECK_EVERY = 100 };
    static const char *const op_names[] = {"create", "write", "write", "truncate", "unlink",
                                           "rename", "rename", "mkdir", "rmdir", "link",
                                           "symlink"};
    rng = seed;
    changes = 0;
    memset(objs, 0, sizeof(objs));
    for (int i = 0; i < MAXNAME; i++)
        names[i].obj = -1;
    if (mount(image) != 0)
        return;
    uint32_t blocks0 = free_blocks(), inodes0 = free_inodes();
    int ok = 1;
    for (int i = 1; i <= OPS && ok; i++) {
        char what[200] = "";
        unsigned k = rnd(sizeof(ops) / sizeof(ops[0]));
        if (free_slots() < 2 && (k == 0 || k == 7 || k == 9 || k == 10))
            k = 4;                                      /* the model is full: remove */
        if (!ops[k](what)) {
            printf("    # seed %u, operation %d: %s %s disagrees with the model\n", seed, i,
                   op_names[k], what);
            ok = 0;
        }
        CHECK(ok);
        if (i % CHECK_EVERY == 0 || !ok) {
            compare_with_model();
            ok &= unmount_and_check() && remount() == 0;
        }
    }
    /* And debugfs reads every file as the model has it; then everything goes. */
    if (ok && unmount_and_check()) {
        for (int i = 0; i < MAXNAME; i++)
            if (names[i].obj >= 0 && objs[names[i].obj].type == REG)
                check_debugfs(names[i].path, objs[names[i].obj].data, objs[names[i].obj].size);
        ok = remount() == 0;
    }
    printf("    # seed %u: %d names made or removed\n", seed, changes);
    CHECK(changes > OPS / 8);
    for (int d = 30; ok && d > 0; d--)                 /* the deepest names go first */
        for (int i = 0; i < MAXNAME; i++)
            if (names[i].obj >= 0 && depth(names[i].path) == d) {
                int dir = objs[names[i].obj].type == DIR;
                CHECK_EQ(dir ? vfs_rmdir(names[i].path) : vfs_unlink(names[i].path), 0);
                drop_name(i);
            }
    if (ok) {
        CHECK_EQ(free_blocks(), blocks0);
        CHECK_EQ(free_inodes(), inodes0);
        finish();
    } else {
        vfs_unmount();
        imagedev_close(&img);
    }
    for (int i = 0; i < MAXOBJ; i++)
        if (objs[i].type != NONE)
            free(objs[i].data);
}

TEST(random_sequence_seed_1_1k) { random_sequence(1, "w1k.img"); }
TEST(random_sequence_seed_2_1k) { random_sequence(2, "w1k.img"); }
TEST(random_sequence_seed_3_4k) { random_sequence(3, "w4k.img"); }
TEST(random_sequence_seed_4_rev0) { random_sequence(4, "rev0.img"); }
TEST(random_sequence_seed_5_1k) { random_sequence(5, "w1k.img"); }
