/*
 * step2_timers.c: the loop, step 2: callbacks, then timers that fire in deadline order.
 *
 * Chapter 8. Step 1's queue, plus timers (asyncio's loop.call_later): each iteration now starts
 * with a wait ("poll") for as long as the earliest timer is away, runs the ready callbacks, then
 * fires the timers that are due, equal deadlines in the order they were armed. Timers wait in a
 * list kept sorted by deadline: simple, and O(n) per timer armed; common/loop.c (step 3) keeps
 * them in a heap instead, and exercise timer_heap.c builds one. With nothing else to wait for,
 * the poll is a plain sleep, or, on a fake clock, a jump of the clock to the next deadline.
 * Compare with step1_callbacks.c (what this adds) and step3_descriptors.c (common/'s loop).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "clock.h"
#include "demo.h"
#include "errors.h"
#include "timeline.h"

struct loop;
typedef void loop_fn(struct loop *loop, void *arg);

/* A callback waiting in the queue, as in step 1. */
struct loop_callback {
    struct loop_callback *prev, *next; /* NULL when not queued */
    loop_fn *fn;
    void *arg;
};

/* A timer waiting in the sorted list. The caller owns it; zero it before first use. */
struct loop_timer {
    struct loop_timer *prev, *next; /* NULL when not pending */
    int64_t deadline;               /* on the loop's clock, in ns */
    uint64_t seq;                   /* the order of arming */
    loop_fn *fn;
    void *arg;
};

struct loop {
    struct loop_callback ready; /* the queue of step 1 */
    size_t nready;
    struct loop_timer timers; /* sentinel of a circular list sorted by deadline, then seq */
    uint64_t next_seq;
    struct fake_clock *fake; /* NULL: the real monotonic clock */
    bool stopping;
};

static struct loop *loop_new(void)
{
    struct loop *loop = calloc(1, sizeof *loop);

    if (loop != NULL) {
        loop->ready.prev = loop->ready.next = &loop->ready;
        loop->timers.prev = loop->timers.next = &loop->timers;
    }
    return loop;
}

static void loop_free(struct loop *loop)
{
    free(loop);
}

static void loop_use_fake_clock(struct loop *loop, struct fake_clock *fake)
{
    loop->fake = fake;
}

static int64_t loop_now_ns(const struct loop *loop)
{
    return loop->fake != NULL ? loop->fake->now_ns : clock_now_ns();
}

/* ---- the ready queue: step 1's, unchanged ----------------------------------------------- */

static void loop_call_soon(struct loop *loop, struct loop_callback *cb, loop_fn *fn, void *arg)
{
    cb->fn = fn;
    cb->arg = arg;
    if (cb->next != NULL)
        return;
    cb->prev = loop->ready.prev;
    cb->next = &loop->ready;
    loop->ready.prev->next = cb;
    loop->ready.prev = cb;
    loop->nready++;
}

static bool loop_cancel_soon(struct loop *loop, struct loop_callback *cb)
{
    if (cb->next == NULL)
        return false;
    cb->prev->next = cb->next;
    cb->next->prev = cb->prev;
    cb->prev = cb->next = NULL;
    loop->nready--;
    return true;
}

/* ---- timers ------------------------------------------------------------------------------ */

/* Arm `timer`: fn(loop, arg) runs once, `delay` seconds from now. -1 with EBUSY if pending. */
static int loop_call_later(struct loop *loop, struct loop_timer *timer, double delay, loop_fn *fn,
                           void *arg)
{
    struct loop_timer *after = loop->timers.prev;

    if (timer->next != NULL) {
        errno = EBUSY;
        return -1;
    }
    timer->deadline = loop_now_ns(loop) + seconds_to_ns(delay);
    timer->seq = loop->next_seq++;
    timer->fn = fn;
    timer->arg = arg;
    /* Walk back from the latest to the last timer due no later: equal deadlines keep the order
     * they were armed in, because the newcomer goes after them. */
    while (after != &loop->timers && after->deadline > timer->deadline)
        after = after->prev;
    timer->prev = after;
    timer->next = after->next;
    after->next->prev = timer;
    after->next = timer;
    return 0;
}

