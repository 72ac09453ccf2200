/*
 * http.h: just enough HTTP/1.1 for chapter 12's server and clients, written once.
 *
 * The parser reads one message, a request (for the server) or a response (for the clients),
 * fed in pieces of any size as they come off a socket: one byte at a time, or two messages in
 * one read. It never reads past what it was given and never keeps more than it was told it may:
 * the head (start line and headers) is limited to `max_head` bytes and HTTP_MAX_HEADERS lines,
 * the body to `max_body`. A message that breaks a rule fails with an error saying which
 * (enum http_error), and the server turns that into its status code (400, 431, 413...).
 *
 * Framing, the one thing a client must get right: a body is exactly Content-Length bytes, or, in
 * a response without one, everything up to the end of the connection. A response to HEAD, and a
 * 1xx, 204 or 304 response, has no body whatever its headers say. Chunked transfer encoding is
 * not supported (our server never sends it): such a message fails with HTTP_ERR_UNSUPPORTED.
 *
 * Then a GET, two ways, for the clients: http_get blocks its thread (with a deadline), and
 * struct http_get is a task on the event loop that waits for its socket without blocking.
 * Python: the parsing is what http.client and aiohttp do inside session.get().
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "task.h"

#define HTTP_MAX_HEADERS 32         /* header lines in one message */
#define HTTP_HEAD_MAX (16 * 1024)   /* a client's limit on a response head */
#define HTTP_BODY_MAX (1024 * 1024) /* a client's limit on a response body */
#define HTTP_HOST_MAX 256           /* a host name in a URL */
#define HTTP_TARGET_MAX 2048        /* a path (and query) in a URL */
#define HTTP_REQUEST_MAX (HTTP_HOST_MAX + HTTP_TARGET_MAX + 256) /* a GET request we send */

enum http_kind { HTTP_REQUEST, HTTP_RESPONSE };

/* Where the parser is: reading the head, reading the body, done, or failed (see error). */
enum http_state { HTTP_HEAD, HTTP_BODY, HTTP_DONE, HTTP_FAILED };

enum http_error {
    HTTP_OK,                 /* no error */
    HTTP_ERR_SYNTAX,         /* a malformed start line, header or Content-Length: 400 */
    HTTP_ERR_HEAD_TOO_LARGE, /* more than max_head bytes or HTTP_MAX_HEADERS lines: 431 */
    HTTP_ERR_BODY_TOO_LARGE, /* a body longer than max_body: 413 */
    HTTP_ERR_UNSUPPORTED,    /* Transfer-Encoding (chunked): 501 */
    HTTP_ERR_VERSION,        /* not HTTP/1.0 or HTTP/1.1: 505 */
    HTTP_ERR_CLOSED,         /* the connection ended before the first byte */
    HTTP_ERR_TRUNCATED,      /* the connection ended in the middle of the message */
    HTTP_ERR_NO_MEMORY       /* a buffer could not grow */
};

struct http_header {
    const char *name, *value; /* inside the parser's head buffer, NUL-terminated */
};

/*
 * One message being parsed. The fields above "private" are the message, valid from the state
 * HTTP_BODY on (the head was read): the strings point into the parser's own buffer and last until
 * http_parser_reset or http_parser_free.
 */
struct http_parser {
    enum http_kind kind;
    enum http_state state;
    enum http_error error; /* why, once state is HTTP_FAILED */
    bool no_body; /* set before feeding a response: it answers a HEAD request, so has no body */

    const char *method, *target; /* a request's start line: "GET", "/posts/1" */
    int status;                  /* a response's status code: 200 */
    const char *reason;          /* and its reason phrase: "OK" (may be empty) */
    int minor_version;           /* HTTP/1.<minor_version>: 0 or 1 */
    struct http_header headers[HTTP_MAX_HEADERS];
    size_t nheaders;
    bool keep_alive;       /* the connection may carry another message after this one */
    bool has_length;       /* a Content-Length header was given */
    size_t content_length; /* its value */
    char *body;            /* the body read so far, NUL-terminated (it may hold NULs too) */
    size_t body_len;

    /* Private. */
    size_t max_head, max_body;
    char *head;                /* the head's bytes, as they came */
    size_t head_len, head_cap; /* bytes in head, and its allocated size */
    size_t scan;               /* where to look for the end of the head next time */
    bool to_eof;               /* the body runs to the end of the connection */
    size_t body_cap;
};

