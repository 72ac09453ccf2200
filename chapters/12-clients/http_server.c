/*
 * http_server.c: a small HTTP/1.1 server on the event loop, serving JSON posts on loopback.
 *
 * Chapter 12. The stand-in for jsonplaceholder.typicode.com, which article 002's aiohttp example
 * fetches /posts/1 and /posts/2 from: nothing in this book reaches the internet. It answers GET
 * and HEAD for /posts/1 to /posts/10, 404 for other paths, 405 for other methods, and 400 (or
 * 431, 413, 501, 505) to a request it cannot parse, then closes that connection; keep-alive
 * serves several requests on one connection, in order. --delay waits before each answer, on a
 * timer of the loop (never a blocking sleep), so that the clients' concurrency shows in time.
 * Each connection is a small state machine driven by callbacks, as in chapter 11's loop server:
 * read a request, wait the delay, write the answer, then read again or close.
 * Try it: ./http_server -p 8080, then curl -i http://127.0.0.1:8080/posts/1 or a browser.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "http.h"
#include "loop.h"
#include "net.h"

#define DEFAULT_PORT 8080
#define POST_COUNT 10
#define READ_CHUNK 4096
#define OUT_MAX 2048
#define BODY_MAX 512          /* a post, as JSON */
#define DRAIN_SECONDS 1.0     /* how long a closing connection may still send us bytes */
#define DRAIN_MAX (64 * 1024) /* and how many */
#define DELAY_MAX 60

struct server {
    struct loop *loop;
    struct server_config config;
    double delay;
    int listen_fd, stop_fd, clients;
    long requests, connections;
    struct conn *conns; /* every open connection, to free them when the server stops */
};

struct conn {
    struct server *server;
    struct conn *prev, *next;
    int fd;
    struct http_parser request;
    char pending[READ_CHUNK]; /* bytes read past the current request: the next one's start */
    size_t pending_len;
    char out[OUT_MAX]; /* the answer being written */
    size_t out_len, out_sent;
    bool closing;   /* after this answer, close: the client asked, or its request was bad */
    bool draining;  /* answered, write side shut: reading what is left until EOF */
    size_t drained; /* bytes read while draining */
    struct loop_timer timer; /* the delay before answering; then the limit on draining */
};

/* Posts in the shape of jsonplaceholder's, in our own words. */
static const char *const titles[POST_COUNT] = {
    "two ways to wait",    "a loop on one thread",    "threads side by side",
    "the cost of a wait",  "nothing happens at once", "a semaphore at the door",
    "time out, not hang",  "bytes arrive in pieces",  "the server said nothing",
    "count what you read",
};

static void on_readable(struct loop *loop, void *arg);
static void on_writable(struct loop *loop, void *arg);

static void conn_close(struct conn *c)
{
    struct server *s = c->server;

    loop_unwatch(s->loop, c->fd, LOOP_READ);
    loop_unwatch(s->loop, c->fd, LOOP_WRITE);
    loop_cancel_timer(s->loop, &c->timer);
    if (close(c->fd) == -1)
        die_errno("close");
    *(c->prev != NULL ? &c->prev->next : &s->conns) = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    http_parser_free(&c->request);
    free(c);
    s->clients--;
}

static void watch(struct conn *c, enum loop_event event, loop_fn *fn)
{
    if (loop_watch(c->server->loop, c->fd, event, fn, c) == -1)
        die_errno("loop_watch");
}

/* Put status, headers and body (NULL: none, as for HEAD) in c->out, and start writing it. */
static void answer(struct conn *c, int status, const char *extra, const char *body, size_t len,
                   bool send_body)
{
    int n = snprintf(c->out, sizeof c->out,
                     "HTTP/1.1 %d %s\r\nServer: ttw-http\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n%s%s\r\n%s",
                     status, http_reason(status), len, extra,
                     c->closing ? "Connection: close\r\n" : "", send_body ? body : "");

    if (n < 0 || (size_t)n >= sizeof c->out)
        die_msg("http_server: an answer larger than OUT_MAX\n");
    c->out_len = (size_t)n;
    c->out_sent = 0;
    watch(c, LOOP_WRITE, on_writable);
}

