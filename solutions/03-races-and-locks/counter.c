/*
 * counter.c: solution: one shared long behind a mutex, one atomic_long, and no sharing at all.
 *
 * Chapter 3. Each function starts every thread before it joins any, so that they count at the
 * same time; they differ only in what a thread does for each event. Compare with
 * chapters/03-races-and-locks/counter_mutex.c and counter_atomic.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>

#include "errors.h"
#include "exercises.h"

/* What every counting thread needs: where the events come from. */
struct events {
    event_fn *next;
    void *source;
};

static void check_nthreads(int nthreads)
{
    if (nthreads < 1 || nthreads > COUNT_MAX_THREADS)
        die_msg("%d threads: between 1 and %d, please", nthreads, COUNT_MAX_THREADS);
}

/* ---- one long, one mutex ---- */

struct mutex_count {
    struct events events;
    pthread_mutex_t lock; /* guards count */
    long count;
};

static void *count_under_mutex(void *arg)
{
    struct mutex_count *mc = arg;

    while (mc->events.next(mc->events.source)) {
        PCHECK(pthread_mutex_lock(&mc->lock));
        mc->count++;
        PCHECK(pthread_mutex_unlock(&mc->lock));
    }
    return NULL;
}

long count_with_mutex(int nthreads, event_fn *next, void *source)
{
    struct mutex_count mc = {.events = {next, source}, .count = 0};
    pthread_t threads[COUNT_MAX_THREADS];

    check_nthreads(nthreads);
    PCHECK(pthread_mutex_init(&mc.lock, NULL));
    for (int i = 0; i < nthreads; i++) /* all started before any is joined: they run together */
        PCHECK(pthread_create(&threads[i], NULL, count_under_mutex, &mc));
    for (int i = 0; i < nthreads; i++)
        PCHECK(pthread_join(threads[i], NULL));
    PCHECK(pthread_mutex_destroy(&mc.lock));
    return mc.count; /* the joins ordered every increment before this read */
}

/* ---- one atomic_long ---- */

struct atomic_count {
    struct events events;
    atomic_long count;
};

static void *count_atomically(void *arg)
{
    struct atomic_count *ac = arg;

    while (ac->events.next(ac->events.source))
        atomic_fetch_add(&ac->count, 1);
    return NULL;
}

long count_with_atomic(int nthreads, event_fn *next, void *source)
{
    struct atomic_count ac = {.events = {next, source}};
    pthread_t threads[COUNT_MAX_THREADS];

    check_nthreads(nthreads);
    atomic_init(&ac.count, 0);
    for (int i = 0; i < nthreads; i++)
        PCHECK(pthread_create(&threads[i], NULL, count_atomically, &ac));
    for (int i = 0; i < nthreads; i++)
        PCHECK(pthread_join(threads[i], NULL));
    return atomic_load(&ac.count);
}

/* ---- a count per thread, added up after the joins ---- */

struct own_count {
    struct events events;
    long count; /* written by its thread only, read by the caller after the join */
};

static void *count_alone(void *arg)
{
    struct own_count *oc = arg;
    long count = 0;

    while (oc->events.next(oc->events.source))
        count++;
    oc->count = count;
    return NULL;
}

long count_per_thread(int nthreads, event_fn *next, void *source)
{
    struct own_count counts[COUNT_MAX_THREADS];
    pthread_t threads[COUNT_MAX_THREADS];
    long total = 0;

    check_nthreads(nthreads);
    for (int i = 0; i < nthreads; i++) {
        counts[i] = (struct own_count){.events = {next, source}, .count = 0};
        PCHECK(pthread_create(&threads[i], NULL, count_alone, &counts[i])); /* one each */
    }
    for (int i = 0; i < nthreads; i++) {
        PCHECK(pthread_join(threads[i], NULL));
        total += counts[i].count; /* safe to read: its thread has ended */
    }
    return total;
}
