/*
 * cancel_threads_cleanup.c: cleanup handlers unlock and free as the cancelled thread ends.
 *
 * Chapter 10. cancel_threads_bug.c with two cleanup handlers pushed, one per thing the worker
 * holds. When the thread is cancelled in read(), the handlers run, last pushed first: free the
 * buffer, unlock the mutex. Python's counterpart is try/finally, which a thread needs anyway
 * (Python cannot cancel a thread: it asks it to stop, stop_flag_threads.c). The cost: a push for
 * every resource, popped in the same block (they are macros that open and close a brace), and the
 * reader must know which calls are cancellation points (a long list, man 7 pthreads) to know where
 * the thread may end. Compare with cancel_threads_bug.c and cancel_cleanup_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define BUFFER_SIZE 4096

static struct demo demo;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static atomic_long allocated; /* bytes malloc'ed minus bytes freed */
static int ready[2], never[2];

static void unlock_mutex(void *arg)
{
    PCHECK(pthread_mutex_unlock(arg));
}

static void free_buffer(void *arg)
{
    free(arg);
    atomic_fetch_sub(&allocated, BUFFER_SIZE);
    say("worker", "worker: cleanup handlers: buffer freed, mutex unlocked");
}

static void *worker(void *arg)
{
    char *buffer, byte;

    (void)arg;
    PCHECK(pthread_mutex_lock(&mutex));
    pthread_cleanup_push(unlock_mutex, &mutex);
    if ((buffer = malloc(BUFFER_SIZE)) == NULL)
        die_errno("malloc");
    atomic_fetch_add(&allocated, BUFFER_SIZE);
    pthread_cleanup_push(free_buffer, buffer);
    say("worker", "worker: holds the mutex and %d bytes, blocks in read()", BUFFER_SIZE);
    if (write(ready[1], "r", 1) != 1)
        die_errno("write");
    if (read(never[0], &byte, 1) == -1) /* cancelled in here: the handlers run */
        die_errno("read");
    pthread_cleanup_pop(1); /* not cancelled: run them ourselves (1), in the same block */
    pthread_cleanup_pop(1);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t thread;
    void *result;
    char byte;
    int err;

    demo_init(&demo, argc, argv,
              "The same cancelled thread with pthread_cleanup_push handlers: they unlock the\n"
              "mutex and free the buffer as the thread ends.");
    if (pipe(ready) == -1 || pipe(never) == -1)
        die_errno("pipe");
    PCHECK(pthread_create(&thread, NULL, worker, NULL));
    if (read(ready[0], &byte, 1) != 1)
        die_errno("read");
    say("main", "main: pthread_cancel(worker)");
    PCHECK(pthread_cancel(thread));
    PCHECK(pthread_join(thread, &result));
    say("main", "main: joined: the worker %s",
        result == PTHREAD_CANCELED ? "was cancelled" : "returned?");
    err = pthread_mutex_trylock(&mutex);
    say("main", "main: trylock: %s", err == 0 ? "free: the handler unlocked it" : strerror(err));
    if (err == 0)
        PCHECK(pthread_mutex_unlock(&mutex));
    say("main", "main: bytes never freed: %ld", atomic_load(&allocated));
    demo_finish(&demo);
    return 0;
}
