/* wrong: every failed write() is tried again, so a reader that has gone means trying forever. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sys/select.h>
#include <unistd.h>

#include "exercises.h"

/* Sleep until fd is writable. */
static int wait_writable(int fd)
{
    fd_set writable;

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

        if (n == -1) { /* the bug: EPIPE will not go away by waiting */
            if (wait_writable(fd) == -1)
                return -1;
            continue;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
