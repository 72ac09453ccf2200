/* wrong: it asks whether fd is open before checking its range, so 1024 gets EBADF, not EINVAL. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>

#include "exercises.h"

void watch_set_init(struct watch_set *ws)
{
    FD_ZERO(&ws->master);
    ws->maxfd = -1;
}

int watch_set_add(struct watch_set *ws, int fd)
{
    if (fcntl(fd, F_GETFD) == -1) /* the bug: first, so a closed 1024 is "not open" */
        return -1;
    if (fd < 0 || fd >= FD_SETSIZE) {
        errno = EINVAL;
        return -1;
    }
    FD_SET(fd, &ws->master);
    if (fd > ws->maxfd)
        ws->maxfd = fd;
    return 0;
}

void watch_set_remove(struct watch_set *ws, int fd)
{
    if (fd < 0 || fd >= FD_SETSIZE)
        return;
    FD_CLR(fd, &ws->master);
    while (ws->maxfd >= 0 && !FD_ISSET(ws->maxfd, &ws->master))
        ws->maxfd--;
}

int watch_set_wait(struct watch_set *ws, int timeout_ms, int ready[], int max)
{
    fd_set readable = ws->master; /* select() overwrites it: never give it the master */
    struct timeval tv, *tvp = NULL;
    int n, count = 0;

    if (timeout_ms >= 0) {
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
        tvp = &tv;
    }
    n = select(ws->maxfd + 1, &readable, NULL, NULL, tvp);
    if (n == -1)
        return -1;
    for (int fd = 0; fd <= ws->maxfd && count < n && count < max; fd++) {
        if (FD_ISSET(fd, &readable))
            ready[count++] = fd;
    }
    return count;
}
