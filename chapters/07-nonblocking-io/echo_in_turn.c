/*
 * echo_in_turn.c: BUG DEMONSTRATION: an echo server that reads its sockets in turn gets stuck.
 *
 * Chapter 7. One thread, three sockets, blocking reads: socket 0, then 1, then 2, then 0 again.
 * But client 2 speaks first (echo_clients.h), and the server sits in read() on socket 0, where
 * nobody speaks yet: client 2 waits for an echo that never comes, and client 0 waits for its
 * turn, which comes after client 2's echo. Nothing can move. A watchdog (a timer signal, every
 * 1 s) interrupts the read; once another socket has data waiting, the program says so and ends.
 * Fixed counterparts: echo_select.c (one thread asks select() which socket has data),
 * echo_loop.c (the same through common/'s loop) and echo_threads.c (a blocked thread per socket).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/time.h>

#include "echo_clients.h"

#define STUCK_AFTER 1.0 /* seconds between two looks of the watchdog, before -s */

static int server[ECHO_CLIENTS];

/* Does nothing: its only job is to make the blocked read() return, with EINTR. */
static void on_watchdog(int sig)
{
    (void)sig;
}

/* Arm the watchdog for `seconds` (0: disarm it). */
static void watchdog(double seconds)
{
    int64_t us = seconds_to_ns(seconds) / 1000;
    struct itimerval t = {
        .it_value = {.tv_sec = (time_t)(us / 1000000), .tv_usec = (suseconds_t)(us % 1000000)}};

    if (setitimer(ITIMER_REAL, &t, NULL) == -1)
        die_errno("setitimer");
}

/* The first socket other than k with data waiting to be read, or -1: a look, no wait. */
static int waiting_elsewhere(int k)
{
    for (int j = 0; j < ECHO_CLIENTS; j++) {
        fd_set readable;
        struct timeval now = {0, 0};

        FD_ZERO(&readable);
        FD_SET(server[j], &readable);
        if (j != k && select(server[j] + 1, &readable, NULL, NULL, &now) == 1)
            return j;
    }
    return -1;
}

/* Serve socket k once: wait in read(), echo what came. Returns false if the server must stop. */
static bool serve_in_turn(const struct demo *demo, int k)
{
    char buf[ECHO_MSG_MAX];
    ssize_t n;
    int err, other;

    say("server", "server: read() on socket %d", k);
    for (;;) {
        watchdog(demo_seconds(demo, STUCK_AFTER));
        n = read(server[k], buf, sizeof buf);
        err = errno; /* before setitimer() can change it */
        watchdog(0);
        if (n != -1 || err != EINTR)
            break;
        /* The watchdog interrupted the read: give up once another client is kept waiting. */
        if ((other = waiting_elsewhere(k)) != -1) {
            say("server",
                "server: still in read() on socket %d, while socket %d has data waiting: stuck, "
                "giving up",
                k, other);
            return false;
        }
    }
    if (n == -1)
        die_errnum(err, "read");
    if (n == 0) {
        say("server", "server: socket %d: end of file", k);
        return false; /* the clients are done (a real server would go on with the others) */
    }
    say("server", "server: echoes '%.*s' on socket %d", (int)n, buf, k);
    if (write(server[k], buf, (size_t)n) != n)
        die_errno("write");
    return true;
}

int main(int argc, char **argv)
{
    int client[ECHO_CLIENTS];
    struct sigaction sa = {.sa_handler = on_watchdog}; /* no SA_RESTART: read() must give up */
    struct demo demo;
    pid_t pid;
    bool going = true;

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: blocking reads in turn: stuck on a silent socket (a watchdog "
              "ends it).");
    if (sigemptyset(&sa.sa_mask) == -1 || sigaction(SIGALRM, &sa, NULL) == -1)
        die_errno("sigaction");
    echo_sockets(server, client);
    pid = echo_start_clients(&demo, server, client);
    while (going) {
        for (int k = 0; k < ECHO_CLIENTS && going; k++)
            going = serve_in_turn(&demo, k);
    }
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        if (close(server[k]) == -1)
            die_errno("close");
    }
    echo_wait_clients(pid);
    say("server", "server: closed every socket; done");
    demo_finish(&demo);
    return 0;
}
