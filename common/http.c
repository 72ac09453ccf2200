/*
 * http.c: an incremental HTTP/1.1 message parser, and a GET for a thread and for the loop.
 * Read http.h first. Chapter 12 explains it; RFC 9112 is the standard it follows (loosely:
 * only what a small server and its clients need, and every length bounded).
 */
#define _POSIX_C_SOURCE 200809L
#include "http.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "net.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: the programs ignore SIGPIPE instead */
#endif

#define HEAD_FIRST_ALLOC 512 /* most heads fit; the buffer doubles up to max_head */
#define BODY_FIRST_ALLOC 512 /* for a body that runs to the end of the connection */

/* ---- the parser ------------------------------------------------------------------------------ */

void http_parser_init(struct http_parser *p, enum http_kind kind, size_t max_head, size_t max_body)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->max_head = max_head;
    p->max_body = max_body;
}

void http_parser_reset(struct http_parser *p)
{
    char *head = p->head;
    size_t head_cap = p->head_cap;

    free(p->body);
    http_parser_init(p, p->kind, p->max_head, p->max_body);
    p->head = head;
    p->head_cap = head_cap;
}

void http_parser_free(struct http_parser *p)
{
    free(p->head);
    free(p->body);
    http_parser_init(p, p->kind, p->max_head, p->max_body);
}

static void fail(struct http_parser *p, enum http_error error)
{
    p->state = HTTP_FAILED;
    p->error = error;
}

/* A "token" character (RFC 9110 5.6.2): what methods and header names are made of. */
static bool is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_token(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!is_tchar(s[i]))
            return false;
    }
    return true;
}

/* "HTTP/1.x": sets the minor version; another HTTP version fails with HTTP_ERR_VERSION. */
static bool parse_version(struct http_parser *p, const char *v)
{
    if (strncmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' ||
        v[7] > '9' || v[8] != '\0') {
        fail(p, HTTP_ERR_SYNTAX);
        return false;
    }
    if (v[5] != '1' || v[7] > '1') {
        fail(p, HTTP_ERR_VERSION);
        return false;
    }
    p->minor_version = v[7] - '0';
    return true;
}

/* METHOD SP TARGET SP VERSION: exactly one space between, nothing else. */
static bool parse_request_line(struct http_parser *p, char *line)
{
    char *sp1 = strchr(line, ' '), *sp2;

    if (sp1 == NULL || (sp2 = strchr(sp1 + 1, ' ')) == NULL || sp2 == sp1 + 1 ||
        !is_token(line, (size_t)(sp1 - line))) {
        fail(p, HTTP_ERR_SYNTAX);
        return false;
    }
    *sp1 = *sp2 = '\0';
    for (const char *c = sp1 + 1; *c != '\0'; c++) {
        if ((unsigned char)*c <= ' ' || *c == 0x7f) {
            fail(p, HTTP_ERR_SYNTAX);
            return false;
        }
    }
    p->method = line;
    p->target = sp1 + 1;
    return parse_version(p, sp2 + 1);
}

/* VERSION SP DDD [SP REASON]. */
static bool parse_status_line(struct http_parser *p, char *line)
{
    char *sp = strchr(line, ' '), *code;

    if (sp == NULL) {
        fail(p, HTTP_ERR_SYNTAX);
        return false;
    }
    *sp = '\0';
    if (!parse_version(p, line))
        return false;
    code = sp + 1;
    if (code[0] < '1' || code[0] > '5' || code[1] < '0' || code[1] > '9' || code[2] < '0' ||
        code[2] > '9' || (code[3] != '\0' && code[3] != ' ')) {
        fail(p, HTTP_ERR_SYNTAX);
        return false;
    }
    p->status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    p->reason = code[3] == ' ' ? code + 4 : code + 3;
    return true;
}

