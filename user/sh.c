/* user/sh.c: a small shell: runs programs (found in /bin when the name has no slash) with
 * arguments, joins them with pipes "a | b | c", and knows the built-ins cd and exit. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXLINE 1024
#define MAXWORDS 128
#define MAXSTAGES 16

extern char **environ;

/* A '|' outside quotes becomes this very pointer, so a quoted "|" stays an argument. */
static char PIPE_WORD[] = "|";

/* Splits line into words copied to buf (at least twice the line's length): blanks separate
 * words, '|' is a word of its own, '...' and "..." keep blanks and bars inside a word.
 * Returns the number of words, or -1 on a syntax error. */
static int split_words(const char *line, char *buf, char **words)
{
    int n = 0;
    const char *p = line;
    while (*p) {
        if (strchr(" \t\n", *p)) {
            p++;
            continue;
        }
        if (n == MAXWORDS - 1) {
            fprintf(stderr, "sh: too many words\n");
            return -1;
        }
        if (*p == '|') {
            words[n++] = PIPE_WORD;
            p++;
            continue;
        }
        words[n++] = buf;
        while (*p && !strchr(" \t\n|", *p)) {
            if (*p != '\'' && *p != '"') {
                *buf++ = *p++;
                continue;
            }
            char quote = *p++;
            while (*p && *p != quote)
                *buf++ = *p++;
            if (!*p) {
                fprintf(stderr, "sh: missing %c\n", quote);
                return -1;
            }
            p++;
        }
        *buf++ = '\0';
    }
    words[n] = NULL;
    return n;
}

/* Cuts words at each PIPE_WORD into stages (each a NULL-ended argv).
 * Returns the number of stages, or -1 if one is empty. */
static int split_stages(char **words, char **stages[])
{
    int n = 0;
    stages[n++] = words;
    for (char **w = words; *w; w++) {
        if (*w != PIPE_WORD)
            continue;
        *w = NULL;
        if (n == MAXSTAGES) {
            fprintf(stderr, "sh: too many commands in a pipeline\n");
            return -1;
        }
        stages[n++] = w + 1;
    }
    for (int i = 0; i < n; i++) {
        if (stages[i][0] == NULL) {
            fprintf(stderr, "sh: syntax error near |\n");
            return -1;
        }
    }
    return n;
}

/* In a child: replaces it with the program argv names. Never returns. */
static void exec_program(char **argv)
{
    char path[MAXLINE + 8];
    if (strchr(argv[0], '/'))
        snprintf(path, sizeof(path), "%s", argv[0]);
    else
        snprintf(path, sizeof(path), "/bin/%s", argv[0]);
    execve(path, argv, environ);
    if (errno == ENOENT) {
        fprintf(stderr, "sh: %s: not found\n", argv[0]);
        _exit(127);
    }
    fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(errno));
    _exit(126);
}

/* The shell's status for a wait status; says so when a signal killed the child
 * (not for SIGPIPE, the normal end of a writer whose reader has gone). */
static int status_of(int status)
{
    if (!WIFSIGNALED(status))
        return WEXITSTATUS(status);
    if (WTERMSIG(status) != SIGPIPE)
        fprintf(stderr, "%s\n", strsignal(WTERMSIG(status)));
    return 128 + WTERMSIG(status);
}

/* Starts one child for stage: standard input from in, output to out (0 and 1: unchanged).
 * The child closes the unused read end of its own output pipe, unused_fd. */
static pid_t start_stage(char **argv, int in, int out, int unused_fd)
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "sh: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid > 0)
        return pid;
    if (in != 0) {
        dup2(in, 0);
        close(in);
    }
    if (out != 1) {
        dup2(out, 1);
        close(out);
    }
    if (unused_fd >= 0)
        close(unused_fd);
    exec_program(argv);
    return -1;
}

/* Runs stages[0] | stages[1] | ... and waits for all; the status is the last one's. */
static int run_pipeline(char **stages[], int n)
{
    pid_t pids[MAXSTAGES];
    int started = 0, in = 0, status = 0;
    for (int i = 0; i < n; i++) {
        int fds[2] = { -1, 1 };
        if (i < n - 1 && pipe(fds) < 0) {
            fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
            break;
        }
        pid_t pid = start_stage(stages[i], in, fds[1], fds[0]);
        if (in != 0)
            close(in);
        if (fds[1] != 1)
            close(fds[1]);
        in = fds[0];
        if (pid < 0) {
            if (in >= 0)
                close(in);
            break;
        }
        pids[started++] = pid;
    }
    for (int i = 0; i < started; i++) {
        int wstatus;
        if (waitpid(pids[i], &wstatus, 0) == pids[i])
            status = status_of(wstatus);
    }
    return started == n ? status : 1;
}

/* cd and exit run inside the shell itself. Returns 1 if argv was one of them. */
static int run_builtin(char **argv, int *status)
{
    if (strcmp(argv[0], "exit") == 0) {
        exit(argv[1] ? atoi(argv[1]) : *status);
    }
    if (strcmp(argv[0], "cd") == 0) {
        const char *dir = argv[1] ? argv[1] : "/";
        *status = 0;
        if (chdir(dir) != 0) {
            fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
            *status = 1;
        }
        return 1;
    }
    return 0;
}

/* Runs one command line; returns its status. status is the previous one (for "exit"). */
static int run_line(const char *line, int status)
{
    char buf[2 * MAXLINE + 2];
    char *words[MAXWORDS];
    char **stages[MAXSTAGES];
    if (strlen(line) > MAXLINE) {
        fprintf(stderr, "sh: line too long\n");
        return 2;
    }
    int nwords = split_words(line, buf, words);
    if (nwords <= 0)
        return nwords < 0 ? 2 : status;
    int nstages = split_stages(words, stages);
    if (nstages < 0)
        return 2;
    if (nstages == 1 && run_builtin(stages[0], &status))
        return status;
    return run_pipeline(stages, nstages);
}

/* Reads one line from standard input a byte at a time, so that none of the input
 * after it is taken from the programs the line runs. Returns -1 at end of input. */
static int read_line(char *line, int size)
{
    int n = 0;
    char c;
    while (read(0, &c, 1) == 1) {
        if (c == '\n') {
            line[n] = '\0';
            return n;
        }
        if (n < size - 1)
            line[n++] = c;
    }
    line[n] = '\0';
    return n > 0 ? n : -1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-c") == 0)
        return run_line(argv[2], 0);
    if (argc != 1) {
        fprintf(stderr, "usage: sh [-c 'command line']\n");
        return 2;
    }
    char line[MAXLINE + 2];
    int status = 0;
    for (;;) {
        write(1, "$ ", 2);
        if (read_line(line, sizeof(line)) < 0)
            return status;
        status = run_line(line, status);
    }
}
