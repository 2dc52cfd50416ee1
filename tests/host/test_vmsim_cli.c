/* tests/host/test_vmsim_cli.c: tools/vmsim as a student runs it: the input forms (inline,
 * file, stdin, gzip), CSV, tables, sweeps and plots, and clear refusals of bad input. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "tests/host/check.h"

#define DIR "build/host/vmsim-cli"
#define BELADY "1,2,3,4,1,2,5,1,2,3,4,5"
#define SILBERSCHATZ "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"

struct run {
    int status;
    char out[1 << 16];           /* standard output and standard error together */
};

/* Run build/vmsim (built by `make test` before the host tests) with these arguments. */
static struct run *vmsim(const char *fmt, ...)
{
    static struct run r;
    char args[1024], command[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(command, sizeof command, "build/vmsim %s 2>&1", args);
    FILE *p = popen(command, "r");
    size_t n = p ? fread(r.out, 1, sizeof r.out - 1, p) : 0;
    r.out[n] = 0;
    int status = p ? pclose(p) : -1;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return &r;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, DIR "/%s", name);
    if (system("mkdir -p " DIR) != 0)
        return NULL;
    FILE *f = fopen(path, "w");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

TEST(csv_has_a_row_per_policy_and_frame_count)
{
    struct run *r = vmsim("--csv --policy fifo,lru,opt --frames 3,4 --refs " BELADY);
    CHECK_EQ(r->status, 0);
    const char *head = "policy,frames,refs,faults\nfifo,3,12,9\nfifo,4,12,10\nlru,3,12,";
    CHECK(strncmp(r->out, head, strlen(head)) == 0);
    CHECK_EQ(count(r->out, "\n"), 7);
    CHECK_EQ(count(r->out, "\nopt,4,12,"), 1);
}

TEST(short_strings_get_the_textbook_table)
{
    struct run *r = vmsim("--policy fifo,lru,opt --refs " SILBERSCHATZ);
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "fifo, 3 frames: 15 faults in 20 references\n"));
    CHECK(strstr(r->out, "lru, 3 frames: 12 faults in 20 references\n"));
    CHECK(strstr(r->out, "opt, 3 frames: 9 faults in 20 references\n"));
    CHECK(strstr(r->out, "\nreference   7  0  1  2  0  3"));
    CHECK(strstr(r->out, "\nframe 0     7  7  7  2"));
    CHECK_EQ(count(r->out, "\nfault "), 3);

    r = vmsim("--policy fifo --refs " SILBERSCHATZ "," SILBERSCHATZ);      /* 40: no table */
    CHECK_EQ(count(r->out, "\nfault "), 0);
    r = vmsim("--policy fifo --table --refs " SILBERSCHATZ "," SILBERSCHATZ);
    CHECK_EQ(count(r->out, "\nfault "), 1);
}

TEST(file_stdin_and_gzip_agree_with_inline)
{
    const char *path = write_file("silberschatz.txt",
                                  "7 0 1\n2,0,\t3 ,0\n\n4 2 3 0 3 2 1 2 0 1 7 0 1\n");
    CHECK(path && system("gzip -c " DIR "/silberschatz.txt > " DIR "/silberschatz.gz") == 0);
    static char expect[sizeof ((struct run *)0)->out];
    struct run *r = vmsim("--csv --frames 1-5 --refs " SILBERSCHATZ);
    CHECK_EQ(r->status, 0);
    memcpy(expect, r->out, sizeof expect);
    CHECK(strcmp(vmsim("--csv --frames 1-5 %s", path)->out, expect) == 0);
    CHECK(strcmp(vmsim("--csv --frames 1-5 " DIR "/silberschatz.gz")->out, expect) == 0);
    CHECK(strcmp(vmsim("--csv --frames 1-5 - < " DIR "/silberschatz.gz")->out, expect) == 0);
    CHECK(strcmp(vmsim("--csv --frames 1-5 - < %s", path)->out, expect) == 0);
}

