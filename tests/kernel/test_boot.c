/* tests/kernel/test_boot.c: in-kernel tests of the timer, the command line and
 * the panic report, the screen's escapes (ktest=timer_ticks,timer_stops,cmdline_parse,
 * panic_report,vga_escapes). */
#include "kernel/ktest.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "drivers/pit.h"
#include "drivers/vga.h"
#include "mm/memlayout.h"

/* The PIT interrupts HZ times a second: wait for five ticks with hlt. */
KTEST(timer_ticks)
{
    uint32_t start = ticks;
    for (int i = 0; i < 1000 && ticks - start < 5; i++)
        hlt();
    KEXPECT(ticks - start >= 5);
}

/* pit_stop stops the tick (ata.defer=1 stops it while the CPU waits for the disk):
 * over 100 M time-stamp-counter cycles, ten ticks' worth under -icount and several on
 * any host, none comes, nor is the stopped timer's last interrupt counted as one; then
 * pit_resume starts it again. */
KTEST(timer_stops)
{
    cli();
    pit_stop();
    sti();
    uint32_t start = ticks;
    for (uint64_t t0 = rdtsc(); rdtsc() - t0 < 100000000ull;)
        __asm__ volatile("pause");
    KEXPECT_EQ(ticks, start);
    cli();
    pit_resume();
    sti();
    for (int i = 0; i < 1000 && ticks - start < 2; i++)
        hlt();
    KEXPECT(ticks - start >= 2);
}

/* The parser copes with good and malformed lines (into its own struct cmdline, so
 * the boot command line is untouched). */
KTEST(cmdline_parse)
{
    static struct cmdline cl;
    cmdline_parse(&cl, "/boot/kernel.elf vm.policy=fifo vm.frames=64 init=\"/bin/sh -c ls\" quiet");
    KEXPECT_EQ(cl.nwarnings, 0);
    KEXPECT(strcmp(cmdline_lookup(&cl, "vm.policy"), "fifo") == 0);
    KEXPECT_EQ(cmdline_lookup_int(&cl, "vm.frames", -1), 64);
    KEXPECT(strcmp(cmdline_lookup(&cl, "init"), "/bin/sh -c ls") == 0);
    KEXPECT(strcmp(cmdline_lookup(&cl, "quiet"), "1") == 0);
    KEXPECT(cmdline_lookup(&cl, "ktest") == NULL);

    cmdline_parse(&cl, "=x vm.frames=abc bogus=1 init=\"unterminated vm.cow=0 vm.cow=1");
    KEXPECT_EQ(cl.nwarnings, 3);                      /* missing key, unknown key, quote */
    KEXPECT_EQ(cmdline_lookup_int(&cl, "vm.frames", -1), -1);   /* not a number */
    KEXPECT(cmdline_lookup(&cl, "bogus") == NULL);
    KEXPECT(strcmp(cmdline_lookup(&cl, "init"), "unterminated vm.cow=0 vm.cow=1") == 0);

    cmdline_parse(&cl, "vm.cow=0 vm.cow=1");          /* the last one wins */
    KEXPECT_EQ(cmdline_lookup_int(&cl, "vm.cow", -1), 1);
    KEXPECT(cmdline_get("ktest") != NULL);            /* the boot command line is intact */
}

/* The screen follows the line editor's redrawing: ESC [ n D and C move, ESC [ K erases
 * to the end of the line, \r returns to its start, \b steps back. */
KTEST(vga_escapes)
{
    const char *s = "\nabcd\x1b[2Dx\x1b[K\rZ\x1b[1C\x1b[1Cy\b\bQ";
    while (*s)
        vga_putc(*s++);
    const uint16_t *row = (const uint16_t *)P2V(0xB8000) + vga_cursor() / 80 * 80;
    char got[6];
    for (int i = 0; i < 5; i++)
        got[i] = (char)row[i];
    got[5] = '\0';
    KEXPECT(strcmp(got, "ZbQy ") == 0);
    KEXPECT_EQ(vga_cursor() % 80, 3);
}

/* printk's formatting: every conversion, width and padding. */
KTEST(printk_format)
{
    char buf[96];
    ksnprintf(buf, sizeof(buf), "%d|%5d|%-5d|%05d|%u|%x|%08X|%p|%s|%c|%%|%lld",
              -42, 42, 42, -42, 3000000000u, 0xbeef, 0xbeef, (void *)0xc0100000, "str", 'z',
              -1234567890123LL);
    KEXPECT(strcmp(buf, "-42|   42|42   |-0042|3000000000|beef|0000BEEF|0xc0100000|str|z|%|"
                        "-1234567890123") == 0);
    KEXPECT_EQ(ksnprintf(buf, 4, "%s", "truncated"), 9);
    KEXPECT(strcmp(buf, "tru") == 0);
}

/* A deliberate NULL dereference in the kernel. The kernel panics; the runner checks the
 * report names the exception, the error code, CR2 and a backtrace through this test. */
KTEST_ALONE(panic_report)
{
    volatile uint32_t *null = (volatile uint32_t *)0;
    printk("# about to dereference NULL\n");
    *null = 1;
    KEXPECT(0);   /* not reached */
}
