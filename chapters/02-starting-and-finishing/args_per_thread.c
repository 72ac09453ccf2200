/*
 * args_per_thread.c: four threads started in a loop, each given the address of its own int.
 *
 * Chapter 2. pthread_create passes one void * to the new thread. Here thread i gets &indexes[i],
 * an int that nobody changes and that lives until main has joined every thread. To make the
 * timing as bad as it can be, each thread reads its argument only after main has left the loop
 * (all wait at a barrier first), and each still finds its own index. Compare with
 * args_address_of_i.c, which passes &i instead, and with Python's Thread(target=f, args=(i,)).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define WORKERS 4

static struct demo demo;
static pthread_barrier_t loop_over; /* the workers and main: nobody reads before the loop ends */

/* pthread_barrier_wait returns PTHREAD_BARRIER_SERIAL_THREAD to one waiter: not an error. */
static void barrier_wait(pthread_barrier_t *barrier)
{
    int rc = pthread_barrier_wait(barrier);

    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD)
        die_errnum(rc, "pthread_barrier_wait");
}

static void *work(void *arg)
{
    barrier_wait(&loop_over);
    say("workers", "a worker was given index %d", *(const int *)arg);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[WORKERS];
    int indexes[WORKERS]; /* one int per thread, alive until every thread is joined */

    demo_init(&demo, argc, argv, "Each thread is given the address of its own int: 0, 1, 2, 3.");
    PCHECK(pthread_barrier_init(&loop_over, NULL, WORKERS + 1));
    for (int i = 0; i < WORKERS; i++) {
        indexes[i] = i;
        PCHECK(pthread_create(&threads[i], NULL, work, &indexes[i]));
    }
    barrier_wait(&loop_over); /* the loop is over: now the workers read their arguments */
    for (int i = 0; i < WORKERS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    PCHECK(pthread_barrier_destroy(&loop_over));
    demo_finish(&demo);
    return 0;
}
