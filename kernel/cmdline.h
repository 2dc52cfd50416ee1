/* kernel/cmdline.h: the kernel command line, parsed once at boot into key=value
 * pairs. Unknown keys and malformed words are reported and ignored. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#define CMDLINE_MAX 512
#define CMDLINE_ARGS 32
#define CMDLINE_KEY_MAX 32
#define CMDLINE_VALUE_MAX 256

struct cmdline {
    int nargs;
    int nwarnings;                   /* how many problems parsing found */
    struct { char key[CMDLINE_KEY_MAX]; char value[CMDLINE_VALUE_MAX]; } args[CMDLINE_ARGS];
};

void cmdline_parse(struct cmdline *cl, const char *line);
const char *cmdline_lookup(const struct cmdline *cl, const char *key);   /* NULL if absent */
long cmdline_lookup_int(const struct cmdline *cl, const char *key, long fallback);

/* The boot command line, parsed once by kmain. */
void cmdline_boot_init(const char *line);
const char *cmdline_get(const char *key);            /* NULL when absent */
long cmdline_int(const char *key, long fallback);    /* fallback when absent or not a number */

#endif
