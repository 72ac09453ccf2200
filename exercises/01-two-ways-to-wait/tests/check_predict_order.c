/*
 * check_predict_order.c: tests of predict_order() and choose_sleeps(), against the loop itself.
 *
 * Chapter 1, exercise predict_order.c. Every test runs the scenario of exercises.h on the loop
 * with a fake clock and compares what it really printed with the prediction, so only the order
 * the loop produces passes: for waits off any grid, a nanosecond apart or less (the loop counts
 * whole nanoseconds), 0 s, and for 0, 1, a few and thousands of tasks, every array sized to fit
 * (with one guard entry past the end that must stay as it is). Compare with
 * chapters/01-two-ways-to-wait/gather_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "task.h"
#include "testing.h"

#define TEXT_MAX 512
#define SHOW_MAX 12               /* waits shown in a message; a long list ends in "..." */
#define NOT_WRITTEN SIZE_MAX      /* the task of a line nobody wrote */
#define GUARD_TASK (SIZE_MAX - 1) /* the task of the line just past the caller's array */
#define NOT_CHOSEN (-1.0)         /* not a wait: seconds[i] until choose_sleeps writes it */
#define N(array) (sizeof(array) / sizeof((array)[0]))

/* Sizes past every example: a fixed array of 8, or of 1000, overflows. */
static const size_t many_sizes[] = {9, 1001, 4097};

static void *allocate(size_t n, size_t size)
{
    void *p = calloc(n == 0 ? 1 : n, size);

    ck_assert_msg(p != NULL, "calloc failed");
    return p;
}

/* A deterministic stream of numbers for the big scenarios (a linear congruential generator). */
static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* ---- the scenario, run for real on the loop ------------------------------------------------ */

struct scenario_task {
    struct task task; /* first, so that a struct task * is also a struct scenario_task * */
    size_t index;
    double seconds;
};

/* What the tasks printed, in order; run_scenario starts it afresh. */
static struct order_line *printed;
static size_t nprinted, printed_max;

static void print_line(size_t task, enum line_kind kind)
{
    if (nprinted == printed_max) /* not ck_assert: each one costs Check a write, even passing */
        ck_abort_msg("the scenario printed more than %zu lines", printed_max);
    printed[nprinted++] = (struct order_line){.task = task, .kind = kind};
}

static enum task_state scenario_step(struct task *t)
{
    struct scenario_task *st = (struct scenario_task *)t;

    TASK_BEGIN(t);
    print_line(st->index, LINE_STARTED);
    TASK_SLEEP(t, st->seconds);
    print_line(st->index, LINE_FINISHED);
    TASK_END(t);
}

/* Gather n scenario tasks on a loop with a fake clock; their lines end up in printed[]. */
static void run_scenario(const double seconds[], size_t n)
{
    struct fake_clock clock = {0};
    struct scenario_task *tasks = allocate(n, sizeof *tasks);
    struct task **all = allocate(n, sizeof *all);
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(loop, &clock);
    for (size_t i = 0; i < n; i++) {
        task_init(&tasks[i].task, NULL, scenario_step);
        tasks[i].index = i;
        tasks[i].seconds = seconds[i];
        all[i] = &tasks[i].task;
    }
    free(printed);
    printed = allocate(2 * n, sizeof *printed);
    printed_max = 2 * n;
    nprinted = 0;
    ck_assert_msg(task_run_all(loop, all, n) == 0, "the scenario failed: %s", strerror(errno));
    loop_free(loop);
    free(all);
    free(tasks);
}

/* ---- readable messages --------------------------------------------------------------------- */

static void describe_line(const struct order_line *line, const double seconds[], char *buf,
                          size_t size)
{
    if (line->task == NOT_WRITTEN)
        snprintf(buf, size, "(nothing written)");
    else if (line->task == GUARD_TASK)
        snprintf(buf, size, "(past the end)");
    else if (seconds == NULL)
        snprintf(buf, size, "Task %zu %s", line->task,
                 line->kind == LINE_STARTED ? "started" : "finished");
    else
        snprintf(buf, size, "Task %zu %s (its wait: %.12g s)", line->task,
                 line->kind == LINE_STARTED ? "started" : "finished", seconds[line->task]);
}

/* "{2, 1, 0.5}", or the first SHOW_MAX waits and "... (n waits)"; to 12 digits, enough to show
 * a difference of a fraction of a nanosecond. */
static void describe_waits(const double seconds[], size_t n, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "{");

    for (size_t i = 0; i < n && i < SHOW_MAX && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%.12g", i ? ", " : "", seconds[i]);
    if (n > SHOW_MAX && used < size)
        used += (size_t)snprintf(buf + used, size - used, ", ... (%zu waits)", n);
    if (used < size)
        snprintf(buf + used, size - used, "}");
}

/* ---- predict_order ------------------------------------------------------------------------- */

