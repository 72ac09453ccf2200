/*
 * outbuf.c: exercise: the per-client output buffer of an event-loop server.
 *
 * Chapter 11. chapters/11-servers/server_loop.c never blocks on a client: it writes what the
 * socket takes now and keeps the rest until the loop says the socket is writable again. The
 * rest must be kept in order, and bounded: a client that never reads must not make the server
 * hold gigabytes. Python: asyncio's transport.write() buffers the same way (and pauses the
 * protocol past its high-water mark).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "exercises.h"

void outbuf_init(struct outbuf *b, size_t limit)
{
    *b = (struct outbuf){.limit = limit};
}

size_t outbuf_pending(const struct outbuf *b)
{
    return b->end - b->start;
}

int outbuf_append(struct outbuf *b, const void *bytes, size_t n)
{
    /* TODO: refuse (ENOBUFS) past the limit; make room: move the pending bytes to the front,
     * then grow (realloc, at most to limit); copy the bytes after the pending ones. */
    (void)b;
    (void)bytes;
    (void)n;
    errno = ENOSYS;
    return -1;
}

int outbuf_flush(struct outbuf *b, int fd)
{
    /* TODO: send() with MSG_NOSIGNAL until nothing is pending or EAGAIN; retry EINTR. */
    (void)b;
    (void)fd;
    errno = ENOSYS;
    return -1;
}

void outbuf_free(struct outbuf *b)
{
    free(b->data);
    outbuf_init(b, b->limit);
}
