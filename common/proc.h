/*
 * proc.h: run a program, with a time limit, and collect what it printed and when.
 *
 * The black-box tests of every chapter use it: they run a chapter program and check its lines,
 * their order, and the time between them. Times are taken as each line *arrives*, so the cost of
 * starting the process (large under sanitizers) does not blur "took 2 s" against "took 3 s".
 * `make run` uses it too, without capturing, to print each program's elapsed time.
 */
#ifndef PROC_H
#define PROC_H

#include <stdbool.h>
#include <stddef.h>

#define PROC_MAX_LINES 64
#define PROC_LINE_MAX 256
#define PROC_ERR_MAX 4096

struct proc_result {
    int exit_code;  /* the exit status if the program exited, else -1 */
    int signal;     /* the signal that killed it, or 0 */
    bool timed_out; /* it was killed because the time limit passed */
    double elapsed; /* seconds from start to exit */
    size_t nlines;  /* complete stdout lines stored (at most PROC_MAX_LINES) */
    bool truncated; /* it printed more lines, or longer ones, than are stored */
    char lines[PROC_MAX_LINES][PROC_LINE_MAX]; /* stdout lines, without the newline */
    double line_at[PROC_MAX_LINES];            /* seconds after start when each line arrived */
    char err[PROC_ERR_MAX];                    /* the start of stderr, NUL-terminated */
};

/*
 * Run argv[0] (a path) with arguments argv, killing it with SIGKILL after `timeout` seconds
 * (0: no limit; the limit applies only with `capture`). With `capture`, stdout and stderr are
 * collected into `r`; without, they go where ours go and only the status and time are filled in.
 * Returns 0, or -1 with errno set if the program could not be started (a program that cannot be
 * exec'ed exits with code 127).
 */
int proc_run(char *const argv[], double timeout, bool capture, struct proc_result *r);

/*
 * A server that a test starts, talks to over loopback, and stops (chapters 11 and 12). Its stdout
 * comes through a pipe: its first line must be "listening on HOST:PORT", which says it is ready,
 * so the test never sleeps; what follows is read when it stops, so it should print little more
 * there (a pipe holds 64 KiB on Linux). Its stderr goes to a temporary file, as long as it likes.
 */
struct proc_server {
    int pid;      /* the server's process id, for kill() and proc_count_fds() */
    int port;     /* the port in its first line */
    int out;      /* read end of its stdout */
    int err_file; /* its stderr: an unlinked temporary file */
    long long start_ns;
};

/*
 * Start argv[0] (a path) with arguments argv and wait up to `timeout` seconds for its first
 * line. Returns 0 with `s` filled in; or -1 when it could not start, exited, or printed something
 * else first, with what it printed and how it ended in `r` (it is killed if still running).
 */
int proc_server_start(char *const argv[], double timeout, struct proc_server *s,
                      struct proc_result *r);

/*
 * Send `sig` (0: none, for a server already told to stop) and wait up to `timeout` seconds for
 * the server to exit, killing it with SIGKILL after that. `r` is cleared, then gets its stdout
 * lines after the first, its stderr (the start of it), its exit status, and the time it took to
 * exit after `sig`. Under ThreadSanitizer, which holds a signal back from a thread asleep in
 * select(), a stop signal is followed by one connection to the server's port, closed at once,
 * to wake it. Returns 0, or -1 with errno set if waiting failed.
 */
int proc_server_stop(struct proc_server *s, int sig, double timeout, struct proc_result *r);

/* How many descriptors process `pid` has open (from /proc on Linux), or -1 if unknown here. */
int proc_count_fds(int pid);

/* How many of them are numbered below `limit` (RLIMIT_NOFILE bounds the numbers), or -1. */
int proc_count_fds_below(int pid, int limit);

#endif
