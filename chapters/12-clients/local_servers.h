/*
 * local_servers.h: what chapter 12's clients share: URLs from the command line, or servers of
 * their own, started on loopback, so that `make run` needs no setup and nothing leaves the machine.
 *
 * Chapter 12. Every client takes the usual options (-s, -t, -T, -h) and then, optionally, URLs:
 *     fetch_two_loop http://127.0.0.1:8080/posts/1 http://127.0.0.1:8080/posts/2
 * Without URLs it starts http_server (and, for the crawlers, bad_server) from its own folder on a
 * free port (-p 0), waits for the "listening on" line (proc.h), and stops them at the end. Like
 * echo_clients.h in chapter 7, these are static functions in a header, so that each program still
 * builds from its own .c file and common/.
 */
#ifndef LOCAL_SERVERS_H
#define LOCAL_SERVERS_H

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "http.h"
#include "proc.h"

#define SERVER_START_TIMEOUT 10.0 /* seconds: generous, for a sanitized server on a busy machine   \
                                   */
#define SERVER_STOP_TIMEOUT 5.0
#define PATH_MAX_LEN 4096

struct local_server {
    struct proc_server proc;
    bool running;
};

/* The URLs given at the end of argv (from the first "http://" on): returns how many arguments
 * come before them, which is what demo_init should see. */
static int urls_start(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "http://", strlen("http://")) == 0)
            return i;
    }
    return argc;
}

/* Parse argv[first ..] into urls[]; ends the program on a bad URL. */
static void urls_parse(int argc, char **argv, int first, struct http_url *urls)
{
    for (int i = first; i < argc; i++) {
        if (http_url_parse(argv[i], &urls[i - first]) == -1)
            die_msg("%s: not an http:// URL: '%s'\n", argv[0], argv[i]);
    }
}

/* Start `name` (http_server or bad_server, in the folder of argv0) with the extra options. */
static void local_server_start(struct local_server *s, const char *argv0, const char *name,
                               const char *delay)
{
    const char *slash = strrchr(argv0, '/');
    char path[PATH_MAX_LEN];
    char *args[] = {path, "-p", "0", "--delay", (char *)delay, NULL};
    static struct proc_result r; /* large: not on the stack */

    snprintf(path, sizeof path, "%.*s%s", slash != NULL ? (int)(slash - argv0 + 1) : 2,
             slash != NULL ? argv0 : "./", name);
    if (delay == NULL)
        args[3] = NULL;
    if (proc_server_start(args, SERVER_START_TIMEOUT, &s->proc, &r) == -1)
        die_msg("could not start %s: %s%s\n", path, r.nlines > 0 ? r.lines[0] : "", r.err);
    s->running = true;
}

/* A URL on a server we started. */
static void local_url(struct http_url *url, const struct local_server *s, const char *target)
{
    snprintf(url->host, sizeof url->host, "127.0.0.1");
    url->port = s->proc.port;
    snprintf(url->target, sizeof url->target, "%s", target);
}

/* Stop the server with SIGTERM, if we started it; say so if it did not end well. */
static void local_server_stop(struct local_server *s)
{
    static struct proc_result r;

    if (!s->running)
        return;
    s->running = false;
    if (proc_server_stop(&s->proc, SIGTERM, SERVER_STOP_TIMEOUT, &r) == -1)
        die_errno("proc_server_stop");
    if (r.exit_code != 0)
        die_msg("the server ended badly (status %d, signal %d): %s\n", r.exit_code, r.signal,
                r.err);
}

#endif