/* NAME ":" OWS VALUE OWS. No space before the colon, no line folding (RFC 9112 5.1, 5.2). */
static bool parse_header(struct http_parser *p, char *line)
{
    char *colon = strchr(line, ':'), *value, *end;

    if (colon == NULL || !is_token(line, (size_t)(colon - line))) {
        fail(p, HTTP_ERR_SYNTAX);
        return false;
    }
    if (p->nheaders == HTTP_MAX_HEADERS) {
        fail(p, HTTP_ERR_HEAD_TOO_LARGE);
        return false;
    }
    *colon = '\0';
    value = colon + 1;
    while (*value == ' ' || *value == '\t')
        value++;
    end = value + strlen(value);
    while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    for (const char *c = value; *c != '\0'; c++) {
        if (((unsigned char)*c < ' ' && *c != '\t') || *c == 0x7f) {
            fail(p, HTTP_ERR_SYNTAX);
            return false;
        }
    }
    p->headers[p->nheaders++] = (struct http_header){line, value};
    return true;
}

/* Content-Length: digits only, below max_body; repeated, always the same value. */
static bool parse_length(struct http_parser *p, const char *text)
{
    size_t n = 0;

    if (*text == '\0') {
        fail(p, HTTP_ERR_SYNTAX);
        return false;
    }
    for (const char *c = text; *c != '\0'; c++) {
        if (*c < '0' || *c > '9') {
            fail(p, HTTP_ERR_SYNTAX);
            return false;
        }
        if (n > (SIZE_MAX - 9) / 10) { /* no overflow: it is too large anyway */
            fail(p, HTTP_ERR_BODY_TOO_LARGE);
            return false;
        }
        n = n * 10 + (size_t)(*c - '0');
    }
    if (p->has_length && n != p->content_length) {
        fail(p, HTTP_ERR_SYNTAX); /* two lengths: which one frames the body? (smuggling) */
        return false;
    }
    p->has_length = true;
    p->content_length = n;
    return true;
}

/* Does the comma-separated list `value` hold `token` (any case)? */
static bool has_token(const char *value, const char *token)
{
    size_t len = strlen(token);

    while (*value != '\0') {
        while (*value == ' ' || *value == '\t' || *value == ',')
            value++;
        if (strncasecmp(value, token, len) == 0 &&
            (value[len] == '\0' || value[len] == ',' || value[len] == ' ' || value[len] == '\t'))
            return true;
        while (*value != '\0' && *value != ',')
            value++;
    }
    return false;
}

static bool grow_body(struct http_parser *p, size_t want)
{
    char *body;

    if (want <= p->body_cap)
        return true;
    if ((body = realloc(p->body, want)) == NULL) {
        fail(p, HTTP_ERR_NO_MEMORY);
        return false;
    }
    p->body = body;
    p->body_cap = want;
    return true;
}

/* What the headers say about the connection and the body. */
static void frame_body(struct http_parser *p)
{
    const char *connection = NULL;
    bool body_allowed = p->kind == HTTP_REQUEST ||
                        (!p->no_body && p->status >= 200 && p->status != 204 && p->status != 304);

    for (size_t i = 0; i < p->nheaders; i++) {
        const struct http_header *h = &p->headers[i];

        if (strcasecmp(h->name, "Content-Length") == 0 && !parse_length(p, h->value))
            return;
        if (strcasecmp(h->name, "Transfer-Encoding") == 0) {
            fail(p, HTTP_ERR_UNSUPPORTED);
            return;
        }
        if (strcasecmp(h->name, "Connection") == 0)
            connection = h->value;
    }
    p->keep_alive = p->minor_version == 1
                        ? connection == NULL || !has_token(connection, "close")
                        : connection != NULL && has_token(connection, "keep-alive");
    if (!body_allowed) {
        p->state = HTTP_DONE;
        return;
    }
    if (p->has_length && p->content_length > p->max_body) {
        fail(p, HTTP_ERR_BODY_TOO_LARGE);
        return;
    }
    /* A request without Content-Length has no body; a response without one runs to the end. */
    p->to_eof = !p->has_length && p->kind == HTTP_RESPONSE;
    if (p->to_eof) {
        p->keep_alive = false;
        if (!grow_body(p, BODY_FIRST_ALLOC))
            return;
    } else if (!grow_body(p, p->content_length + 1)) {
        return;
    }
    p->body[0] = '\0';
    p->state = p->to_eof || p->content_length > 0 ? HTTP_BODY : HTTP_DONE;
}

