/*
 * check_gather_ordered.c: tests of gather_ordered(): results in argument order, all at once.
 *
 * Chapter 2, exercise gather_ordered.c. Every run is on a fake clock that starts at
 * START_SECONDS. Besides checking the results and the clock at the end, each run puts a probe
 * task on the loop before gather_ordered starts: it wakes between one task's end and the next
 * and looks at results[], which must stay untouched until the last task is done, as asyncio's
 * gather hands over its list only when it returns.
 * Compare with chapters/02-starting-and-finishing/results_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "task.h"
#include "testing.h"

#define START_SECONDS 100
#define TOLERANCE 1e-6 /* seconds: the clock counts whole nanoseconds */
#define UNSET LONG_MIN /* what results[] holds until gather_ordered writes it */
#define MAX_JOBS 1000
#define N(array) (sizeof(array) / sizeof((array)[0]))

/* ---- the probe: a task that looks at results[] while the tasks run ------------------------- */

struct probe {
    struct task task; /* first, so that a struct task * is also a struct probe * */
    struct loop *loop;
    const long *results;
    size_t n;
    double checkpoints[MAX_JOBS]; /* seconds after the start, in increasing order */
    size_t ncheckpoints, next;
    bool early; /* results[] was written before the last task ended */
    size_t early_index;
    double early_at, last_end;
};

static enum task_state probe_step(struct task *t)
{
    struct probe *p = (struct probe *)t;

    TASK_BEGIN(t);
    for (p->next = 0; p->next < p->ncheckpoints; p->next++) {
        TASK_SLEEP(t, START_SECONDS + p->checkpoints[p->next] - loop_time(p->loop));
        for (size_t i = 0; i < p->n && !p->early; i++) {
            if (p->results[i] != UNSET) {
                p->early = true;
                p->early_index = i;
                p->early_at = loop_time(p->loop) - START_SECONDS;
            }
        }
    }
    TASK_END(t);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Checkpoints halfway between one end and the next (and between the start and the first end),
 * all before the last task ends. */
static void plan_probe(struct probe *p, const struct fetch jobs[], size_t n)
{
    static double ends[MAX_JOBS];
    double previous = 0;

    for (size_t i = 0; i < n; i++)
        ends[i] = jobs[i].seconds;
    qsort(ends, n, sizeof ends[0], by_value);
    p->ncheckpoints = 0;
    for (size_t i = 0; i < n; i++) {
        if (ends[i] > previous + TOLERANCE) {
            p->checkpoints[p->ncheckpoints++] = (previous + ends[i]) / 2;
            previous = ends[i];
        }
    }
    p->last_end = previous;
}

/* ---- running gather_ordered ---------------------------------------------------------------- */

/* Run gather_ordered on a new loop with the probe; check what must hold after any run. */
static double run(const struct fetch jobs[], size_t n, long results[])
{
    static struct probe probe;
    struct fake_clock clock = {.now_ns = START_SECONDS * NSEC_PER_SEC};
    struct loop *loop = loop_new();
    double elapsed;
    int rc;

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(loop, &clock);
    for (size_t i = 0; i < n; i++)
        results[i] = UNSET;
    probe = (struct probe){.loop = loop, .results = results, .n = n};
    plan_probe(&probe, jobs, n);
    task_init(&probe.task, "probe", probe_step);
    if (probe.ncheckpoints > 0)
        task_start(loop, &probe.task); /* it runs as soon as gather_ordered runs the loop */
    errno = 0;
    rc = gather_ordered(loop, jobs, n, results);
    ck_assert_msg(rc == 0, "gather_ordered returned %d (errno %d: %s), expected 0", rc, errno,
                  strerror(errno));
    elapsed = loop_time(loop) - START_SECONDS;
    ck_assert_msg(probe.ncheckpoints == 0 || task_done(&probe.task),
                  "gather_ordered returned at %.3f s, before the loop reached %.3f s, when the "
                  "last task ends",
                  elapsed, probe.last_end);
    ck_assert_msg(!probe.early,
                  "at %.3f s, before the last task ended (at %.3f s), results[%zu] was already "
                  "written: gather hands over its results all at once, when every task is done",
                  probe.early_at, probe.last_end, probe.early_index);
    ck_assert_msg(loop_poll_timeout_ns(loop) == -1,
                  "gather_ordered left something to run on the loop (a task, a timer): when it "
                  "returns, every task it started must be done");
    loop_free(loop);
    return elapsed;
}

/* results[i] is jobs[i].value for every i, and the run took the longest wait. */
static void expect_results(const struct fetch jobs[], size_t n, const long results[],
                           double elapsed)
{
    double longest = 0;

    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(results[i] == jobs[i].value,
                      "results[%zu] is %ld, expected %ld (the value of jobs[%zu], which waits "
                      "%.3f s): results follow the arguments, not the order the tasks finish in",
                      i, results[i], jobs[i].value, i, jobs[i].seconds);
        if (jobs[i].seconds > longest)
            longest = jobs[i].seconds;
    }
    ck_assert_msg(elapsed > longest - TOLERANCE && elapsed < longest + TOLERANCE,
                  "the loop's clock moved %.3f s, expected %.3f s: the tasks wait together, so "
                  "the longest wait, not the sum",
                  elapsed, longest);
}

