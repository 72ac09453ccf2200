/* wrong: one write() is taken to send everything; after a partial write the rest is lost. */
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
    for (;;) {
        ssize_t n = write(fd, buf, len);

        if (n >= 0)
            return 0; /* the bug: n may be less than len */
        if (errno != EAGAIN && errno != EINTR)
            return -1;
        if (errno == EAGAIN && wait_writable(fd) == -1)
            return -1;
    }
}
