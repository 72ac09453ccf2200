/*
 * check_deadline_wait.c: tests of gate_init(), gate_wait(), gate_open(): a bounded wait on a
 * condition variable, on the monotonic clock, that no wake-up can fool.
 *
 * Chapter 10, exercise deadline_wait.c. Real threads and real time, so the durations are short and
 * the margins wide: a wait must never end *before* its time (that is exact: the clock only moves
 * forward), and may end late by up to LATE_MARGIN on a busy machine. Every gate_wait runs in a
 * thread of its own, watched: one that has not returned after WATCHDOG_SECONDS fails the test with
 * a message, long before the runner's limit. A helper thread signals the condition again and again
 * without opening the gate: those wake-ups must not count as the gate opening, nor make the wait
 * start over. Whether the condition measures CLOCK_MONOTONIC is checked by waiting on it with a
 * monotonic deadline. Compare with chapters/10-timeouts-cancellation-errors/timedwait_monotonic.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "errors.h"
#include "exercises.h"
#include "testing.h"

#define LIMIT 0.3          /* seconds: the wait that must run out */
#define EARLY 0.001        /* the clock's rounding: a wait may end this much "before" its time */
#define LATE_MARGIN 0.6    /* a loaded machine may wake a thread late by this much */
#define OPEN_AFTER 0.1     /* when a helper opens the gate */
#define NUDGE_EVERY 0.01   /* a helper's spurious wake-ups, this often */
#define NUDGE_FOR 1.5      /* for this long: past LIMIT + LATE_MARGIN */
#define WATCHDOG_SECONDS 2 /* real time: every wait here is meant to take under 1 s */
#define MAX_WAITERS 8

static struct gate gate;

/* One gate_wait, in a thread of its own, with what it returned and how long it took. */
struct waiting {
    pthread_t thread;
    double seconds, elapsed;
    int result;
    atomic_bool returned;
};

static pthread_mutex_t watch_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cond; /* on CLOCK_MONOTONIC: see setup() */

static void *wait_thread(void *arg)
{
    struct waiting *w = arg;
    double t0 = clock_now();

    w->result = gate_wait(&gate, w->seconds);
    w->elapsed = clock_now() - t0;
    PCHECK(pthread_mutex_lock(&watch_mutex));
    atomic_store(&w->returned, true);
    PCHECK(pthread_cond_broadcast(&watch_cond));
    PCHECK(pthread_mutex_unlock(&watch_mutex));
    return NULL;
}

