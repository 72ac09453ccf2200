/*
 * check_elapsed.c: tests of elapsed_sequential(), elapsed_concurrent() and run_plan().
 *
 * Chapter 1, exercise elapsed.c. The right answers are not written here: every plan is also run
 * on the loop with a fake clock, by bare timers (loop_call_later, no tasks), and what the clock
 * says is what the functions must say. Compare with chapters/01-two-ways-to-wait/tasks_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 100
#define TOLERANCE 1e-6 /* seconds: the clock counts whole nanoseconds */
#define MAX_PLAN 1000  /* tasks in a plan of these tests */
#define KINDS 7        /* the many tasks of run_plan_with_many_tasks differ in this many ways */
#define TEXT_MAX 512
#define NOT_WRITTEN (-1.0) /* what *elapsed holds until run_plan writes it */
#define N(array) (sizeof(array) / sizeof((array)[0]))

/*
 * One task of a plan, from its waits: {WAITS(1, 0.5), WAITS(2)} is a plan of two tasks, and
 * {NULL, 0} a task with no wait. An initializer, so it cannot be parenthesised.
 */
/* clang-format off */
#define WAITS(...) {(const double[]){__VA_ARGS__}, N(((const double[]){__VA_ARGS__}))}
/* clang-format on */

static bool near(double a, double b)
{
    return a - b < TOLERANCE && b - a < TOLERANCE;
}

/* A loop whose fake clock reads START_SECONDS: only times read from the loop can be right. */
static struct loop *fake_loop(struct fake_clock *clock)
{
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    clock->now_ns = START_SECONDS * NSEC_PER_SEC;
    loop_use_fake_clock(loop, clock);
    return loop;
}

/* ---- the reference: the plan on the loop's clock, one chain of timers per task ------------- */

struct chain {
    struct loop_timer timer;
    const struct task_plan *task;
    size_t next; /* the wait to schedule next */
};

/* Schedule the chain's next wait; called again by the timer when that wait is over. */
static void chain_step(struct loop *loop, void *arg)
{
    struct chain *c = arg;

    if (c->next < c->task->nwaits) {
        int rc = loop_call_later(loop, &c->timer, c->task->waits[c->next++], chain_step, c);

        ck_assert_msg(rc == 0, "loop_call_later failed: %s", strerror(errno));
    }
}

/* Seconds the loop's clock moves when the plan runs one task after the other, or all at once. */
static double measure(const struct task_plan plan[], size_t n, bool concurrent)
{
    struct fake_clock clock;
    struct loop *loop = fake_loop(&clock);
    struct chain chains[MAX_PLAN] = {0};
    double elapsed;

    ck_assert(n <= MAX_PLAN);
    for (size_t i = 0; i < n; i++) {
        chains[i].task = &plan[i];
        chain_step(loop, &chains[i]);
        if (!concurrent) /* run this task to its end before the next one starts */
            ck_assert_msg(loop_run(loop) == 0, "loop_run failed: %s", strerror(errno));
    }
    ck_assert_msg(loop_run(loop) == 0, "loop_run failed: %s", strerror(errno));
    elapsed = loop_time(loop) - START_SECONDS;
    loop_free(loop);
    return elapsed;
}

/* "{{1, 0.5}, {2}}" */
static void describe_plan(const struct task_plan plan[], size_t n, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "{");

    for (size_t i = 0; i < n && used < size; i++) {
        used += (size_t)snprintf(buf + used, size - used, "%s{", i ? ", " : "");
        for (size_t j = 0; j < plan[i].nwaits && used < size; j++)
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%g", j ? ", " : "", plan[i].waits[j]);
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, "}");
    }
    if (used < size)
        snprintf(buf + used, size - used, "}");
}

/* ---- the plans ----------------------------------------------------------------------------- */

/* Concurrently 3 s: the longest task, not the longest single wait (2 s). */
static const struct task_plan many_short_one_long[] = {WAITS(1, 1, 1), WAITS(2)};
/* Concurrently 4 s, not max(1, 3) + max(3, 1) = 6 s: tasks do not wait for each other's steps. */
static const struct task_plan crossed[] = {WAITS(1, 3), WAITS(3, 1)};
/* Concurrently 6 s: the second task's second wait counts, though the first task is done by then. */
static const struct task_plan late_long_wait[] = {WAITS(1, 1), WAITS(1, 5)};
static const struct task_plan mixed[] = {
    WAITS(0.5, 0.25), WAITS(2), {NULL, 0}, WAITS(1, 0.5, 0.25, 0.75), WAITS(0, 1.5, 0)};
static const struct task_plan one_task[] = {WAITS(2.5, 0.5)};
static const struct task_plan waits_of_zero[] = {WAITS(0, 0), WAITS(0)};
static const struct task_plan no_waits[] = {{NULL, 0}, {NULL, 0}};

/* ---- elapsed_sequential and elapsed_concurrent ---------------------------------------------- */

static void expect_calculated(const struct task_plan plan[], size_t n, bool concurrent)
{
    double on_loop = measure(plan, n, concurrent);
    double computed = concurrent ? elapsed_concurrent(plan, n) : elapsed_sequential(plan, n);
    char text[TEXT_MAX];

    describe_plan(plan, n, text, sizeof text);
    ck_assert_msg(near(computed, on_loop), "plan %s: %s returned %g s, but the loop took %g s",
                  text, concurrent ? "elapsed_concurrent" : "elapsed_sequential", computed,
                  on_loop);
}