/* The whole head is in p->head[0 .. head_len): split it into lines, in place, and read them. */
static void parse_head(struct http_parser *p)
{
    char *line = p->head, *end = p->head + p->head_len;
    bool first = true;

    if (memchr(p->head, '\0', p->head_len) != NULL) {
        fail(p, HTTP_ERR_SYNTAX);
        return;
    }
    while (line < end) {
        char *lf = memchr(line, '\n', (size_t)(end - line)), *cr;
        bool ok;

        /* The head ends in an empty line, so every line here ends in LF, maybe after a CR. */
        *lf = '\0';
        if (lf > line && lf[-1] == '\r')
            lf[-1] = '\0';
        if ((cr = strchr(line, '\r')) != NULL) {
            fail(p, HTTP_ERR_SYNTAX); /* a bare CR inside a line */
            return;
        }
        if (line[0] == '\0')
            break; /* the empty line: the end of the head */
        if (first)
            ok = p->kind == HTTP_REQUEST ? parse_request_line(p, line) : parse_status_line(p, line);
        else
            ok = parse_header(p, line);
        if (!ok)
            return;
        first = false;
        line = lf + 1;
    }
    if (first) {
        fail(p, HTTP_ERR_SYNTAX); /* no start line at all */
        return;
    }
    frame_body(p);
}

/* The end of the head in head[0 .. n): the index after its empty line, or 0 if not there yet. */
static size_t head_end(struct http_parser *p, size_t n)
{
    for (size_t i = p->scan; i < n; i++) {
        if (p->head[i] != '\n')
            continue;
        if (i + 1 < n && p->head[i + 1] == '\n')
            return i + 2;
        if (i + 2 < n && p->head[i + 1] == '\r' && p->head[i + 2] == '\n')
            return i + 3;
    }
    /* Next time, look again from where an end could still begin: the last two bytes. */
    p->scan = n >= 2 ? n - 2 : 0;
    return 0;
}

/* Take head bytes from data; returns how many. */
static size_t feed_head(struct http_parser *p, const char *data, size_t len)
{
    size_t used = 0;

    while (used < len && p->state == HTTP_HEAD) {
        size_t room, take, end;

        if (p->head_len == p->max_head) {
            fail(p, HTTP_ERR_HEAD_TOO_LARGE);
            break;
        }
        if (p->head_len == p->head_cap) {
            size_t cap = p->head_cap == 0 ? HEAD_FIRST_ALLOC : 2 * p->head_cap;
            char *head;

            if (cap > p->max_head)
                cap = p->max_head;
            if ((head = realloc(p->head, cap)) == NULL) {
                fail(p, HTTP_ERR_NO_MEMORY);
                break;
            }
            p->head = head;
            p->head_cap = cap;
        }
        room = p->head_cap - p->head_len;
        take = len - used < room ? len - used : room;
        memcpy(p->head + p->head_len, data + used, take);
        end = head_end(p, p->head_len + take);
        if (end > 0) {
            take = end - p->head_len; /* the rest is body, or the next message */
            p->head_len = end;
            used += take;
            parse_head(p);
            break;
        }
        p->head_len += take;
        used += take;
    }
    return used;
}

static size_t feed_body(struct http_parser *p, const char *data, size_t len)
{
    size_t take = len;

    if (p->to_eof) {
        if (p->body_len + len > p->max_body) {
            fail(p, HTTP_ERR_BODY_TOO_LARGE);
            return 0;
        }
        if (p->body_len + len + 1 > p->body_cap) {
            size_t cap = 2 * p->body_cap;

            if (cap < p->body_len + len + 1)
                cap = p->body_len + len + 1;
            if (!grow_body(p, cap))
                return 0;
        }
    } else if (take > p->content_length - p->body_len) {
        take = p->content_length - p->body_len;
    }
    memcpy(p->body + p->body_len, data, take);
    p->body_len += take;
    p->body[p->body_len] = '\0';
    if (!p->to_eof && p->body_len == p->content_length)
        p->state = HTTP_DONE;
    return take;
}

