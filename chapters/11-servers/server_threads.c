/*
 * server_threads.c: one thread per connection, every thread blocking in its own recv().
 *
 * Chapter 11. Compare with server_sequential.c (the same serving code, run on a thread of its
 * own per client) and server_loop.c (one thread for everybody). A slow or idle client now holds
 * only its own thread. The price: the store is shared by every thread, so each command that
 * touches it runs under one mutex (chapter 3), and each client costs a thread (its stack, a
 * kernel task, a switch each time it wakes).
 *
 * Shutting down: SIGTERM wakes the main thread (the stop pipe), not the workers, which sit in
 * recv() or send(). shutdown(fd, SHUT_RDWR) on each client socket makes those calls return at
 * once, each worker closes its socket and ends, and main joins them all, so nothing leaks.
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

/* One connection and its thread. A slot is FREE, RUNNING, or DONE (ended, not joined yet). */
enum slot_state { FREE, RUNNING, DONE };
struct slot {
    pthread_t thread;
    int fd;
    enum slot_state state;
};

static struct server_config config = SERVER_CONFIG_INIT(DEFAULT_PORT);
static struct store *store;
static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER; /* every command on the store */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER; /* the slots and their states */
static pthread_cond_t slot_done = PTHREAD_COND_INITIALIZER;
static struct slot *slots;

static void *serve(void *arg)
{
    struct slot *slot = arg;

    if (resp_serve_blocking(slot->fd, -1, store, &store_lock, config.max_request) == -1 &&
        errno != ECONNRESET && errno != EPIPE && !server_stop_requested())
        perror("serving a client");
    /* Closed under the lock: main never calls shutdown() on a number that is being reused. */
    PCHECK(pthread_mutex_lock(&slots_lock));
    if (close(slot->fd) == -1)
        die_errno("close");
    slot->fd = -1;
    slot->state = DONE;
    PCHECK(pthread_cond_signal(&slot_done));
    PCHECK(pthread_mutex_unlock(&slots_lock));
    return NULL;
}

/* Join the threads that ended; returns a free slot, or NULL if every one is in use. */
static struct slot *reap(void)
{
    struct slot *free_slot = NULL;

    PCHECK(pthread_mutex_lock(&slots_lock));
    for (int i = 0; i < config.max_clients; i++) {
        if (slots[i].state == DONE) {
            PCHECK(pthread_join(slots[i].thread, NULL));
            slots[i].state = FREE;
        }
        if (slots[i].state == FREE && free_slot == NULL)
            free_slot = &slots[i];
    }
    PCHECK(pthread_mutex_unlock(&slots_lock));
    return free_slot;
}

/* How many slots are in `state`; call it with slots_lock held. */
static int count_slots(enum slot_state state)
{
    int n = 0;

    for (int i = 0; i < config.max_clients; i++)
        n += slots[i].state == state;
    return n;
}

/* Out of descriptors (EMFILE): wait until a client leaves and gives one back, or a stop is asked
 * for, rather than spin on accept(); the connection waits in the listen backlog meanwhile. */
static void wait_for_a_slot(void)
{
    PCHECK(pthread_mutex_lock(&slots_lock));
    if (count_slots(RUNNING) > 0) {
        int done = count_slots(DONE);

        while (count_slots(DONE) == done && !server_stop_requested())
            server_cond_wait(&slot_done, &slots_lock);
    }
    PCHECK(pthread_mutex_unlock(&slots_lock));
}

static void refuse(int fd)
{
    if (net_send_all(fd, RESP_TOO_MANY_CLIENTS, sizeof RESP_TOO_MANY_CLIENTS - 1) == -1) {
        /* the client is gone already: nothing to tell it */
    }
    if (close(fd) == -1)
        die_errno("close");
}

static void stop_all(void)
{
    PCHECK(pthread_mutex_lock(&slots_lock));
    for (int i = 0; i < config.max_clients; i++)
        if (slots[i].state == RUNNING && shutdown(slots[i].fd, SHUT_RDWR) == -1 &&
            errno != ENOTCONN)
            die_errno("shutdown");
    PCHECK(pthread_mutex_unlock(&slots_lock));
    for (int i = 0; i < config.max_clients; i++) {
        bool started;

        PCHECK(pthread_mutex_lock(&slots_lock));
        started = slots[i].state != FREE; /* RUNNING or DONE: only main makes a slot FREE */
        PCHECK(pthread_mutex_unlock(&slots_lock));
        if (started)
            PCHECK(pthread_join(slots[i].thread, NULL));
    }
}

int main(int argc, char **argv)
{
    int listen_fd, stop_fd;

    server_init(&config, argc, argv, "A RESP server with one thread per connection.", NULL);
    stop_fd = server_catch_stop(); /* before any thread starts: they inherit SIGPIPE ignored */
    if ((store = store_new()) == NULL)
        die_errno("store_new");
    if ((slots = calloc((size_t)config.max_clients, sizeof *slots)) == NULL)
        die_errno("calloc");
    listen_fd = server_listen(&config);
    for (;;) {
        int fd = server_accept(listen_fd, stop_fd), err;
        struct slot *slot;

        if (fd == -1 && errno == ECANCELED)
            break;
        if (fd == -1) {
            perror("accept");
            wait_for_a_slot();
            continue;
        }
        if ((slot = reap()) == NULL) {
            refuse(fd);
            continue;
        }
        PCHECK(pthread_mutex_lock(&slots_lock));
        slot->fd = fd;
        slot->state = RUNNING;
        err = pthread_create(&slot->thread, NULL, serve, slot);
        if (err != 0) /* EAGAIN: the system will not give us another thread now */
            slot->state = FREE;
        PCHECK(pthread_mutex_unlock(&slots_lock));
        if (err != 0)
            refuse(fd);
    }
    stop_all();
    if (close(listen_fd) == -1)
        die_errno("close");
    free(slots);
    store_free(store);
    return 0;
}