/* The number N of "/posts/N", or 0 if the target is not one of the posts. */
static int post_number(const char *target)
{
    const char *digits = target + strlen("/posts/");
    int n = 0;

    if (strncmp(target, "/posts/", strlen("/posts/")) != 0 || *digits == '\0')
        return 0;
    for (const char *d = digits; *d != '\0'; d++) {
        if (*d < '0' || *d > '9' || n > POST_COUNT)
            return 0;
        n = n * 10 + (*d - '0');
    }
    return n <= POST_COUNT && digits[0] != '0' ? n : 0;
}

/* A whole request was read (after the delay, if any): answer it. */
static void respond(struct loop *loop, void *arg)
{
    struct conn *c = arg;
    const struct http_parser *r = &c->request;
    bool head = strcmp(r->method, "HEAD") == 0;
    char body[BODY_MAX];
    int id = post_number(r->target), len;

    (void)loop;
    c->closing = !r->keep_alive;
    if (!head && strcmp(r->method, "GET") != 0) {
        len = snprintf(body, sizeof body, "{\"error\": \"%s\"}\n", http_reason(405));
        answer(c, 405, "Allow: GET, HEAD\r\n", body, (size_t)len, true);
    } else if (id == 0) {
        len = snprintf(body, sizeof body, "{\"error\": \"%s\"}\n", http_reason(404));
        answer(c, 404, "", body, (size_t)len, !head);
    } else {
        len = snprintf(body, sizeof body,
                       "{\"userId\": 1, \"id\": %d, \"title\": \"%s\", \"body\": \"post %d of "
                       "%d, served from loopback\"}\n",
                       id, titles[id - 1], id, POST_COUNT);
        answer(c, 200, "", body, (size_t)len, !head);
    }
}

/* Look at the parser after feeding it: read on, answer, or refuse. */
static void after_feed(struct conn *c)
{
    struct server *s = c->server;
    char body[BODY_MAX];
    int status, len;

    if (c->request.state == HTTP_HEAD || c->request.state == HTTP_BODY) {
        watch(c, LOOP_READ, on_readable);
        return;
    }
    loop_unwatch(s->loop, c->fd, LOOP_READ); /* one request at a time, in order */
    if (c->request.state == HTTP_FAILED) {
        status = http_error_status(c->request.error);
        c->closing = true; /* where the next request starts is unknown: give up the connection */
        len = snprintf(body, sizeof body, "{\"error\": \"%s\"}\n", http_reason(status));
        answer(c, status, "", body, (size_t)len, true);
        return;
    }
    s->requests++;
    if (s->delay > 0) {
        if (loop_call_later(s->loop, &c->timer, s->delay, respond, c) == -1)
            die_errno("loop_call_later");
    } else {
        respond(s->loop, c);
    }
}

/* Feed the parser what was read past the last request, keeping what it does not take. */
static void feed_pending(struct conn *c)
{
    size_t used = http_parser_feed(&c->request, c->pending, c->pending_len);

    memmove(c->pending, c->pending + used, c->pending_len - used);
    c->pending_len -= used;
}

static void drain_over(struct loop *loop, void *arg)
{
    (void)loop;
    conn_close(arg);
}

static void on_readable(struct loop *loop, void *arg)
{
    struct conn *c = arg;
    char buf[READ_CHUNK];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    size_t used;

    (void)loop;
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return; /* readable was a hint, not a promise */
    if (n <= 0 || (c->draining && (c->drained += (size_t)n) > DRAIN_MAX)) {
        conn_close(c); /* the client hung up (or reset), or has said enough */
        return;
    }
    if (c->draining)
        return;
    used = http_parser_feed(&c->request, buf, (size_t)n);
    /* A request ends inside this read: keep the rest (at most one read's worth) for later. */
    memcpy(c->pending, buf + used, (size_t)n - used);
    c->pending_len = (size_t)n - used;
    after_feed(c);
}

