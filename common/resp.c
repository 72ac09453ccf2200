/*
 * resp.c: the RESP2 subset of chapter 11's servers: a byte-driven parser, the commands, the
 * store. Read resp.h first.
 *
 * The parser is a state machine that takes one step per byte (a bulk string's data is copied in
 * one go), so it never looks at a byte twice and never needs the whole request in one buffer:
 * whatever chunks the bytes arrive in, it passes through the same states in the same order.
 *
 *   START --'*'--> COUNT --'\r'--> COUNT_LF --'\n'--> DOLLAR --'$'--> LENGTH --'\r'--> LENGTH_LF
 *     |                                                  ^                                 |
 *     +--other--> INLINE --'\n'--> (run)                 |                                '\n'
 *                                                        |                                 v
 *           (run once the array's count is reached) <-- DATA_LF <--'\n'-- DATA_CR <--'\r'-- DATA
 *
 * Every length is bounded before anything is allocated for it: a count by RESP_MAX_ARGS, a bulk
 * length and the request as a whole by max_request (so a client announcing "$9999999999" is
 * refused on the spot, not after we reserved the memory), a number by NUMBER_DIGITS_MAX.
 */
#define _POSIX_C_SOURCE 200809L
#include "resp.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* SIGPIPE is ignored by server_catch_stop anyway */
#endif

#define NUMBER_DIGITS_MAX 18   /* so that the number never overflows a long long (19 digits) */
#define INTEGER_TEXT_MAX 24    /* a long long in decimal, its sign and a NUL */
#define ERROR_TEXT_MAX 512     /* the longest error line we build */
#define UNKNOWN_ARGS_MAX 128   /* Redis quotes this much of an unknown command's arguments */
#define READ_CHUNK (16 * 1024) /* one read of resp_serve_blocking */
#define KEEP_BYTES (64 * 1024) /* a connection keeps this much argument room between requests */
#define STORE_FIRST_BUCKETS 64 /* a power of two: the hash is masked, not divided */
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

/* ---- The store: a chained hash table that doubles when it holds one key per bucket ------------
 */

/* One key and its value, in one allocation: the key's bytes, then the value's. */
struct entry {
    struct entry *next;
    uint64_t hash;
    size_t klen, vlen;
    char bytes[]; /* klen + vlen */
};

struct store {
    struct entry **buckets;
    size_t nbuckets, count;
};

/* FNV-1a: short and good enough for a teaching store. Not seeded, so a client that knows it can
 * pick keys that all collide (Redis uses SipHash with a random key against exactly that). */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = FNV_OFFSET;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * FNV_PRIME;
    return h;
}

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->buckets = calloc(STORE_FIRST_BUCKETS, sizeof *s->buckets);
    if (s->buckets == NULL) {
        free(s);
        return NULL;
    }
    s->nbuckets = STORE_FIRST_BUCKETS;
    return s;
}

void store_free(struct store *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nbuckets; i++) {
        for (struct entry *e = s->buckets[i], *next; e != NULL; e = next) {
            next = e->next;
            free(e);
        }
    }
    free(s->buckets);
    free(s);
}

/* The link that points at `key`'s entry, or at the NULL ending its bucket if it is absent. */
static struct entry **find(const struct store *s, const char *key, size_t klen, uint64_t h)
{
    struct entry **link = &s->buckets[h & (s->nbuckets - 1)];

    while (*link != NULL &&
           !((*link)->hash == h && (*link)->klen == klen && memcmp((*link)->bytes, key, klen) == 0))
        link = &(*link)->next;
    return link;
}

const char *store_get(const struct store *s, const char *key, size_t klen, size_t *vlen)
{
    struct entry *e = *find(s, key, klen, hash_bytes(key, klen));

    if (e == NULL)
        return NULL;
    *vlen = e->vlen;
    return e->bytes + e->klen;
}