static void expect_gather(const struct fetch jobs[], size_t n)
{
    static long results[MAX_JOBS];

    ck_assert(n <= MAX_JOBS);
    expect_results(jobs, n, results, run(jobs, n, results));
}

/* ---- the tests ----------------------------------------------------------------------------- */

START_TEST(results_follow_the_arguments)
{
    /* They finish b, c, a; results must still read a, b, c. */
    const struct fetch jobs[] = {{3, 30}, {1, 10}, {2, 20}};

    expect_gather(jobs, N(jobs));
}
END_TEST

START_TEST(results_arrive_all_at_once_at_the_end)
{
    const struct fetch jobs[] = {{1, -7}, {4, 400}, {2.5, 0}, {3, 12345678}};

    expect_gather(jobs, N(jobs));
}
END_TEST

START_TEST(the_waits_overlap)
{
    const struct fetch jobs[] = {{2, 1}, {5, 2}, {1, 3}, {4, 4}, {0.25, 5}};

    expect_gather(jobs, N(jobs));
}
END_TEST

START_TEST(equal_and_zero_waits)
{
    const struct fetch zeros[] = {{0, 1}, {0, 2}, {0, 3}};
    const struct fetch equal[] = {{2, -1}, {2, -2}, {2, -3}};
    const struct fetch mixed[] = {{0, 10}, {1.5, 20}, {0, 30}, {1.5, 40}};

    expect_gather(zeros, N(zeros));
    expect_gather(equal, N(equal));
    expect_gather(mixed, N(mixed));
}
END_TEST

START_TEST(a_thousand_tasks)
{
    static struct fetch jobs[MAX_JOBS];

    for (size_t i = 0; i < MAX_JOBS; i++) /* waits from 0 to 9.99 s, in a scrambled order */
        jobs[i] = (struct fetch){.seconds = (double)((i * 7919) % 1000) / 100,
                                 .value = (long)(i * i) - 500000};
    expect_gather(jobs, MAX_JOBS);
}
END_TEST

START_TEST(no_tasks_at_all)
{
    long untouched[1] = {UNSET};
    double elapsed = run(NULL, 0, untouched);

    ck_assert_msg(untouched[0] == UNSET, "no jobs, yet results[0] was written");
    ck_assert_msg(elapsed < TOLERANCE, "no jobs, yet the clock moved %.3f s", elapsed);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 2 exercises");
    TCase *tc = test_case(s, "gather_ordered");

    tcase_add_test(tc, results_follow_the_arguments);
    tcase_add_test(tc, results_arrive_all_at_once_at_the_end);
    tcase_add_test(tc, the_waits_overlap);
    tcase_add_test(tc, equal_and_zero_waits);
    tcase_add_test(tc, a_thousand_tasks);
    tcase_add_test(tc, no_tasks_at_all);
    return s;
}