static bool loop_cancel_timer(struct loop *loop, struct loop_timer *timer)
{
    (void)loop;
    if (timer->next == NULL)
        return false;
    timer->prev->next = timer->next;
    timer->next->prev = timer->prev;
    timer->prev = timer->next = NULL;
    return true;
}

/* ---- one iteration ----------------------------------------------------------------------- */

/* 0 if a callback is ready, the time to the earliest timer (0 if due), -1 if there is none. */
static int64_t loop_poll_timeout_ns(const struct loop *loop)
{
    int64_t wait;

    if (loop->nready > 0)
        return 0;
    if (loop->timers.next == &loop->timers)
        return -1;
    wait = loop->timers.next->deadline - loop_now_ns(loop);
    return wait > 0 ? wait : 0;
}

/* Phase 1: wait until the earliest timer is due. With no descriptors yet, that is a sleep. */
static int poll_io(struct loop *loop)
{
    int64_t timeout = loop_poll_timeout_ns(loop);

    if (timeout <= 0)
        return 0; /* -1 cannot happen here: loop_run_once returned before polling for nothing */
    if (loop->fake != NULL) {
        loop->fake->now_ns += timeout;
        return 0;
    }
    return sleep_seconds((double)timeout / (double)NSEC_PER_SEC); /* never wakes early */
}

/* Phase 2: step 1's ready callbacks, the snapshot included. */
static void run_ready(struct loop *loop)
{
    struct loop_callback batch;

    if (loop->nready == 0)
        return;
    batch.next = loop->ready.next;
    batch.prev = loop->ready.prev;
    batch.next->prev = batch.prev->next = &batch;
    loop->ready.next = loop->ready.prev = &loop->ready;
    while (batch.next != &batch) {
        struct loop_callback *cb = batch.next;

        loop_cancel_soon(loop, cb);
        cb->fn(loop, cb->arg);
    }
}

/* Phase 3: fire the timers due now, in order, but none armed during this phase (a timer that
 * re-arms itself for "now" would otherwise keep the phase going forever). */
static void run_timers(struct loop *loop)
{
    int64_t now = loop_now_ns(loop);
    uint64_t seq_limit = loop->next_seq;

    while (loop->timers.next != &loop->timers && loop->timers.next->deadline <= now &&
           loop->timers.next->seq < seq_limit) {
        struct loop_timer *t = loop->timers.next;

        loop_cancel_timer(loop, t); /* before the call: it may re-arm the same timer */
        t->fn(loop, t->arg);
    }
}

static bool has_work(const struct loop *loop)
{
    return loop->nready > 0 || loop->timers.next != &loop->timers;
}

static int loop_run_once(struct loop *loop)
{
    if (!has_work(loop))
        return 0;
    if (poll_io(loop) == -1)
        return -1;
    run_ready(loop);
    run_timers(loop);
    return has_work(loop) ? 1 : 0;
}

static void loop_stop(struct loop *loop)
{
    loop->stopping = true;
}

static int loop_run(struct loop *loop)
{
    int more = 1;

    loop->stopping = false;
    while (!loop->stopping && more == 1)
        more = loop_run_once(loop);
    loop->stopping = false;
    return more == -1 ? -1 : 0;
}

#define LOOP_STEP 2
#include "scenarios.h"

int main(int argc, char **argv)
{
    struct demo demo;

    demo_init(&demo, argc, argv,
              "The loop, step 2: callbacks, then timers in deadline order, ties in arming order.");
    scenario_callbacks();
    scenario_stop();
    scenario_timers(&demo);
    scenario_real_clock(&demo);
    demo_finish(&demo);
    return 0;
}