/* Double the table. If memory runs out the table stays as it is: slower, still correct. */
static void grow(struct store *s)
{
    size_t n = s->nbuckets * 2;
    struct entry **b = calloc(n, sizeof *b);

    if (b == NULL)
        return;
    for (size_t i = 0; i < s->nbuckets; i++) {
        for (struct entry *e = s->buckets[i], *next; e != NULL; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(s->buckets);
    s->buckets = b;
    s->nbuckets = n;
}

int store_set(struct store *s, const char *key, size_t klen, const char *value, size_t vlen)
{
    uint64_t h = hash_bytes(key, klen);
    struct entry **link = find(s, key, klen, h), *e;

    if (klen > SIZE_MAX / 2 - sizeof *e || vlen > SIZE_MAX / 2 - sizeof *e - klen ||
        (e = malloc(sizeof *e + klen + vlen)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    e->hash = h;
    e->klen = klen;
    e->vlen = vlen;
    memcpy(e->bytes, key, klen);
    if (vlen > 0)
        memcpy(e->bytes + klen, value, vlen);
    if (*link != NULL) { /* replace the old entry where it stands */
        e->next = (*link)->next;
        free(*link);
        *link = e;
        return 0;
    }
    e->next = NULL;
    *link = e;
    if (++s->count > s->nbuckets)
        grow(s);
    return 0;
}

bool store_del(struct store *s, const char *key, size_t klen)
{
    struct entry **link = find(s, key, klen, hash_bytes(key, klen)), *e = *link;

    if (e == NULL)
        return false;
    *link = e->next;
    free(e);
    s->count--;
    return true;
}

size_t store_count(const struct store *s)
{
    return s->count;
}

/* ---- Reply buffer ------------------------------------------------------------------------------
 */

int resp_buf_add(struct resp_buf *b, const void *bytes, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap > 0 ? b->cap : 256;
        char *p;

        if (n > SIZE_MAX / 2 - b->len) {
            errno = ENOMEM;
            return -1;
        }
        while (cap - b->len < n)
            cap *= 2;
        if ((p = realloc(b->data, cap)) == NULL)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    return 0;
}

size_t resp_buf_pending(const struct resp_buf *b)
{
    return b->len - b->start;
}

void resp_buf_consume(struct resp_buf *b, size_t n)
{
    b->start += n;
    if (b->start == b->len) /* all written: reuse the memory from the front */
        b->start = b->len = 0;
}

void resp_buf_free(struct resp_buf *b)
{
    free(b->data);
    *b = (struct resp_buf){0};
}

/* ---- Replies -------------------------------------------------------------------------------- */

/* Each returns 0, or -1 if memory ran out (the buffer is then left as it was, or partly added). */
static int reply_raw(struct resp_conn *c, const char *text)
{
    return resp_buf_add(&c->out, text, strlen(text));
}

static int reply_integer(struct resp_conn *c, long long v)
{
    char text[INTEGER_TEXT_MAX + 3];

    snprintf(text, sizeof text, ":%lld\r\n", v);
    return reply_raw(c, text);
}

/* "$5\r\nhello\r\n": length first, so the bytes may be anything, "\r\n" and NUL included. */
static int reply_bulk(struct resp_conn *c, const char *bytes, size_t n)
{
    char head[INTEGER_TEXT_MAX + 3];

    snprintf(head, sizeof head, "$%zu\r\n", n);
    if (reply_raw(c, head) == -1 || resp_buf_add(&c->out, bytes, n) == -1)
        return -1;
    return reply_raw(c, "\r\n");
}

static int reply_array(struct resp_conn *c, size_t n)
{
    char head[INTEGER_TEXT_MAX + 3];

    snprintf(head, sizeof head, "*%zu\r\n", n);
    return reply_raw(c, head);
}

/* "-ERR ...\r\n". An error is one line, so a '\r' or '\n' quoted from the client becomes a space.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
reply_error(struct resp_conn *c, const char *fmt, ...)
{
    char text[ERROR_TEXT_MAX];
    va_list ap;
    int n;

    memcpy(text, "-ERR ", 5);
    va_start(ap, fmt);
    n = vsnprintf(text + 5, sizeof text - 7, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    n = n + 5 < (int)sizeof text - 2 ? n + 5 : (int)sizeof text - 3;
    for (int i = 5; i < n; i++) {
        if (text[i] == '\r' || text[i] == '\n')
            text[i] = ' ';
    }
    memcpy(text + n, "\r\n", 2);
    return resp_buf_add(&c->out, text, (size_t)n + 2);
}

/* ---- Commands ------------------------------------------------------------------------------- */

/* The current command's argument i, as bytes and a length. */
#define ARG(c, i) ((c)->bytes + (c)->args[i].offset)
#define ARGLEN(c, i) ((c)->args[i].len)

static bool arg_is(const struct resp_conn *c, size_t i, const char *word)
{
    return ARGLEN(c, i) == strlen(word) && strncasecmp(ARG(c, i), word, ARGLEN(c, i)) == 0;
}

/* Parse a whole decimal long long as Redis's string2ll does: no spaces, no '+', no leading
 * zeros, nothing after. Returns false if the bytes are not exactly such a number. */
static bool parse_integer(const char *p, size_t n, long long *out)
{
    char text[INTEGER_TEXT_MAX];
    char *end;

    if (n == 0 || n >= sizeof text || (p[0] == '0' && n > 1) || p[0] == '+' || p[0] == ' ')
        return false;
    if (p[0] == '-' && (n == 1 || p[1] == '0'))
        return false;
    memcpy(text, p, n);
    text[n] = '\0';
    errno = 0;
    *out = strtoll(text, &end, 10);
    return errno == 0 && end == text + n && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'));
}

static int cmd_incr(struct resp_conn *c, struct store *store)
{
    size_t vlen;
    const char *v = store_get(store, ARG(c, 1), ARGLEN(c, 1), &vlen);
    long long n = 0;
    char text[INTEGER_TEXT_MAX];

    if (v != NULL && !parse_integer(v, vlen, &n))
        return reply_error(c, "value is not an integer or out of range");
    if (n == LLONG_MAX)
        return reply_error(c, "increment or decrement would overflow");
    n++;
    snprintf(text, sizeof text, "%lld", n);
    if (store_set(store, ARG(c, 1), ARGLEN(c, 1), text, strlen(text)) == -1)
        return -1;
    return reply_integer(c, n);
}

/* CONFIG GET name...: the two settings redis-benchmark asks for, as a persistence-free Redis. */
static int cmd_config(struct resp_conn *c)
{
    static const char *const known[][2] = {{"save", ""}, {"appendonly", "no"}};
    size_t found = 0;

    if (!arg_is(c, 1, "get"))
        return reply_error(c, "unknown subcommand '%.*s'. Try CONFIG HELP.", (int)ARGLEN(c, 1),
                           ARG(c, 1));
    if (c->argc < 3)
        return reply_error(c, "wrong number of arguments for 'config|get' command");
    for (size_t i = 2; i < c->argc; i++)
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            found += arg_is(c, i, known[k][0]);
    if (reply_array(c, 2 * found) == -1)
        return -1;
    for (size_t i = 2; i < c->argc; i++)
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (arg_is(c, i, known[k][0]) &&
                (reply_bulk(c, known[k][0], strlen(known[k][0])) == -1 ||
                 reply_bulk(c, known[k][1], strlen(known[k][1])) == -1))
                return -1;
    return 0;
}

/* COMMAND, COMMAND DOCS and COMMAND COUNT: an empty table is enough for redis-cli's hints. */
static int cmd_command(struct resp_conn *c)
{
    if (c->argc == 1 || arg_is(c, 1, "docs") || arg_is(c, 1, "info") || arg_is(c, 1, "list"))
        return reply_array(c, 0);
    if (arg_is(c, 1, "count"))
        return reply_integer(c, 0);
    return reply_error(c, "unknown subcommand '%.*s'. Try COMMAND HELP.", (int)ARGLEN(c, 1),
                       ARG(c, 1));
}

static int unknown_command(struct resp_conn *c)
{
    char args[UNKNOWN_ARGS_MAX + 8] = "";
    size_t used = 0;

    /* Redis quotes the arguments, each as '%.*s' and a space, until 128 characters are used. */
    for (size_t i = 1; i < c->argc && used < UNKNOWN_ARGS_MAX; i++) {
        int n = snprintf(
            args + used, sizeof args - used, "'%.*s' ",
            (int)(ARGLEN(c, i) < UNKNOWN_ARGS_MAX - used ? ARGLEN(c, i) : UNKNOWN_ARGS_MAX - used),
            ARG(c, i));
        if (n < 0 || (size_t)n >= sizeof args - used)
            break;
        used += (size_t)n;
    }
    return reply_error(c, "unknown command '%.*s', with args beginning with: %s",
                       (int)(ARGLEN(c, 0) < 128 ? ARGLEN(c, 0) : 128), ARG(c, 0), args);
}

/* A command's name, its arity as Redis counts it (N: exactly N words with the name; -N: at
 * least N), and whether it touches the store (only those are run under the lock). */
struct command {
    const char *name;
    int arity;
    bool uses_store;
};

static const struct command commands[] = {
    {"ping", -1, false},    {"echo", 2, false},    {"set", -3, true},
    {"get", 2, true},       {"del", -2, true},     {"incr", 2, true},
    {"command", -1, false}, {"config", -2, false}, {"quit", -1, false},
};

/* Run the command of one whole request. Returns 0, or -1 if memory ran out. */
static int run_command(struct resp_conn *c, const struct command *cmd, struct store *store)
{
    size_t vlen;
    const char *v;

    switch (cmd - commands) {
    case 0: /* PING [message] */
        if (c->argc > 2)
            return reply_error(c, "wrong number of arguments for 'ping' command");
        return c->argc == 2 ? reply_bulk(c, ARG(c, 1), ARGLEN(c, 1)) : reply_raw(c, "+PONG\r\n");
    case 1: /* ECHO message */
        return reply_bulk(c, ARG(c, 1), ARGLEN(c, 1));
    case 2: /* SET key value: no options here (EX, NX...), as Redis answers a bad one */
        if (c->argc > 3)
            return reply_error(c, "syntax error");
        if (store_set(store, ARG(c, 1), ARGLEN(c, 1), ARG(c, 2), ARGLEN(c, 2)) == -1)
            return -1;
        return reply_raw(c, "+OK\r\n");
    case 3: /* GET key */
        v = store_get(store, ARG(c, 1), ARGLEN(c, 1), &vlen);
        return v != NULL ? reply_bulk(c, v, vlen) : reply_raw(c, "$-1\r\n");
    case 4: { /* DEL key [key ...] */
        long long n = 0;

        for (size_t i = 1; i < c->argc; i++)
            n += store_del(store, ARG(c, i), ARGLEN(c, i));
        return reply_integer(c, n);
    }
    case 5: /* INCR key */
        return cmd_incr(c, store);
    case 6:
        return cmd_command(c);
    case 7:
        return cmd_config(c);
    default: /* QUIT: +OK, then the connection closes once its replies are written */
        c->quit = true;
        return reply_raw(c, "+OK\r\n");
    }
}

/* Find and run the command in c->args. Returns 0, or -1 if memory ran out. */
static int execute(struct resp_conn *c, struct store *store, pthread_mutex_t *lock)
{
    const struct command *cmd = NULL;
    int rc, err;

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (arg_is(c, 0, commands[i].name))
            cmd = &commands[i];
    if (cmd == NULL)
        return unknown_command(c);
    if ((cmd->arity > 0 && c->argc != (size_t)cmd->arity) ||
        (cmd->arity < 0 && c->argc < (size_t)-cmd->arity))
        return reply_error(c, "wrong number of arguments for '%s' command", cmd->name);
    if (lock == NULL || !cmd->uses_store)
        return run_command(c, cmd, store);
    /* The threads share one store: a GET must not read a value that a SET is freeing. The lock
     * covers the command *and* the copy of its reply into c->out, which reads the stored bytes. */
    if ((err = pthread_mutex_lock(lock)) != 0) {
        errno = err;
        return -1;
    }
    rc = run_command(c, cmd, store);
    pthread_mutex_unlock(lock);
    return rc;
}

/* ---- The parser ----------------------------------------------------------------------------- */

void resp_conn_init(struct resp_conn *c, size_t max_request)
{
    *c =
        (struct resp_conn){.max_request = max_request, .max_output = SIZE_MAX, .state = RESP_START};
}

void resp_conn_free(struct resp_conn *c)
{
    free(c->bytes);
    free(c->args);
    resp_buf_free(&c->out);
    resp_conn_init(c, c->max_request); /* max_output back to none: set it again to reuse c */
}

/* Ready for the next request; a connection that once held a huge one gives its memory back. */
static void next_request(struct resp_conn *c)
{
    c->state = RESP_START;
    c->request_bytes = 0;
    c->nbytes = 0;
    c->argc = 0;
    if (c->bytes_cap > KEEP_BYTES) {
        free(c->bytes);
        c->bytes = NULL;
        c->bytes_cap = 0;
    }
}

/* Room for n more argument bytes. n is bounded by max_request, checked before this. */
static int reserve_bytes(struct resp_conn *c, size_t n)
{
    if (c->bytes_cap - c->nbytes < n) {
        size_t cap = c->bytes_cap > 0 ? c->bytes_cap : 64;
        char *p;

        while (cap - c->nbytes < n)
            cap *= 2;
        if ((p = realloc(c->bytes, cap)) == NULL)
            return -1;
        c->bytes = p;
        c->bytes_cap = cap;
    }
    return 0;
}

/* Start an argument of `len` bytes at the end of the argument bytes. */
static int add_arg(struct resp_conn *c, size_t offset, size_t len)
{
    if (c->argc == c->args_cap) {
        size_t cap = c->args_cap > 0 ? c->args_cap * 2 : 8;
        struct resp_arg *p = realloc(c->args, cap * sizeof *p);

        if (p == NULL)
            return -1;
        c->args = p;
        c->args_cap = cap;
    }
    c->args[c->argc++] = (struct resp_arg){.offset = offset, .len = len};
    return 0;
}

/* A protocol error: answer it, then the connection only waits to be closed. */
#define PROTOCOL_ERROR(c, ...)                                                                     \
    do {                                                                                           \
        (c)->state = RESP_CLOSING;                                                                 \
        return reply_error((c), "Protocol error: " __VA_ARGS__) == -1 ? RESP_NOMEM : RESP_CLOSE;   \
    } while (0)

/* One character of the number after '*' or '$'. */
static void number_char(struct resp_conn *c, char ch)
{
    if (c->digits == 0 && ch == '-' && !c->negative) {
        c->negative = true;
        return;
    }
    if (ch < '0' || ch > '9' || c->digits == NUMBER_DIGITS_MAX) {
        c->bad_number = true;
        return;
    }
    c->number = c->number * 10 + (ch - '0');
    c->digits++;
}

static void start_number(struct resp_conn *c)
{
    c->number = 0;
    c->digits = 0;
    c->negative = c->bad_number = false;
}

/* The inline request in c->bytes (its '\n' already dropped) split into words, and run. */
static enum resp_status run_inline(struct resp_conn *c, struct store *store, pthread_mutex_t *lock)
{
    size_t i = 0, n = c->nbytes;

    if (n > 0 && c->bytes[n - 1] == '\r')
        n--;
    while (i < n) {
        size_t start;

        while (i < n && (c->bytes[i] == ' ' || c->bytes[i] == '\t'))
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && c->bytes[i] != ' ' && c->bytes[i] != '\t')
            i++;
        if (add_arg(c, start, i - start) == -1)
            return RESP_NOMEM;
    }
    /* An empty line is no command, and gets no reply (as in Redis). */
    if (c->argc > 0 && execute(c, store, lock) == -1)
        return RESP_NOMEM;
    next_request(c);
    return c->quit ? RESP_CLOSE : RESP_OK;
}

/* One byte of a request, in any state but RESP_DATA, whose bytes are copied in bulk. */
static enum resp_status step(struct resp_conn *c, char ch, struct store *store,
                             pthread_mutex_t *lock)
{
    switch (c->state) {
    case RESP_START:
        if (ch == '*') {
            start_number(c);
            c->state = RESP_COUNT;
            return RESP_OK;
        }
        c->state = RESP_INLINE; /* and the byte is the first of an inline command */
        return step(c, ch, store, lock);
    case RESP_INLINE:
        if (ch == '\n')
            return run_inline(c, store, lock);
        if (reserve_bytes(c, 1) == -1)
            return RESP_NOMEM;
        c->bytes[c->nbytes++] = ch;
        return RESP_OK;
    case RESP_COUNT:
        if (ch == '\r')
            c->state = RESP_COUNT_LF;
        else
            number_char(c, ch);
        return RESP_OK;
    case RESP_COUNT_LF:
        if (ch != '\n' || c->bad_number || c->digits == 0 ||
            (!c->negative && c->number > RESP_MAX_ARGS))
            PROTOCOL_ERROR(c, "invalid multibulk length");
        if (c->negative || c->number == 0) { /* "*-1" or "*0": nothing to run, as in Redis */
            next_request(c);
            return RESP_OK;
        }
        c->argc_expected = (size_t)c->number;
        c->state = RESP_DOLLAR;
        return RESP_OK;
    case RESP_DOLLAR:
        if (ch != '$')
            PROTOCOL_ERROR(c, "expected '$', got '%c'", ch);
        start_number(c);
        c->state = RESP_LENGTH;
        return RESP_OK;
    case RESP_LENGTH:
        if (ch == '\r')
            c->state = RESP_LENGTH_LF;
        else
            number_char(c, ch);
        return RESP_OK;
    case RESP_LENGTH_LF:
        if (ch != '\n' || c->bad_number || c->digits == 0 || c->negative)
            PROTOCOL_ERROR(c, "invalid bulk length");
        /* Refuse it now if its bytes and their "\r\n" would pass the bound: nothing reserved. */
        if ((unsigned long long)c->number > c->max_request ||
            (size_t)c->number + 2 > c->max_request - c->request_bytes)
            PROTOCOL_ERROR(c, "too big request (over --max-request)");
        if (reserve_bytes(c, (size_t)c->number) == -1 ||
            add_arg(c, c->nbytes, (size_t)c->number) == -1)
            return RESP_NOMEM;
        c->data_left = (size_t)c->number;
        c->state = c->data_left > 0 ? RESP_DATA : RESP_DATA_CR;
        return RESP_OK;
    case RESP_DATA_CR:
        if (ch != '\r')
            PROTOCOL_ERROR(c, "expected '\\r\\n' after a bulk string");
        c->state = RESP_DATA_LF;
        return RESP_OK;
    case RESP_DATA_LF:
        if (ch != '\n')
            PROTOCOL_ERROR(c, "expected '\\r\\n' after a bulk string");
        if (c->argc < c->argc_expected) {
            c->state = RESP_DOLLAR;
            return RESP_OK;
        }
        if (execute(c, store, lock) == -1)
            return RESP_NOMEM;
        next_request(c);
        return c->quit ? RESP_CLOSE : RESP_OK;
    case RESP_DATA:
    case RESP_CLOSING:
        break;
    }
    return RESP_CLOSE;
}

enum resp_status resp_conn_feed(struct resp_conn *c, struct store *store, pthread_mutex_t *lock,
                                const char *data, size_t n)
{
    size_t i = 0;

    while (i < n) {
        enum resp_status status;

        if (c->state == RESP_CLOSING || c->quit)
            return RESP_CLOSE;
        if (resp_buf_pending(&c->out) > c->max_output)
            return RESP_OVERFLOW;
        if (c->state == RESP_DATA) { /* a bulk string's bytes: as many as are here, at once */
            size_t take = n - i < c->data_left ? n - i : c->data_left;

            memcpy(c->bytes + c->nbytes, data + i, take);
            c->nbytes += take;
            c->request_bytes += take;
            c->data_left -= take;
            i += take;
            if (c->data_left == 0)
                c->state = RESP_DATA_CR;
            continue;
        }
        /* Bulk lengths were checked against the bound when announced; this catches the rest:
         * an inline line, a count or a length that never ends. */
        if (++c->request_bytes > c->max_request) {
            if (c->state == RESP_INLINE || c->state == RESP_START)
                PROTOCOL_ERROR(c, "too big inline request");
            PROTOCOL_ERROR(c, "too big request (over --max-request)");
        }
        status = step(c, data[i++], store, lock);
        if (status != RESP_OK)
            return status;
    }
    return c->state == RESP_CLOSING || c->quit ? RESP_CLOSE : RESP_OK;
}

/* ---- Serving one connection with blocking calls ------------------------------------------------
 */

/* Wait until fd is ready for `events` or stop_fd is readable. Returns 1 (fd ready), or -1 with
 * errno ECANCELED (stop) or poll's error. */
static int wait_ready(int fd, short events, int stop_fd)
{
    struct pollfd p[2] = {{.fd = fd, .events = events}, {.fd = stop_fd, .events = POLLIN}};

    for (;;) {
        if (poll(p, 2, -1) == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (p[1].revents != 0) {
            errno = ECANCELED;
            return -1;
        }
        return 1; /* POLLERR or POLLHUP too: the next call on fd says what happened */
    }
}

/* Write every pending reply. Without a stop pipe, a blocking send that shutdown() can end. */
static int send_pending(int fd, int stop_fd, struct resp_buf *out)
{
    while (resp_buf_pending(out) > 0) {
        ssize_t n;

        if (stop_fd < 0) {
            if (net_send_all(fd, out->data + out->start, resp_buf_pending(out)) == -1)
                return -1;
            resp_buf_consume(out, resp_buf_pending(out));
            return 0;
        }
        if (wait_ready(fd, POLLOUT, stop_fd) == -1)
            return -1;
        n = send(fd, out->data + out->start, resp_buf_pending(out), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == -1 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (n == -1)
            return -1;
        resp_buf_consume(out, (size_t)n);
    }
    return 0;
}

int resp_serve_blocking(int fd, int stop_fd, struct store *store, pthread_mutex_t *lock,
                        size_t max_request)
{
    char buf[READ_CHUNK];
    struct resp_conn c;
    int rc = 0;

    resp_conn_init(&c, max_request);
    for (;;) {
        enum resp_status status;
        ssize_t n;

        if (stop_fd >= 0 && wait_ready(fd, POLLIN, stop_fd) == -1) {
            rc = -1;
            break;
        }
        n = recv(fd, buf, sizeof buf, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0) { /* 0: the client hung up; -1: it reset, or shutdown() woke us */
            rc = n == 0 ? 0 : -1;
            break;
        }
        status = resp_conn_feed(&c, store, lock, buf, (size_t)n);
        if (status == RESP_NOMEM || status == RESP_OVERFLOW) { /* no max_output here: NOMEM */
            errno = ENOMEM;
            rc = -1;
            break;
        }
        if (send_pending(fd, stop_fd, &c.out) == -1) {
            rc = -1;
            break;
        }
        if (status == RESP_CLOSE)
            break;
    }
    resp_conn_free(&c);
    return rc;
}