/*
 * Prepare `p` to parse one message of `kind`, whose head may take up to `max_head` bytes and body
 * up to `max_body`. Allocates nothing yet. Release it with http_parser_free.
 */
void http_parser_init(struct http_parser *p, enum http_kind kind, size_t max_head, size_t max_body);

/*
 * Give the parser the next `len` bytes of the connection. Returns how many it took: all of them,
 * or fewer once the message is complete (the rest belong to the next message) or has failed.
 * Look at p->state afterwards: HTTP_HEAD or HTTP_BODY want more bytes, HTTP_DONE has the message,
 * HTTP_FAILED has an error.
 */
size_t http_parser_feed(struct http_parser *p, const char *data, size_t len);

/* The connection ended (read() returned 0): completes a body that runs to the end, else fails
 * with HTTP_ERR_CLOSED or HTTP_ERR_TRUNCATED. Does nothing once done or failed. */
void http_parser_eof(struct http_parser *p);

/* Make `p` ready for the next message on the same connection, keeping its buffers. */
void http_parser_reset(struct http_parser *p);

/* Free the parser's buffers. `p` may be initialised again afterwards. */
void http_parser_free(struct http_parser *p);

/* The value of the first header called `name` (any case), or NULL. */
const char *http_header(const struct http_parser *p, const char *name);

/* A short text for an error: "malformed message", "truncated message"... */
const char *http_error_text(enum http_error error);

/* The status code a server answers a request that failed with `error`: 400, 431, 413, 501, 505. */
int http_error_status(enum http_error error);

/* The reason phrase of a status code this repository uses ("Not Found"), or "Unknown". */
const char *http_reason(int status);

/* ---- URLs and requests --------------------------------------------------------------------- */

struct http_url {
    char host[HTTP_HOST_MAX];     /* "127.0.0.1", "localhost", "::1" (without brackets) */
    int port;                     /* 80 unless the URL says */
    char target[HTTP_TARGET_MAX]; /* "/posts/1"; "/" if the URL has no path */
};

/* Parse "http://HOST[:PORT][/PATH]" into `url`. Returns 0, or -1 with errno = EINVAL. */
int http_url_parse(const char *text, struct http_url *url);

/* Write a GET request for `url` into buf (`size` bytes) with Connection: close. Returns its
 * length, or -1 with errno = ENAMETOOLONG if it does not fit. */
int http_format_get(char *buf, size_t size, const struct http_url *url);

/*
 * Describe how a fetch ended, in buf: "200 OK, 163 bytes" for a response; else the error:
 * "truncated message (20 of 100 bytes)", "Connection timed out"... `err` is 0 or the errno the
 * fetch failed with; `response` the parser it used (its error explains an EPROTO).
 */
void http_describe(char *buf, size_t size, int err, const struct http_parser *response);

/* ---- a GET on a thread: blocking ----------------------------------------------------------- */

/*
 * Fetch `url` with a GET, blocking the calling thread, for at most `timeout` seconds from the
 * call (0: no limit). On return *response holds what was read (http_parser_free it, success or
 * not). Returns 0 once a whole response was read, whatever its status; or -1 with errno set:
 * ETIMEDOUT, ECONNREFUSED..., or EPROTO when the response broke the rules (response->error).
 */
int http_get(const struct http_url *url, double timeout, struct http_parser *response);

/* ---- a GET on the event loop: a task ------------------------------------------------------- */

/*
 * A task that fetches one URL on the loop: it connects, sends, and reads without blocking,
 * parked until the loop sees its socket ready. Start it like any task (task_start, TASK_GATHER,
 * TASK_WAIT_FOR). Done without error: `response` holds the response. Else task.error is the errno
 * (EPROTO: response.error says what). Cancelling it (TASK_WAIT_FOR's timeout) closes its socket.
 */
struct http_get {
    struct task task; /* first: a struct task * is also a struct http_get * */
    struct http_url url;
    struct http_parser response;

    /* Private. */
    int fd;
    enum loop_event waiting; /* what the socket is watched for, or 0 */
    struct task_waitlist ready;
    char request[HTTP_REQUEST_MAX];
    size_t request_len, sent;
    char buf[4096];
};

/* Prepare `g`, named `name`, to fetch `url`. Returns 0, or -1 with errno set if the request does
 * not fit. */
int http_get_init(struct http_get *g, const char *name, const struct http_url *url);

/* Free what `g` holds (its socket, if still open, and the response). Not while it runs. */
void http_get_release(struct http_get *g);

#endif
