/* wrong: EAGAIN is treated as an error, so send_all gives up as soon as the buffer is full. */
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

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            return -1; /* the bug: EAGAIN only means "not now" */
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