/* One frame: every reference replaces the last page, so each dirty one is written back. */
TEST(writes_are_marked_and_written_back)
{
    struct run *r = vmsim("--policy fifo --frames 1 --refs 1W,2,3w,1");
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "4 references to 3 pages, 2 writes"));
    CHECK(strstr(r->out, "\nreference  1W  2 3W  1\n"));
    CHECK(strstr(r->out, "\nfifo                 1          4      0.00%            2\n"));
}

static void check_refused(const char *text, const char *message)
{
    const char *path = write_file("bad.txt", text);
    struct run *r = vmsim("%s", path);
    CHECK_EQ(r->status, 2);
    if (!strstr(r->out, message))
        printf("    # for input '%s' the message is: %s", text, r->out);
    CHECK(strstr(r->out, message));
}

TEST(malformed_input_is_refused_clearly)
{
    check_refused("1 2\n3 x4 5\n", "vmsim: " DIR "/bad.txt:2: expected a page number, found 'x4'");
    check_refused("1,-3,4", "bad.txt:1: negative page number '-3'");
    check_refused("", "bad.txt: no references in the input");
    check_refused(" ,\n\t,\n", "no references in the input");
    check_refused("18446744073709551616", "page number too large (over 64 bits): "
                  "'18446744073709551616'");
    check_refused("3X", "expected a page number, found '3X'");
    check_refused("3 W", "expected a page number, found 'W'");
    check_refused("1.5", "expected a page number, found '1.5'");
    CHECK_EQ(vmsim("%s", write_file("big.txt", "18446744073709551615 0"))->status, 0);
    CHECK(strstr(vmsim("--refs 1,b")->out, "vmsim: --refs:1: expected a page number, found 'b'"));
    CHECK(strstr(vmsim(DIR "/no-such-file")->out, "no-such-file: No such file or directory"));
}

/* An x86-64 program's pages are numbered past 32 bits: they are pages like any other,
 * named in the table and by --lock as the input wrote them. */
TEST(page_numbers_take_64_bits)
{
    struct run *r = vmsim("--policy fifo --frames 2 --refs 14284658143,1,14284658143,"
                          "18446744073709551615,1");
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "5 references to 3 pages, 0 writes"));
    CHECK(strstr(r->out, "\nreference            14284658143                     1           "
                         "14284658143  18446744073709551615                     1\n"));
    CHECK(strstr(r->out, "fifo, 2 frames: 3 faults in 5 references\n"));
    r = vmsim("--csv --policy fifo --frames 2 --lock 14284658143 --refs "
              "14284658143,1,2,14284658143,1");
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "\nfifo,2,5,4\n"));             /* the locked page never faults again */
}

/* valgrind --tool=lackey --trace-mem=yes output, read as it is: valgrind's own lines
 * skipped, an access a reference to its page (two for one that straddles a page end),
 * stores and modifies writes. */
#define LACKEY "==4711== Lackey, an example Valgrind tool\n" \
               "I  04000000,3\n"                     /* page 0x4000 = 16384 */ \
               " L 04001ffe,4\n"                     /* pages 16385 and 16386 */ \
               " S 7ff000010,8\n"                    /* page 0x7ff000 = 8384512, a write */ \
               " M 04000010,4\n"                     /* page 16384, a write */ \
               "I  04000003,2\n"                     /* page 16384 */ \
               "==4711== Counted 1 call to main()\n"

TEST(lackey_traces_are_read_directly)
{
    const char *path = write_file("lackey.out", LACKEY);
    struct run *r = vmsim("--policy fifo --frames 2 --table %s", path);
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "6 references to 4 pages, 2 writes"));
    CHECK(strstr(r->out, "\nreference     16384    16385    16386 8384512W   16384W    16384\n"));
    CHECK(strstr(r->out, "fifo, 2 frames: 5 faults in 6 references\n"));
    CHECK(system("gzip -c " DIR "/lackey.out > " DIR "/lackey.gz") == 0);
    CHECK(strstr(vmsim("--csv --policy fifo --frames 2 --lock 16384 " DIR "/lackey.gz")->out,
                 "\nfifo,2,6,4\n"));
    check_refused("==1== x\nI  0400,3\n S 0fff,2\nQ 1,2\n",
                  "bad.txt:4: expected a lackey line (I, L, S or M), found 'Q 1,2'");
    check_refused("I  0400,3\n L 12345678901234567,1\n",
                  "bad.txt:2: expected a lackey line (I, L, S or M), found ' L 12345678901234567,1'");
    check_refused("I  0400,3\n L 04000000\n", "bad.txt:2: expected a lackey line");
}

