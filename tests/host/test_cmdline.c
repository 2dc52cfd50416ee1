/* tests/host/test_cmdline.c: the kernel command-line parser and the printf engine,
 * compiled for the host: good input, malformed input, and limits. */
// uses: kernel/cmdline.c kernel/format.c
#include <string.h>
#include "tests/host/check.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

static struct cmdline cl;

TEST(plain_pairs)
{
    cmdline_parse(&cl, "build/kernel.elf vm.policy=clock vm.frames=32");
    CHECK_EQ(cl.nwarnings, 0);
    CHECK_EQ(cl.nargs, 2);
    CHECK(strcmp(cmdline_lookup(&cl, "vm.policy"), "clock") == 0);
    CHECK_EQ(cmdline_lookup_int(&cl, "vm.frames", 0), 32);
    CHECK_EQ(cmdline_lookup_int(&cl, "vm.cow", 7), 7);
}

TEST(quoted_values_keep_spaces)
{
    cmdline_parse(&cl, "init=\"/bin/sh -c 'echo hi'\" quiet");
    CHECK(strcmp(cmdline_lookup(&cl, "init"), "/bin/sh -c 'echo hi'") == 0);
    CHECK(strcmp(cmdline_lookup(&cl, "quiet"), "1") == 0);
}

/* What GRUB 2.06 passes for the grub.cfg word "init=\"/bin/sh -c 'echo a\\b'\"" */
TEST(grub_quoting_undone)
{
    cmdline_parse(&cl, "/boot/kernel.elf \"init=\\\"/bin/sh -c \\'echo a\\\\b\\'\\\"\" quiet");
    CHECK(strcmp(cmdline_lookup(&cl, "init"), "/bin/sh -c 'echo a\\b'") == 0);
    CHECK(strcmp(cmdline_lookup(&cl, "quiet"), "1") == 0);
}

TEST(malformed_words_warn)
{
    cmdline_parse(&cl, "= =1 \"q\"=2 nosuchkey=1 vm.frames=-5 vm.cow=x1");
    CHECK_EQ(cl.nwarnings, 4);
    CHECK_EQ(cmdline_lookup_int(&cl, "vm.frames", 0), -5);
    CHECK_EQ(cmdline_lookup_int(&cl, "vm.cow", 9), 9);
}

TEST(too_long_and_too_many)
{
    char line[4096] = "vm.policy=";
    memset(line + 10, 'a', 300);                       /* value longer than the limit */
    line[310] = 0;
    cmdline_parse(&cl, line);
    CHECK_EQ(cl.nwarnings, 1);
    CHECK(cmdline_lookup(&cl, "vm.policy") == NULL);

    memset(line, 'k', 40);                             /* key longer than the limit */
    strcpy(line + 40, "=1");
    cmdline_parse(&cl, line);
    CHECK_EQ(cl.nwarnings, 1);

    line[0] = 0;
    for (int i = 0; i < 40; i++)                       /* repeated keys reuse their slot */
        strcat(line, "vm.seed=1 ");
    cmdline_parse(&cl, line);
    CHECK_EQ(cl.nwarnings, 0);
    CHECK_EQ(cl.nargs, 1);
}

TEST(empty_and_blank)
{
    cmdline_parse(&cl, "");
    CHECK_EQ(cl.nargs, 0);
    cmdline_parse(&cl, "   \t  ");
    CHECK_EQ(cl.nargs, 0);
    CHECK_EQ(cl.nwarnings, 0);
}

TEST(format_conversions)
{
    char buf[128];
    ksnprintf(buf, sizeof buf, "[%3c][%-4s][%08x][%u][%d][%x]", 'a', "ab", 0xabcu, 0u, -2147483647 - 1, 0u);
    CHECK(strcmp(buf, "[  a][ab  ][00000abc][0][-2147483648][0]") == 0);
    const char *odd = "%llu %lld %q %";     /* unknown conversion, trailing %: no crash */
    ksnprintf(buf, sizeof buf, odd, 18446744073709551615ULL, -9LL);
    CHECK(strcmp(buf, "18446744073709551615 -9 %q ") == 0);
    CHECK_EQ(ksnprintf(NULL, 0, "%d", 12345), 5);
}
