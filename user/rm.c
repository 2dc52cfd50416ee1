/* user/rm.c: removes each named file (unlink), and with -d an empty directory too
 * (rmdir), as coreutils' rm and rm -d; the status is 1 if one could not be removed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int dirs = argc > 1 && strcmp(argv[1], "-d") == 0;
    int status = 0;
    if (argc < 2 + dirs) {
        fprintf(stderr, "usage: rm [-d] FILE...\n");
        return 2;
    }
    for (int i = 1 + dirs; i < argc; i++) {
        int r = unlink(argv[i]);
        if (r < 0 && errno == EISDIR && dirs)
            r = rmdir(argv[i]);
        if (r < 0) {
            fprintf(stderr, "rm: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
