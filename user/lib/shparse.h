/* user/lib/shparse.h: the shell's grammar: a command line parsed into pipelines of
 * commands (words and redirections) joined by ";", "&&", "||" and "&", and the expansion
 * of $NAME, ${NAME}, $? and $$ in a word when its command runs. */
#ifndef USER_LIB_SHPARSE_H
#define USER_LIB_SHPARSE_H

#define MAXLINE 1024
#define MAXWORDS 128
#define MAXSTAGES 16
#define MAXREDIR 8
#define MAXPIPES 32

struct redir {
    int fd;                      /* the descriptor redirected */
    int flags;                   /* open flags, or -1 for "fd>&dup" */
    int dup;
    char *path;
};

struct command {
    char *argv[MAXWORDS];
    int argc;
    struct redir redir[MAXREDIR];
    int nredir;
};

enum join { JOIN_END, JOIN_SEQ, JOIN_AND, JOIN_OR, JOIN_BG };

struct pipeline {
    struct command cmd[MAXSTAGES];
    int n;
    enum join join;              /* what follows it */
};

/* The whole line into pipes[] (words are stored in store, twice the line's size): how
 * many pipelines, or -1 after a message on stderr. */
int sh_parse(const char *line, char *store, struct pipeline *pipes);

/* A word with its variables replaced (status is $?); the result lives until MAXWORDS +
 * MAXREDIR more expansions. */
char *sh_expand(const char *word, int status);

#endif