static void setup(void)
{
    pthread_condattr_t attr;
    int err;

    PCHECK(pthread_condattr_init(&attr));
    PCHECK(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
    PCHECK(pthread_cond_init(&watch_cond, &attr));
    PCHECK(pthread_condattr_destroy(&attr));
    memset(&gate, 0xA5, sizeof gate); /* garbage: gate_init sets it all */
    err = gate_init(&gate);
    ck_assert_msg(err == 0, "gate_init returned %d (%s)", err, strerror(err));
    ck_assert_msg(!gate.open, "gate_init left the gate open");
}

static void start_wait(struct waiting *w, double seconds)
{
    w->seconds = seconds;
    w->result = -1;
    atomic_store(&w->returned, false);
    PCHECK(pthread_create(&w->thread, NULL, wait_thread, w));
}

/* Wait for the gate_wait of `w` to return (at most WATCHDOG_SECONDS), then join it. */
static void end_wait(struct waiting *w)
{
    struct timespec deadline;
    int err = 0;

    if (clock_gettime(CLOCK_MONOTONIC, &deadline) == -1)
        die_errno("clock_gettime");
    deadline.tv_sec += WATCHDOG_SECONDS;
    PCHECK(pthread_mutex_lock(&watch_mutex));
    while (!atomic_load(&w->returned) && err != ETIMEDOUT)
        err = pthread_cond_timedwait(&watch_cond, &watch_mutex, &deadline);
    PCHECK(pthread_mutex_unlock(&watch_mutex));
    ck_assert_msg(atomic_load(&w->returned),
                  "gate_wait(%g s) has not returned after %d s: is its deadline on the clock the "
                  "condition measures (CLOCK_MONOTONIC, set with pthread_condattr_setclock)?",
                  w->seconds, WATCHDOG_SECONDS);
    PCHECK(pthread_join(w->thread, NULL));
}

/* A helper: opens the gate after a delay, nudging the condition meanwhile if asked. */
struct helper {
    pthread_t thread;
    double open_after; /* < 0: never opens */
    bool nudge;        /* signal the condition every NUDGE_EVERY without opening */
};

static void *helper_thread(void *arg)
{
    struct helper *h = arg;
    double t0 = clock_now();
    double until = h->open_after >= 0 ? h->open_after : NUDGE_FOR;

    while (clock_now() - t0 < until) {
        if (sleep_seconds(h->nudge ? NUDGE_EVERY : until) == -1)
            die_errno("sleep_seconds");
        if (h->nudge) { /* a wake-up with the gate still closed: a spurious one, for the waiter */
            PCHECK(pthread_mutex_lock(&gate.mutex));
            PCHECK(pthread_cond_broadcast(&gate.cond));
            PCHECK(pthread_mutex_unlock(&gate.mutex));
        }
    }
    if (h->open_after >= 0)
        gate_open(&gate);
    return NULL;
}

static void expect(const struct waiting *w, int result, double at_least, double at_most)
{
    ck_assert_msg(w->result == result, "gate_wait(%g s) returned %d (%s) after %.3f s, expected %s",
                  w->seconds, w->result, w->result > 0 ? strerror(w->result) : "-", w->elapsed,
                  result == 0 ? "0 (open)" : "ETIMEDOUT");
    ck_assert_msg(w->elapsed >= at_least - EARLY,
                  "gate_wait(%g s) returned after %.3f s, before %.3f s%s", w->seconds, w->elapsed,
                  at_least,
                  result == ETIMEDOUT ? ": a timeout must take the full time (is the deadline "
                                        "absolute, now + seconds, on CLOCK_MONOTONIC?)"
                                      : "");
    ck_assert_msg(w->elapsed <= at_most,
                  "gate_wait(%g s) returned after %.3f s; it should have by %.3f s%s", w->seconds,
                  w->elapsed, at_most,
                  result == ETIMEDOUT ? ": after a wake-up, wait for the time that is left, not "
                                        "the whole time again"
                                      : "");
}

START_TEST(an_open_gate_lets_through_at_once)
{
    struct waiting w;

    setup();
    gate_open(&gate);
    start_wait(&w, LIMIT);
    end_wait(&w);
    expect(&w, 0, 0, LATE_MARGIN);
    gate_destroy(&gate);
}
END_TEST

START_TEST(a_closed_gate_times_out_after_the_full_time)
{
    struct waiting w;

    setup();
    start_wait(&w, LIMIT);
    end_wait(&w);
    expect(&w, ETIMEDOUT, LIMIT, LIMIT + LATE_MARGIN);
    start_wait(&w, 0);
    end_wait(&w);
    expect(&w, ETIMEDOUT, 0, LATE_MARGIN);
    gate_destroy(&gate);
}
END_TEST

START_TEST(a_gate_opened_meanwhile_lets_through)
{
    struct waiting w;
    struct helper h = {.open_after = OPEN_AFTER};

    setup();
    start_wait(&w, 5 * LIMIT);
    PCHECK(pthread_create(&h.thread, NULL, helper_thread, &h));
    end_wait(&w);
    PCHECK(pthread_join(h.thread, NULL));
    expect(&w, 0, 0, OPEN_AFTER + LATE_MARGIN);
    gate_destroy(&gate);
}
END_TEST

START_TEST(wake_ups_with_the_gate_closed_are_not_success)
{
    struct waiting w;
    struct helper h = {.open_after = -1, .nudge = true};

    setup();
    PCHECK(pthread_create(&h.thread, NULL, helper_thread, &h));
    start_wait(&w, LIMIT);
    end_wait(&w);
    expect(&w, ETIMEDOUT, LIMIT, LIMIT + LATE_MARGIN);
    PCHECK(pthread_join(h.thread, NULL));
    gate_destroy(&gate);
}
END_TEST

START_TEST(wake_ups_then_the_gate_opens)
{
    struct waiting w;
    struct helper h = {.open_after = 2 * OPEN_AFTER, .nudge = true};

    setup();
    PCHECK(pthread_create(&h.thread, NULL, helper_thread, &h));
    start_wait(&w, 10 * LIMIT);
    end_wait(&w);
    PCHECK(pthread_join(h.thread, NULL));
    expect(&w, 0, 0, 2 * OPEN_AFTER + LATE_MARGIN);
    gate_destroy(&gate);
}
END_TEST

START_TEST(many_waiters_all_let_through)
{
    struct waiting w[MAX_WAITERS];
    struct helper h = {.open_after = OPEN_AFTER, .nudge = true};

    setup();
    for (int i = 0; i < MAX_WAITERS; i++)
        start_wait(&w[i], 5 * LIMIT);
    PCHECK(pthread_create(&h.thread, NULL, helper_thread, &h));
    for (int i = 0; i < MAX_WAITERS; i++)
        end_wait(&w[i]);
    PCHECK(pthread_join(h.thread, NULL));
    for (int i = 0; i < MAX_WAITERS; i++)
        expect(&w[i], 0, 0, OPEN_AFTER + LATE_MARGIN);
    gate_destroy(&gate);
}
END_TEST

START_TEST(the_condition_measures_the_monotonic_clock)
{
    struct timespec deadline;
    double t0, elapsed;
    int err = 0;

    setup();
    /* A deadline LIMIT from now on CLOCK_MONOTONIC. A condition on CLOCK_REALTIME reads it as a
     * moment decades ago (the monotonic clock counts from boot) and times out at once. */
    if (clock_gettime(CLOCK_MONOTONIC, &deadline) == -1)
        die_errno("clock_gettime");
    deadline.tv_nsec += (long)(LIMIT * 1e9);
    if (deadline.tv_nsec >= NSEC_PER_SEC) {
        deadline.tv_sec++;
        deadline.tv_nsec -= NSEC_PER_SEC;
    }
    t0 = clock_now();
    PCHECK(pthread_mutex_lock(&gate.mutex));
    while (err != ETIMEDOUT) {
        err = pthread_cond_timedwait(&gate.cond, &gate.mutex, &deadline);
        if (clock_now() - t0 > WATCHDOG_SECONDS)
            break; /* the deadline is far in this condition's future: a clock that is not ours */
    }
    PCHECK(pthread_mutex_unlock(&gate.mutex));
    elapsed = clock_now() - t0;
    ck_assert_msg(err == ETIMEDOUT && elapsed >= LIMIT - EARLY && elapsed < LIMIT + LATE_MARGIN,
                  "a wait on gate.cond until %g s from now on CLOCK_MONOTONIC took %.3f s: the "
                  "condition measures another clock (CLOCK_REALTIME, the default?): use "
                  "pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) in gate_init",
                  LIMIT, elapsed);
    gate_destroy(&gate);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 10 exercises");
    TCase *tc = test_case(s, "deadline_wait");

    tcase_add_test(tc, an_open_gate_lets_through_at_once);
    tcase_add_test(tc, a_closed_gate_times_out_after_the_full_time);
    tcase_add_test(tc, a_gate_opened_meanwhile_lets_through);
    tcase_add_test(tc, wake_ups_with_the_gate_closed_are_not_success);
    tcase_add_test(tc, wake_ups_then_the_gate_opens);
    tcase_add_test(tc, many_waiters_all_let_through);
    tcase_add_test(tc, the_condition_measures_the_monotonic_clock);
    return s;
}
