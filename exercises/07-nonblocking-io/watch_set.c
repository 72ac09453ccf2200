/*
 * watch_set.c: exercise: a select() set that refuses, cleanly, a descriptor it cannot hold.
 *
 * Chapter 7. An fd_set has one bit per descriptor value below FD_SETSIZE; FD_SET on a bigger
 * value writes past its end, silently. Check first. Then wait the way
 * chapters/07-nonblocking-io/echo_select.c does: a copy of the master set for each select(),
 * and select()'s answer checked before the copy is read. Compare with common/loop_select.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>

#include "exercises.h"

void watch_set_init(struct watch_set *ws)
{
    /* TODO: no descriptor watched (FD_ZERO), and maxfd says so. */
    (void)ws;
}

int watch_set_add(struct watch_set *ws, int fd)
{
    /*
     * TODO: refuse what the set cannot hold (EINVAL), before anything else; then what is not
     * open (fcntl(fd, F_GETFD) fails with EBADF); then FD_SET, and keep maxfd the highest.
     */
    (void)ws;
    (void)fd;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}

void watch_set_remove(struct watch_set *ws, int fd)
{
    /* TODO: ignore what is out of range; FD_CLR; and if fd was the highest, find the new one. */
    (void)ws;
    (void)fd;
}

int watch_set_wait(struct watch_set *ws, int timeout_ms, int ready[], int max)
{
    /*
     * TODO: copy the master set, turn timeout_ms into a struct timeval (or NULL for -1), call
     * select(), check what it returned, and list the ready descriptors, lowest first.
     */
    (void)ws;
    (void)timeout_ms;
    (void)ready;
    (void)max;
    errno = ENOSYS;
    return -1;
}