/* Fail unless predict_order gives, line for line, what the loop prints for these waits. */
static void expect_prediction(const double seconds[], size_t n)
{
    /* Exactly 2n lines, and one more that must stay as it is: nothing is written past them. */
    struct order_line *predicted = allocate(2 * n + 1, sizeof *predicted);
    char waits[TEXT_MAX], want[TEXT_MAX], got[TEXT_MAX];

    for (size_t i = 0; i < 2 * n; i++)
        predicted[i] = (struct order_line){.task = NOT_WRITTEN, .kind = LINE_STARTED};
    predicted[2 * n] = (struct order_line){.task = GUARD_TASK, .kind = LINE_STARTED};
    predict_order(seconds, n, predicted);
    describe_waits(seconds, n, waits, sizeof waits);
    ck_assert_msg(predicted[2 * n].task == GUARD_TASK,
                  "waits %s: predict_order wrote lines[%zu], past the %zu lines of %zu tasks",
                  waits, 2 * n, 2 * n, n);
    run_scenario(seconds, n);
    ck_assert_msg(nprinted == 2 * n, "the scenario printed %zu lines, expected %zu", nprinted,
                  2 * n);
    for (size_t i = 0; i < 2 * n; i++) {
        /* Not ck_assert in these loops: each one costs Check a write, even when it passes. */
        if (predicted[i].task == printed[i].task && predicted[i].kind == printed[i].kind)
            continue;
        describe_line(&printed[i], seconds, want, sizeof want);
        describe_line(&predicted[i], predicted[i].task < n ? seconds : NULL, got, sizeof got);
        ck_abort_msg("waits %s: line %zu is \"%s\" on the loop, you predicted \"%s\"", waits, i + 1,
                     want, got);
    }
    free(predicted);
    free(printed);
    printed = NULL;
}

START_TEST(predicts_article_000)
{
    /* gather_loop.c: task 0 sleeps 2 s, task 1 sleeps 1 s. */
    const double seconds[] = {2, 1};

    expect_prediction(seconds, N(seconds));
}
END_TEST

START_TEST(predicts_starts_before_any_finish)
{
    /* A 0 s sleep is still a wait: the other tasks start before it ends. */
    const double seconds[] = {0, 1, 0};

    expect_prediction(seconds, N(seconds));
}
END_TEST

START_TEST(predicts_equal_waits)
{
    const double seconds[] = {2, 1, 2, 1};

    expect_prediction(seconds, N(seconds));
}
END_TEST

START_TEST(predicts_other_scenarios)
{
    const double one[] = {5};
    const double many[] = {3, 0.5, 2, 0.25, 5, 1, 0, 2};
    const double sorted[] = {1, 2, 3};
    const double off_grid[] = {0.3, 1.7e-3, 2.000001, 2, 0.0017001, 0.2999999};

    expect_prediction(one, N(one));
    expect_prediction(many, N(many));
    expect_prediction(sorted, N(sorted));
    expect_prediction(off_grid, N(off_grid));
    expect_prediction(NULL, 0); /* no task, no line */
}
END_TEST

START_TEST(predicts_waits_close_together)
{
    /* A microsecond apart, then a nanosecond apart: still different waits to the loop. */
    const double micro[] = {2.000001, 2, 2.0000005, 1.999999};
    const double nano[] = {1.7e-3 + 2e-9, 1.7e-3, 1.7e-3 + 1e-9, 3e-9, 1e-9, 2e-9};

    expect_prediction(micro, N(micro));
    expect_prediction(nano, N(nano));
}
END_TEST

START_TEST(predicts_below_a_nanosecond)
{
    /*
     * The loop counts whole nanoseconds (seconds_to_ns rounds to nearest), and a wait that rounds
     * to 0 ns is a sleep(0). Waits that round to the same nanosecond are equal waits.
     */
    const double same_ns[] = {1 + 0.2e-9, 1, 1 + 0.4e-9};      /* all 1000000000 ns */
    const double zero_ns[] = {1e-10, 0, 0.4e-9, 0.3e-9};       /* all sleep(0) */
    const double one_ns[] = {0.6e-9, 0, 0.4e-9, 1e-9, 1.4e-9}; /* 1, 0, 0, 1, 1 ns */
    const double rounding[] = {3e-9, 2.6e-9, 2.4e-9, 2.0000000004, 2.0000000001, 2};

    expect_prediction(same_ns, N(same_ns));
    expect_prediction(zero_ns, N(zero_ns));
    expect_prediction(one_ns, N(one_ns));
    expect_prediction(rounding, N(rounding));
}
END_TEST

START_TEST(predicts_many_tasks)
{
    /* Waits from a small set, so that many are equal, and some differ by less than 1 ns. */
    const double kinds[] = {0, 0.25e-9, 1, 1 + 0.3e-9, 0.75e-9, 2.5, 1.7e-3, 1 + 1e-9, 0.5, 2};

    for (size_t s = 0; s < N(many_sizes); s++) {
        size_t n = many_sizes[s];
        double *seconds = allocate(n, sizeof *seconds);
        uint32_t state = (uint32_t)n;

        for (size_t i = 0; i < n; i++)
            seconds[i] = kinds[next_random(&state) % N(kinds)];
        expect_prediction(seconds, n);
        free(seconds);
    }
}
END_TEST

