/*
 * counter_atomic.c: the same two threads, each increment one atomic operation: nothing is lost.
 *
 * Chapter 3. counter_race.c with one change: the counter is a C11 atomic_long, and
 * atomic_fetch_add does the load, add and store as one indivisible step (on x86, one `lock add`
 * instruction). No lock, and no thread ever waits for another. Python has no counterpart: its
 * threads share counters through a Lock. Compare with counter_race.c and counter_mutex.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define THREADS 2
#define INCREMENTS 10000000 /* per thread, at scale 1; -s scales it */

static struct demo demo;
static long increments;

static atomic_long counter;

static void *work(void *arg)
{
    (void)arg;
    for (long i = 0; i < increments; i++)
        atomic_fetch_add(&counter, 1); /* load, add, store: one step nobody can cut into */
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    long expected, counted, lost;
    int64_t start, took;

    demo_init(&demo, argc, argv,
              "Two threads add 1 to an atomic counter 10 million times each: nothing is lost.\n"
              "-s scales the number of increments.");
    increments = lround(INCREMENTS * demo.scale);
    expected = THREADS * increments;
    say("main", "%d threads x %ld increments: expected %ld", THREADS, increments, expected);
    start = clock_now_ns();
    for (int i = 0; i < THREADS; i++)
        PCHECK(pthread_create(&threads[i], NULL, work, NULL));
    for (int i = 0; i < THREADS; i++)
        PCHECK(pthread_join(threads[i], NULL));
    took = clock_now_ns() - start;
    counted = counter; /* read once, after both joins: nobody writes it any more */
    lost = expected - counted;
    say("main", "counter: %ld", counted);
    say("main", "lost: %ld updates (%.1f%%)", lost, expected ? 100.0 * lost / expected : 0.0);
    say("main", "time: %.3f s, %.1f ns per increment", (double)took / NSEC_PER_SEC,
        expected ? (double)took / expected : 0.0);
    demo_finish(&demo);
    return 0;
}