/* CSV rows without their refs column: policy,frames,faults. */
static const char *without_refs(const char *csv)
{
    static char out[sizeof ((struct run *)0)->out];
    char *o = out;
    for (const char *line = csv; *line;) {
        const char *end = strchr(line, '\n'), *comma = line;
        end = end ? end : line + strlen(line);
        for (int k = 0; k < 2 && comma && comma < end; k++)
            comma = strchr(comma + 1, ',');
        const char *next = comma && comma < end ? strchr(comma + 1, ',') : NULL;
        size_t head = (size_t)((comma && next && next < end ? comma : end) - line);
        memcpy(o, line, head);
        o += head;
        if (comma && next && next < end) {
            memcpy(o, next, (size_t)(end - next));
            o += end - next;
        }
        *o++ = '\n';
        line = *end ? end + 1 : end;
    }
    *o = 0;
    return out;
}

/* --save writes what it read in the format it reads, runs of one page merged (a write if
 * any was), and the policies that look only at the bits fault exactly as on the original. */
TEST(save_merges_runs_and_keeps_the_faults)
{
    CHECK_EQ(vmsim("--save " DIR "/saved.txt --refs 7,7W,7,0,1,1,7,0W,0")->status, 0);
    FILE *f = fopen(DIR "/saved.txt", "r");
    char text[64] = "";
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = 0;
    if (f)
        fclose(f);
    CHECK(strcmp(text, "7W\n0\n1\n7\n0W\n") == 0);
    const char *path = write_file("lackey.out", LACKEY);
    CHECK_EQ(vmsim("--save " DIR "/saved.gz %s", path)->status, 0);
    static char before[sizeof ((struct run *)0)->out];
    strcpy(before, without_refs(vmsim("--csv --policy fifo,lru,opt,clock --frames 1-3 %s",
                                      path)->out));
    struct run *r = vmsim("--csv --policy fifo,lru,opt,clock --frames 1-3 " DIR "/saved.gz");
    CHECK_EQ(count(r->out, ",5,"), 12);                  /* 5 references, not 6 ... */
    CHECK(strcmp(without_refs(r->out), before) == 0);    /* ... and the same faults */
    CHECK(strstr(before, "\nfifo,2,5\n"));
    CHECK(strstr(vmsim("--save /nonexistent/dir/x --refs 1")->out, "vmsim: --save /nonexistent"));
}

TEST(bad_arguments_are_refused)
{
    CHECK(strstr(vmsim("--policy fifo,nru --refs 1")->out, "unknown policy 'nru'"));
    CHECK(strstr(vmsim("--frames 0 --refs 1")->out, "a frame count must be a number from 1"));
    CHECK(strstr(vmsim("--frames 5-2 --refs 1")->out, "a frame count must be a number from 5"));
    CHECK(strstr(vmsim("--frames 3x --refs 1")->out, "not '3x'"));
    CHECK(strstr(vmsim("--csv")->out, "give exactly one reference string"));
    CHECK(strstr(vmsim("--refs 1 " DIR "/bad.txt")->out, "give exactly one reference string"));
    CHECK(strstr(vmsim("--gen spiral")->out, "--gen must be loop, random or locality"));
    CHECK_EQ(vmsim("--no-such-option --refs 1")->status, 2);
    CHECK_EQ(vmsim("--tick -1 --refs 1")->status, 2);
}

