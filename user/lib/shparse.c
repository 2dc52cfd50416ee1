/* user/lib/shparse.c: the shell's parser and word expansion (see shparse.h). Quotes
 * and backslashes are resolved while parsing; a '$' to expand is kept as VAR_MARK, so
 * $? is read when its command runs, not when the line is read ("false; echo $?"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "user/lib/shparse.h"

#define VAR_MARK '\x01'          /* an unquoted or double-quoted '$': expanded when run */

/* ---- parsing: the line into pipelines of commands of words ---------------------- */

struct parser {
    const char *p;
    char *out;                   /* where the next word's bytes go */
};

static int syntax(const char *what)
{
    fprintf(stderr, "sh: unsupported syntax: %s (type help)\n", what);
    return -1;
}

/* One word: quotes, backslash, and '$' marked for expansion. */
static char *word(struct parser *ps)
{
    char *start = ps->out;
    while (*ps->p && !strchr(" \t\n|&;<>", *ps->p)) {
        char c = *ps->p++;
        if (c == '\\' && *ps->p) {
            *ps->out++ = *ps->p++;
        } else if (c == '\'' || c == '"') {
            while (*ps->p && *ps->p != c) {
                char q = *ps->p++;
                *ps->out++ = q == '$' && c == '"' ? VAR_MARK : q;
            }
            if (!*ps->p) {
                fprintf(stderr, "sh: missing %c\n", c);
                return NULL;
            }
            ps->p++;
        } else if (strchr("()`{}*?", c)) {
            char what[2] = {c, 0};
            syntax(what);
            return NULL;
        } else if (c == '$') {
            *ps->out++ = VAR_MARK;
            if (*ps->p == '?' || *ps->p == '$')
                *ps->out++ = *ps->p++;
            else if (*ps->p == '{')
                while (*ps->p && (*ps->out++ = *ps->p++) != '}')
                    ;
        } else {
            *ps->out++ = c;
        }
    }
    *ps->out++ = '\0';
    return start;
}

/* "<", ">", ">>", "N>", "N>>", "N>&M", ">&M"; ps->p is at the digit or the bracket. */
static int redirection(struct parser *ps, struct command *c)
{
    if (c->nredir == MAXREDIR)
        return syntax("too many redirections");
    struct redir *r = &c->redir[c->nredir++];
    r->fd = *ps->p >= '0' && *ps->p <= '9' ? *ps->p++ - '0' : *ps->p == '<' ? 0 : 1;
    char op = *ps->p++;
    if (op == '<' && *ps->p == '<')
        return syntax("<< (here documents)");
    if (op == '<')
        r->flags = O_RDONLY;
    else if (*ps->p == '>')
        ps->p++, r->flags = O_WRONLY | O_CREAT | O_APPEND;
    else
        r->flags = O_WRONLY | O_CREAT | O_TRUNC;
    if (op == '>' && *ps->p == '&') {
        ps->p++;
        if (*ps->p < '0' || *ps->p > '9')
            return syntax(">& without a descriptor number");
        r->flags = -1;
        r->dup = *ps->p++ - '0';
        return 0;
    }
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
    if (!*ps->p || strchr("|&;<>", *ps->p)) {
        fprintf(stderr, "sh: a redirection needs a file name\n");
        return -1;
    }
    r->path = word(ps);
    return r->path ? 0 : -1;
}

/* What joins two pipelines (ps->p at it), or -1 for a lone '|'. */
static int joiner(struct parser *ps, enum join *j)
{
    if (ps->p[0] == '&' && ps->p[1] == '&')
        *j = JOIN_AND, ps->p += 2;
    else if (ps->p[0] == '|' && ps->p[1] == '|')
        *j = JOIN_OR, ps->p += 2;
    else if (*ps->p == '&')
        *j = JOIN_BG, ps->p++;
    else if (*ps->p == ';')
        *j = JOIN_SEQ, ps->p++;
    else
        return -1;
    return 0;
}

static int empty_command(const struct command *c) { return c->argc == 0 && c->nredir == 0; }

/* The whole line into pipes[]; returns how many, or -1 after a message. */
int sh_parse(const char *line, char *store, struct pipeline *pipes)
{
    struct parser ps = {line, store};
    int n = 0;
    memset(&pipes[0], 0, sizeof(pipes[0]));
    struct pipeline *pl = &pipes[0];
    struct command *c = &pl->cmd[0];
    pl->n = 1;
    for (;;) {
        while (*ps.p == ' ' || *ps.p == '\t' || *ps.p == '\n')
            ps.p++;
        if (*ps.p == '#')
            break;
        int digit_redir = *ps.p >= '0' && *ps.p <= '9' && ps.p[1] == '>';
        if (!*ps.p) {
            break;
        } else if (*ps.p == '<' || *ps.p == '>' || digit_redir) {
            if (redirection(&ps, c) < 0)
                return -1;
        } else if (*ps.p == '|' && ps.p[1] != '|') {
            if (empty_command(c) || pl->n == MAXSTAGES)
                return syntax(empty_command(c) ? "| with no command before it"
                                               : "too many commands in a pipeline");
            ps.p++;
            c = &pl->cmd[pl->n++];
        } else if (strchr("|&;", *ps.p)) {
            enum join j = JOIN_SEQ;
            joiner(&ps, &j);
            if (empty_command(c))
                return syntax("an operator with no command before it");
            pl->join = j;
            if (++n == MAXPIPES)
                return syntax("too many commands on one line");
            pl = &pipes[n];
            memset(pl, 0, sizeof(*pl));
            pl->n = 1;
            c = &pl->cmd[0];
        } else {
            if (c->argc == MAXWORDS - 1)
                return syntax("too many words");
            if (!(c->argv[c->argc++] = word(&ps)))
                return -1;
        }
    }
    if (empty_command(c)) {
        if (pl->n > 1 || (n > 0 && pipes[n - 1].join != JOIN_SEQ && pipes[n - 1].join != JOIN_BG))
            return syntax("a line ending in an operator");
        return n;
    }
    return n + 1;
}

/* ---- expansion: $NAME, ${NAME}, $?, $$ ------------------------------------------ */

char *sh_expand(const char *w, int status)
{
    static char bufs[MAXWORDS + MAXREDIR][MAXLINE];
    static int next;
    char *out = bufs[next++ % (MAXWORDS + MAXREDIR)], *o = out, *end = out + MAXLINE - 1;
    while (*w && o < end) {
        if (*w != VAR_MARK) {
            *o++ = *w++;
            continue;
        }
        w++;
        char name[64], num[16];
        const char *value = NULL;
        int n = 0, braced = *w == '{';
        w += braced;
        if (*w == '?' || *w == '$') {
            snprintf(num, sizeof(num), "%d", *w == '?' ? status : (int)getpid());
            value = num, w++;
        } else {
            while ((*w == '_' || (*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') ||
                    (n && *w >= '0' && *w <= '9')) && n < 63)
                name[n++] = *w++;
            name[n] = '\0';
            value = n ? getenv(name) : "$";
        }
        w += braced && *w == '}';
        for (const char *v = value ? value : ""; *v && o < end; v++)
            *o++ = *v;
    }
    *o = '\0';
    return out;
}

