/*
 * args_address_of_i.c: BUG DEMONSTRATION: four threads all given &i, the loop's counter: all see 4.
 *
 * Chapter 2. The classic mistake: pthread_create(&t, NULL, work, &i) inside the loop. Every thread
 * gets the address of the same int, which the loop goes on changing. What a thread reads depends
 * on when it reads: any of 0 to 4, twice the same, in any order. Here each thread waits until
 * main says its loop is over before reading, so all four read 4, every run: the worst case, made
 * certain. (That wait also orders main's writes before the reads, so this is a wrong answer, not
 * a data race.) The fix is args_per_thread.c: one argument per thread.
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
    int i; /* declared out here so that it outlives the loop: the bug, not a dangling pointer */

    demo_init(&demo, argc, argv, "BUG: every thread is given &i, the loop counter: all read 4.");
    for (i = 0; i < WORKERS; i++)
        PCHECK(pthread_create(&threads[i], NULL, work, &i)); /* the bug: one int for all */
    PCHECK(pthread_mutex_lock(&lock));
    loop_over = true; /* the loop is over, i == WORKERS: now the workers read */
    PCHECK(pthread_cond_broadcast(&loop_ended));
    PCHECK(pthread_mutex_unlock(&lock));
    for (int j = 0; j < WORKERS; j++)
        PCHECK(pthread_join(threads[j], NULL));
    demo_finish(&demo);
    return 0;
}
