/*
 * check_iteration_order.c: tests of predict_iterations(), against common/'s loop itself.
 *
 * Chapter 8, exercise iteration_order.c. Each test runs a scenario of exercises.h on the real
 * loop, on a fake clock, recording which callback ran in which iteration, and compares that,
 * line by line, with the prediction. Named scenarios first, each about one rule of the
 * iteration; then two hundred scenarios drawn at random (the same ones on every run).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "exercises.h"
#include "loop.h"
#include "testing.h"

#define N(array) (sizeof(array) / sizeof((array)[0]))
#define RANDOM_SCENARIOS 200
#define MAX_ITERATIONS 1000 /* no scenario here needs more: beyond, the loop would be spinning */

/* ---- the scenario, run for real ---------------------------------------------------------- */

struct live_step {
    struct loop_callback cb;
    struct loop_timer timer;
};

static const struct scenario_step *steps;
static size_t nsteps;
static struct live_step live[SCENARIO_MAX_STEPS];
static struct step_run actual[SCENARIO_MAX_STEPS];
static size_t nactual;
static int iteration;

static void step_callback(struct loop *loop, void *arg);

static void schedule(struct loop *loop, int i)
{
    if (steps[i].kind == STEP_SOON)
        loop_call_soon(loop, &live[i].cb, step_callback, &live[i]);
    else
        ck_assert_msg(
            loop_call_later(loop, &live[i].timer, steps[i].delay, step_callback, &live[i]) == 0,
            "loop_call_later: %s", strerror(errno));
}

static void step_callback(struct loop *loop, void *arg)
{
    int i = (int)((struct live_step *)arg - live), victim = steps[i].cancels;

    ck_assert(nactual < nsteps);
    actual[nactual++] = (struct step_run){.step = i, .iteration = iteration};
    if (victim >= 0) {
        if (steps[victim].kind == STEP_SOON)
            loop_cancel_soon(loop, &live[victim].cb);
        else
            loop_cancel_timer(loop, &live[victim].timer);
    }
    for (size_t j = (size_t)i + 1; j < nsteps; j++) {
        if (steps[j].parent == i)
            schedule(loop, (int)j);
    }
}

static void run_for_real(const struct scenario_step s[], size_t n)
{
    struct fake_clock fake = {0};
    struct loop *loop = loop_new();
    int more;

    ck_assert_ptr_nonnull(loop);
    loop_use_fake_clock(loop, &fake);
    steps = s;
    nsteps = n;
    nactual = 0;
    iteration = 0;
    memset(live, 0, sizeof live);
    for (size_t i = 0; i < n; i++) {
        if (s[i].parent < 0)
            schedule(loop, (int)i);
    }
    do {
        iteration++;
        more = loop_run_once(loop);
    } while (more == 1 && iteration < MAX_ITERATIONS);
    ck_assert_int_eq(more, 0);
    loop_free(loop);
}

/* ---- comparing ----------------------------------------------------------------------------- */

/* "step 3 (later 0.5 s, by step 1)" */
static void describe(const struct scenario_step *s, int i, char *buf, size_t size)
{
    if (i < 0 || (size_t)i >= nsteps) {
        snprintf(buf, size, "step %d (no such step)", i);
        return;
    }
    snprintf(buf, size, "step %d (%s", i, s[i].kind == STEP_SOON ? "soon" : "later");
    if (s[i].kind == STEP_LATER)
        snprintf(buf + strlen(buf), size - strlen(buf), " %g s", s[i].delay);
    if (s[i].parent >= 0)
        snprintf(buf + strlen(buf), size - strlen(buf), ", by step %d", s[i].parent);
    else
        snprintf(buf + strlen(buf), size - strlen(buf), ", before the loop");
    if (s[i].cancels >= 0)
        snprintf(buf + strlen(buf), size - strlen(buf), ", cancels step %d", s[i].cancels);
    snprintf(buf + strlen(buf), size - strlen(buf), ")");
}

static void expect_prediction(const char *name, const struct scenario_step s[], size_t n)
{
    struct step_run predicted[SCENARIO_MAX_STEPS];
    size_t npredicted;
    char want[128], got[128];

    ck_assert(n <= SCENARIO_MAX_STEPS);
    for (size_t i = 0; i < SCENARIO_MAX_STEPS; i++)
        predicted[i] = (struct step_run){.step = -1, .iteration = -1};
    npredicted = predict_iterations(s, n, predicted);
    run_for_real(s, n);
    for (size_t k = 0; k < nactual && k < npredicted; k++) {
        describe(s, actual[k].step, want, sizeof want);
        describe(s, predicted[k].step, got, sizeof got);
        ck_assert_msg(predicted[k].step == actual[k].step &&
                          predicted[k].iteration == actual[k].iteration,
                      "%s: callback %zu to run is %s in iteration %d; you predicted %s in "
                      "iteration %d",
                      name, k + 1, want, actual[k].iteration, got, predicted[k].iteration);
    }
    ck_assert_msg(npredicted == nactual, "%s: %zu callbacks run on the loop, you predicted %zu",
                  name, nactual, npredicted);
}

#define SOON(parent, cancels)                                                                      \
    {                                                                                              \
        STEP_SOON, 0, (parent), (cancels)                                                          \
    }
#define LATER(delay, parent, cancels)                                                              \
    {                                                                                              \
        STEP_LATER, (delay), (parent), (cancels)                                                   \
    }

/* ---- one rule each ------------------------------------------------------------------------- */

