/*
 * echo_loop.c: the same echo on common/'s event loop: loop_watch instead of FD_SET and select().
 *
 * Chapter 7. What loop_watch(loop, fd, LOOP_READ, fn, arg) does is what echo_select.c does by
 * hand: the loop keeps the master set, copies it, calls select(), and calls fn(loop, arg) for
 * each descriptor that is ready. loop_run returns once nothing is left to watch.
 * Python: loop.add_reader(fd, callback) and loop.remove_reader(fd).
 * Compare with echo_select.c, line for line, and echo_threads.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>

#include "echo_clients.h"
#include "loop.h"

/* One socket the loop watches, and the client it belongs to. */
struct peer {
    int fd;
    int k;
};

static void set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
        die_errno("fcntl");
}

/* As in echo_select.c: each client reads its echo before it speaks again (chapter 11 buffers). */
static void echo_back(int fd, const char *buf, size_t len)
{
    ssize_t n = write(fd, buf, len);

    if (n == -1)
        die_errno("write");
    if ((size_t)n < len)
        die_msg("echo_back: a partial write; this server has no output buffer");
}

/* The loop calls this when the peer's socket is readable. */
static void on_readable(struct loop *loop, void *arg)
{
    struct peer *p = arg;
    char buf[ECHO_MSG_MAX];
    ssize_t n = read(p->fd, buf, sizeof buf);

    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return; /* "readable" was a hint, not a promise: the loop will call again */
    if (n == -1)
        die_errno("read");
    if (n == 0) {
        say("server", "server: socket %d: end of file; closing it", p->k);
        loop_unwatch(loop, p->fd, LOOP_READ);
        if (close(p->fd) == -1)
            die_errno("close");
        return;
    }
    say("server", "server: echoes '%.*s' on socket %d", (int)n, buf, p->k);
    echo_back(p->fd, buf, (size_t)n);
}

int main(int argc, char **argv)
{
    int server[ECHO_CLIENTS], client[ECHO_CLIENTS];
    struct peer peers[ECHO_CLIENTS];
    struct loop *loop;
    struct demo demo;
    pid_t pid;

    demo_init(&demo, argc, argv, "The same echo on common/'s loop: loop_watch and a callback.");
    echo_sockets(server, client);
    pid = echo_start_clients(&demo, server, client);
    if ((loop = loop_new()) == NULL)
        die_errno("loop_new");
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        peers[k] = (struct peer){.fd = server[k], .k = k};
        set_nonblocking(server[k]);
        if (loop_watch(loop, server[k], LOOP_READ, on_readable, &peers[k]) == -1)
            die_errno("loop_watch"); /* EINVAL for a descriptor select() cannot hold */
    }
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    loop_free(loop);
    echo_wait_clients(pid);
    say("server", "server: every socket is closed; done");
    demo_finish(&demo);
    return 0;
}
