/* user/mapfile.c: "mapfile FILE [SECONDS]" maps FILE with MAP_SHARED, touches each of its
 * pages, prints the frame behind each page, and holds the mapping SECONDS seconds (default
 * 30) before it exits. Two of them in the background on one file share its frames: the
 * same frame numbers, and vmstat's "pages shared" (docs/page-cache.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/lib/pagoda.h"

#define PAGE 4096

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: mapfile FILE [SECONDS]\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "mapfile: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (st.st_size == 0) {
        fprintf(stderr, "mapfile: %s is empty: nothing to map\n", argv[1]);
        return 1;
    }
    volatile char *m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        fprintf(stderr, "mapfile: mmap %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    for (off_t off = 0; off < st.st_size; off += PAGE) {
        (void)m[off];                   /* a fault maps the page from the page cache */
        printf("mapfile %d: %s page %ld in frame %ld\n", getpid(), argv[1], (long)(off / PAGE),
               pagoda_frame_of((const void *)(m + off)) >> 12);
    }
    fflush(stdout);
    sleep(argc == 3 ? (unsigned)atoi(argv[2]) : 30);
    return 0;
}
