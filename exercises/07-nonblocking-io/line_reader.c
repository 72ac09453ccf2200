/*
 * line_reader.c: exercise: cut a byte stream into lines, however the bytes arrive.
 *
 * Chapter 7. A read() returns what has arrived: half a line, three lines and a bit, one byte.
 * So a reader of lines keeps the bytes of the line so far, and delivers each line when its "\n"
 * comes; and since a sender may never send that "\n", it keeps at most max + 1 bytes. Python's
 * asyncio.StreamReader.readline() does the same, with `limit` for max. Compare with
 * chapters/07-nonblocking-io/partial_writes.c, where each read() returns a different amount.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

struct line_reader {
    /*
     * TODO: what the reader needs between two calls: the bound, the callback and its argument,
     * the bytes of the current line (room for max + 1 of them: a flexible array member at the
     * end, `char buf[];`, lets one malloc hold both), how many there are, and whether an
     * overlong line has been seen.
     */
    int todo;
};

struct line_reader *line_reader_new(size_t max, line_fn *on_line, void *arg)
{
    /* TODO: refuse max 0 (EINVAL); allocate the reader and its buffer; start empty. */
    (void)max;
    (void)on_line;
    (void)arg;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return NULL;
}

int line_reader_feed(struct line_reader *r, const char *data, size_t n)
{
    /*
     * TODO: one byte at a time. A "\n" delivers the line held (without a "\r" just before the
     * "\n") and starts an empty one. Any other byte is kept, unless the line is now known to be
     * longer than max: then fail with EMSGSIZE, now and on every later call.
     */
    (void)r;
    (void)data;
    (void)n;
    errno = ENOSYS;
    return -1;
}

int line_reader_finish(struct line_reader *r)
{
    /* TODO: deliver the bytes held, if any, as a last line; then start empty again. */
    (void)r;
    errno = ENOSYS;
    return -1;
}

void line_reader_free(struct line_reader *r)
{
    free(r);
}
