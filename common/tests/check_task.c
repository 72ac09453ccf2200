/*
 * check_task.c: tasks on the loop (task.h): start order, sleeping, gather, results, a 0 s
 * TASK_SLEEP. Every test runs on a fake clock, so the times asserted are exact.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "loop.h"
#include "task.h"
#include "testing.h"

#define MAX_LOG 32

static const char *trace[MAX_LOG];
static double trace_at[MAX_LOG];
static int ntrace;

static void note(struct loop *loop, const char *what)
{
    ck_assert_int_lt(ntrace, MAX_LOG);
    trace_at[ntrace] = loop_time(loop);
    trace[ntrace++] = what;
}

static void expect_trace(const char *const expected[], const double at[], int n)
{
    ck_assert_msg(ntrace == n, "expected %d steps, got %d", n, ntrace);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(strcmp(trace[i], expected[i]) == 0, "step %d: expected '%s', got '%s'", i,
                      expected[i], trace[i]);
        if (at != NULL)
            ck_assert_msg(trace_at[i] == at[i], "'%s' at %.3f s, expected %.3f s", trace[i],
                          trace_at[i], at[i]);
    }
}

struct sleeper {
    struct task task;
    double seconds;
    const char *started, *finished;
};

static enum task_state sleeper(struct task *t)
{
    struct sleeper *s = (struct sleeper *)t;

    TASK_BEGIN(t);
    note(t->loop, s->started);
    TASK_SLEEP(t, s->seconds);
    note(t->loop, s->finished);
    TASK_RETURN(t, (void *)s->finished);
    TASK_END(t);
}

static struct loop *fake_loop(struct fake_clock *fake)
{
    struct loop *loop = loop_new();

    ck_assert_ptr_nonnull(loop);
    loop_use_fake_clock(loop, fake);
    ntrace = 0;
    return loop;
}

START_TEST(gathered_tasks_overlap_their_waits)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper one = {.seconds = 2, .started = "1 started", .finished = "1 finished"};
    struct sleeper two = {.seconds = 1, .started = "2 started", .finished = "2 finished"};
    struct task *const both[] = {&one.task, &two.task};
    const char *const expected[] = {"1 started", "2 started", "2 finished", "1 finished"};
    const double at[] = {0, 0, 1, 2};

    task_init(&one.task, "one", sleeper);
    task_init(&two.task, "two", sleeper);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    expect_trace(expected, at, 4);
    /* Results in argument order, although two finished first. */
    ck_assert_str_eq(one.task.result, "1 finished");
    ck_assert_str_eq(two.task.result, "2 finished");
    ck_assert(task_done(&one.task) && task_done(&two.task));
    loop_free(loop);
}
END_TEST

/* A parent that gathers two children itself, then returns how many it gathered. */
struct parent {
    struct task task;
    struct sleeper kids[2];
    struct task *list[2];
};

static enum task_state parent(struct task *t)
{
    struct parent *p = (struct parent *)t;

    TASK_BEGIN(t);
    note(t->loop, "parent begins");
    TASK_GATHER(t, p->list, 2);
    note(t->loop, "parent goes on");
    TASK_RETURN(t, (void *)(intptr_t)2);
    TASK_END(t);
}

START_TEST(gather_inside_a_task_waits_for_all)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct parent p = {.kids = {{.seconds = 3, .started = "a", .finished = "a done"},
                                {.seconds = 1, .started = "b", .finished = "b done"}}};
    const char *const expected[] = {"parent begins", "a",      "b",
                                    "b done",        "a done", "parent goes on"};
    const double at[] = {0, 0, 0, 1, 3, 3};

    for (int i = 0; i < 2; i++) {
        task_init(&p.kids[i].task, "kid", sleeper);
        p.list[i] = &p.kids[i].task;
    }
    task_init(&p.task, "parent", parent);
    ck_assert_int_eq(task_run(loop, &p.task), 0);
    expect_trace(expected, at, 6);
    ck_assert_int_eq((intptr_t)p.task.result, 2);
    loop_free(loop);
}
END_TEST

START_TEST(gathering_finished_tasks_goes_straight_on)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper s = {.seconds = 1, .started = "s", .finished = "s done"};
    struct task *const one[] = {&s.task};

    task_init(&s.task, "s", sleeper);
    ck_assert_int_eq(task_run(loop, &s.task), 0);
    ck_assert_int_eq(task_run_all(loop, one, 1), 0); /* already done: nothing to wait for */
    ck_assert_int_eq(ntrace, 2);
    loop_free(loop);
}
END_TEST

/* Two tasks that each yield with TASK_SLEEP(t, 0) three times: they must alternate. */
static enum task_state yielder(struct task *t)
{
    TASK_BEGIN(t);
    note(t->loop, t->name);
    TASK_SLEEP(t, 0);
    note(t->loop, t->name);
    TASK_SLEEP(t, 0);
    note(t->loop, t->name);
    TASK_END(t);
}

START_TEST(sleep_zero_is_one_trip_round_the_loop)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct task a, b;
    struct task *const both[] = {&a, &b};
    const char *const expected[] = {"A", "B", "A", "B", "A", "B"};

    task_init(&a, "A", yielder);
    task_init(&b, "B", yielder);
    ck_assert_int_eq(task_run_all(loop, both, 2), 0);
    expect_trace(expected, NULL, 6);
    ck_assert(loop_time(loop) == 0); /* no time passed */
    loop_free(loop);
}
END_TEST

START_TEST(tasks_start_in_order_on_a_later_iteration)
{
    struct fake_clock fake = {0};
    struct loop *loop = fake_loop(&fake);
    struct sleeper s[3] = {{.seconds = 1, .started = "first", .finished = "x"},
                           {.seconds = 1, .started = "second", .finished = "y"},
                           {.seconds = 1, .started = "third", .finished = "z"}};
    const char *const expected[] = {"first", "second", "third", "x", "y", "z"};

    for (int i = 0; i < 3; i++) {
        task_init(&s[i].task, "s", sleeper);
        task_start(loop, &s[i].task);
    }
    ck_assert_int_eq(ntrace, 0); /* task_start only schedules, as asyncio.create_task */
    ck_assert_int_eq(loop_run(loop), 0);
    expect_trace(expected, NULL, 6); /* equal wake-up times: the order they went to sleep */
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("task");
    TCase *tc = test_case(s, "task");

    tcase_add_test(tc, gathered_tasks_overlap_their_waits);
    tcase_add_test(tc, gather_inside_a_task_waits_for_all);
    tcase_add_test(tc, gathering_finished_tasks_goes_straight_on);
    tcase_add_test(tc, sleep_zero_is_one_trip_round_the_loop);
    tcase_add_test(tc, tasks_start_in_order_on_a_later_iteration);
    return s;
}
