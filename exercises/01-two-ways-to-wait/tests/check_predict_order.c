/*
 * check_predict_order.c: tests of predict_order() and choose_sleeps(), against the loop itself.
 *
 * Chapter 1, exercise predict_order.c. Every test runs the scenario of exercises.h on the loop
 * with a fake clock and compares what it really printed with the prediction, so only the order
 * the loop produces passes. Compare with chapters/01-two-ways-to-wait/gather_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exercises.h"
#include "task.h"
#include "testing.h"

#define MAX_TASKS 8
#define MAX_LINES (2 * MAX_TASKS)
#define TEXT_MAX 512
#define NOT_WRITTEN SIZE_MAX /* the task of a line nobody wrote */
#define N(array) (sizeof(array) / sizeof((array)[0]))

/* ---- the scenario, run for real on the loop ------------------------------------------------ */

struct scenario_task {
    struct task task; /* first, so that a struct task * is also a struct scenario_task * */
    size_t index;
    double seconds;
};

/* What the tasks printed, in order; run_scenario starts it afresh. */
static struct order_line printed[MAX_LINES];
static size_t nprinted;

static void print_line(size_t task, enum line_kind kind)
{
    ck_assert(nprinted < MAX_LINES);
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
    struct scenario_task tasks[MAX_TASKS];
    struct task *all[MAX_TASKS];
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    ck_assert(n <= MAX_TASKS);
    loop_use_fake_clock(loop, &clock);
    for (size_t i = 0; i < n; i++) {
        task_init(&tasks[i].task, NULL, scenario_step);
        tasks[i].index = i;
        tasks[i].seconds = seconds[i];
        all[i] = &tasks[i].task;
    }
    nprinted = 0;
    ck_assert_msg(task_run_all(loop, all, n) == 0, "the scenario failed: %s", strerror(errno));
    loop_free(loop);
}

/* ---- readable messages --------------------------------------------------------------------- */

static void describe_line(const struct order_line *line, char *buf, size_t size)
{
    if (line->task == NOT_WRITTEN)
        snprintf(buf, size, "(nothing written)");
    else
        snprintf(buf, size, "Task %zu %s", line->task,
                 line->kind == LINE_STARTED ? "started" : "finished");
}

/* "{2, 1, 0.5}" */
static void describe_waits(const double seconds[], size_t n, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "{");

    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%g", i ? ", " : "", seconds[i]);
    if (used < size)
        snprintf(buf + used, size - used, "}");
}

/* ---- predict_order ------------------------------------------------------------------------- */

/* Fail unless predict_order gives, line for line, what the loop prints for these waits. */
static void expect_prediction(const double seconds[], size_t n)
{
    struct order_line predicted[MAX_LINES];
    char waits[TEXT_MAX], want[TEXT_MAX], got[TEXT_MAX];

    ck_assert(n <= MAX_TASKS);
    for (size_t i = 0; i < 2 * n; i++)
        predicted[i] = (struct order_line){.task = NOT_WRITTEN, .kind = LINE_STARTED};
    predict_order(seconds, n, predicted);
    run_scenario(seconds, n);
    ck_assert_msg(nprinted == 2 * n, "the scenario printed %zu lines, expected %zu", nprinted,
                  2 * n);
    describe_waits(seconds, n, waits, sizeof waits);
    for (size_t i = 0; i < 2 * n; i++) {
        describe_line(&printed[i], want, sizeof want);
        describe_line(&predicted[i], got, sizeof got);
        ck_assert_msg(predicted[i].task == printed[i].task && predicted[i].kind == printed[i].kind,
                      "waits %s: line %zu is \"%s\" on the loop, you predicted \"%s\"", waits,
                      i + 1, want, got);
    }
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

    expect_prediction(one, N(one));
    expect_prediction(many, N(many));
    expect_prediction(sorted, N(sorted));
}
END_TEST

/* ---- choose_sleeps ------------------------------------------------------------------------- */

/* Fail unless the waits choose_sleeps picks make the loop finish the tasks in finish_order. */
static void expect_order(const size_t finish_order[], size_t n)
{
    double seconds[MAX_TASKS];
    char waits[TEXT_MAX];
    size_t k = 0; /* how many tasks have finished so far */

    ck_assert(n <= MAX_TASKS);
    for (size_t i = 0; i < n; i++)
        seconds[i] = -1; /* not a valid wait: left as it is, the test says so */
    choose_sleeps(finish_order, n, seconds);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(seconds[i] >= 0 && seconds[i] <= CHOOSE_MAX_SECONDS,
                      "seconds[%zu] is %g, expected a wait from 0 to %g s (the test puts -1 "
                      "in every seconds[i] before the call)",
                      i, seconds[i], CHOOSE_MAX_SECONDS);
    describe_waits(seconds, n, waits, sizeof waits);
    run_scenario(seconds, n);
    for (size_t i = 0; i < nprinted; i++) {
        if (printed[i].kind != LINE_FINISHED)
            continue;
        ck_assert_msg(printed[i].task == finish_order[k],
                      "with your waits %s, task %zu finished in place %zu; expected task %zu there",
                      waits, printed[i].task, k + 1, finish_order[k]);
        k++;
    }
    ck_assert_msg(k == n, "with your waits %s, %zu tasks finished, expected %zu", waits, k, n);
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
    const size_t five[] = {3, 0, 4, 1, 2};
    const size_t eight[] = {7, 5, 3, 1, 0, 2, 4, 6};

    expect_order(one, N(one));
    expect_order(five, N(five));
    expect_order(eight, N(eight));
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
    tcase_add_test(tc, chooses_for_same_order);
    tcase_add_test(tc, chooses_for_reversed_order);
    tcase_add_test(tc, chooses_for_rotated_order);
    tcase_add_test(tc, chooses_for_other_orders);
    return s;
}
