/*
 * cancel_threads_bug.c: BUG DEMONSTRATION: pthread_cancel leaves a mutex locked, a buffer leaked.
 *
 * Chapter 10. Python has no way to kill a thread at all, and this program shows one reason why.
 * The worker locks a mutex, allocates a buffer, then blocks in read(), a cancellation point. main
 * cancels it there (deferred cancellation, the default: the thread ends at its next cancellation
 * point). The thread ends at once, without reaching its unlock or its free: the mutex stays locked
 * by a thread that no longer exists, and the buffer is never freed. main finds the mutex taken
 * with pthread_mutex_trylock (a pthread_mutex_lock would wait for ever). Not built under the
 * sanitizers (LeakSanitizer rightly reports the leak). The fix: cancel_threads_cleanup.c; better
 * still, a stop flag the thread checks itself: stop_flag_threads.c.
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
static atomic_long allocated;  /* bytes malloc'ed minus bytes freed: what is leaked if not 0 */
static int ready[2], never[2]; /* pipes: "I hold them" to main; one nobody ever writes to */

static void *worker(void *arg)
{
    char *buffer, byte;

    (void)arg;
    PCHECK(pthread_mutex_lock(&mutex));
    if ((buffer = malloc(BUFFER_SIZE)) == NULL)
        die_errno("malloc");
    atomic_fetch_add(&allocated, BUFFER_SIZE);
    say("worker", "worker: holds the mutex and %d bytes, blocks in read()", BUFFER_SIZE);
    if (write(ready[1], "r", 1) != 1)
        die_errno("write");
    if (read(never[0], &byte, 1) == -1) /* a cancellation point: the thread ends in here */
        die_errno("read");
    free(buffer); /* never reached */
    atomic_fetch_sub(&allocated, BUFFER_SIZE);
    PCHECK(pthread_mutex_unlock(&mutex));
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t thread;
    void *result;
    char byte;
    int err;

    demo_init(&demo, argc, argv,
              "BUG DEMONSTRATION: a thread cancelled with pthread_cancel while it holds a mutex\n"
              "and a buffer never unlocks the one nor frees the other.");
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
    say("main", "main: trylock: %s",
        err == EBUSY ? "EBUSY: the mutex is still locked, by nobody alive"
        : err == 0   ? "free"
                     : strerror(err));
    say("main", "main: bytes never freed: %ld", atomic_load(&allocated));
    demo_finish(&demo);
    return 0;
}
