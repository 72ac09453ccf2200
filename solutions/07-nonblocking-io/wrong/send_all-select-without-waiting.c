/* wrong: it "waits" with select() and a zero timeout, which only looks: still a busy wait. */
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
            fd_set writable;
            struct timeval now = {0, 0}; /* the bug: a timeout of 0 returns at once */

            FD_ZERO(&writable);
            FD_SET(fd, &writable);
            if (select(fd + 1, NULL, &writable, NULL, &now) == -1 && errno != EINTR)
                return -1;
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