/* ---- choose_sleeps ------------------------------------------------------------------------- */

/* Fail unless the waits choose_sleeps picks make the loop finish the tasks in finish_order. */
static void expect_order(const size_t finish_order[], size_t n)
{
    double *seconds = allocate(n + 1, sizeof *seconds); /* and one more, that must stay as it is */
    char waits[TEXT_MAX];
    size_t k = 0; /* how many tasks have finished so far */

    for (size_t i = 0; i <= n; i++)
        seconds[i] = NOT_CHOSEN; /* not a valid wait: left as it is, the test says so */
    choose_sleeps(finish_order, n, seconds);
    ck_assert_msg(seconds[n] == NOT_CHOSEN, "choose_sleeps wrote seconds[%zu], past the %zu waits",
                  n, n);
    for (size_t i = 0; i < n; i++) {
        if (!(seconds[i] >= 0 && seconds[i] <= CHOOSE_MAX_SECONDS))
            ck_abort_msg("n = %zu: seconds[%zu] is %g, expected a wait from 0 to %g s (the test "
                         "puts %g in every seconds[i] before the call)",
                         n, i, seconds[i], CHOOSE_MAX_SECONDS, NOT_CHOSEN);
    }
    describe_waits(seconds, n, waits, sizeof waits);
    run_scenario(seconds, n);
    for (size_t i = 0; i < nprinted; i++) {
        if (printed[i].kind != LINE_FINISHED)
            continue;
        if (printed[i].task != finish_order[k])
            ck_abort_msg("with your waits %s, task %zu (%.12g s) finished in place %zu; expected "
                         "task %zu (%.12g s) there",
                         waits, printed[i].task, seconds[printed[i].task], k + 1, finish_order[k],
                         seconds[finish_order[k]]);
        k++;
    }
    ck_assert_msg(k == n, "with your waits %s, %zu tasks finished, expected %zu", waits, k, n);
    free(seconds);
    free(printed);
    printed = NULL;
}

START_TEST(chooses_for_same_order)
{
    const size_t order[] = {0, 1, 2};

    expect_order(order, N(order));
}
END_TEST

START_TEST(chooses_for_reversed_order)
{
    const size_t order[] = {2, 1, 0};

    expect_order(order, N(order));
}
END_TEST

START_TEST(chooses_for_rotated_order)
{
    /* Task 1 first, then 2, then 0: seconds[] is indexed by task, finish_order[] by place. */
    const size_t order[] = {1, 2, 0};

    expect_order(order, N(order));
}
END_TEST

START_TEST(chooses_for_other_orders)
{
    const size_t one[] = {0};
    const size_t two[] = {1, 0};
    const size_t five[] = {3, 0, 4, 1, 2};
    const size_t eight[] = {7, 5, 3, 1, 0, 2, 4, 6};

    expect_order(one, N(one));
    expect_order(two, N(two));
    expect_order(five, N(five));
    expect_order(eight, N(eight));
    expect_order(NULL, 0); /* no task: nothing to choose */
}
END_TEST

START_TEST(chooses_for_many_tasks)
{
    for (size_t s = 0; s < N(many_sizes); s++) {
        size_t n = many_sizes[s];
        size_t *order = allocate(n, sizeof *order);
        uint32_t state = (uint32_t)n;

        for (size_t k = 0; k < n; k++) /* reversed: the last task first */
            order[k] = n - 1 - k;
        expect_order(order, n);
        for (size_t k = 0; k < n; k++) /* rotated by one: task 1 first, task 0 last */
            order[k] = (k + 1) % n;
        expect_order(order, n);
        for (size_t k = n - 1; k > 0; k--) { /* shuffled (Fisher-Yates) */
            size_t j = next_random(&state) % (k + 1), t = order[k];

            order[k] = order[j];
            order[j] = t;
        }
        expect_order(order, n);
        free(order);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 1 exercises");
    TCase *tc = test_case(s, "predict_order");

    tcase_add_test(tc, predicts_article_000);
    tcase_add_test(tc, predicts_starts_before_any_finish);
    tcase_add_test(tc, predicts_equal_waits);
    tcase_add_test(tc, predicts_other_scenarios);
    tcase_add_test(tc, predicts_waits_close_together);
    tcase_add_test(tc, predicts_below_a_nanosecond);
    tcase_add_test(tc, predicts_many_tasks);
    tcase_add_test(tc, chooses_for_same_order);
    tcase_add_test(tc, chooses_for_reversed_order);
    tcase_add_test(tc, chooses_for_rotated_order);
    tcase_add_test(tc, chooses_for_other_orders);
    tcase_add_test(tc, chooses_for_many_tasks);
    return s;
}
