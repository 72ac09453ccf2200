/*
 * exercises.h: what each exercise of chapter 6 must do. The stubs beside this file and the
 * solutions in solutions/06-cpu-bound/ both implement it, and the same tests judge both.
 *
 * Functions that start threads return 0 or an error number, as pthread functions do (they do not
 * set errno). Every thread a function starts is joined before it returns.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "task.h"

/* What item i is worth: the tests supply it. May be called from several threads at once. */
typedef uint64_t item_fn(size_t i, void *arg);

/* ---- split_sum.c --------------------------------------------------------------------------- */

/*
 * The bounds of chunk k (0 <= k < nchunks, nchunks >= 1) of the n items 0 .. n-1: the items
 * *lo .. *hi - 1. The chunks are in order and contiguous, cover every item exactly once, and
 * differ in size by at most one: the first n % nchunks chunks have n / nchunks + 1 items, the
 * others n / nchunks (0 when nchunks > n).
 */
void chunk_bounds(size_t n, size_t nchunks, size_t k, size_t *lo, size_t *hi);

/*
 * Store in *sum the sum of item(i, arg) for every i in 0 .. n-1, modulo 2^64 (uint64_t
 * arithmetic), computed in parallel: cut the items with chunk_bounds into m = min(nthreads, n)
 * chunks, start one thread per chunk (none when n is 0), all of them before joining any, so that
 * they compute at the same time, and add up the threads' sums once all are joined. item() is
 * called exactly once for each i, from the thread of i's chunk; the calling thread computes no
 * item itself. Returns 0, EINVAL if nthreads is 0, ENOMEM if memory runs out, or the error
 * pthread_create returned (after joining the threads already started; *sum is then unspecified).
 */
int split_sum(size_t n, size_t nthreads, item_fn *item, void *arg, uint64_t *sum);

/* ---- count_inside.c ------------------------------------------------------------------------ */

/* How many threads are inside a section of code now, and the most there have been at once. */
struct inside_meter {
    pthread_mutex_t lock; /* guards both counts */
    int now;              /* threads between meter_enter and meter_leave right now */
    int most;             /* the largest value `now` has had */
};

#define INSIDE_METER_INIT                                                                          \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, 0, 0                                                            \
    }

/* The calling thread enters the section: one more inside, and `most` follows. */
void meter_enter(struct inside_meter *m);

/* The calling thread leaves the section: one fewer inside. */
void meter_leave(struct inside_meter *m);

/* The most threads that were inside at once so far. */
int meter_most(struct inside_meter *m);

/* The work a thread does inside the section; `index` is the thread's number, 0 .. nthreads-1. */
typedef void section_fn(size_t index, void *arg);

/*
 * Start nthreads threads (at least 1), all of them before joining any. Thread k runs the section
 * once: meter_enter, work(k, arg), meter_leave, on one meter that this call creates for all its
 * threads. With `gil`, every thread holds one lock shared by all of them (a GIL) from before its
 * meter_enter until after its meter_leave, so no two sections overlap; without, nothing keeps
 * the sections apart. Once all are joined, store in *most the meter's most. Returns 0, EINVAL if
 * nthreads is 0, ENOMEM if memory runs out, or the error pthread_create returned (after joining
 * the threads already started).
 */
int count_inside(size_t nthreads, bool gil, section_fn *work, void *arg, int *most);

/* ---- chunked_sum.c ------------------------------------------------------------------------- */

/*
 * A task on the event loop that adds up n items without keeping the loop from everything else.
 * The caller zero-initialises it, sets the four inputs, calls
 * task_init(&job->task, name, chunked_sum_step), and starts it (task_start, task_run...).
 */
struct chunked_sum {
    struct task task; /* first: a struct task * to it is a struct chunked_sum * */
    size_t n;         /* in: the items are 0 .. n-1 */
    size_t per_chunk; /* in: how many items to compute between two yields, at least 1 */
    item_fn *item;    /* in: what item i is worth */
    void *arg;        /* in: item's second argument */
    uint64_t sum;     /* out: the sum of item(i, arg) for every i, modulo 2^64, once done */
    size_t next;      /* yours: the next item to compute; keep here what must survive a wait */
};

/*
 * The task's step function: compute item(0, arg), item(1, arg), ... item(n-1, arg), in that
 * order, adding them into `sum`, and after every per_chunk items (after items per_chunk,
 * 2 * per_chunk, ...) but not after the last one, yield with TASK_SLEEP(t, 0), so that every
 * other ready task and every due timer runs before the next chunk. It never waits otherwise.
 */
enum task_state chunked_sum_step(struct task *t);

#endif
