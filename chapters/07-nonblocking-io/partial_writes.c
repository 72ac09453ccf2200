/*
 * partial_writes.c: on a socket with a tiny buffer, a non-blocking write() takes what fits.
 *
 * Chapter 7. A socketpair with SO_SNDBUF and SO_RCVBUF set small, both ends non-blocking. Asked
 * to write 32 KiB at once, write() takes only part (a partial write) and says how much; asked
 * again while the buffer is full, it takes nothing: -1 with EAGAIN. Only after the other end
 * reads does it take more, and each read() returns what is there, less than it asked for (a
 * partial read). So every program that writes loops over what is left, as Python's
 * sock.sendall() does for you: see send_all in exercises/07-nonblocking-io/. One thread plays
 * both ends, so the lines come in the same order on every run; the byte counts are the kernel's
 * choice (Linux's here; other systems size socket buffers differently).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define TOTAL 32768       /* bytes to send */
#define ASKED_BUFFER 4096 /* the socket buffer sizes we ask for */

static unsigned char sent[TOTAL], received[TOTAL];

static void set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
        die_errno("fcntl");
}

/* The other end reads everything it holds now, asking each time for all that is still to come. */
static void drain(int fd, size_t *have)
{
    ssize_t n;

    while ((n = read(fd, received + *have, TOTAL - *have)) > 0) {
        say("main", "  the other end: read(%zu bytes) got %zd", TOTAL - *have, n);
        *have += (size_t)n;
    }
    if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
        die_errno("read");
}

int main(int argc, char **argv)
{
    int sv[2], size = ASKED_BUFFER, got;
    socklen_t len = sizeof got;
    size_t done = 0, have = 0, partial = 0, full = 0;
    struct demo demo;

    demo_init(&demo, argc, argv, "Partial writes and EAGAIN on a socket with a tiny buffer.");
    for (size_t i = 0; i < TOTAL; i++)
        sent[i] = (unsigned char)(i * 7 + i / 256); /* not periodic in 256: order shows */
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
        die_errno("socketpair");
    if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size) == -1 ||
        setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size) == -1)
        die_errno("setsockopt");
    if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &got, &len) == -1)
        die_errno("getsockopt");
    say("main", "SO_SNDBUF: asked for %d bytes, the kernel set %d", size, got);
    set_nonblocking(sv[0]);
    set_nonblocking(sv[1]);

    while (done < TOTAL) {
        size_t asked = TOTAL - done;
        ssize_t n = write(sv[0], sent + done, asked);

        if (n > 0) {
            say("main", "write(%zu bytes) took %zd", asked, n);
            done += (size_t)n;
            partial += (size_t)n < asked;
        } else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            say("main", "write(%zu bytes): -1, EAGAIN: the buffer is full", asked);
            full++;
            drain(sv[1], &have);
        } else {
            die_errno("write");
        }
    }
    drain(sv[1], &have);
    say("main", "%d bytes sent: %zu partial writes, %zu found the buffer full", TOTAL, partial,
        full);
    if (have != TOTAL || memcmp(sent, received, TOTAL) != 0)
        die_msg("partial_writes: %zu bytes arrived, or not in order", have);
    say("main", "all %zu bytes arrived, in order", have);
    if (close(sv[0]) == -1 || close(sv[1]) == -1)
        die_errno("close");
    demo_finish(&demo);
    return 0;
}
