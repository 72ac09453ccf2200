/*
 * server_pool.c: a fixed pool of worker threads; main accepts and queues, a free worker serves.
 *
 * Chapter 11. Compare with server_threads.c: the same blocking serving code and the same store
 * lock, but the number of threads is fixed (--threads N) instead of growing with the clients.
 * At most N clients are served at once; the others wait in the queue, connected but unanswered,
 * until a worker is free: the pool bounds the concurrency (and the memory), and a client that
 * stays connected keeps its worker. --max-clients bounds the served and queued clients together:
 * one more is refused. A bounded producer/consumer queue (chapter 4) hands the sockets over.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "net.h"
#include "resp.h"

#define DEFAULT_PORT 6379
#define DEFAULT_THREADS 8 /* four per core here: a blocked worker leaves others to run */
#define MAX_THREADS 1024

struct worker {
    pthread_t thread;
    int fd; /* the client it serves, or -1 */
};

static struct server_config config = SERVER_CONFIG_INIT(DEFAULT_PORT);
static double nthreads = DEFAULT_THREADS;
static struct store *store;
static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER; /* every command on the store */

/* The queue of accepted sockets (a ring of max_clients), and the workers, under one lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER;
static pthread_cond_t left = PTHREAD_COND_INITIALIZER; /* a client left: its descriptor is free */
static int *queue;
static int head, count; /* the oldest queued socket, and how many wait */
static int clients;     /* queued + being served: compared with --max-clients */
static bool stopping;
static struct worker *workers;

static void *work(void *arg)
{
    struct worker *w = arg;

    PCHECK(pthread_mutex_lock(&lock));
    for (;;) {
        while (count == 0 && !stopping)
            PCHECK(pthread_cond_wait(&queued, &lock));
        if (stopping)
            break;
        w->fd = queue[head];
        head = (head + 1) % config.max_clients;
        count--;
        PCHECK(pthread_mutex_unlock(&lock));
        if (resp_serve_blocking(w->fd, -1, store, &store_lock, config.max_request) == -1 &&
            errno != ECONNRESET && errno != EPIPE && !server_stop_requested())
            perror("serving a client");
        PCHECK(pthread_mutex_lock(&lock)); /* close under the lock: see stop_all() */
        if (close(w->fd) == -1)
            die_errno("close");
        w->fd = -1;
        clients--;
        PCHECK(pthread_cond_signal(&left));
    }
    PCHECK(pthread_mutex_unlock(&lock));
    return NULL;
}

/* Queue fd for a worker; false if --max-clients are already connected. */
static bool enqueue(int fd)
{
    bool ok;

    PCHECK(pthread_mutex_lock(&lock));
    ok = clients < config.max_clients;
    if (ok) {
        queue[(head + count) % config.max_clients] = fd;
        count++;
        clients++;
        PCHECK(pthread_cond_signal(&queued));
    }
    PCHECK(pthread_mutex_unlock(&lock));
    return ok;
}

/* Out of descriptors (EMFILE): wait until a client leaves and gives one back, or a stop is asked
 * for, rather than spin on accept(); the connection waits in the listen backlog meanwhile. */
static void wait_for_a_client_to_leave(void)
{
    PCHECK(pthread_mutex_lock(&lock));
    for (int before = clients; before > 0 && clients >= before && !server_stop_requested();)
        server_cond_wait(&left, &lock);
    PCHECK(pthread_mutex_unlock(&lock));
}

/* Wake every worker: the idle ones by the condition, the busy ones by shutdown() on their
 * sockets; close the sockets still queued, which no worker will take now; join them all. */
static void stop_all(void)
{
    PCHECK(pthread_mutex_lock(&lock));
    stopping = true;
    PCHECK(pthread_cond_broadcast(&queued));
    for (int i = 0; i < (int)nthreads; i++)
        if (workers[i].fd >= 0 && shutdown(workers[i].fd, SHUT_RDWR) == -1 && errno != ENOTCONN)
            die_errno("shutdown");
    for (; count > 0; count--, head = (head + 1) % config.max_clients)
        if (close(queue[head]) == -1)
            die_errno("close");
    PCHECK(pthread_mutex_unlock(&lock));
    for (int i = 0; i < (int)nthreads; i++)
        PCHECK(pthread_join(workers[i].thread, NULL));
}

int main(int argc, char **argv)
{
    const struct server_option options[] = {
        {"threads", "N", "worker threads: clients served at once", &nthreads, 1, MAX_THREADS, true},
        {NULL, NULL, NULL, NULL, 0, 0, false},
    };
    int listen_fd, stop_fd;

    server_init(&config, argc, argv, "A RESP server with a fixed pool of worker threads.", options);
    stop_fd = server_catch_stop(); /* before any thread starts: they inherit SIGPIPE ignored */
    if ((store = store_new()) == NULL)
        die_errno("store_new");
    queue = calloc((size_t)config.max_clients, sizeof *queue);
    workers = calloc((size_t)nthreads, sizeof *workers);
    if (queue == NULL || workers == NULL)
        die_errno("calloc");
    for (int i = 0; i < (int)nthreads; i++) {
        workers[i].fd = -1;
        PCHECK(pthread_create(&workers[i].thread, NULL, work, &workers[i]));
    }
    listen_fd = server_listen(&config);
    for (;;) {
        int fd = server_accept(listen_fd, stop_fd);

        if (fd == -1 && errno == ECANCELED)
            break;
        if (fd == -1) { /* EMFILE: --max-clients is above the descriptor limit */
            perror("accept");
            wait_for_a_client_to_leave();
            continue;
        }
        if (!enqueue(fd)) {
            if (net_send_all(fd, RESP_TOO_MANY_CLIENTS, sizeof RESP_TOO_MANY_CLIENTS - 1) == -1) {
                /* the client is gone already */
            }
            if (close(fd) == -1)
                die_errno("close");
        }
    }
    stop_all();
    if (close(listen_fd) == -1)
        die_errno("close");
    free(queue);
    free(workers);
    store_free(store);
    return 0;
}
