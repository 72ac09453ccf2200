/* wrong: on EAGAIN it naps 1 ms and tries again: polling, not waiting for writability. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "exercises.h"

int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct timespec nap = {0, 1000000}; /* the bug: a guess at when room will come */

            nanosleep(&nap, NULL);
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