static void on_writable(struct loop *loop, void *arg)
{
    struct conn *c = arg;
    ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);

    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n == -1) {
        conn_close(c); /* EPIPE, ECONNRESET: the client is gone */
        return;
    }
    c->out_sent += (size_t)n;
    if (c->out_sent < c->out_len)
        return;
    loop_unwatch(loop, c->fd, LOOP_WRITE);
    if (c->closing) {
        /* Close gently: a close() with unread bytes waiting sends a reset, which can destroy
         * our answer before the client reads it. Shut our side, read theirs out, then close. */
        shutdown(c->fd, SHUT_WR);
        c->draining = true;
        watch(c, LOOP_READ, on_readable);
        if (loop_call_later(loop, &c->timer, DRAIN_SECONDS, drain_over, c) == -1)
            die_errno("loop_call_later");
        return;
    }
    http_parser_reset(&c->request); /* keep-alive: the next request, maybe already read */
    feed_pending(c);
    after_feed(c);
}

static void on_accept(struct loop *loop, void *arg)
{
    static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n";
    struct server *s = arg;
    struct conn *c;
    int fd = accept(s->listen_fd, NULL, NULL);

    (void)loop;
    if (fd == -1)
        return; /* the client gave up already (or EMFILE: try again on the next turn) */
    if (s->clients >= s->config.max_clients || fd >= FD_SETSIZE) {
        /* Refused: one short write into an empty socket buffer, then close. */
        if (send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT) == -1) {
            /* nothing more to do for a client we refuse */
        }
        close(fd);
        return;
    }
    if ((c = calloc(1, sizeof *c)) == NULL)
        die_errno("calloc");
    c->server = s;
    c->fd = fd;
    if (net_set_nonblocking(fd) == -1)
        die_errno("fcntl");
    http_parser_init(&c->request, HTTP_REQUEST, s->config.max_request, s->config.max_request);
    c->next = s->conns;
    if (s->conns != NULL)
        s->conns->prev = c;
    s->conns = c;
    s->clients++;
    s->connections++;
    watch(c, LOOP_READ, on_readable);
}

static void on_stop(struct loop *loop, void *arg)
{
    (void)arg;
    loop_stop(loop);
}

int main(int argc, char **argv)
{
    static struct server s = {.config = SERVER_CONFIG_INIT(DEFAULT_PORT)};
    const struct server_option extra[] = {
        {"delay", "SECONDS", "wait this long before each answer (a timer on the loop)", &s.delay, 0,
         DELAY_MAX, false},
        {NULL, NULL, NULL, NULL, 0, 0, false},
    };

    server_init(&s.config, argc, argv,
                "A small HTTP/1.1 server on the event loop: JSON posts at /posts/1 to /posts/10.",
                extra);
    s.stop_fd = server_catch_stop();
    s.listen_fd = server_listen(&s.config);
    if (net_set_nonblocking(s.listen_fd) == -1)
        die_errno("fcntl");
    if ((s.loop = loop_new()) == NULL)
        die_errno("loop_new");
    if (loop_watch(s.loop, s.listen_fd, LOOP_READ, on_accept, &s) == -1 ||
        loop_watch(s.loop, s.stop_fd, LOOP_READ, on_stop, &s) == -1)
        die_errno("loop_watch");
    if (loop_run(s.loop) == -1)
        die_errno("loop_run");
    while (s.conns != NULL)
        conn_close(s.conns);
    printf("served %ld requests on %ld connections\n", s.requests, s.connections);
    loop_free(s.loop);
    close(s.listen_fd);
    return 0;
}
