/*
 * servers.h: what servers_tour.c and idle_client.c share: the four servers' names, and starting,
 * talking to and stopping one of them (they are the chapter's other programs, found beside ours).
 */
#ifndef SERVERS_H
#define SERVERS_H

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "net.h"
#include "proc.h"
#include "timeline.h"

#define NSERVERS 4
#define START_TIMEOUT 10.0 /* seconds for a server to print "listening on" */
#define STOP_TIMEOUT 10.0

static const char *const server_names[NSERVERS] = {"server_sequential", "server_threads",
                                                   "server_pool", "server_loop"};

/* Start the server `name`, found in the folder of this program (argv0), on a free port. */
static inline void server_start(const char *argv0, const char *name, struct proc_server *s)
{
    char path[1024];
    const char *slash = strrchr(argv0, '/');
    char *argv[] = {path, "-p", "0", NULL};
    struct proc_result r;

    snprintf(path, sizeof path, "%.*s%s", slash != NULL ? (int)(slash - argv0 + 1) : 0, argv0,
             name);
    if (proc_server_start(argv, START_TIMEOUT, s, &r) == -1)
        die_msg("%s did not start (is it built? `make` builds it): %s\n", path, r.err);
}

/* SIGTERM, and the server's exit status (it must be 0). */
static inline int server_stop(struct proc_server *s)
{
    struct proc_result r;

    if (proc_server_stop(s, SIGTERM, STOP_TIMEOUT, &r) == -1)
        die_errno("proc_server_stop");
    if (r.err[0] != '\0')
        fprintf(stderr, "%s", r.err);
    return r.signal != 0 ? 128 + r.signal : r.exit_code;
}

/* Read into buf until it holds `crlfs` line ends, or `seconds` pass. Returns the bytes read. */
static inline size_t read_lines(int fd, char *buf, size_t cap, int crlfs, double seconds)
{
    int64_t deadline = clock_now_ns() + (int64_t)(seconds * 1e9);
    size_t len = 0;
    int seen = 0;

    while (seen < crlfs && len < cap) {
        int64_t left = deadline - clock_now_ns();
        struct timeval tv = {.tv_sec = (time_t)(left / 1000000000),
                             .tv_usec = (suseconds_t)(left % 1000000000 / 1000)};
        fd_set rd;
        ssize_t n;

        if (left <= 0)
            break;
        FD_ZERO(&rd);
        FD_SET(fd, &rd);
        if (select(fd + 1, &rd, NULL, NULL, &tv) == -1 && errno != EINTR)
            die_errno("select");
        if (!FD_ISSET(fd, &rd))
            continue;
        n = recv(fd, buf + len, cap - len, 0);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            seen += buf[len + (size_t)i] == '\n';
        len += (size_t)n;
    }
    return len;
}

#endif
