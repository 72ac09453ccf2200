/*
 * exercises.h: what each exercise of chapter 2 must do. The stubs beside this file and the
 * solutions in solutions/02-starting-and-finishing/ both implement it, and the same tests judge
 * both.
 *
 * The two thread exercises start their threads with create_thread() below, never with
 * pthread_create() itself. The loop exercise runs on a loop the tests give, on a fake clock.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <pthread.h>
#include <stddef.h>

#include "loop.h"

/* ---- provided by the tests ----------------------------------------------------------------- */

/*
 * pthread_create(thread, NULL, start, arg), and its return value (0, or an error number such as
 * EAGAIN). The tests provide it so that they, not the scheduler, decide when each new thread
 * begins to run (perhaps only after its creator has gone on, or returned), and so that they can
 * make a start fail. Use it wherever you would call pthread_create.
 */
int create_thread(pthread_t *thread, void *(*start)(void *), void *arg);

/* ---- parallel_sum.c ------------------------------------------------------------------------ */

/* One thread's share of an array: the n numbers at a (a may be NULL when n is 0). */
struct sum_job {
    const long *a;
    size_t n;
};

/*
 * A thread function: add up the numbers of the struct sum_job that `arg` points to, and return
 * their sum in a long long allocated with malloc; whoever joins the thread owns it and frees it.
 * Returns NULL if malloc fails.
 */
void *sum_thread(void *arg);

/*
 * Store in *sum the sum of a[0 .. n-1], added up on threads: min(nthreads, n) of them (none for
 * an empty array, whose sum is 0), each running sum_thread on one contiguous chunk, every one of
 * them started (with create_thread) before any is joined; each partial sum comes back through
 * pthread_join. Returns 0; or -1 with errno = EINVAL if nthreads is 0, ENOMEM if memory ran out,
 * or the error number create_thread returned. On failure every thread already started has been
 * joined and nothing is leaked.
 */
int parallel_sum(const long a[], size_t n, size_t nthreads, long long *sum);

/* ---- gather_ordered.c ---------------------------------------------------------------------- */

/* A job for one task: wait `seconds` (0 or more), then produce `value`. */
struct fetch {
    double seconds;
    long value;
};

/*
 * asyncio.gather, on `loop`: run one task per job, all n started together. Task i waits
 * jobs[i].seconds (TASK_SLEEP) and then finishes with jobs[i].value as its result. Once every
 * task is done, and not before, store task i's result in results[i]: argument order, whatever
 * order the tasks finished in, all at once as gather returns its list (the tests look at
 * results[] during the run). Returns 0 with nothing of its own left on the loop, or -1 with
 * errno set. n may be 0.
 */
int gather_ordered(struct loop *loop, const struct fetch jobs[], size_t n, long results[]);

/* ---- start_numbered.c ---------------------------------------------------------------------- */

/* What the threads of start_numbered run: work(index, shared), with index from 0 to n-1. */
typedef void numbered_fn(size_t index, void *shared);

/*
 * Start n threads (with create_thread) and return 0 at once, without waiting for any of them:
 * thread k runs work(k, shared) once and ends, and its id is stored in threads[k]; the caller
 * joins threads[0 .. n-1]. A new thread may begin to run only after start_numbered has returned,
 * so each one's index must be where it stays valid until that thread has read it.
 * If create_thread fails for thread k, return -1 with errno = its error, after joining threads
 * 0 .. k-1 (they run their work anyway: a thread once started cannot be taken back) and freeing
 * whatever was allocated for them.
 */
int start_numbered(pthread_t threads[], size_t n, numbered_fn *work, void *shared);

#endif
