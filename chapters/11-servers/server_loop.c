/*
 * server_loop.c: every client on one thread, on common/'s select() event loop.
 *
 * Chapter 11. Compare with server_threads.c: the same protocol, but no thread blocks on a
 * client. Each socket is non-blocking; the loop calls on_readable when a client sent something,
 * which reads what is there, runs every command it completes (pipelining: all of them before the
 * next read) and writes the replies at once. What the socket will not take now waits in the
 * client's own output buffer, and the loop calls on_writable when there is room again. So a slow
 * reader costs memory, not time: everyone else goes on. That buffer is bounded (--max-output):
 * a client that sends and never reads is dropped once its replies pass the bound.
 *
 * No lock: only this thread touches the store, and a callback runs to its end before the next
 * starts, so no command can see another half done. The cost: one core at most, and a slow
 * command (or a slow callback) stalls every client (chapter 6).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "loop.h"
#include "net.h"
#include "resp.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* SIGPIPE is ignored by server_catch_stop anyway */
#endif

#define DEFAULT_PORT 6379
#define READ_SIZE (16 * 1024)                  /* one read; shared by all clients */
#define DEFAULT_MAX_OUTPUT (8.0 * 1024 * 1024) /* replies a client may leave unread */
#define MAX_OUTPUT_LIMIT (1024.0 * 1024 * 1024)
#define ACCEPTS_PER_WAKEUP 64 /* then let the clients already here have their turn */

struct client {
    struct client *prev, *next;
    int fd;
    bool closing;           /* QUIT or a protocol error: close once the replies are out */
    bool writing;           /* watched for LOOP_WRITE: replies are waiting */
    struct resp_conn *conn; /* only while a request or its replies are under way, else NULL */
};

static struct server_config config = SERVER_CONFIG_INIT(DEFAULT_PORT);
static double max_output = DEFAULT_MAX_OUTPUT;
static struct loop *loop;
static struct store *store;
static struct client *clients; /* every connected client, for the shutdown */
static int nclients, listen_fd;
static bool accept_paused; /* out of descriptors: accepting waits until a client leaves */
static char read_buf[READ_SIZE];

static void on_accept(struct loop *l, void *arg);

static void drop(struct client *c)
{
    loop_unwatch(loop, c->fd, LOOP_READ);
    loop_unwatch(loop, c->fd, LOOP_WRITE);
    if (close(c->fd) == -1)
        die_errno("close");
    if (c->conn != NULL) {
        resp_conn_free(c->conn);
        free(c->conn);
    }
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        clients = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    free(c);
    nclients--;
    if (accept_paused) { /* a descriptor is free again */
        accept_paused = false;
        if (loop_watch(loop, listen_fd, LOOP_READ, on_accept, NULL) == -1)
            die_errno("loop_watch");
    }
}

static void on_writable(struct loop *l, void *arg);

/* Write what the socket takes now; keep the rest, watched for LOOP_WRITE, up to the bound. */
static void flush(struct client *c)
{
    struct resp_buf *out = &c->conn->out;

    while (resp_buf_pending(out) > 0) {
        ssize_t n = send(c->fd, out->data + out->start, resp_buf_pending(out), MSG_NOSIGNAL);

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n == -1) { /* EPIPE, ECONNRESET: the client is gone */
            drop(c);
            return;
        }
        resp_buf_consume(out, (size_t)n);
    }
    if (resp_buf_pending(out) > (size_t)max_output) {
        drop(c); /* it sends and never reads: it may not hold the server's memory hostage */
        return;
    }
    if (resp_buf_pending(out) > 0 && !c->writing) {
        if (loop_watch(loop, c->fd, LOOP_WRITE, on_writable, c) == -1)
            die_errno("loop_watch");
        c->writing = true;
    } else if (resp_buf_pending(out) == 0 && c->writing) {
        loop_unwatch(loop, c->fd, LOOP_WRITE);
        c->writing = false;
    }
    if (resp_buf_pending(out) == 0 && c->closing) {
        drop(c);
        return;
    }
    /* Everything answered and no request half read: until it speaks again, this client holds only
     * its small struct and its slot in the loop, where a thread holds a stack (make bench
     * measures both). The protocol state is made again, in a few allocations, when it does. */
    if (resp_buf_pending(out) == 0 && c->conn->state == RESP_START) {
        resp_conn_free(c->conn);
        free(c->conn);
        c->conn = NULL;
    }
}

