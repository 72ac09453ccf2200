/*
 * read_nonblocking.c: with O_NONBLOCK, read() on an empty pipe returns at once: -1 and EAGAIN.
 *
 * Chapter 7. What an event loop relies on: a call that would wait returns instead, and says so.
 * A non-blocking read() has three answers: some bytes (perhaps fewer than asked for), 0 (end of
 * file: the writer is gone for good), or -1 with errno EAGAIN ("nothing now, come back later").
 * Python: os.set_blocking(fd, False), and os.read() raises BlockingIOError instead of EAGAIN.
 * Compare with read_blocking.c, where the same read() on the same empty pipe waits.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define MESSAGE "hello"
#define BUF_SIZE 64

/* Read once from fd and say which of the three answers came back. */
static void read_once(int fd)
{
    char buf[BUF_SIZE];
    ssize_t n = read(fd, buf, sizeof buf);

    if (n > 0)
        say("main", "read(%d bytes): %zd bytes, '%.*s': only what was there", BUF_SIZE, n, (int)n,
            buf);
    else if (n == 0)
        say("main", "read(%d bytes): 0, end of file: no writer is left, no data will ever come",
            BUF_SIZE);
    else if (errno == EAGAIN || errno == EWOULDBLOCK)
        say("main", "read(%d bytes): -1, errno EAGAIN (%s): nothing yet, come back later", BUF_SIZE,
            strerror(errno));
    else
        die_errno("read");
}

int main(int argc, char **argv)
{
    int fds[2], flags;
    struct demo demo;

    demo_init(&demo, argc, argv, "A non-blocking read(): EAGAIN at once, then data, then 0 (EOF).");
    if (pipe(fds) == -1)
        die_errno("pipe");
    /* F_SETFL replaces every status flag at once: read them first, and add ours. */
    if ((flags = fcntl(fds[0], F_GETFL)) == -1 || fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) == -1)
        die_errno("fcntl");
    say("main", "O_NONBLOCK is set on the pipe's read end; the pipe is empty");
    read_once(fds[0]);
    if (write(fds[1], MESSAGE, strlen(MESSAGE)) == -1)
        die_errno("write");
    say("main", "wrote %zu bytes into the pipe", strlen(MESSAGE));
    read_once(fds[0]);
    read_once(fds[0]);
    if (close(fds[1]) == -1)
        die_errno("close");
    say("main", "closed the write end");
    read_once(fds[0]);
    if (close(fds[0]) == -1)
        die_errno("close");
    demo_finish(&demo);
    return 0;
}
