/*
 * counter.c: exercise: count events with several threads, exactly, three ways.
 *
 * Chapter 3. chapters/03-races-and-locks/counter_race.c loses updates because two threads run
 * counter++ on one long at the same time. Fix it three ways: a mutex around every increment
 * (counter_mutex.c), an atomic increment (counter_atomic.c), and no shared counter at all: a count
 * per thread, added up after the joins. Then run the tests under SANITIZE=thread as well.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "errors.h"
#include "exercises.h"

long count_with_mutex(int nthreads, event_fn *next, void *source)
{
    /*
     * TODO: start nthreads threads, then join them all. Each calls next(source) until it returns
     * false and, for every true, adds 1 to one long shared by all of them, holding one
     * pthread_mutex_t while it does. Return the long.
     */
    (void)nthreads;
    (void)next;
    (void)source;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}

long count_with_atomic(int nthreads, event_fn *next, void *source)
{
    /*
     * TODO: the same threads, adding 1 to one shared atomic_long with atomic_fetch_add: no lock.
     */
    (void)nthreads;
    (void)next;
    (void)source;
    errno = ENOSYS;
    return -1;
}

long count_per_thread(int nthreads, event_fn *next, void *source)
{
    /*
     * TODO: the same threads, each counting in a variable of its own (nothing shared while they
     * count), and handing its count back: add the counts up after joining each thread.
     */
    (void)nthreads;
    (void)next;
    (void)source;
    errno = ENOSYS;
    return -1;
}
