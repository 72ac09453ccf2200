/*
 * proc.c: fork, exec, and read two pipes until the child exits or runs out of time.
 * Read proc.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

#define READ_CHUNK 512

/* Append bytes to the stdout lines, stamping each line when its newline arrives. */
static void add_output(struct proc_result *r, char *partial, size_t *plen, const char *buf,
                       size_t n, double now)
{
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (*plen < PROC_LINE_MAX - 1)
                partial[(*plen)++] = buf[i];
            else
                r->truncated = true;
            continue;
        }
        if (r->nlines < PROC_MAX_LINES) {
            memcpy(r->lines[r->nlines], partial, *plen);
            r->lines[r->nlines][*plen] = '\0';
            r->line_at[r->nlines++] = now;
        } else {
            r->truncated = true;
        }
        *plen = 0;
    }
}

static void add_error(struct proc_result *r, size_t *elen, const char *buf, size_t n)
{
    size_t room = PROC_ERR_MAX - 1 - *elen;

    if (n > room)
        n = room;
    memcpy(r->err + *elen, buf, n);
    *elen += n;
    r->err[*elen] = '\0';
}

/* Read both pipes until both reach end of file or the deadline passes. Returns false on timeout. */
static bool collect(struct proc_result *r, int out, int err, int64_t start, int64_t deadline)
{
    char partial[PROC_LINE_MAX], buf[READ_CHUNK];
    size_t plen = 0, elen = 0;
    int fds[2] = {out, err};

    while (fds[0] >= 0 || fds[1] >= 0) {
        fd_set rd;
        struct timeval tv, *tvp = NULL;
        int maxfd = -1;

        FD_ZERO(&rd);
        for (int i = 0; i < 2; i++) {
            if (fds[i] >= 0) {
                FD_SET(fds[i], &rd);
                maxfd = fds[i] > maxfd ? fds[i] : maxfd;
            }
        }
        if (deadline > 0) {
            int64_t left = deadline - clock_now_ns();

            if (left <= 0)
                return false;
            tv.tv_sec = (time_t)(left / NSEC_PER_SEC);
            tv.tv_usec = (suseconds_t)(left % NSEC_PER_SEC / 1000);
            tvp = &tv;
        }
        if (select(maxfd + 1, &rd, NULL, NULL, tvp) == -1) {
            if (errno == EINTR)
                continue;
            return false;
        }
        for (int i = 0; i < 2; i++) {
            ssize_t n;

            if (fds[i] < 0 || !FD_ISSET(fds[i], &rd))
                continue;
            n = read(fds[i], buf, sizeof buf);
            if (n == -1 && errno == EINTR)
                continue;
            if (n <= 0) {
                fds[i] = -1; /* end of file (or an error, which ends the stream all the same) */
                continue;
            }
            if (i == 0)
                add_output(r, partial, &plen, buf, (size_t)n,
                           (double)(clock_now_ns() - start) / (double)NSEC_PER_SEC);
            else
                add_error(r, &elen, buf, (size_t)n);
        }
    }
    return true;
}

int proc_run(char *const argv[], double timeout, bool capture, struct proc_result *r)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1}, status;
    int64_t start, deadline;
    pid_t pid;

    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    if (capture && (pipe(out) == -1 || pipe(err) == -1)) {
        int saved = errno;

        if (out[0] >= 0) {
            close(out[0]);
            close(out[1]);
        }
        errno = saved;
        return -1;
    }
    start = clock_now_ns();
    deadline = timeout > 0 ? start + seconds_to_ns(timeout) : 0;
    pid = fork();
    if (pid == -1)
        return -1;
    if (pid == 0) {
        if (capture) {
            dup2(out[1], STDOUT_FILENO);
            dup2(err[1], STDERR_FILENO);
            close(out[0]);
            close(out[1]);
            close(err[0]);
            close(err[1]);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    if (capture) {
        close(out[1]);
        close(err[1]);
        if (!collect(r, out[0], err[0], start, deadline)) {
            kill(pid, SIGKILL);
            r->timed_out = true;
        }
        close(out[0]);
        close(err[0]);
    }
    /* Without capture, or once the pipes are closed, the only wait left is for the exit itself. */
    while (waitpid(pid, &status, 0) == -1) {
        if (errno != EINTR)
            return -1;
    }
    r->elapsed = (double)(clock_now_ns() - start) / (double)NSEC_PER_SEC;
    if (WIFEXITED(status))
        r->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r->signal = WTERMSIG(status);
    return 0;
}
