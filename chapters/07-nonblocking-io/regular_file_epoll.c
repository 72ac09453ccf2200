/*
 * regular_file_epoll.c: epoll_ctl refuses a regular file with EPERM; it takes a pipe (Linux).
 *
 * Chapter 7. Linux's epoll, which asyncio uses on Linux (selectors.EpollSelector), does not
 * pretend as select() does: asked to watch a regular file, epoll_ctl fails with EPERM, because a
 * file has no readiness to report. So asyncio's loop.add_reader() on a file raises
 * PermissionError there, and a loop has to hand file I/O to threads. Linux-only, like epoll: on
 * other systems the program says so and stops. Compare with regular_file_select.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#ifdef __linux__
#include <sys/epoll.h>

/* Ask epoll to watch fd for reading, and say what it answered. */
static void try_add(int epfd, const char *what, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
        say("main", "epoll_ctl(ADD, %s): 0, watched", what);
    else if (errno == EPERM)
        say("main", "epoll_ctl(ADD, %s): -1, errno EPERM (%s): epoll cannot watch it", what,
            strerror(errno));
    else
        die_errno("epoll_ctl");
}

int main(int argc, char **argv)
{
    FILE *file;
    int epfd, fds[2];
    struct demo demo;

    demo_init(&demo, argc, argv, "epoll_ctl refuses a regular file (EPERM) and takes a pipe.");
    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
        die_errno("epoll_create1");
    if ((file = tmpfile()) == NULL)
        die_errno("tmpfile");
    if (pipe(fds) == -1)
        die_errno("pipe");
    try_add(epfd, "a regular file", fileno(file));
    try_add(epfd, "a pipe", fds[0]);
    if (close(fds[0]) == -1 || close(fds[1]) == -1 || close(epfd) == -1 || fclose(file) == EOF)
        die_errno("close");
    demo_finish(&demo);
    return 0;
}
#else
int main(int argc, char **argv)
{
    struct demo demo;

    demo_init(&demo, argc, argv, "epoll_ctl refuses a regular file (EPERM); epoll is Linux-only.");
    say("main", "epoll is Linux-only; this system has none (BSD and macOS have kqueue instead)");
    demo_finish(&demo);
    return 0;
}
#endif