START_TEST(sequential_adds_every_wait)
{
    expect_calculated(many_short_one_long, N(many_short_one_long), false);
    expect_calculated(crossed, N(crossed), false);
    expect_calculated(mixed, N(mixed), false);
}
END_TEST

START_TEST(concurrent_takes_the_longest_task)
{
    expect_calculated(many_short_one_long, N(many_short_one_long), true);
    expect_calculated(crossed, N(crossed), true);
    expect_calculated(late_long_wait, N(late_long_wait), true);
    expect_calculated(mixed, N(mixed), true);
}
END_TEST

START_TEST(calculators_on_small_plans)
{
    const struct task_plan *plans[] = {one_task, waits_of_zero, no_waits, NULL};
    const size_t sizes[] = {N(one_task), N(waits_of_zero), N(no_waits), 0}; /* and no task */

    for (size_t i = 0; i < N(plans); i++) {
        expect_calculated(plans[i], sizes[i], false);
        expect_calculated(plans[i], sizes[i], true);
    }
}
END_TEST

/* ---- run_plan ------------------------------------------------------------------------------ */

/* Run the plan with run_plan on `loop`; fail unless it agrees with the clock and the reference. */
static void expect_run_on(struct loop *loop, const struct task_plan plan[], size_t n,
                          bool concurrent)
{
    const char *how = concurrent ? "concurrently" : "one after the other";
    double before = loop_time(loop), elapsed = NOT_WRITTEN, moved, expected;
    char text[TEXT_MAX];
    int rc;

    describe_plan(plan, n, text, sizeof text);
    errno = 0;
    rc = run_plan(loop, plan, n, concurrent, &elapsed);
    ck_assert_msg(rc == 0, "plan %s, %s: run_plan returned %d (errno %d: %s), expected 0", text,
                  how, rc, errno, strerror(errno));
    moved = loop_time(loop) - before;
    expected = measure(plan, n, concurrent);
    ck_assert_msg(near(moved, expected), "plan %s, %s: the loop's clock moved %g s, expected %g s",
                  text, how, moved, expected);
    ck_assert_msg(near(elapsed, moved),
                  "plan %s, %s: *elapsed is %g s, but the loop's clock moved %g s", text, how,
                  elapsed, moved);
}

static void expect_run(const struct task_plan plan[], size_t n, bool concurrent)
{
    struct fake_clock clock;
    struct loop *loop = fake_loop(&clock);

    expect_run_on(loop, plan, n, concurrent);
    loop_free(loop);
}

START_TEST(run_plan_one_after_the_other)
{
    expect_run(many_short_one_long, N(many_short_one_long), false);
    expect_run(crossed, N(crossed), false);
    expect_run(mixed, N(mixed), false);
}
END_TEST

START_TEST(run_plan_concurrently)
{
    expect_run(many_short_one_long, N(many_short_one_long), true);
    expect_run(crossed, N(crossed), true);
    expect_run(late_long_wait, N(late_long_wait), true);
    expect_run(mixed, N(mixed), true);
}
END_TEST

START_TEST(run_plan_on_small_plans)
{
    expect_run(one_task, N(one_task), true);
    expect_run(waits_of_zero, N(waits_of_zero), false);
    expect_run(no_waits, N(no_waits), true);
    expect_run(NULL, 0, false);
    expect_run(NULL, 0, true);
}
END_TEST

START_TEST(run_plan_with_many_tasks)
{
    /* A thousand tasks wait at once, on one thread: a plan has no size limit. */
    static double waits[KINDS][2];
    static struct task_plan many[MAX_PLAN];

    for (size_t k = 0; k < KINDS; k++) {
        waits[k][0] = 1;
        waits[k][1] = 0.5 * (double)k;
    }
    for (size_t i = 0; i < MAX_PLAN; i++)
        many[i] = (struct task_plan){.waits = waits[i % KINDS], .nwaits = 2};
    expect_run(many, MAX_PLAN, true);
    expect_run(many, MAX_PLAN, false);
}
END_TEST

START_TEST(run_plan_twice_on_one_loop)
{
    /* The second run measures only itself: the loop is left ready for more. */
    struct fake_clock clock;
    struct loop *loop = fake_loop(&clock);

    expect_run_on(loop, crossed, N(crossed), true);
    expect_run_on(loop, late_long_wait, N(late_long_wait), false);
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 1 exercises");
    TCase *tc = test_case(s, "elapsed");

    tcase_add_test(tc, sequential_adds_every_wait);
    tcase_add_test(tc, concurrent_takes_the_longest_task);
    tcase_add_test(tc, calculators_on_small_plans);
    tcase_add_test(tc, run_plan_one_after_the_other);
    tcase_add_test(tc, run_plan_concurrently);
    tcase_add_test(tc, run_plan_on_small_plans);
    tcase_add_test(tc, run_plan_with_many_tasks);
    tcase_add_test(tc, run_plan_twice_on_one_loop);
    return s;
}