TEST(sweep_writes_csv_and_a_plot)
{
    struct run *r = vmsim("--sweep 1-6 --policy fifo,lru,opt --plot " DIR "/belady.svg "
                          "--refs " BELADY);
    CHECK_EQ(r->status, 0);
    CHECK_EQ(count(r->out, "\n"), 1 + 3 * 6);
    CHECK(strstr(r->out, "\nfifo,3,12,9\nfifo,4,12,10\n"));
    FILE *f = fopen(DIR "/belady.svg", "r");
    static char svg[1 << 20];
    size_t n = f ? fread(svg, 1, sizeof svg - 1, f) : 0;
    svg[n] = 0;
    if (f)
        fclose(f);
    /* matplotlib's SVG (tools/vmsim-src/plot.py): a group per policy and axes (faults,
     * hit ratio); tests/trace/test_plots.py checks the numbers drawn. */
    CHECK(strncmp(svg, "<?xml", 5) == 0 && strstr(svg, "<svg "));
    CHECK(n > 7 && strcmp(svg + n - 7, "</svg>\n") == 0);
    CHECK_EQ(count(svg, "id=\"policy-fifo\""), 2);
    CHECK_EQ(count(svg, "id=\"policy-lru\""), 2);
    CHECK_EQ(count(svg, "id=\"policy-opt\""), 2);
    CHECK(strstr(svg, ">hit ratio (%)</text>") && strstr(svg, ">page faults</text>"));
}

/* A loop over more pages than frames: FIFO and LRU always replace the page needed next. */
TEST(generated_loop_defeats_fifo_and_lru)
{
    struct run *r = vmsim("--csv --gen loop --length 1000 --pages 10 --frames 9 "
                          "--policy fifo,lru,opt");
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "\nfifo,9,1000,1000\nlru,9,1000,1000\nopt,9,1000,"));
    CHECK(!strstr(r->out, "\nopt,9,1000,1000\n"));
    static char first[sizeof r->out];
    r = vmsim("--csv --gen random --length 5000 --pages 50 --seed 4 --frames 10");
    CHECK_EQ(count(r->out, ",10,5000,"), 11);
    memcpy(first, r->out, sizeof first);                 /* the same seed, the same string */
    r = vmsim("--csv --gen random --length 5000 --pages 50 --seed 4 --frames 10");
    CHECK(strcmp(r->out, first) == 0);
}

/* Locked pages stay: FIFO on Belady's string with page 1 locked and 4 frames evicts
 * 2, 3, 4, 5, 2 in turn (worked by hand) and faults 9 times instead of 10. */
TEST(locked_pages_are_never_replaced)
{
    struct run *r = vmsim("--csv --policy fifo --frames 4 --lock 1 --refs " BELADY);
    CHECK_EQ(r->status, 0);
    CHECK(strstr(r->out, "\nfifo,4,12,9\n"));
    r = vmsim("--policy fifo --frames 4 --lock 1 --refs " BELADY);
    CHECK(strstr(r->out, "\nframe 0     1  1  1  1  1  1  1  1  1  1  1  1\n"));
    r = vmsim("--frames 3 --lock 1,2,3 --refs 1,2,3,4");
    CHECK_EQ(r->status, 2);
    CHECK(strstr(r->out, "--lock: 3 locked pages leave no frame for the others with 3 frames"));
    r = vmsim("--lock 9 --refs 1,2");
    CHECK_EQ(r->status, 2);
    CHECK(strstr(r->out, "--lock: page 9 is not in the reference string"));
}

TEST(list_names_every_policy)
{
    struct run *r = vmsim("--list");
    CHECK_EQ(r->status, 0);
    static const char *const names[] = {"opt ", "lru ", "clock ", "fifo ", "second_chance ",
                                        "esc ", "aging ", "lfu ", "mfu ", "random ", "wsclock "};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        CHECK(strstr(r->out, names[k]));
    CHECK_EQ(count(r->out, "\n"), 11);

    r = vmsim("--names");                          /* the kernel's only, for the GRUB menu */
    CHECK_EQ(r->status, 0);
    CHECK(strncmp(r->out, "clock\nfifo\n", 11) == 0);
    CHECK(strstr(r->out, "\nwsclock\n"));
    CHECK(!strstr(r->out, "opt") && !strstr(r->out, "lru"));
    CHECK_EQ(count(r->out, "\n"), 9);
}
