/*
 * args_per_thread.c: four threads started in a loop, each given the address of its own int.
 *
 * Chapter 2. pthread_create passes one void * to the new thread. Here thread i gets &indexes[i],
 * an int that nobody changes and that lives until main has joined every thread. To make the
 * timing as bad as it can be, each thread waits until main says its loop is over before reading
 * its argument, and each still finds its own index. Compare with args_address_of_i.c, which
 * passes &i instead, and with Python's Thread(target=f, args=(i,)).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>

#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define WORKERS 4

static struct demo demo;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loop_ended = PTHREAD_COND_INITIALIZER;
static bool loop_over; /* set by main once its loop is over; guarded by lock */

static void *work(void *arg)
{
    PCHECK(pthread_mutex_lock(&lock)); /* wait until main says the loop is over */
    while (!loop_over)
        PCHECK(pthread_cond_wait(&loop_ended, &lock));
    PCHECK(pthread_mutex_unlock(&lock));
    say("workers", "a worker was given index %d", *(const int *)arg);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[WORKERS];
    int indexes[WORKERS]; /* one int per thread, alive until every thread is joined */

    demo_init(&demo, argc, argv, "Each thread is given the address of its own int: 0, 1, 2, 3.");
    for (int i = 0; i < WORKERS; i++) {
        indexes[i] = i;
        PCHECK(pthread_create(&threads[i], NULL, work, &indexes[i]));
    }
    PCHECK(pthread_mutex_lock(&lock));
    loop_over = true; /* the loop is over: now the workers read their arguments */
    PCHECK(pthread_cond_broadcast(&loop_ended));
    PCHECK(pthread_mutex_unlock(&lock));
    for (int i = 0; i < WORKERS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    demo_finish(&demo);
    return 0;
}
