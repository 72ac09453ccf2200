/*
 * args_address_of_i.c: BUG DEMONSTRATION: four threads all given &i, the loop's counter: all see 4.
 *
 * Chapter 2. The classic mistake: pthread_create(&t, NULL, work, &i) inside the loop. Every thread
 * gets the address of the same int, which the loop goes on changing. What a thread reads depends
 * on when it reads: any of 0 to 4, twice the same, in any order. Here each thread reads only
 * after the loop is over (they wait at a barrier first), so all four read 4, every run: the worst
 * case, made certain. (The barrier also orders main's writes before the reads, so this is a wrong
 * answer, not a data race.) The fix is args_per_thread.c: one argument per thread.
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
    int i; /* declared out here so that it outlives the loop: the bug, not a dangling pointer */

    demo_init(&demo, argc, argv, "BUG: every thread is given &i, the loop counter: all read 4.");
    PCHECK(pthread_barrier_init(&loop_over, NULL, WORKERS + 1));
    for (i = 0; i < WORKERS; i++)
        PCHECK(pthread_create(&threads[i], NULL, work, &i)); /* the bug: one int for all */
    barrier_wait(&loop_over); /* the loop is over, i == WORKERS: now the workers read */
    for (int j = 0; j < WORKERS; j++)
        PCHECK(pthread_join(threads[j], NULL));
    PCHECK(pthread_barrier_destroy(&loop_over));
    demo_finish(&demo);
    return 0;
}
