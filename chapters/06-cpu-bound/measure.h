/*
 * measure.h: how split_threads.c and split_threads_gil.c measure a run: the CPU time the process
 * used, and the most threads that were computing at once.
 *
 * Chapter 6. The count is kept with C11 atomics (chapter 3): the threads update it concurrently,
 * and a lock around it would itself make them wait for each other. Static, so that each program
 * that includes this file gets its own copy.
 */
#ifndef MEASURE_H
#define MEASURE_H

#include <stdatomic.h>
#include <time.h>

#include "errors.h"

static atomic_int inside;      /* threads inside the work section now */
static atomic_int most_inside; /* the most there have been at once */

/* Before a run: nobody inside yet. */
static inline void measure_reset(void)
{
    atomic_store(&inside, 0);
    atomic_store(&most_inside, 0);
}

/* One more thread is computing: keep the largest count seen (a compare-and-swap loop). */
static inline void enter(void)
{
    int now = atomic_fetch_add(&inside, 1) + 1, most = atomic_load(&most_inside);

    while (now > most && !atomic_compare_exchange_weak(&most_inside, &most, now))
        ; /* `most` now holds the latest value: try again while ours is larger */
}

/* One thread fewer is computing. */
static inline void leave(void)
{
    atomic_fetch_sub(&inside, 1);
}

/* The most threads that were computing at once since measure_reset. */
static inline int most_at_once(void)
{
    return atomic_load(&most_inside);
}

/* CPU time used so far by every thread of the process, in seconds. */
static inline double cpu_seconds(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1)
        die_errno("clock_gettime");
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
