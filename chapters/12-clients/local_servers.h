/*
 * local_servers.h: what chapter 12's clients share: URLs from the command line, or servers of
 * their own, started on loopback, so that `make run` needs no setup and nothing leaves the machine.
 *
 * Chapter 12. Every client takes the usual options (-s, -t, -T, -h) and then, optionally, URLs:
 *     fetch_two_loop http://127.0.0.1:8080/posts/1 http://127.0.0.1:8080/posts/2
 * Without URLs it starts http_server (and, for the crawlers, bad_server) from its own folder on a
 * free port (-p 0), waits for the "listening on" line (proc.h), and stops them at the end. Like
 * echo_clients.h in chapter 7, these are functions in a header (static inline: a program may use
 * only some of them), so that each program still builds from its own .c file and common/.
 */
#ifndef LOCAL_SERVERS_H
#define LOCAL_SERVERS_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "http.h"
#include "net.h"
#include "proc.h"

#define SERVER_START_TIMEOUT                                                                       \
    10.0 /* seconds: generous, for a sanitized server on a busy machine                            \
          */
#define SERVER_STOP_TIMEOUT 5.0
#define PATH_MAX_LEN 4096

struct local_server {
    struct proc_server proc;
    bool running;
};

/* The URLs given at the end of argv (from the first "http://" on): returns how many arguments
 * come before them, which is what demo_init should see. */
static inline int urls_start(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "http://", strlen("http://")) == 0)
            return i;
    }
    return argc;
}

/* Parse argv[first ..] into urls[]; ends the program on a bad URL. */
static inline void urls_parse(int argc, char **argv, int first, struct http_url *urls)
{
    for (int i = first; i < argc; i++) {
        if (http_url_parse(argv[i], &urls[i - first]) == -1)
            die_msg("%s: not an http:// URL: '%s'\n", argv[0], argv[i]);
    }
}

/* Start `name` (http_server or bad_server, in the folder of argv0) with the extra options. */
static inline void local_server_start(struct local_server *s, const char *argv0, const char *name,
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
static inline void local_url(struct http_url *url, const struct local_server *s, const char *target)
{
    snprintf(url->host, sizeof url->host, "127.0.0.1");
    url->port = s->proc.port;
    snprintf(url->target, sizeof url->target, "%s", target);
}

/* The body's length without its final newline, for printing it on one line. */
static inline int body_shown(const struct http_parser *response)
{
    size_t len = response->body_len;

    if (len > 0 && response->body[len - 1] == '\n')
        len--;
    return (int)len;
}

/* Stop the server with SIGTERM, if we started it; say so if it did not end well. */
static inline void local_server_stop(struct local_server *s)
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

/* ---- the two posts of fetch_two_sequential, fetch_two_loop and fetch_two_threads ---- */

#define POSTS 2
#define POST_DELAY 1.0 /* seconds http_server waits before answering, before -s */

/* The two URLs of the command line, or /posts/1 and /posts/2 on an http_server started here. */
static inline void post_urls(const struct demo *demo, int argc, char **argv, int first,
                             struct local_server *server, struct http_url urls[POSTS])
{
    char delay[32];

    if (argc - first != 0 && argc - first != POSTS)
        die_msg("%s: give two URLs, or none\n", argv[0]);
    if (argc - first == POSTS) {
        urls_parse(argc, argv, first, urls);
        return;
    }
    snprintf(delay, sizeof delay, "%g", demo_seconds(demo, POST_DELAY));
    local_server_start(server, argv[0], "http_server", delay);
    local_url(&urls[0], server, "/posts/1");
    local_url(&urls[1], server, "/posts/2");
}

/* ---- the crawlers' URLs ---- */

#define CRAWL_DELAY 0.5   /* seconds http_server waits before each answer, before -s */
#define CRAWL_TIMEOUT 1.5 /* seconds each request may take, before -s */
#define CRAWL_LIMIT 3     /* requests at once */
#define CRAWL_MAX_URLS 32

/* What the crawlers fetch when given no URLs: posts, a 404, and every misbehaviour. */
static const struct {
    bool bad; /* on bad_server, else on http_server */
    const char *target;
} crawl_targets[] = {
    {false, "/posts/1"}, {false, "/posts/2"},  {true, "/truncated"}, {false, "/posts/3"},
    {true, "/garbage"},  {false, "/posts/4"},  {true, "/silent"},    {false, "/posts/5"},
    {true, "/close"},    {true, "/huge-head"}, {false, "/posts/6"},  {false, "/posts/99"},
};

/* The URLs of the command line, or those above on servers started here. Returns how many. */
static inline size_t crawl_urls(const struct demo *demo, int argc, char **argv, int first,
                                struct local_server *good, struct local_server *bad,
                                struct http_url urls[CRAWL_MAX_URLS])
{
    size_t n = sizeof crawl_targets / sizeof crawl_targets[0];
    char delay[32];

    if (argc - first > CRAWL_MAX_URLS)
        die_msg("%s: at most %d URLs\n", argv[0], CRAWL_MAX_URLS);
    if (argc > first) {
        urls_parse(argc, argv, first, urls);
        return (size_t)(argc - first);
    }
    snprintf(delay, sizeof delay, "%g", demo_seconds(demo, CRAWL_DELAY));
    local_server_start(good, argv[0], "http_server", delay);
    local_server_start(bad, argv[0], "bad_server", NULL);
    for (size_t i = 0; i < n; i++)
        local_url(&urls[i], crawl_targets[i].bad ? bad : good, crawl_targets[i].target);
    return n;
}

#endif
