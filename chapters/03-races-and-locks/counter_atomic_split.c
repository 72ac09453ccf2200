/*
 * counter_atomic_split.c: BUG DEMONSTRATION: an atomic counter, but counter = counter + 1: lost.
 *
 * Chapter 3. counter_atomic.c with one change: the increment is written counter = counter + 1.
 * On an atomic_long that is an atomic load, then an atomic store: each step indivisible, the two
 * together not, and another thread's increment can fall between them. Updates are lost as in
 * counter_race.c, yet there is no data race (every access is atomic), so ThreadSanitizer reports
 * nothing: `make -C chapters/03-races-and-locks tsan TSAN_PROGRAM=counter_atomic_split`.
 * A race condition that is not a data race. Not built under SANITIZE.
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
        counter = counter + 1; /* an atomic load, then an atomic store: two steps */
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    long expected, counted, lost;
    int64_t start, took;

    demo_init(&demo, argc, argv,
              "Two threads run counter = counter + 1 on an atomic counter: two atomic steps, and\n"
              "updates are lost. -s scales the number of increments. A BUG DEMONSTRATION.");
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