size_t http_parser_feed(struct http_parser *p, const char *data, size_t len)
{
    size_t used = 0;

    if (p->state == HTTP_HEAD)
        used = feed_head(p, data, len);
    if (p->state == HTTP_BODY && used < len)
        used += feed_body(p, data + used, len - used);
    return used;
}

void http_parser_eof(struct http_parser *p)
{
    if (p->state == HTTP_BODY && p->to_eof)
        p->state = HTTP_DONE;
    else if (p->state == HTTP_HEAD && p->head_len == 0)
        fail(p, HTTP_ERR_CLOSED);
    else if (p->state == HTTP_HEAD || p->state == HTTP_BODY)
        fail(p, HTTP_ERR_TRUNCATED);
}

const char *http_header(const struct http_parser *p, const char *name)
{
    for (size_t i = 0; i < p->nheaders; i++) {
        if (strcasecmp(p->headers[i].name, name) == 0)
            return p->headers[i].value;
    }
    return NULL;
}

const char *http_error_text(enum http_error error)
{
    switch (error) {
    case HTTP_OK:
        return "no error";
    case HTTP_ERR_SYNTAX:
        return "malformed message";
    case HTTP_ERR_HEAD_TOO_LARGE:
        return "header too large";
    case HTTP_ERR_BODY_TOO_LARGE:
        return "body too large";
    case HTTP_ERR_UNSUPPORTED:
        return "transfer encoding not supported";
    case HTTP_ERR_VERSION:
        return "HTTP version not supported";
    case HTTP_ERR_CLOSED:
        return "connection closed before any answer";
    case HTTP_ERR_TRUNCATED:
        return "truncated message";
    case HTTP_ERR_NO_MEMORY:
        return "out of memory";
    }
    return "unknown error";
}

int http_error_status(enum http_error error)
{
    switch (error) {
    case HTTP_ERR_HEAD_TOO_LARGE:
        return 431;
    case HTTP_ERR_BODY_TOO_LARGE:
        return 413;
    case HTTP_ERR_UNSUPPORTED:
        return 501;
    case HTTP_ERR_VERSION:
        return 505;
    case HTTP_ERR_NO_MEMORY:
        return 503;
    default:
        return 400;
    }
}

const char *http_reason(int status)
{
    static const struct {
        int status;
        const char *reason;
    } reasons[] = {
        {200, "OK"},
        {400, "Bad Request"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {413, "Content Too Large"},
        {431, "Request Header Fields Too Large"},
        {501, "Not Implemented"},
        {503, "Service Unavailable"},
        {505, "HTTP Version Not Supported"},
    };

    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        if (reasons[i].status == status)
            return reasons[i].reason;
    }
    return "Unknown";
}

/* ---- URLs and requests ----------------------------------------------------------------------- */

int http_url_parse(const char *text, struct http_url *url)
{
    const char *host = text + strlen("http://"), *host_end, *rest;
    long port = 80;

    if (strncasecmp(text, "http://", strlen("http://")) != 0)
        goto invalid;
    if (*host == '[') { /* [::1]:8080 */
        host_end = strchr(++host, ']');
        if (host_end == NULL)
            goto invalid;
        rest = host_end + 1;
    } else {
        host_end = host + strcspn(host, ":/?#");
        rest = host_end;
    }
    if (host_end == host || (size_t)(host_end - host) >= sizeof url->host)
        goto invalid;
    memcpy(url->host, host, (size_t)(host_end - host));
    url->host[host_end - host] = '\0';
    if (*rest == ':') {
        char *end;

        errno = 0;
        port = strtol(rest + 1, &end, 10);
        if (end == rest + 1 || errno != 0 || port < 1 || port > 65535 ||
            (*end != '\0' && *end != '/' && *end != '?'))
            goto invalid;
        rest = end;
    }
    if (*rest != '\0' && *rest != '/' && *rest != '?')
        goto invalid;
    if (snprintf(url->target, sizeof url->target, "%s%s", *rest == '/' ? "" : "/", rest) >=
        (int)sizeof url->target)
        goto invalid;
    url->target[strcspn(url->target, "#")] = '\0'; /* a fragment is never sent */
    for (const char *c = url->target; *c != '\0'; c++) {
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            goto invalid;
    }
    url->port = (int)port;
    return 0;
invalid:
    errno = EINVAL;
    return -1;
}

