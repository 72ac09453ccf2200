/*
 * regular_file_select.c: select() reports a regular file ready at once, even with no data left.
 *
 * Chapter 7. For a pipe or a socket, "readable" means data (or end of file) is there now. A
 * regular file is never anything but ready: select() returns at once, and the read() that follows
 * may still wait for the disk, which O_NONBLOCK does not prevent (it has no effect on regular
 * files). So a select() loop cannot make file reads non-blocking; it cannot even tell when they
 * would block. Python's asyncio says the same by omission: it has no file API, and hands files to
 * threads (asyncio.to_thread, loop.run_in_executor, the aiofiles package).
 * Compare with regular_file_epoll.c (Linux), where epoll refuses a file outright.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define TIMEOUT 1.0 /* seconds each select() may wait, before -s */
#define CONTENT "hello, file\n"
#define BUF_SIZE 64

/* Ask select() whether fd is readable, waiting at most `seconds`. Returns what select() did. */
static int readable_within(int fd, double seconds)
{
    fd_set readable;
    int64_t us = seconds_to_ns(seconds) / 1000;
    struct timeval tv = {.tv_sec = (time_t)(us / 1000000), .tv_usec = (suseconds_t)(us % 1000000)};
    int n;

    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    if ((n = select(fd + 1, &readable, NULL, NULL, &tv)) == -1)
        die_errno("select");
    return n;
}

/* One select() on fd, then one read() if it said readable; say both answers. */
static void select_then_read(const char *what, int fd, double timeout)
{
    char buf[BUF_SIZE];
    ssize_t n;

    if (readable_within(fd, timeout) == 0) {
        say("main", "%s: select() waited its whole %g s timeout and returned 0: not readable", what,
            TIMEOUT);
        return;
    }
    if ((n = read(fd, buf, sizeof buf)) == -1)
        die_errno("read");
    say("main", "%s: select() returned 1 before its %g s timeout; read() got %zd bytes", what,
        TIMEOUT, n);
}

int main(int argc, char **argv)
{
    FILE *file;
    int fd, fds[2];
    struct demo demo;

    demo_init(&demo, argc, argv, "select() says a regular file is readable at once, even at EOF.");
    if ((file = tmpfile()) == NULL) /* a real file on disk, removed when the program ends */
        die_errno("tmpfile");
    fd = fileno(file);
    if (write(fd, CONTENT, strlen(CONTENT)) == -1 || lseek(fd, 0, SEEK_SET) == -1)
        die_errno("write");
    if (fd >= FD_SETSIZE)
        die_msg("descriptor %d is too big for select()", fd);
    say("main", "a regular file of %zu bytes, read from its start", strlen(CONTENT));
    select_then_read("file", fd, demo_seconds(&demo, TIMEOUT));
    select_then_read("file at its end", fd, demo_seconds(&demo, TIMEOUT));
    if (pipe(fds) == -1)
        die_errno("pipe");
    say("main", "an empty pipe, for comparison");
    select_then_read("pipe", fds[0], demo_seconds(&demo, TIMEOUT));
    if (close(fds[0]) == -1 || close(fds[1]) == -1 || fclose(file) == EOF)
        die_errno("close");
    demo_finish(&demo);
    return 0;
}