START_TEST(callbacks_run_in_order_queued_ones_next_iteration)
{
    /* 0, 1, 2 in iteration 1; those they queue (3 by 0, 4 by 1, 5 by 3) after, in order. */
    const struct scenario_step s[] = {SOON(-1, -1), SOON(-1, -1), SOON(-1, -1),
                                      SOON(0, -1),  SOON(1, -1),  SOON(3, -1)};

    expect_prediction("callbacks", s, N(s));
}
END_TEST

START_TEST(a_cancelled_callback_lets_no_newcomer_in)
{
    /* Step 1 cancels step 3, still queued; step 0 queues step 4: it waits for iteration 2 all
     * the same, though only three of the four queued callbacks ran in iteration 1. */
    const struct scenario_step s[] = {SOON(-1, -1), SOON(-1, 3), SOON(-1, -1), SOON(-1, -1),
                                      SOON(0, -1)};

    expect_prediction("cancel in the ready phase", s, N(s));
}
END_TEST

START_TEST(timers_fire_by_deadline_equal_ones_in_arming_order)
{
    /* 4, 5, 6 are armed before the loop; then step 0 arms step 3 and step 1 arms step 2, in that
     * order: at 0.2 s, three equal deadlines fire in the order they were armed: 6, 3, 2. */
    const struct scenario_step s[] = {SOON(-1, -1),      SOON(-1, -1),       LATER(0.2, 1, -1),
                                      LATER(0.2, 0, -1), LATER(0.3, -1, -1), LATER(0.1, -1, -1),
                                      LATER(0.2, -1, -1)};

    expect_prediction("deadlines and ties", s, N(s));
}
END_TEST

START_TEST(ready_phase_comes_before_the_timers_phase)
{
    /* Step 0 (soon) arms step 2 for 0 s: due at once, it fires in iteration 1's timers phase,
     * after every ready callback, step 1 included. */
    const struct scenario_step s[] = {SOON(-1, -1), SOON(-1, -1), LATER(0, 0, -1), SOON(2, -1)};

    expect_prediction("ready, then timers", s, N(s));
}
END_TEST

START_TEST(a_timer_armed_by_a_timer_waits_for_the_next_iteration)
{
    /* Step 1 re-arms for 0 s from a timer: not in the same timers phase, even though due. */
    const struct scenario_step s[] = {LATER(0.5, -1, -1), LATER(0, 0, -1), LATER(0, 1, -1),
                                      SOON(0, -1)};

    expect_prediction("armed in the timers phase", s, N(s));
}
END_TEST

START_TEST(the_clock_jumps_only_when_nothing_is_ready)
{
    /* While callbacks keep queueing each other, no time passes: the 1 s timer waits. */
    const struct scenario_step s[] = {LATER(1, -1, -1), SOON(-1, -1),      SOON(1, -1),
                                      SOON(2, -1),      LATER(0.5, 2, -1), LATER(0.5, 0, -1)};

    expect_prediction("time moves only in the poll", s, N(s));
}
END_TEST

START_TEST(cancelled_timers_never_fire_nor_their_children)
{
    const struct scenario_step s[] = {LATER(0.2, -1, -1), LATER(0.1, -1, 0), LATER(0.3, 0, -1),
                                      LATER(0.1, -1, -1), SOON(3, 1),        SOON(-1, 5),
                                      LATER(0, -1, -1)};

    expect_prediction("cancellation", s, N(s));
}
END_TEST

START_TEST(an_empty_scenario_runs_nothing)
{
    const struct scenario_step none[1] = {SOON(-1, -1)};

    expect_prediction("no step at all", none, 0);
}
END_TEST

/* ---- two hundred random ones --------------------------------------------------------------- */

static uint32_t seed;

static uint32_t next_random(uint32_t below)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % below;
}

START_TEST(random_scenarios)
{
    /* Few distinct delays, so that ties are common; 0 s included. */
    static const double delays[] = {0, 0, 0.001, 0.001, 0.002, 0.5, 1};
    struct scenario_step s[SCENARIO_MAX_STEPS];
    char name[64];

    seed = 2024;
    for (int k = 0; k < RANDOM_SCENARIOS; k++) {
        size_t n = 1 + next_random(SCENARIO_MAX_STEPS);

        for (size_t i = 0; i < n; i++) {
            s[i].kind = next_random(2) ? STEP_SOON : STEP_LATER;
            s[i].delay = s[i].kind == STEP_LATER ? delays[next_random(N(delays))] : 0;
            s[i].parent = i == 0 || next_random(3) == 0 ? -1 : (int)next_random((uint32_t)i);
            s[i].cancels = next_random(4) == 0 ? (int)next_random((uint32_t)n) : -1;
        }
        snprintf(name, sizeof name, "random scenario %d (of %zu steps)", k + 1, n);
        expect_prediction(name, s, n);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 8 exercises");
    TCase *tc = test_case(s, "iteration_order");

    tcase_add_test(tc, callbacks_run_in_order_queued_ones_next_iteration);
    tcase_add_test(tc, a_cancelled_callback_lets_no_newcomer_in);
    tcase_add_test(tc, timers_fire_by_deadline_equal_ones_in_arming_order);
    tcase_add_test(tc, ready_phase_comes_before_the_timers_phase);
    tcase_add_test(tc, a_timer_armed_by_a_timer_waits_for_the_next_iteration);
    tcase_add_test(tc, the_clock_jumps_only_when_nothing_is_ready);
    tcase_add_test(tc, cancelled_timers_never_fire_nor_their_children);
    tcase_add_test(tc, an_empty_scenario_runs_nothing);
    tcase_add_test(tc, random_scenarios);
    return s;
}
