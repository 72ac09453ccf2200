/*
 * exercises.h: what each exercise of chapter 10 must do. The stubs beside this file and the
 * solutions in solutions/10-timeouts-cancellation-errors/ both implement it, and the same tests
 * judge both.
 *
 * Two exercises run on the event loop (wait_for.c, cancel_cleanup.c), on a fake clock: the tests
 * choose every moment, cancel at every point a task can stop at, and get the same result on every
 * run. One runs threads (deadline_wait.c), with short real durations and wide margins.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <pthread.h>
#include <stdbool.h>

#include "loop.h"
#include "sync.h"
#include "task.h"

/* ---- wait_for.c ---------------------------------------------------------------------------- */

/*
 * asyncio.wait_for(child, seconds), built by hand: a task that starts `child` and waits for it
 * for at most `seconds`. Fill it in with waiter_init and start it like any task.
 */
struct waiter {
    struct task task;        /* first, so that a struct task * is also a struct waiter * */
    struct task *child;      /* task_init'ed, not started: the waiter starts it */
    double seconds;          /* the limit, 0 or more, from when the waiter's first step runs */
    struct loop_timer timer; /* yours: the limit's timer */
    bool timed_out;          /* yours: the timer rang */
};

/*
 * Prepare `w` (named `name`) to wait for `child` at most `seconds`. Do not call TASK_WAIT_FOR:
 * build it from a timer (loop_call_later, loop_cancel_timer), task_cancel and TASK_AWAIT. Once
 * started, the waiter starts the child and:
 *   - if the child finishes within the limit, the waiter goes on at once, in the iteration after
 *     (the child is not cancelled, and no timer of the waiter is left on the loop); it finishes
 *     with the child's result (TASK_RETURN), or with the child's error (TASK_FAIL), read with
 *     future_error() so that nobody reports it as never retrieved;
 *   - otherwise, exactly `seconds` after the waiter's first step (not before), it cancels the
 *     child, waits until the child has finished (its TASK_CLEANUP included, however long that
 *     takes), and finishes with error ETIMEDOUT.
 * Cancelling the waiter cancels the child and its timer; the waiter then ends with ECANCELED.
 */
void waiter_init(struct waiter *w, const char *name, struct task *child, double seconds);

/* ---- cancel_cleanup.c ---------------------------------------------------------------------- */

/* What the workers share: a connection count, and a lock around the one resource they all use. */
struct pool {
    int connections;        /* connections open now: each worker opens one and closes it */
    struct async_lock lock; /* free (zero-initialised) at the start */
    struct task *holder; /* the worker that holds `lock`, or NULL: the workers keep it up to date */
};

/* A worker: it connects, waits its turn for the lock, works holding it, then lets both go. */
struct worker {
    struct task task; /* first, so that a struct task * is also a struct worker * */
    struct pool *pool;
    double connect_seconds, work_seconds;
    bool finished; /* set by the worker when its normal path is done */
    int stage;     /* yours: where the worker is, for its cleanup */
};

/*
 * Prepare `w` (named `name`). Once started, the worker:
 *   1. opens a connection: pool->connections++ (right away, in its first step);
 *   2. waits connect_seconds (TASK_SLEEP): the handshake;
 *   3. takes pool->lock (ASYNC_LOCK), waiting its turn if another worker holds it;
 *   4. works work_seconds holding the lock (TASK_SLEEP);
 *   5. releases the lock, closes its connection (pool->connections--), sets w->finished.
 * pool->holder is the worker that holds the lock, or NULL. The lock records no owner of its own,
 * and sync.h's release *hands* it to the first waiter: keep holder right on every hand-over.
 * If the worker is cancelled at any of its waits (2, 3 or 4), its TASK_CLEANUP releases exactly
 * what it holds at that moment, each thing exactly once: the lock if (and only if) it holds it,
 * even one handed to it after the cancel was decided, and its connection if it opened one. A
 * worker cancelled before its first step runs nothing and holds nothing.
 */
void worker_init(struct worker *w, const char *name, struct pool *pool, double connect_seconds,
                 double work_seconds);

/* ---- deadline_wait.c ----------------------------------------------------------------------- */

/* A gate threads wait at until somebody opens it: a predicate, its mutex and its condition. */
struct gate {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    bool open; /* the predicate; guarded by mutex */
};

/*
 * Make `g` ready, closed, with a condition variable that measures timed waits on CLOCK_MONOTONIC
 * (pthread_condattr_setclock): a deadline that the wall clock moving cannot shift. Returns 0 or an
 * error number (pthread functions return theirs).
 */
int gate_init(struct gate *g);

/* Open the gate and wake every thread waiting at it. Any thread may call it, any number of times.
 */
void gate_open(struct gate *g);

/*
 * Wait until the gate is open, for at most `seconds` (0 or more) from the call. Returns 0 as soon
 * as it is open (at once if it is already), or ETIMEDOUT once the full time has passed with the
 * gate still closed. A wake-up with the gate still closed (pthread_cond_wait may wake with no
 * reason at all, and other threads may signal for no reason too) is not success: the wait goes on
 * for the time that is left, no longer. Uses pthread_cond_timedwait with an absolute deadline on
 * CLOCK_MONOTONIC. Any number of threads may wait at once.
 */
int gate_wait(struct gate *g, double seconds);

/* Release what gate_init set up. No thread may be using `g`. */
void gate_destroy(struct gate *g);

#endif
