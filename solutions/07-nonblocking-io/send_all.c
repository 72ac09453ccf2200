/*
 * send_all.c: solution: write everything to a non-blocking descriptor, waiting when it is full.
 *
 * Chapter 7. A loop over what is left: write() takes what fits; when nothing fits (EAGAIN),
 * select() sleeps until the descriptor is writable again, so the thread uses no CPU meanwhile.
 * This is what Python's sock.sendall() does on a socket with a timeout, and what a loop task
 * does with LOOP_WRITE instead of a select() of its own (chapter 11).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sys/select.h>
#include <unistd.h>

#include "exercises.h"

/* Sleep until fd is writable (or has an error for write() to report). Returns 0 or -1. */
static int wait_writable(int fd)
{
    fd_set writable;

    if (fd < 0 || fd >= FD_SETSIZE) { /* select() cannot watch it (poll() could) */
        errno = EINVAL;
        return -1;
    }
    for (;;) {
        FD_ZERO(&writable);
        FD_SET(fd, &writable);
        if (select(fd + 1, NULL, &writable, NULL, NULL) != -1)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n == -1 && errno == EINTR) {
            continue;
        } else if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_writable(fd) == -1)
                return -1;
        } else {
            return -1; /* EPIPE and the rest: errno says which */
        }
    }
    return 0;
}
