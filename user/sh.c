/* user/sh.c: the shell. Pipelines "a | b", lists with ";", "&&", "||" and "&", $VAR, $?
 * and export, redirections "<", ">", ">>", "2>&1", quotes; job control (each pipeline a
 * process group that gets the terminal, ^C and ^Z reach it, fg resumes); line editing
 * and history when reading a terminal (user/lib/lineedit.c). The grammar is in
 * user/lib/shparse.c. "help" lists it all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/lineedit.h"
#include "user/lib/shparse.h"

extern char **environ;

static int interactive;          /* reading a terminal: job control and editing */
static int last_status;
static pid_t stopped_job;        /* the process group ^Z stopped last (fg resumes it) */
static pid_t background[MAXPIPES];

static const char *const builtins[] = {"cd", "exit", "export", "unset", "wait", "fg", "help"};

/* ---- running commands ----------------------------------------------------------- */

/* Apply c's redirections in order (so "> f 2>&1" sends both to f). */
static int redirect(const struct command *c)
{
    for (int i = 0; i < c->nredir; i++) {
        const struct redir *r = &c->redir[i];
        int fd = r->dup;
        if (r->flags != -1) {
            const char *path = sh_expand(r->path, last_status);
            fd = open(path, r->flags, 0644);
            if (fd < 0) {
                fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
                return -1;
            }
        }
        if (dup2(fd, r->fd) < 0) {
            fprintf(stderr, "sh: %d: %s\n", fd, strerror(errno));
            return -1;
        }
        if (r->flags != -1)
            close(fd);
    }
    return 0;
}

static int is_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strcmp(name, builtins[i]) == 0)
            return 1;
    return 0;
}

/* The shell's status for a wait status; says so when a signal killed the child
 * (not for SIGPIPE, the normal end of a writer whose reader has gone). */
static int status_of(int status)
{
    if (WIFSTOPPED(status))
        return 128 + WSTOPSIG(status);
    if (!WIFSIGNALED(status))
        return WEXITSTATUS(status);
    if (WTERMSIG(status) != SIGPIPE)
        fprintf(stderr, "%s\n", strsignal(WTERMSIG(status)));
    return 128 + WTERMSIG(status);
}

/* Wait for the pipeline's processes; the status is the last one's. A stopped job is
 * remembered for fg. */
static int wait_job(pid_t *pids, int n, pid_t pgid)
{
    int status = 0;
    for (int i = 0; i < n; i++) {
        int w;
        pid_t r;
        while ((r = waitpid(pids[i], &w, WUNTRACED)) < 0 && errno == EINTR)
            ;
        if (r != pids[i])
            continue;
        if (WIFSTOPPED(w)) {
            stopped_job = pgid;
            fprintf(stderr, "\n[stopped] %d (fg resumes it)\n", pgid);
            return status_of(w);
        }
        if (i == n - 1)
            status = status_of(w);
    }
    return status;
}

static void foreground(pid_t pgid)
{
    if (interactive)
        tcsetpgrp(0, pgid);
}

static int builtin_help(void)
{
    printf("Built-ins: cd [DIR], exit [N], export NAME=VALUE, unset NAME, wait, fg, help\n"
           "Syntax: a | b, a ; b, a && b, a || b, a &, < FILE, > FILE, >> FILE, 2> FILE,\n"
           "        2>&1, 'quoted', \"quoted $VAR\", $VAR, ${VAR}, $?, $$, NAME=VALUE, # comment\n"
           "Keys: arrows (history, editing), ^A ^E, ^U (erase line), ^C (interrupt),\n"
           "      ^Z (stop; fg resumes), ^D (end of input)\n"
           "Programs in /bin:");
    DIR *d = opendir("/bin");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            printf(" %s", e->d_name);
    printf("\n");
    if (d)
        closedir(d);
    return 0;
}

static int builtin_fg(void)
{
    if (!stopped_job) {
        fprintf(stderr, "sh: fg: no stopped job\n");
        return 1;
    }
    pid_t pgid = stopped_job;
    stopped_job = 0;
    foreground(pgid);
    kill(-pgid, SIGCONT);
    pid_t pid = pgid;                   /* the group leader is the pipeline's first */
    int status = wait_job(&pid, 1, pgid);
    while (waitpid(-pgid, NULL, WNOHANG) > 0)
        ;
    foreground(getpgrp());
    return status;
}

static int builtin_wait(void)
{
    for (int i = 0; i < MAXPIPES; i++) {
        if (background[i] && waitpid(background[i], NULL, 0) == background[i])
            background[i] = 0;
    }
    return 0;
}

static int run_builtin(char **argv)
{
    const char *name = argv[0];
    if (strcmp(name, "exit") == 0) {
        fflush(stdout);
        exit(argv[1] ? atoi(argv[1]) : last_status);
    }
    if (strcmp(name, "cd") == 0) {
        const char *dir = argv[1] ? argv[1] : "/";
        if (chdir(dir) == 0)
            return 0;
        fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (strcmp(name, "export") == 0 || strcmp(name, "unset") == 0) {
        for (int i = 1; argv[i]; i++) {
            char *eq = strchr(argv[i], '=');
            if (name[0] == 'u')
                unsetenv(argv[i]);
            else if (eq) {
                *eq = '\0';
                setenv(argv[i], eq + 1, 1);
            }
        }
        return 0;
    }
    if (strcmp(name, "wait") == 0)
        return builtin_wait();
    if (strcmp(name, "fg") == 0)
        return builtin_fg();
    return builtin_help();
}

/* NAME=VALUE words alone: set variables (every variable is exported). */
static int assignments_only(char **argv)
{
    for (int i = 0; argv[i]; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i])
            return 0;
    }
    for (int i = 0; argv[i]; i++) {
        char *eq = strchr(argv[i], '=');
        *eq = '\0';
        setenv(argv[i], eq + 1, 1);
    }
    return 1;
}

