/*
 * resp.h: the protocol and the data of chapter 11's four servers, written once: a subset of
 * Redis's RESP2 (so that redis-cli and redis-benchmark can talk to them), a parser that is fed
 * bytes in any chunking, and the store, a hash table of binary-safe keys and values.
 *
 * A request is either an array of bulk strings, as redis-cli sends it:
 *
 *     *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n
 *
 * or an inline command, one line of words, as a person types it into telnet or nc:
 *
 *     SET k hello\r\n
 *
 * The commands: PING [msg], ECHO msg, SET key value, GET key, DEL key [key ...], INCR key,
 * QUIT, and COMMAND and CONFIG GET answered just enough for redis-cli and redis-benchmark to
 * start. Replies are RESP2: +OK, -ERR ..., :42, $5\r\nhello\r\n, $-1 (nil), *N (an array).
 *
 * Who owns what: a server owns one struct store and, per connection, one struct resp_conn. It
 * reads whatever bytes arrived, hands them to resp_conn_feed, which runs every command they
 * complete and appends the replies to conn->out, then writes conn->out. The parser keeps its
 * place between calls, so bytes may come one at a time or many requests at once (pipelining):
 * every command complete in what was fed is answered before the server reads again.
 *
 * Nothing here is thread-safe by itself: the store is shared by every connection, so a server
 * whose connections run on several threads passes a mutex to resp_conn_feed (chapter 3), and a
 * server on one thread, the event loop, passes NULL.
 */
#ifndef RESP_H
#define RESP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Redis refuses arrays of more than this many elements with "invalid multibulk length". */
#define RESP_MAX_ARGS (1024 * 1024)

/* ---- The store ------------------------------------------------------------------------------ */

struct store; /* a hash table: keys and values are byte strings (any byte, NUL too) */

/* A new, empty store, or NULL with errno set if memory runs out. */
struct store *store_new(void);

/* Free the store and every key and value in it. */
void store_free(struct store *store);

/*
 * The value stored under `key` (klen bytes), or NULL if there is none. The pointer stays valid
 * until the store next changes (under the caller's lock, if it has one); *vlen gets its length.
 */
const char *store_get(const struct store *store, const char *key, size_t klen, size_t *vlen);

/* Store a copy of `value` under a copy of `key`. Returns 0, or -1 with errno ENOMEM. */
int store_set(struct store *store, const char *key, size_t klen, const char *value, size_t vlen);

/* Remove `key`. Returns true if it was there. */
bool store_del(struct store *store, const char *key, size_t klen);

/* How many keys the store holds. */
size_t store_count(const struct store *store);

/* ---- Bytes waiting to be written --------------------------------------------------------------
 */

/* A growable buffer of reply bytes: data[start, len) is still to be written. */
struct resp_buf {
    char *data;
    size_t start, len, cap;
};

/* Append n bytes. Returns 0, or -1 with errno ENOMEM (the buffer is unchanged then). */
int resp_buf_add(struct resp_buf *b, const void *bytes, size_t n);

/* Bytes still to be written. */
size_t resp_buf_pending(const struct resp_buf *b);

/* Mark n more bytes as written; once everything is, the buffer starts again from the front. */
void resp_buf_consume(struct resp_buf *b, size_t n);

/* Free the buffer's memory; it is empty and usable again afterwards. */
void resp_buf_free(struct resp_buf *b);

/* ---- One connection ------------------------------------------------------------------------- */

/* Where the parser is in the request it is reading (resp.c draws the machine). */
enum resp_state {
    RESP_START,     /* before the first byte of a request */
    RESP_INLINE,    /* in an inline command, up to its '\n' */
    RESP_COUNT,     /* in "*N", up to its '\r' */
    RESP_COUNT_LF,  /* the '\n' after "*N\r" */
    RESP_DOLLAR,    /* expecting the '$' of the next bulk string */
    RESP_LENGTH,    /* in "$N", up to its '\r' */
    RESP_LENGTH_LF, /* the '\n' after "$N\r" */
    RESP_DATA,      /* in the N bytes of a bulk string */
    RESP_DATA_CR,   /* the '\r' after them */
    RESP_DATA_LF,   /* and the '\n' */
    RESP_CLOSING    /* a protocol error was answered: the connection is to be closed */
};

/* One argument of the command being read: `len` bytes at `offset` in the argument bytes. */
struct resp_arg {
    size_t offset, len;
};

/* A connection's protocol state. Zero it with resp_conn_init; free it with resp_conn_free. */
struct resp_conn {
    size_t max_request;    /* the longest request accepted, in bytes (--max-request) */
    enum resp_state state; /* the parser's place */
    size_t request_bytes;  /* bytes of the current request read so far */
    long long number;      /* the number being read after '*' or '$' */
    size_t digits;         /* characters of it so far */
    bool negative, bad_number;
    size_t argc_expected; /* the array's count */
    size_t data_left;     /* bytes of the current bulk string still to come */
    char *bytes;          /* the current command's argument bytes, one after the other */
    size_t nbytes, bytes_cap;
    struct resp_arg *args; /* and where each argument starts */
    size_t argc, args_cap;
    size_t max_output;   /* stop answering past this many unwritten reply bytes (SIZE_MAX) */
    bool quit;           /* QUIT was answered: close once the replies are written */
    struct resp_buf out; /* replies not written yet: the server writes and consumes them */
};

/* Start a connection whose requests may be up to `max_request` bytes long, with no bound on
 * its unwritten replies (set c->max_output afterwards for one). */
void resp_conn_init(struct resp_conn *c, size_t max_request);

/* Free what the connection holds (its argument bytes and its unwritten replies). */
void resp_conn_free(struct resp_conn *c);

/* What resp_conn_feed asks the server to do next. */
enum resp_status {
    RESP_OK,      /* go on: write c->out, then read more */
    RESP_CLOSE,   /* write c->out (the last reply says why), then close: a protocol error or QUIT */
    RESP_NOMEM,   /* memory ran out: close the connection at once */
    RESP_OVERFLOW /* over c->max_output: the client does not read its replies; drop it */
};

/*
 * Parse `n` bytes from the client. Every command they complete is run against `store` (holding
 * `lock` around each one, if not NULL) and its reply appended to c->out, in order. Bytes after a
 * protocol error or a QUIT are ignored. Once this returned RESP_CLOSE, it returns it again.
 * With c->max_output set, it stops (RESP_OVERFLOW) as soon as the unwritten replies pass it, so
 * they never exceed it by more than one reply (at most about max_request bytes).
 */
enum resp_status resp_conn_feed(struct resp_conn *c, struct store *store, pthread_mutex_t *lock,
                                const char *data, size_t n);

/*
 * Serve one connection with blocking calls until the client hangs up, errs, or a stop is asked
 * for on `stop_fd` (or -1: none; a thread is woken by shutdown() on `fd` instead). Reads, feeds,
 * writes every reply, again and again; `fd` is left open for the caller to close. Returns 0 when
 * the conversation ended normally (EOF, QUIT, a protocol error answered), -1 with errno set else.
 */
int resp_serve_blocking(int fd, int stop_fd, struct store *store, pthread_mutex_t *lock,
                        size_t max_request);

/* The reply a server sends to a connection it refuses (Redis's words), CRLF included. */
#define RESP_TOO_MANY_CLIENTS "-ERR max number of clients reached\r\n"

#endif
