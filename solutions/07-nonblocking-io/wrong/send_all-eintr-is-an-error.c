/* wrong: a signal that interrupts select() (EINTR) makes send_all give up. */
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

            FD_ZERO(&writable);
            FD_SET(fd, &writable);
            if (select(fd + 1, NULL, &writable, NULL, NULL) == -1)
                return -1; /* the bug: EINTR is not a failure, only an interruption */
            continue;
        }
        if (n == -1)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
