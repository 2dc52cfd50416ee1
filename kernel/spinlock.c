/* kernel/spinlock.c: nested interrupt disabling (push_cli/pop_cli, as in xv6).
 * Only the outermost pop_cli restores the interrupt flag the first push_cli saw. */
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "kernel/panic.h"

static int cli_depth;
static int cli_was_enabled;

void cli_state_save(struct cli_state *s)
{
    s->depth = cli_depth;
    s->was_enabled = cli_was_enabled;
}

void cli_state_restore(const struct cli_state *s)
{
    cli_depth = s->depth;
    cli_was_enabled = s->was_enabled;
}

void push_cli(void)
{
    uint32_t flags = read_eflags();
    cli();
    if (cli_depth++ == 0)
        cli_was_enabled = (flags & EFLAGS_IF) != 0;
}

void pop_cli(void)
{
    if (read_eflags() & EFLAGS_IF)
        panic("pop_cli: interrupts enabled");
    if (--cli_depth < 0)
        panic("pop_cli: unbalanced");
    if (cli_depth == 0 && cli_was_enabled)
        sti();
}
