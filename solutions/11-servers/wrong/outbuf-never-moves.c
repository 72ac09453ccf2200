/* wrong: room is only made by growing: pending bytes far from the front make it pass the limit */
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
    size_t pending = outbuf_pending(b);

    if (n > b->limit - pending) {
        errno = ENOBUFS;
        return -1;
    }
    if (n > b->cap - b->end) {
        size_t cap = b->cap > 0 ? b->cap : 64;
        char *p;

        while (cap < b->end + n)
            cap *= 2;
        if ((p = realloc(b->data, cap)) == NULL)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->end, bytes, n);
    b->end += n;
    return 0;
}

int outbuf_flush(struct outbuf *b, int fd)
{
    while (b->start < b->end) {
        ssize_t n = send(fd, b->data + b->start, b->end - b->start, MSG_NOSIGNAL);

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0; /* full: the rest waits for the loop's "writable" */
        if (n == -1)
            return -1;
        b->start += (size_t)n;
    }
    b->start = b->end = 0;
    return 0;
}

void outbuf_free(struct outbuf *b)
{
    free(b->data);
    outbuf_init(b, b->limit);
}
