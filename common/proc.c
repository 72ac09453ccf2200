/*
 * proc.c: fork, exec, and read two pipes until the child exits or runs out of time.
 * Read proc.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"

#define READ_CHUNK 512
#define MAX_FD_SCAN 65536
#define PATH_MAX_LEN 512
#define REAP_POLL 0.002 /* seconds between two looks at a server that was told to stop */
#define LISTENING "listening on "

/* Built with ThreadSanitizer (gcc says so with a macro, clang with __has_feature)? */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

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

/* In a child about to exec: close every descriptor above stderr that the test had open. */
static void close_inherited(void)
{
    long max = sysconf(_SC_OPEN_MAX);

    if (max < 0 || max > MAX_FD_SCAN)
        max = MAX_FD_SCAN;
    for (int fd = STDERR_FILENO + 1; fd < max; fd++)
        close(fd);
}

/* A temporary file, already unlinked: its descriptor is the only way to it. */
static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[PATH_MAX_LEN];
    int fd;

    snprintf(path, sizeof path, "%s/ttw-server-XXXXXX", dir != NULL && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Copy the start of the server's stderr file into r->err. */
static void read_err_file(int fd, struct proc_result *r)
{
    ssize_t n;
    size_t len = 0;

    if (lseek(fd, 0, SEEK_SET) == -1)
        return;
    while (len < PROC_ERR_MAX - 1 && (n = read(fd, r->err + len, PROC_ERR_MAX - 1 - len)) > 0)
        len += (size_t)n;
    r->err[len] = '\0';
}

/* Wait for the exit of pid until `deadline` (ns, 0: no limit), then kill it. Fills in r. */
static int reap(int pid, int64_t deadline, struct proc_result *r)
{
    int status;
    pid_t got;

    for (;;) {
        got = waitpid(pid, &status, deadline > 0 ? WNOHANG : 0);
        if (got == pid)
            break;
        if (got == -1 && errno != EINTR)
            return -1;
        if (got == 0 && clock_now_ns() >= deadline) {
            kill(pid, SIGKILL);
            r->timed_out = true;
            deadline = 0; /* and now wait for the kill, which cannot be refused */
        } else if (got == 0) {
            sleep_seconds(REAP_POLL); /* waitpid has no timeout: look again shortly */
        }
    }
    if (WIFEXITED(status))
        r->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r->signal = WTERMSIG(status);
    return 0;
}

static int finish(struct proc_server *s, int sig, double timeout, struct proc_result *r);

int proc_server_start(char *const argv[], double timeout, struct proc_server *s,
                      struct proc_result *r)
{
    int out[2];
    int64_t deadline;
    char line[PROC_LINE_MAX], *colon;
    size_t len = 0;

    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    memset(s, 0, sizeof *s);
    s->err_file = temp_file();
    if (s->err_file == -1)
        return -1;
    if (pipe(out) == -1) {
        close(s->err_file);
        return -1;
    }
    s->start_ns = clock_now_ns();
    deadline = s->start_ns + seconds_to_ns(timeout);
    s->pid = fork();
    if (s->pid == -1) {
        close(out[0]);
        close(out[1]);
        close(s->err_file);
        return -1;
    }
    if (s->pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(s->err_file, STDERR_FILENO);
        close_inherited();
        execv(argv[0], argv);
        _exit(127);
    }
    close(out[1]);
    s->out = out[0];
    /* One byte at a time, so that nothing after the first line is taken from the pipe. */
    while (len < sizeof line - 1) {
        fd_set rd;
        int64_t left = deadline - clock_now_ns();
        struct timeval tv;
        ssize_t n;

        if (left <= 0)
            break;
        tv.tv_sec = (time_t)(left / NSEC_PER_SEC);
        tv.tv_usec = (suseconds_t)(left % NSEC_PER_SEC / 1000);
        FD_ZERO(&rd);
        FD_SET(s->out, &rd);
        if (select(s->out + 1, &rd, NULL, NULL, &tv) <= 0)
            continue; /* a signal, or the time is up: the loop's test decides */
        n = read(s->out, line + len, 1);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0 || line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    colon = strrchr(line, ':');
    if (strncmp(line, LISTENING, strlen(LISTENING)) == 0 && colon != NULL && colon[1] != '\0' &&
        strspn(colon + 1, "0123456789") == strlen(colon + 1) && strlen(colon + 1) <= 5) {
        s->port = atoi(colon + 1);
        return 0;
    }
    /* Not ready: report what it printed and how it ended, and leave nothing running. */
    if (len > 0) {
        memcpy(r->lines[0], line, len + 1);
        r->nlines = 1;
    }
    if (clock_now_ns() >= deadline) {
        finish(s, SIGKILL, timeout, r);
        r->timed_out = true;
    } else { /* it ended, or said something else: most likely why it is about to exit */
        finish(s, 0, (double)(deadline - clock_now_ns()) / (double)NSEC_PER_SEC, r);
    }
    return -1;
}

/* Send sig (0: none), then collect the rest of the output and the exit, adding to what r holds. */
static int finish(struct proc_server *s, int sig, double timeout, struct proc_result *r)
{
    int64_t start = clock_now_ns(), deadline = start + seconds_to_ns(timeout);
    int rc;

    if (sig != 0)
        kill(s->pid, sig);
    /* ThreadSanitizer's runtime holds a signal back until the thread it is for next calls the C
     * library, so a server built with it and asleep in select() does not see SIGTERM: one
     * connection, closed at once, wakes it. A server built without it never needs this. */
    if (UNDER_TSAN && sig != 0 && sig != SIGKILL && s->port > 0) {
        int knock = net_connect("127.0.0.1", s->port, false);

        if (knock >= 0)
            close(knock); /* refused, once the server has closed its socket: just as well */
    }
    if (!collect(r, s->out, -1, start, deadline)) {
        kill(s->pid, SIGKILL);
        r->timed_out = true;
    }
    rc = reap(s->pid, deadline, r);
    r->elapsed = (double)(clock_now_ns() - start) / (double)NSEC_PER_SEC;
    read_err_file(s->err_file, r);
    close(s->out);
    close(s->err_file);
    s->out = s->err_file = -1;
    return rc;
}

int proc_server_stop(struct proc_server *s, int sig, double timeout, struct proc_result *r)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    return finish(s, sig, timeout, r);
}

int proc_count_fds(int pid)
{
    return proc_count_fds_below(pid, INT_MAX);
}

int proc_count_fds_below(int pid, int limit)
{
    char path[PATH_MAX_LEN];
    DIR *dir;
    struct dirent *e;
    int n = 0;

    snprintf(path, sizeof path, "/proc/%d/fd", pid);
    dir = opendir(path);
    if (dir == NULL)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] != '.' && atoi(e->d_name) < limit)
            n++;
    }
    closedir(dir);
    return n;
}
