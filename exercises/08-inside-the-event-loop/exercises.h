/*
 * exercises.h: what each exercise of chapter 8 must do. The stubs beside this file and the
 * solutions in solutions/08-inside-the-event-loop/ both implement it, and the same tests judge
 * both. Times are int64_t nanoseconds, as inside common/loop.c.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- timer_heap.c -------------------------------------------------------------------------- */

/* A timer in the heap. The caller owns it and zeroes it before its first push; the heap fills in
 * deadline, seq and slot, and never touches id. */
struct heap_timer {
    int64_t deadline; /* when it is due */
    uint64_t seq;     /* the order of pushing: breaks ties between equal deadlines */
    size_t slot;      /* its index in items[], plus one; 0 while it is in no heap */
    int id;           /* the caller's */
};

/*
 * A binary min-heap of timers ordered by (deadline, seq): items[0] is the earliest, the parent
 * of items[i] is items[(i - 1) / 2] and is never later than it, and items[i]->slot == i + 1 for
 * every i below count. Start from a zeroed struct (TIMER_HEAP_INIT); the heap owns items[] only.
 */
struct timer_heap {
    struct heap_timer **items;
    size_t count, capacity;
    uint64_t next_seq; /* the seq the next push gives */
};

#define TIMER_HEAP_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

/* Add `t`, due at `deadline`. Returns 0, or -1 with errno set: EBUSY if t is already in a heap
 * (its slot is not 0), ENOMEM if items[] cannot grow. Any number of timers fits, memory allowing.
 */
int heap_push(struct timer_heap *h, struct heap_timer *t, int64_t deadline);

/* The earliest timer (equal deadlines: the first pushed), left in the heap; NULL if empty. */
struct heap_timer *heap_peek(const struct timer_heap *h);

/* Take the earliest timer out of the heap and return it (its slot becomes 0); NULL if empty. */
struct heap_timer *heap_pop(struct timer_heap *h);

/* Take `t` out of `h`, wherever it is. Returns true if it was there (its slot is now 0), false
 * if it was in no heap. */
bool heap_remove(struct timer_heap *h, struct heap_timer *t);

/* Free items[], leaving an empty heap. The timers are the caller's: they are not touched. */
void heap_free(struct timer_heap *h);

/* ---- iteration_order.c --------------------------------------------------------------------- */

#define SCENARIO_MAX_STEPS 32

/* How a step of a scenario is scheduled: loop_call_soon, or loop_call_later with a delay. */
enum step_kind { STEP_SOON, STEP_LATER };

/*
 * One step of a scenario: a callback, scheduled before the loop runs (parent -1) or by the
 * callback of another step (parent: its index, always smaller than this step's).
 */
struct scenario_step {
    enum step_kind kind;
    double delay; /* STEP_LATER only: the seconds given to loop_call_later (0 or more) */
    int parent;   /* -1, or the index of the step whose callback schedules this one */
    int cancels;  /* -1, or the index of a step this one's callback cancels if it still waits */
};

/* One callback that ran: which step, and in which iteration (1 for the first loop_run_once). */
struct step_run {
    int step;
    int iteration;
};

/*
 * The scenario of steps[0 .. n-1] (n at most SCENARIO_MAX_STEPS) is run by the tests on common/'s
 * loop, with a fake clock that starts at 0 and nothing else on the loop:
 *   1. the steps whose parent is -1 are scheduled, in index order;
 *   2. loop_run_once is called until it returns 0; the first call is iteration 1;
 *   3. when the callback of step i runs, it first cancels step steps[i].cancels if that step is
 *      scheduled and has not run yet (loop_cancel_soon or loop_cancel_timer), then schedules the
 *      steps whose parent is i, in index order.
 * Without running anything, write to runs[] the callbacks that run, in the order they run, each
 * with its iteration. Returns how many there are (each step runs at most once, so at most n).
 */
size_t predict_iterations(const struct scenario_step steps[], size_t n, struct step_run runs[]);

/* ---- poll_timeout.c ------------------------------------------------------------------------ */

/* What the loop knows when it is about to poll. */
struct poll_state {
    size_t ready;        /* callbacks waiting in the ready queue */
    size_t timers;       /* timers pending */
    int64_t earliest_ns; /* the deadline of the earliest pending timer, when timers > 0 */
    int64_t now_ns;      /* the loop's clock */
};

/*
 * The timeout to give poll() or epoll_wait(), which count whole milliseconds in an int:
 *   - 0 if a callback is ready: it must run now, so do not wait;
 *   - else -1 if no timer is pending: wait for a descriptor for as long as it takes;
 *   - else the time from now_ns to earliest_ns in milliseconds, rounded up, so that the loop
 *     never wakes before the deadline; 0 if the deadline has passed (never negative: -1 would mean
 *     "forever"); at most INT_MAX (about 24 days: the loop then simply polls again).
 * Deadlines and clocks lie between -2^61 and 2^61 ns (73 years): their difference fits an int64_t.
 */
int poll_timeout_ms(const struct poll_state *s);

#endif
