/* fs/dev.c: the two character devices programs open by name, /dev/null (reads give end
 * of file, writes vanish) and /dev/tty (the console). The root file system is read-only
 * and has no device nodes, so they are found by path here. */
#include "fs/file.h"
#include "kernel/string.h"
#include "kernel/errno.h"

#define O_ACCMODE 3

/* A struct file for the device at path, or NULL (no such device, or out of memory:
 * *err says which). */
struct file *dev_open(const char *path, uint32_t flags, int *err)
{
    enum file_type type;
    if (strcmp(path, "/dev/null") == 0)
        type = FILE_NULL;
    else if (strcmp(path, "/dev/tty") == 0 || strcmp(path, "/dev/console") == 0)
        type = FILE_CONSOLE;
    else {
        *err = -ENOENT;
        return NULL;
    }
    int mode = flags & O_ACCMODE;       /* O_RDONLY 0, O_WRONLY 1, O_RDWR 2 */
    struct file *f = file_alloc(type, mode != 1, mode != 0);
    *err = f ? 0 : -ENOMEM;
    return f;
}
