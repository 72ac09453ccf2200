/*
 * count_inside.c: exercise: count how many threads are inside a section at once, with a GIL or not.
 *
 * Chapter 6. The counting is what split_threads.c and split_threads_gil.c print as "computing at
 * once", done here with a mutex instead of atomics. With a GIL around the section the answer is
 * always 1; without it, as many as run at the same time.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>

#include "errors.h"
#include "exercises.h"

void meter_enter(struct inside_meter *m)
{
    /* TODO: under m->lock, one more inside; and `most` keeps up with `now`. */
    (void)m;
}

void meter_leave(struct inside_meter *m)
{
    /* TODO: under m->lock, one fewer inside. */
    (void)m;
}

int meter_most(struct inside_meter *m)
{
    /* TODO: read `most` under m->lock. */
    (void)m;
    return 0;
}

int count_inside(size_t nthreads, bool gil, section_fn *work, void *arg, int *most)
{
    /*
     * TODO: one meter (INSIDE_METER_INIT) and, for `gil`, one mutex, both shared by every
     * thread. Thread k: [lock the GIL], meter_enter, work(k, arg), meter_leave, [unlock the GIL].
     * Start all the threads, then join them all, then *most = meter_most(&meter).
     */
    (void)nthreads;
    (void)gil;
    (void)work;
    (void)arg;
    (void)most;
    return ENOSYS; /* "not implemented", until you implement it */
}