static void expand_argv(const struct command *c, char **argv)
{
    for (int i = 0; i < c->argc; i++)
        argv[i] = sh_expand(c->argv[i], last_status);
    argv[c->argc] = NULL;
}

/* In a child: job control back to the defaults, redirections, then the program. */
static void child(const struct command *c, pid_t pgid)
{
    char *argv[MAXWORDS];
    if (interactive) {
        setpgid(0, pgid);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
        signal(SIGTTOU, SIG_DFL);
    }
    if (redirect(c) < 0)
        _exit(1);
    expand_argv(c, argv);
    if (!argv[0])
        _exit(0);
    if (is_builtin(argv[0])) {
        int status = run_builtin(argv);
        fflush(stdout);
        _exit(status);
    }
    char path[MAXLINE + 8];
    snprintf(path, sizeof(path), strchr(argv[0], '/') ? "%s" : "/bin/%s", argv[0]);
    execve(path, argv, environ);
    fprintf(stderr, "sh: %s: %s\n", argv[0], errno == ENOENT ? "not found" : strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

/* A built-in alone runs in the shell itself (cd and export must), its redirections
 * undone afterwards. */
static int builtin_here(const struct command *c, char **argv)
{
    int saved[3];
    for (int fd = 0; fd < 3; fd++)
        saved[fd] = dup(fd);
    int status = redirect(c) < 0 ? 1 : run_builtin(argv);
    fflush(stdout);
    for (int fd = 0; fd < 3; fd++) {
        dup2(saved[fd], fd);
        close(saved[fd]);
    }
    return status;
}

static int run_pipeline(struct pipeline *pl, int bg)
{
    char *argv[MAXWORDS];
    if (pl->n == 1 && !bg) {
        expand_argv(&pl->cmd[0], argv);
        if (argv[0] && is_builtin(argv[0]))
            return builtin_here(&pl->cmd[0], argv);
        if (argv[0] && pl->cmd[0].nredir == 0 && assignments_only(argv))
            return 0;
    }
    pid_t pids[MAXSTAGES], pgid = 0;
    int started = 0, in = 0;
    for (int i = 0; i < pl->n; i++) {
        int fds[2] = {-1, 1};
        if (i < pl->n - 1 && pipe(fds) < 0) {
            fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            if (in != 0)
                dup2(in, 0), close(in);
            if (fds[1] != 1)
                dup2(fds[1], 1), close(fds[1]), close(fds[0]);
            child(&pl->cmd[i], pgid);
        }
        if (in != 0)
            close(in);
        if (fds[1] != 1)
            close(fds[1]);
        in = fds[0];
        if (pid < 0) {
            fprintf(stderr, "sh: fork: %s\n", strerror(errno));
            if (in >= 0)
                close(in);
            break;
        }
        if (!pgid)
            pgid = pid;
        if (interactive)
            setpgid(pid, pgid);         /* here too, so it is done before we wait */
        pids[started++] = pid;
    }
    if (bg) {
        for (int i = 0; i < MAXPIPES; i++)
            if (!background[i]) {
                background[i] = pids[started - 1];
                break;
            }
        printf("[bg] %d\n", pids[started - 1]);
        return 0;
    }
    foreground(pgid);
    int status = wait_job(pids, started, pgid);
    foreground(getpgrp());
    return started == pl->n ? status : 1;
}

/* Runs one command line; the status is the last pipeline's. */
static int run_line(const char *line)
{
    static char store[2 * MAXLINE + 2];
    static struct pipeline pipes[MAXPIPES];
    if (strlen(line) > MAXLINE) {
        fprintf(stderr, "sh: line too long\n");
        return last_status = 2;
    }
    int n = sh_parse(line, store, pipes);
    if (n < 0)
        return last_status = 2;
    enum join before = JOIN_SEQ;
    for (int i = 0; i < n; i++) {
        int skip = (before == JOIN_AND && last_status != 0) ||
                   (before == JOIN_OR && last_status == 0);
        if (!skip)
            last_status = run_pipeline(&pipes[i], pipes[i].join == JOIN_BG);
        before = pipes[i].join;
    }
    return last_status;
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

static void on_interrupt(int sig) { (void)sig; }

/* An interactive shell leads its own process group and owns the terminal; ^C while
 * editing only drops the line (the handler has no SA_RESTART, so read gets EINTR). */
static void take_terminal(void)
{
    struct sigaction sa = {.sa_handler = on_interrupt};
    sigaction(SIGINT, &sa, NULL);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    setpgid(0, 0);
    tcsetpgrp(0, getpid());
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-c") == 0)
        return run_line(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: sh [-c 'command line']\n");
        return 2;
    }
    interactive = isatty(0);
    if (interactive)
        take_terminal();
    char line[MAXLINE + 2];
    for (;;) {
        int n;
        if (interactive) {
            n = lineedit_read("$ ", line, sizeof(line));
            if (n == LINEEDIT_INTERRUPTED) {
                last_status = 130;
                continue;
            }
        } else {
            write(1, "$ ", 2);
            n = read_line(line, sizeof(line));
        }
        if (n < 0)
            return last_status;
        run_line(line);
    }
}
