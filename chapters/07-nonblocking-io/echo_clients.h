/*
 * echo_clients.h: the three clients that chapter 7's echo servers answer, in a child process.
 *
 * Chapter 7. echo_in_turn.c, echo_select.c, echo_loop.c and echo_threads.c serve the same
 * clients, so the clients are written once, here, as static functions: each program still builds
 * from its own .c file and common/. Client k talks on socket k of a socketpair. The script makes
 * client 2 speak first, then client 0, then client 1, each one waiting for its echo; then each
 * client hangs up in turn (shutdown) and waits until the server has hung up too. Every line is
 * printed before the action that lets the other side go on, so the order of lines is the same
 * on every run, whichever server answers.
 */
#ifndef ECHO_CLIENTS_H
#define ECHO_CLIENTS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define ECHO_CLIENTS 3
#define ECHO_GAP 0.5 /* seconds between two clients' turns, before -s */
#define ECHO_MSG_MAX 64

/* Who speaks, in order: not the order of the descriptors. */
static const int echo_script[ECHO_CLIENTS] = {2, 0, 1};

/* Make the socketpairs: server[k] is the server's end of client k's socket, client[k] the other. */
static void echo_sockets(int server[ECHO_CLIENTS], int client[ECHO_CLIENTS])
{
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        int sv[2];

        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
            die_errno("socketpair");
        server[k] = sv[0];
        client[k] = sv[1];
    }
}

/*
 * Read exactly len bytes unless the server hangs up first. Returns the bytes read. A server that
 * closes its end with our message still unread there resets the connection: ECONNRESET, which
 * here means "hung up" too.
 */
static size_t echo_read_reply(int fd, char *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);

        if (n == 0 || (n == -1 && errno == ECONNRESET))
            break;
        if (n == -1)
            die_errno("read");
        got += (size_t)n;
    }
    return got;
}

/* The child's whole life: the script, then the hang-ups. */
static void echo_run_clients(const struct demo *demo, const int client[ECHO_CLIENTS])
{
    char msg[ECHO_MSG_MAX], reply[ECHO_MSG_MAX];
    ssize_t n;

    for (int turn = 0; turn < ECHO_CLIENTS; turn++) {
        int k = echo_script[turn];
        size_t len = (size_t)snprintf(msg, sizeof msg, "hello from client %d", k);

        if (sleep_seconds(demo_seconds(demo, ECHO_GAP)) == -1)
            die_errno("nanosleep");
        say("client", "client %d: sends '%s'", k, msg);
        n = write(client[k], msg, len);
        if (n == -1)
            die_errno("write");
        if ((size_t)n < len) /* a blocking write takes it all, unless a signal cuts it short */
            die_msg("client %d: a short write", k);
        if (echo_read_reply(client[k], reply, len) < len) {
            say("client", "client %d: no echo: the server hung up", k);
            return;
        }
        say("client", "client %d: got '%.*s' back", k, (int)len, reply);
    }
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        say("client", "client %d: hangs up", k);
        if (shutdown(client[k], SHUT_WR) == -1)
            die_errno("shutdown");
        if (echo_read_reply(client[k], reply, sizeof reply) != 0)
            die_msg("client %d: unexpected bytes after the echo", k);
        say("client", "client %d: the server hung up too", k);
    }
}

/*
 * Fork the clients. In the parent, close the clients' ends (the child has its own copies) and
 * return the child's pid; the child never returns. Call before creating any thread: a fork()
 * copies only the thread that calls it.
 */
static pid_t echo_start_clients(const struct demo *demo, const int server[ECHO_CLIENTS],
                                const int client[ECHO_CLIENTS])
{
    pid_t pid = fork();

    if (pid == -1)
        die_errno("fork");
    if (pid == 0) {
        for (int k = 0; k < ECHO_CLIENTS; k++) {
            if (close(server[k]) == -1)
                die_errno("close");
        }
        echo_run_clients(demo, client);
        _exit(EXIT_SUCCESS); /* say() flushed every line; there is nothing else to clean up */
    }
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        if (close(client[k]) == -1)
            die_errno("close");
    }
    return pid;
}

/* Wait for the clients' process to end; die unless it ended well. */
static void echo_wait_clients(pid_t pid)
{
    int status;

    if (waitpid(pid, &status, 0) == -1)
        die_errno("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die_msg("the clients' process failed (status %d)", status);
}

#endif
