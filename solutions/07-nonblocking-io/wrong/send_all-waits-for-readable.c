/* wrong: on EAGAIN it waits for the socket to be readable, which the reader never makes it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sys/select.h>
#include <unistd.h>

#include "exercises.h"

int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            fd_set readable;

            FD_ZERO(&readable);
            FD_SET(fd, &readable);
            if (select(fd + 1, &readable, NULL, NULL, NULL) == -1 && errno != EINTR)
                return -1; /* the bug: the read set, not the write set */
            continue;
        }
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
