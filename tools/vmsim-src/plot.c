/* tools/vmsim-src/plot.c: runs the plotting script (python3 tools/vmsim-src/plot.py, whose
 * path the Makefile compiles in as VMSIM_PLOTTER) with a pipe to its standard input. */
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tools/vmsim-src/plot.h"

extern char **environ;

static pid_t plotter = -1;

FILE *plot_start(const char *path, const char *title)
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char *argv[] = {"python3", VMSIM_PLOTTER, "--title", (char *)title, (char *)path, NULL};
    int err = posix_spawnp(&plotter, "python3", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[0]);
    if (err) {
        close(fds[1]);
        return NULL;
    }
    return fdopen(fds[1], "w");
}

int plot_finish(FILE *rows)
{
    int status;
    if (fclose(rows) != 0 || waitpid(plotter, &status, 0) != plotter)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
