/* wrong: after a partial write it counts what is left but sends it from the start of buf. */
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
    size_t sent = 0;

    while (sent < len) {
        ssize_t n = write(fd, buf, len - sent); /* the bug: buf, not buf + sent */

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_writable(fd) == -1)
                return -1;
            continue;
        }
        if (n == -1)
            return -1;
        sent += (size_t)n;
    }
    return 0;
}
