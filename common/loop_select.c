/*
 * loop_select.c: the select() backend of the event loop (see loop_backend.h).
 *
 * Two "master" fd_sets hold what is watched; select() overwrites the sets it is given, so every
 * poll works on copies (as Beej's selectserver.c does). select() limits the descriptor *value* to
 * below FD_SETSIZE, not the number of descriptors: loop_watch refuses bigger values before they
 * reach FD_SET, where they would write past the end of the set. Compare: chapter 15's poll/epoll.
 */
#define _POSIX_C_SOURCE 200809L
#include "loop_backend.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>

#include "clock.h"
#include "loop.h"

struct backend {
    fd_set readers, writers; /* the master sets */
    int maxfd;               /* highest fd that may be in a master set, or -1 */
};

const char *backend_name(void)
{
    return "select";
}

int backend_max_fd(void)
{
    return FD_SETSIZE;
}

struct backend *backend_new(void)
{
    struct backend *b = malloc(sizeof *b);

    if (b == NULL)
        return NULL;
    FD_ZERO(&b->readers);
    FD_ZERO(&b->writers);
    b->maxfd = -1;
    return b;
}

void backend_free(struct backend *b)
{
    free(b);
}

int backend_set(struct backend *b, int fd, int events)
{
    if (events & LOOP_READ)
        FD_SET(fd, &b->readers);
    else
        FD_CLR(fd, &b->readers);
    if (events & LOOP_WRITE)
        FD_SET(fd, &b->writers);
    else
        FD_CLR(fd, &b->writers);

    /* Keep maxfd tight so select() scans no further than it must. */
    if (events != 0 && fd > b->maxfd)
        b->maxfd = fd;
    while (b->maxfd >= 0 && !FD_ISSET(b->maxfd, &b->readers) && !FD_ISSET(b->maxfd, &b->writers))
        b->maxfd--;
    return 0;
}

int backend_poll(struct backend *b, int64_t timeout_ns, struct backend_event *out, int max)
{
    fd_set rd = b->readers, wr = b->writers;
    struct timeval tv, *tvp = NULL;
    int n, count = 0;

    if (timeout_ns >= 0) {
        /* Round up: waking a microsecond early would find the timer not yet due and spin. */
        int64_t us = (timeout_ns + 999) / 1000;
        tv.tv_sec = (time_t)(us / 1000000);
        tv.tv_usec = (suseconds_t)(us % 1000000);
        tvp = &tv;
    }
    n = select(b->maxfd + 1, &rd, &wr, NULL, tvp);
    if (n == -1)
        return -1;
    for (int fd = 0; fd <= b->maxfd && count < max; fd++) {
        int events = (FD_ISSET(fd, &rd) ? LOOP_READ : 0) | (FD_ISSET(fd, &wr) ? LOOP_WRITE : 0);

        if (events != 0) {
            out[count].fd = fd;
            out[count].events = events;
            count++;
        }
    }
    return count;
}
