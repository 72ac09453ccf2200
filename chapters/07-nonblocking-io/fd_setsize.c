/*
 * fd_setsize.c: FD_SETSIZE limits a descriptor's value, not how many: the loop refuses fd 1024.
 *
 * Chapter 7. An fd_set is an array of FD_SETSIZE bits (1024 on Linux and macOS), one per
 * descriptor *value*; FD_SET(1024, &set) would write past its end. So select(), and common/'s
 * loop built on it, cannot watch descriptor 1024, even in a process with only a few sockets.
 * This program dup()s a pipe until it holds a descriptor at or above FD_SETSIZE (raising its
 * soft limit on open files first, if the hard limit allows), then asks the loop to watch it:
 * loop_watch refuses it with EINVAL instead of corrupting memory. With over 1024 descriptors
 * open, a small one still works. Python: select.select() raises ValueError for fd 1024.
 * Compare: poll() and epoll (chapter 15) take any descriptor value.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "loop.h"
#include "timeline.h"

#define HEADROOM 64 /* descriptors beyond FD_SETSIZE to ask the soft limit for */

/*
 * Make sure this process may open a descriptor numbered FD_SETSIZE: the soft limit
 * RLIMIT_NOFILE must be above it, and an unprivileged process may raise its soft limit up to
 * its hard limit, no further. Returns false, having said why, if that is not allowed.
 */
static bool allow_big_descriptors(void)
{
    struct rlimit rl;
    rlim_t want = FD_SETSIZE + HEADROOM;

    if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
        die_errno("getrlimit");
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur <= FD_SETSIZE) {
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= FD_SETSIZE) {
            say("main",
                "cannot open descriptor %d: the hard limit on open files is %ju (ulimit -Hn)",
                FD_SETSIZE, (uintmax_t)rl.rlim_max);
            return false;
        }
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
            want = rl.rlim_max;
        say("main", "raised the soft limit on open files from %ju to %ju (ulimit -n)",
            (uintmax_t)rl.rlim_cur, (uintmax_t)want);
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
            die_errno("setrlimit");
    }
    return true;
}

static void on_readable(struct loop *loop, void *arg)
{
    int fd = *(const int *)arg;

    say("loop", "loop: descriptor %d is readable", fd);
    loop_unwatch(loop, fd, LOOP_READ);
}

/* Ask the loop to watch fd, and say what it answered. */
static void try_watch(struct loop *loop, int *fd)
{
    if (loop_watch(loop, *fd, LOOP_READ, on_readable, fd) == 0)
        say("main", "loop_watch(%d): 0, watched", *fd);
    else if (errno == EINVAL)
        say("main", "loop_watch(%d): -1, errno EINVAL (%s): select() cannot watch it", *fd,
            strerror(errno));
    else
        die_errno("loop_watch");
}

int main(int argc, char **argv)
{
    int fds[2], big = -1, below, opened = 0;
    bool allowed;
    struct loop *loop;
    struct demo demo;

    demo_init(&demo, argc, argv, "The loop refuses descriptor 1024, however few are in use.");
    say("main", "FD_SETSIZE is %d: an fd_set has one bit per descriptor from 0 to %d", FD_SETSIZE,
        FD_SETSIZE - 1);
    if (pipe(fds) == -1) /* first, so that its descriptors are small ones */
        die_errno("pipe");
    allowed = allow_big_descriptors();
    if (allowed) {
        while (big < FD_SETSIZE) { /* dup() returns the lowest free descriptor */
            if ((big = dup(fds[0])) == -1)
                die_errno("dup");
            opened++;
        }
        say("main", "dup() %d times: descriptor %d is open, and so are all below it", opened, big);
    } else {
        big = FD_SETSIZE;
        say("main", "descriptor %d is not open, but the loop refuses the number before it looks",
            big);
    }
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    try_watch(loop, &big);
    below = FD_SETSIZE - 1;
    if (allowed)
        try_watch(loop, &below); /* a duplicate of the pipe's read end, as big is */
    try_watch(loop, &fds[0]);
    if (write(fds[1], "x", 1) != 1)
        die_errno("write");
    say("main", "wrote a byte into the pipe; the loop runs");
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    loop_free(loop);
    demo_finish(&demo);
    return 0; /* the descriptors close as the process ends */
}
