/*
 * echo_select.c: one thread echoes three sockets, serving whichever select() says is readable.
 *
 * Chapter 7. The fix for echo_in_turn.c, and the heart of every event loop: do not guess which
 * descriptor to read; ask select() which ones have something, and read only those. The sets are
 * kept in a "master" fd_set and copied before each call, because select() overwrites the sets
 * it is given with the ready ones; its return value is checked, and tells how many are ready.
 * The sockets are non-blocking, so that a read() that would block anyway returns EAGAIN.
 * Python: selectors.DefaultSelector. Compare with echo_loop.c (the same through common/'s loop)
 * and echo_threads.c (a thread per socket, each blocked in its own read()).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/select.h>

#include "echo_clients.h"

static int server[ECHO_CLIENTS];

static void set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
        die_errno("fcntl");
}

/*
 * Send a short echo. Each client reads its echo before it speaks again, so the socket's buffer
 * is empty and a non-blocking write() takes all of a few bytes. A server whose clients may not
 * read keeps an output buffer and waits for writability instead (chapter 11).
 */
static void echo_back(int fd, const char *buf, size_t len)
{
    ssize_t n = write(fd, buf, len);

    if (n == -1)
        die_errno("write");
    if ((size_t)n < len)
        die_msg("echo_back: a partial write; this server has no output buffer");
}

/* Read what socket k has and echo it. Returns false once its client has hung up. */
static bool serve(int k)
{
    char buf[ECHO_MSG_MAX];
    ssize_t n = read(server[k], buf, sizeof buf);

    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return true; /* "readable" was a hint, not a promise: back to select() */
    if (n == -1)
        die_errno("read");
    if (n == 0) {
        say("server", "server: socket %d: end of file; closing it", k);
        return false;
    }
    say("server", "server: echoes '%.*s' on socket %d", (int)n, buf, k);
    echo_back(server[k], buf, (size_t)n);
    return true;
}

int main(int argc, char **argv)
{
    int client[ECHO_CLIENTS], maxfd = -1, open = ECHO_CLIENTS;
    fd_set master, ready;
    struct demo demo;
    pid_t pid;

    demo_init(&demo, argc, argv, "One thread echoes three sockets with select(), in any order.");
    echo_sockets(server, client);
    pid = echo_start_clients(&demo, server, client);
    FD_ZERO(&master);
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        if (server[k] >= FD_SETSIZE) /* FD_SET would write past the end of the set */
            die_msg("descriptor %d is too big for select()", server[k]);
        set_nonblocking(server[k]);
        FD_SET(server[k], &master);
        if (server[k] > maxfd)
            maxfd = server[k];
    }
    while (open > 0) {
        int n;

        ready = master; /* select() overwrites the set it is given: give it a copy */
        n = select(maxfd + 1, &ready, NULL, NULL, NULL);
        if (n == -1 && errno == EINTR)
            continue; /* a signal arrived: not an error, ask again */
        if (n == -1)
            die_errno("select");
        say("server", "server: select() returned %d", n);
        for (int k = 0; k < ECHO_CLIENTS && n > 0; k++) {
            if (server[k] == -1 || !FD_ISSET(server[k], &ready))
                continue;
            n--;
            if (!serve(k)) {
                FD_CLR(server[k], &master);
                if (close(server[k]) == -1)
                    die_errno("close");
                server[k] = -1;
                open--;
            }
        }
    }
    echo_wait_clients(pid);
    say("server", "server: every socket is closed; done");
    demo_finish(&demo);
    return 0;
}
