/*
 * echo_threads.c: the same echo with a thread per socket, each blocked in its own read().
 *
 * Chapter 7. The threads' answer to echo_in_turn.c: do not choose which socket to wait on; wait
 * on all of them at once, one thread each. A blocked read() stops only its own thread, and the
 * kernel wakes whichever thread's socket has data. No O_NONBLOCK and no select(): the price is
 * a thread (and its stack) per descriptor, which chapter 14 measures.
 * Python: a threading.Thread per socket, each calling sock.recv() and sock.sendall().
 * Compare with echo_select.c and echo_loop.c: the same lines, one thread instead of four.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "echo_clients.h"

static int server[ECHO_CLIENTS];
static const char *const names[ECHO_CLIENTS] = {"socket 0", "socket 1", "socket 2"};

/*
 * Write all len bytes to a blocking descriptor. write() may take less than it was given (a
 * signal can cut it short), so go on with the rest, as Python's sock.sendall() does.
 */
static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            die_errno("write");
        buf += n;
        len -= (size_t)n;
    }
}

/* One thread per socket: wait in read(), echo, until the client hangs up. */
static void *serve_socket(void *arg)
{
    int k = (int)((const char *const *)arg - names);
    char buf[ECHO_MSG_MAX];
    ssize_t n;

    while ((n = read(server[k], buf, sizeof buf)) != 0) {
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            die_errno("read");
        say(names[k], "server: echoes '%.*s' on socket %d", (int)n, buf, k);
        write_all(server[k], buf, (size_t)n);
    }
    say(names[k], "server: socket %d: end of file; closing it", k);
    if (close(server[k]) == -1)
        die_errno("close");
    return NULL;
}

int main(int argc, char **argv)
{
    int client[ECHO_CLIENTS];
    pthread_t threads[ECHO_CLIENTS];
    struct demo demo;
    pid_t pid;

    demo_init(&demo, argc, argv, "The same echo with one thread per socket, blocking reads.");
    echo_sockets(server, client);
    pid = echo_start_clients(&demo, server, client); /* before any thread: see echo_clients.h */
    for (int k = 0; k < ECHO_CLIENTS; k++)
        PCHECK(pthread_create(&threads[k], NULL, serve_socket, (void *)&names[k]));
    for (int k = 0; k < ECHO_CLIENTS; k++)
        PCHECK(pthread_join(threads[k], NULL));
    echo_wait_clients(pid);
    say("server", "server: every socket is closed; done");
    demo_finish(&demo);
    return 0;
}