int http_format_get(char *buf, size_t size, const struct http_url *url)
{
    bool ipv6 = strchr(url->host, ':') != NULL;
    int n = snprintf(buf, size,
                     "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\nUser-Agent: ttw-fetch/1.0\r\n"
                     "Accept: application/json\r\nConnection: close\r\n\r\n",
                     url->target, ipv6 ? "[" : "", url->host, ipv6 ? "]" : "", url->port);

    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return n;
}

void http_describe(char *buf, size_t size, int err, const struct http_parser *response)
{
    if (err == 0)
        snprintf(buf, size, "%d %s, %zu bytes", response->status, response->reason,
                 response->body_len);
    else if (err == EPROTO && response->error == HTTP_ERR_TRUNCATED &&
             response->state == HTTP_FAILED && response->has_length && response->body != NULL)
        snprintf(buf, size, "%s (%zu of %zu bytes)", http_error_text(response->error),
                 response->body_len, response->content_length);
    else if (err == EPROTO)
        snprintf(buf, size, "%s", http_error_text(response->error));
    else
        snprintf(buf, size, "%s", strerror(err));
}

/* ---- a GET on a thread ----------------------------------------------------------------------- */

/* Wait until fd is ready for `events` or the deadline (0: none) passes. 0, or -1 with errno. */
static int wait_ready(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = events};
        int ms = -1, n;

        if (deadline != 0) {
            int64_t left = deadline - clock_now_ns();

            if (left <= 0) {
                errno = ETIMEDOUT;
                return -1;
            }
            ms = (int)((left + 999999) / 1000000); /* round up: never wake before the deadline */
        }
        n = poll(&pfd, 1, ms);
        if (n > 0)
            return 0;
        if (n == -1 && errno != EINTR)
            return -1;
    }
}

/* The work of http_get, on a non-blocking socket; every wait bounded by `deadline`. */
static int get_on(int fd, const char *request, size_t len, int64_t deadline,
                  struct http_parser *response)
{
    char buf[4096];
    size_t sent = 0;
    int err;

    if (wait_ready(fd, POLLOUT, deadline) == -1)
        return -1;
    if ((err = net_connect_result(fd)) != 0) {
        errno = err;
        return -1;
    }
    while (sent < len) {
        ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);

        if (n >= 0)
            sent += (size_t)n;
        else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_ready(fd, POLLOUT, deadline) == -1)
                return -1;
        } else if (errno != EINTR)
            return -1;
    }
    while (response->state == HTTP_HEAD || response->state == HTTP_BODY) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);

        if (n > 0)
            http_parser_feed(response, buf, (size_t)n);
        else if (n == 0)
            http_parser_eof(response);
        else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_ready(fd, POLLIN, deadline) == -1)
                return -1;
        } else if (errno != EINTR)
            return -1;
    }
    if (response->state == HTTP_FAILED) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

int http_get(const struct http_url *url, double timeout, struct http_parser *response)
{
    char request[HTTP_REQUEST_MAX];
    int64_t deadline = timeout > 0 ? clock_now_ns() + seconds_to_ns(timeout) : 0;
    int len, fd, result, saved;

    http_parser_init(response, HTTP_RESPONSE, HTTP_HEAD_MAX, HTTP_BODY_MAX);
    if ((len = http_format_get(request, sizeof request, url)) == -1)
        return -1;
    /* Non-blocking, so that connect, send and recv can each wait no longer than the deadline. */
    if ((fd = net_connect(url->host, url->port, true)) == -1)
        return -1;
    result = get_on(fd, request, (size_t)len, deadline, response);
    saved = errno;
    close(fd);
    errno = saved;
    return result;
}

