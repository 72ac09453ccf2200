/*
 * line_reader.c: solution: an incremental line splitter with a bounded buffer.
 *
 * Chapter 7. One byte at a time, through a small state: the bytes of the line so far. A "\n"
 * delivers them (less a "\r" just before it); any other byte is kept if the line can still be
 * short enough. The only subtle case is the bound: a line of max bytes may be followed by a "\r"
 * that is the start of its "\r\n", so that "\r" waits in byte max + 1 until the next byte says
 * what it was. Python: asyncio.StreamReader.readline(), whose `limit` is this `max`.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "exercises.h"

struct line_reader {
    size_t max; /* the longest line allowed */
    size_t len; /* bytes of the current line held in buf */
    bool failed;
    line_fn *on_line;
    void *arg;
    char buf[]; /* max + 1 bytes: a line, and maybe the "\r" of its "\r\n" */
};

struct line_reader *line_reader_new(size_t max, line_fn *on_line, void *arg)
{
    struct line_reader *r;

    if (max == 0 || max > SIZE_MAX - sizeof *r - 1) {
        errno = EINVAL;
        return NULL;
    }
    if ((r = malloc(sizeof *r + max + 1)) == NULL)
        return NULL;
    r->max = max;
    r->len = 0;
    r->failed = false;
    r->on_line = on_line;
    r->arg = arg;
    return r;
}

/* The line is too long: say so now, and from now on. */
static int fail(struct line_reader *r)
{
    r->failed = true;
    r->len = 0;
    errno = EMSGSIZE;
    return -1;
}

int line_reader_feed(struct line_reader *r, const char *data, size_t n)
{
    if (r->failed)
        return fail(r);
    for (size_t i = 0; i < n; i++) {
        char c = data[i];

        if (c == '\n') {
            size_t len = r->len;

            if (len > 0 && r->buf[len - 1] == '\r')
                len--;
            r->len = 0; /* before the call: the next line starts empty whatever it does */
            r->on_line(r->buf, len, r->arg);
            continue;
        }
        /* Byte max + 1 may only be a "\r" that a "\n" might follow; byte max + 2, never. */
        if (r->len > r->max || (r->len == r->max && c != '\r'))
            return fail(r);
        r->buf[r->len++] = c;
    }
    return 0;
}

int line_reader_finish(struct line_reader *r)
{
    size_t len = r->len;

    if (r->failed || len > r->max) /* max bytes and a final "\r": one byte too many */
        return fail(r);
    r->len = 0;
    if (len > 0)
        r->on_line(r->buf, len, r->arg);
    return 0;
}

void line_reader_free(struct line_reader *r)
{
    free(r);
}
