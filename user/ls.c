/* user/ls.c: lists directories (default ".") or names files, sorted by name;
 * "ls -l" adds each entry's mode (drwxr-xr-x) and size in bytes. */
#define _FILE_OFFSET_BITS 64   /* 64-bit inode numbers and offsets from readdir and stat */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int long_format;

static void mode_string(mode_t mode, char out[11])
{
    const char *rwx = "rwxrwxrwx";
    out[0] = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : S_ISCHR(mode) ? 'c'
           : S_ISBLK(mode) ? 'b' : S_ISFIFO(mode) ? 'p' : '-';
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
    out[10] = '\0';
}

/* Prints one entry; path is what to stat, name what to show. */
static int show(const char *path, const char *name)
{
    if (!long_format) {
        printf("%s\n", name);
        return 0;
    }
    struct stat st;
    if (lstat(path, &st) != 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char mode[11];
    mode_string(st.st_mode, mode);
    printf("%s %10lld %s\n", mode, (long long)st.st_size, name);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in dir (leaving out hidden ones), sorts them, shows each. */
static int list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strdup(e->d_name);
    }
    int status = 0;
    if (errno != 0) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        status = 1;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        status |= show(path, names[i]);
        free(names[i]);
    }
    free(names);
    return status;
}

static int list(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return S_ISDIR(st.st_mode) ? list_dir(path) : show(path, path);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        long_format = 1;
        first = 2;
    }
    if (first == argc)
        return list(".");
    int status = 0;
    for (int i = first; i < argc; i++) {
        if (argc - first > 1)
            printf("%s:\n", argv[i]);
        status |= list(argv[i]);
    }
    return status;
}
