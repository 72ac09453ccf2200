/* wrong: on EAGAIN it tries again at once, burning a core until the reader makes room. */
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

        if (n == -1 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue; /* the bug: no wait */
        if (n == -1)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
