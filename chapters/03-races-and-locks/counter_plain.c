/*
 * counter_plain.c: BUG DEMONSTRATION: counter_race.c without volatile: the race hidden, not gone.
 *
 * Chapter 3. The same two threads and the same counter++, on a plain long. With optimisation the
 * compiler may turn each thread's loop into one addition of ten million (gcc and clang do at -O2),
 * because C lets it assume that no other thread touches `counter` meanwhile: a program where one
 * does has a data race, and a data race has no defined meaning. So this usually prints "lost: 0"
 * and is just as wrong: ThreadSanitizer reports the race. Compare with counter_race.c, where
 * volatile forces every load and store to happen (and still makes nothing atomic).
 * Not built under SANITIZE.
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

static long counter; /* plain: the compiler may keep it in a register for the whole loop */

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

    demo_init(
        &demo, argc, argv,
        "counter_race.c without volatile: the compiler folds the loop; usually nothing is lost,\n"
        "and it is still a data race. -s scales the number of increments. A BUG DEMONSTRATION.");
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
