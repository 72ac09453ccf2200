/*
 * counter_race.c: BUG DEMONSTRATION: two threads add 1 to one counter, and updates are lost.
 *
 * Chapter 3. Each thread runs counter++ ten million times; the counter should end at twenty
 * million, and on two cores it ends short. counter++ is three steps, load, add and store: when
 * both threads load the same value, both store value + 1, and one increment is gone. The program
 * counts what was lost and what an increment cost. Compare with counter_mutex.c and
 * counter_atomic.c (the fixes, nothing else changed), counter_loop.c (tasks on one thread: nothing
 * lost) and counter_plain.c (why this counter is volatile). `make -C chapters/03-races-and-locks
 * tsan` runs this program under ThreadSanitizer, which names the race. Not built under SANITIZE.
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

/*
 * volatile makes the compiler load, add and store on every ++, as the loop says; without it the
 * loop may become a single addition (counter_plain.c). It makes nothing atomic.
 */
static volatile long counter;

static void *work(void *arg)
{
    (void)arg;
    for (long i = 0; i < increments; i++)
        counter++;
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    long expected, counted, lost;
    int64_t start, took;

    demo_init(&demo, argc, argv,
              "Two threads run counter++ 10 million times each, unprotected: updates are lost.\n"
              "-s scales the number of increments. A BUG DEMONSTRATION.");
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