static void on_writable(struct loop *l, void *arg)
{
    (void)l;
    flush(arg);
}

static void on_readable(struct loop *l, void *arg)
{
    struct client *c = arg;
    ssize_t n = recv(c->fd, read_buf, sizeof read_buf, 0);
    enum resp_status status;

    (void)l;
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return; /* readable was a hint, not a promise (chapter 7) */
    if (n <= 0) {
        drop(c); /* 0: the client hung up; -1: it reset the connection */
        return;
    }
    if (c->conn == NULL) {
        if ((c->conn = malloc(sizeof *c->conn)) == NULL) {
            drop(c);
            return;
        }
        resp_conn_init(c->conn, config.max_request);
        c->conn->max_output = (size_t)max_output;
    }
    status = resp_conn_feed(c->conn, store, NULL, read_buf, (size_t)n);
    if (status == RESP_NOMEM || status == RESP_OVERFLOW) {
        drop(c); /* overflow: it sends and never reads, and its replies reached --max-output */
        return;
    }
    if (status == RESP_CLOSE) { /* read no more: what it sent after that is not answered */
        c->closing = true;
        loop_unwatch(loop, c->fd, LOOP_READ);
    }
    flush(c);
}

/* Tell a client we cannot serve it why, if its socket takes the line at once, and close it. */
static void refuse(int fd)
{
    if (send(fd, RESP_TOO_MANY_CLIENTS, sizeof RESP_TOO_MANY_CLIENTS - 1,
             MSG_NOSIGNAL | MSG_DONTWAIT) == -1) {
        /* a fresh socket has room for one line; if not, the client learns it from the close */
    }
    if (close(fd) == -1)
        die_errno("close");
}

static void on_accept(struct loop *l, void *arg)
{
    (void)arg;
    for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
        int fd = accept(listen_fd, NULL, NULL);
        struct client *c;

        if (fd == -1 && (errno == EMFILE || errno == ENFILE) && nclients > 0) {
            loop_unwatch(l, listen_fd, LOOP_READ); /* until drop() frees a descriptor */
            accept_paused = true;
            return;
        }
        if (fd == -1) /* EAGAIN: no one else is waiting; or the client gave up already */
            return;
        if (nclients >= config.max_clients || net_set_nonblocking(fd) == -1 ||
            (c = calloc(1, sizeof *c)) == NULL) {
            refuse(fd);
            continue;
        }
        /* EINVAL from a descriptor at FD_SETSIZE or above: select() cannot watch it. */
        if (loop_watch(l, fd, LOOP_READ, on_readable, c) == -1) {
            free(c);
            refuse(fd);
            continue;
        }
        c->fd = fd;
        c->next = clients;
        if (clients != NULL)
            clients->prev = c;
        clients = c;
        nclients++;
    }
}

static void on_stop(struct loop *l, void *arg)
{
    (void)arg;
    loop_stop(l);
}

int main(int argc, char **argv)
{
    const struct server_option options[] = {
        {"max-output", "BYTES", "unread replies a client may leave before it is dropped",
         &max_output, 1, MAX_OUTPUT_LIMIT, true},
        {NULL, NULL, NULL, NULL, 0, 0, false},
    };
    int stop_fd;

    server_init(&config, argc, argv, "A RESP server on the select() event loop, one thread.",
                options);
    stop_fd = server_catch_stop();
    if ((store = store_new()) == NULL || (loop = loop_new()) == NULL)
        die_errno("store_new, loop_new");
    listen_fd = server_listen(&config);
    if (net_set_nonblocking(listen_fd) == -1)
        die_errno("net_set_nonblocking");
    if (loop_watch(loop, listen_fd, LOOP_READ, on_accept, NULL) == -1 ||
        loop_watch(loop, stop_fd, LOOP_READ, on_stop, NULL) == -1)
        die_errno("loop_watch");
    if (loop_run(loop) == -1)
        die_errno("loop_run");
    while (clients != NULL)
        drop(clients);
    loop_unwatch(loop, listen_fd, LOOP_READ);
    if (close(listen_fd) == -1)
        die_errno("close");
    loop_free(loop);
    store_free(store);
    return 0;
}
