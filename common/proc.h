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

#endif
