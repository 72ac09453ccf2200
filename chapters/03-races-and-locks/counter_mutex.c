/*
 * counter_mutex.c: the same two threads, each counter++ inside a mutex: nothing is lost.
 *
 * Chapter 3. counter_race.c with one change: a thread locks counter_lock before counter++ and
 * unlocks it after, so the load, add and store of one increment are never mixed with another's
 * (Python: `with lock: counter += 1`). The program prints what an increment now costs. Compare
 * with counter_race.c (no lock) and counter_atomic.c (no lock either: one atomic instruction).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

#define THREADS 2
#define INCREMENTS 10000000 /* per thread, at scale 1; -s scales it */

static struct demo demo;
static long increments;

static long counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg)
{
    (void)arg;
    for (long i = 0; i < increments; i++) {
        PCHECK(pthread_mutex_lock(&counter_lock));
        counter++; /* only one thread at a time is ever here */
        PCHECK(pthread_mutex_unlock(&counter_lock));
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    long expected, counted, lost;
    int64_t start, took;

    demo_init(&demo, argc, argv,
              "Two threads run counter++ 10 million times each, inside a mutex: nothing is lost.\n"
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
