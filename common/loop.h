/*
 * loop.h: a single-threaded event loop on select(), the engine under every *_loop.c program.
 *
 * It does what asyncio's loop does, in a few hundred lines:
 *   - run a callback soon (loop_call_soon), in the order callbacks were scheduled;
 *   - run a callback after a delay (loop_call_later), timers kept in a min-heap;
 *   - run a callback when a descriptor is readable or writable (loop_watch);
 *   - repeat until nothing is left to wait for, or until loop_stop().
 *
 * One iteration (loop_run_once), much as CPython's BaseEventLoop._run_once (chapter 8 sets the
 * two, and libuv's uv_run, side by side):
 *   1. poll:   select() with a timeout of 0 if callbacks are ready, the time to the next timer if
 *              there is one, forever otherwise; each ready descriptor queues its callback;
 *   2. ready:  run the callbacks that were queued *before this phase started*; those they schedule
 *              wait for the next iteration, after the next poll, so no callback can starve I/O;
 *   3. timers: run every timer whose deadline has passed, earliest first, equal deadlines in the
 *              order they were scheduled; those armed during this phase wait for the next one.
 *
 * Memory: the loop allocates nothing per callback. Callbacks and timers live in structs that the
 * caller owns (often embedded in a bigger struct, as libuv does), so scheduling cannot fail for
 * lack of memory, and cancelling is always safe: the caller's struct outlives the loop's interest.
 * Chapter 8 builds this file step by step.
 */
#ifndef LOOP_H
#define LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

struct loop;

/* Every callback gets the loop it runs on and the argument given when it was scheduled. */
typedef void loop_fn(struct loop *loop, void *arg);

/* A callback waiting in the ready queue. Owned by the caller; fields are the loop's.
 * Zero-initialise it before its first loop_call_soon: a non-NULL `next` reads as "already queued".
 */
struct loop_callback {
    struct loop_callback *prev, *next; /* ready-queue links; NULL when not queued */
    loop_fn *fn;
    void *arg;
};

/* A timer. Owned by the caller; fields are the loop's. Zero-initialise it before first use. */
struct loop_timer {
    uint64_t seq; /* order of scheduling: breaks ties between equal deadlines */
    size_t slot;  /* index in the heap plus one; 0 when not pending. The deadline is kept there,
                     in the heap's entry, the one place the loop reads it */
    loop_fn *fn;
    void *arg;
};

/* What a descriptor is watched for. */
enum loop_event { LOOP_READ = 1, LOOP_WRITE = 2 };

/* Create a loop on the real monotonic clock. Returns NULL with errno set if memory runs out. */
struct loop *loop_new(void);

/* Free the loop. Callbacks, timers and watches still pending are forgotten, never run. */
void loop_free(struct loop *loop);

/*
 * Read time from `fake` instead of the monotonic clock. When the loop would wait for a timer, it
 * moves fake->now_ns to that timer's deadline and polls without blocking. Call before loop_run.
 */
void loop_use_fake_clock(struct loop *loop, struct fake_clock *fake);

/* The loop's current time in seconds (asyncio's loop.time()). */
double loop_time(const struct loop *loop);

/* The loop's current time in nanoseconds. */
int64_t loop_now_ns(const struct loop *loop);

/*
 * Queue fn(loop, arg) to run on a later pass of the loop. `cb` is the caller's storage and must
 * stay valid until the callback has run or been cancelled. A `cb` already queued stays where it is.
 */
void loop_call_soon(struct loop *loop, struct loop_callback *cb, loop_fn *fn, void *arg);

/* Take `cb` out of the ready queue. Returns true if it was queued (and now will not run). */
bool loop_cancel_soon(struct loop *loop, struct loop_callback *cb);

/*
 * Run fn(loop, arg) once, `delay` seconds from now (0 or less: on the next timers phase). `timer`
 * is the caller's storage, valid until it fires or is cancelled. Returns 0, or -1 with errno set:
 * EBUSY if `timer` is already pending, ENOMEM if the heap cannot grow.
 */
int loop_call_later(struct loop *loop, struct loop_timer *timer, double delay, loop_fn *fn,
                    void *arg);

/* Stop `timer` if it is pending. Returns true if it was (and now will never fire). */
bool loop_cancel_timer(struct loop *loop, struct loop_timer *timer);

/* True while `timer` is scheduled and has neither fired nor been cancelled. */
bool loop_timer_pending(const struct loop_timer *timer);

/*
 * Call fn(loop, arg) on every iteration in which `fd` is ready for `event` (level-triggered, as
 * select() is), until loop_unwatch. Watching the same fd and event again replaces fn and arg.
 * Returns 0, or -1 with errno set: EINVAL if fd is negative or too big for the backend (from
 * FD_SETSIZE on with select(), which cannot watch such a descriptor: writing it into an fd_set
 * would be undefined behaviour), ENOMEM if the loop's tables cannot grow to reach it.
 */
int loop_watch(struct loop *loop, int fd, enum loop_event event, loop_fn *fn, void *arg);

/* Stop watching `fd` for `event`; a readiness already queued for it is dropped too. */
void loop_unwatch(struct loop *loop, int fd, enum loop_event event);

/*
 * Run iterations until nothing is left to wait for (no ready callback, no timer, no watched
 * descriptor) or until loop_stop(). Returns 0, or -1 with errno set if polling failed.
 */
int loop_run(struct loop *loop);

/*
 * Run one iteration (poll, ready callbacks, due timers). Returns 1 if anything is left to wait
 * for afterwards, 0 if not (at once, without polling, if nothing was left before), -1 with errno
 * set if polling failed. For tests and chapter 8.
 */
int loop_run_once(struct loop *loop);

/* What loop_report_slow_callbacks calls after a callback fn(loop, fn_arg) ran `seconds`. */
typedef void loop_slow_fn(struct loop *loop, loop_fn *fn, void *fn_arg, double seconds, void *arg);

/*
 * Time every callback (ready or timer) on the real clock and call report(loop, fn, fn_arg,
 * seconds, arg) after each one that ran longer than `threshold` seconds, as asyncio's debug mode
 * logs callbacks slower than loop.slow_callback_duration (0.1 s). A NULL `report` prints a line on
 * stderr. A threshold of 0 or less turns the report off (the default: timing costs a clock read).
 */
void loop_report_slow_callbacks(struct loop *loop, double threshold, loop_slow_fn *report,
                                void *arg);

/* Make loop_run return after the iteration in progress (asyncio's loop.stop()). */
void loop_stop(struct loop *loop);

/*
 * The timeout the next poll would use, in ns: 0 if callbacks are ready, the time to the earliest
 * timer (0 if it is due), or -1 for "wait forever". For tests and chapter 8.
 */
int64_t loop_poll_timeout_ns(const struct loop *loop);

#endif