/* ---- a GET on the loop ----------------------------------------------------------------------- */

static enum task_state get_step(struct task *t);

int http_get_init(struct http_get *g, const char *name, const struct http_url *url)
{
    int len;

    memset(g, 0, sizeof *g);
    task_init(&g->task, name, get_step);
    g->url = *url;
    g->fd = -1;
    http_parser_init(&g->response, HTTP_RESPONSE, HTTP_HEAD_MAX, HTTP_BODY_MAX);
    if ((len = http_format_get(g->request, sizeof g->request, url)) == -1)
        return -1;
    g->request_len = (size_t)len;
    return 0;
}

/* The loop saw the socket ready: stop watching it, and let the task go on. */
static void on_ready(struct loop *loop, void *arg)
{
    struct http_get *g = arg;

    loop_unwatch(loop, g->fd, g->waiting);
    g->waiting = 0;
    task_wake_first(&g->ready);
}

static int watch(struct http_get *g, enum loop_event event)
{
    if (loop_watch(g->task.loop, g->fd, event, on_ready, g) == -1)
        return -1;
    g->waiting = event;
    return 0;
}

/* Stop watching and close the socket: on success, failure and cancellation alike. */
static void get_close(struct http_get *g)
{
    if (g->waiting != 0)
        loop_unwatch(g->task.loop, g->fd, g->waiting);
    g->waiting = 0;
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
}

/* await the socket being ready for `event` (asyncio: loop.add_reader and a future). */
#define WAIT_FOR_SOCKET(t, g, event)                                                               \
    do {                                                                                           \
        if (watch((g), (event)) == -1)                                                             \
            GET_FAIL((g), errno);                                                                  \
        TASK_WAIT_ON((t), &(g)->ready);                                                            \
    } while (0)

#define GET_FAIL(g, err)                                                                           \
    do {                                                                                           \
        int get_err_ = (err);                                                                      \
        get_close(g);                                                                              \
        TASK_FAIL(&(g)->task, get_err_);                                                           \
    } while (0)

static enum task_state get_step(struct task *t)
{
    struct http_get *g = (struct http_get *)t;
    ssize_t n;
    int err;

    TASK_BEGIN(t);
    if ((g->fd = net_connect(g->url.host, g->url.port, true)) == -1)
        TASK_FAIL(t, errno);
    WAIT_FOR_SOCKET(t, g, LOOP_WRITE); /* a non-blocking connect ends when it is writable */
    if ((err = net_connect_result(g->fd)) != 0)
        GET_FAIL(g, err);
    while (g->sent < g->request_len) {
        n = send(g->fd, g->request + g->sent, g->request_len - g->sent, MSG_NOSIGNAL);
        if (n >= 0)
            g->sent += (size_t)n;
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            GET_FAIL(g, errno);
        else
            WAIT_FOR_SOCKET(t, g, LOOP_WRITE);
    }
    while (g->response.state == HTTP_HEAD || g->response.state == HTTP_BODY) {
        n = recv(g->fd, g->buf, sizeof g->buf, 0);
        if (n > 0)
            http_parser_feed(&g->response, g->buf, (size_t)n);
        else if (n == 0)
            http_parser_eof(&g->response);
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            GET_FAIL(g, errno);
        else
            WAIT_FOR_SOCKET(t, g, LOOP_READ); /* "readable" may still find nothing: loop */
    }
    if (g->response.state == HTTP_FAILED)
        GET_FAIL(g, EPROTO);
    get_close(g);
    TASK_RETURN(t, &g->response);
    TASK_CLEANUP(t); /* cancelled (a timeout): let go of the socket */
    get_close(g);
    TASK_END(t);
}

void http_get_release(struct http_get *g)
{
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
    http_parser_free(&g->response);
    future_release(&g->task.future, g->task.name);
}
