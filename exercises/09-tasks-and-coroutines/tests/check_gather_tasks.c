/*
 * check_gather_tasks.c: tests of gather_start(): results in argument order, done exactly when
 * the last task is, with no tasks, one, many, and tasks that were done before the gather.
 *
 * Chapter 9, exercise gather_tasks.c. A waiting task awaits the gather's future on a loop with a
 * fake clock, and notes when it woke. Compare with TASK_GATHER in common/task.h and
 * chapters/09-tasks-and-coroutines/gather_results.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define MANY 1000
#define PROBE_EARLY 0.5 /* seconds before the last task ends: the gather must still be pending */

struct sleeper {
    struct task task;
    double seconds;
};

static enum task_state sleeper(struct task *t)
{
    struct sleeper *s = (struct sleeper *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, s->seconds);
    TASK_RETURN(t, s); /* its result: itself, easy to check */
    TASK_END(t);
}

struct waiter {
    struct task task;
    struct task *const *tasks;
    size_t n;
    struct gather g;
    struct future_callback *callbacks;
    void **results;
    bool done_on_return; /* g.done was done when gather_start returned */
    double woke_at;
};

static enum task_state waiter(struct task *t)
{
    struct waiter *w = (struct waiter *)t;

    TASK_BEGIN(t);
    gather_start(t->loop, &w->g, w->tasks, w->n, w->callbacks, w->results);
    w->done_on_return = future_done(&w->g.done);
    TASK_AWAIT(t, &w->g.done);
    w->woke_at = loop_time(t->loop);
    TASK_END(t);
}

static struct loop *loop;
static struct fake_clock fake;
static struct sleeper sleepers[MANY];
static struct task *tasks[MANY];
static struct future_callback callbacks[MANY];
static void *results[MANY];
static struct waiter w;
static struct loop_timer probe;

static void setup(void)
{
    fake.now_ns = 0;
    loop = loop_new();
    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(loop, &fake);
}

static void make_tasks(const double seconds[], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sleepers[i] = (struct sleeper){.seconds = seconds[i]};
        task_init(&sleepers[i].task, "sleeper", sleeper);
        tasks[i] = &sleepers[i].task;
        results[i] = NULL;
    }
}

static void still_pending(struct loop *l, void *arg)
{
    (void)l;
    (void)arg;
    ck_assert_msg(!future_done(&w.g.done), "the gather was done at %.3f s, before its last task",
                  loop_time(loop));
}

/* Gather tasks[0 .. n-1] from a waiting task; check it woke at `last` and every result. */
static void gather_and_check(size_t n, double last)
{
    int rc;

    w = (struct waiter){.tasks = tasks, .n = n, .callbacks = callbacks, .results = results};
    task_init(&w.task, "waiter", waiter);
    if (last - loop_time(loop) > PROBE_EARLY)
        ck_assert_int_eq(loop_call_later(loop, &probe, last - loop_time(loop) - PROBE_EARLY,
                                         still_pending, NULL),
                         0);
    errno = 0;
    rc = task_run(loop, &w.task);
    ck_assert_msg(rc == 0, "the waiting task failed (errno %d: %s)%s", errno, strerror(errno),
                  errno == EDEADLK ? ": the gather's future was never set" : "");
    ck_assert_msg(w.woke_at == last, "the gather was done at %.3f s, expected %.3f s", w.woke_at,
                  last);
    ck_assert_msg(w.g.done.result == results,
                  "the gather's future should hold `results` as its result");
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(task_done(tasks[i]), "task %zu is not done", i);
        ck_assert_msg(results[i] == &sleepers[i],
                      "results[%zu] is not task %zu's result: argument order, not finish order", i,
                      i);
    }
}

START_TEST(results_in_argument_order)
{
    const double seconds[] = {3, 2, 1}; /* they finish last to first */

    setup();
    make_tasks(seconds, 3);
    gather_and_check(3, 3);
    loop_free(loop);
}
END_TEST

START_TEST(done_when_the_last_task_is)
{
    const double seconds[] = {1, 4, 2.5};

    setup();
    make_tasks(seconds, 3);
    gather_and_check(3, 4);
    loop_free(loop);
}
END_TEST

START_TEST(no_tasks_is_done_at_once)
{
    setup();
    gather_and_check(0, 0);
    ck_assert_msg(w.done_on_return,
                  "with no tasks, g->done must be done when gather_start returns");
    loop_free(loop);
}
END_TEST

START_TEST(one_task)
{
    const double seconds[] = {1.5};

    setup();
    make_tasks(seconds, 1);
    gather_and_check(1, 1.5);
    loop_free(loop);
}
END_TEST

START_TEST(many_tasks)
{
    static double seconds[MANY];
    double last = 0;

    setup();
    for (size_t i = 0; i < MANY; i++) {
        seconds[i] = (double)((i * 7) % 13) + 0.25 * (double)(i % 4);
        if (seconds[i] > last)
            last = seconds[i];
    }
    make_tasks(seconds, MANY);
    gather_and_check(MANY, last);
    loop_free(loop);
}
END_TEST

START_TEST(a_task_done_before_the_gather)
{
    const double seconds[] = {2, 1, 0};

    setup();
    make_tasks(seconds, 3);
    /* Task 1 runs to its end first: 1 s; the gather then takes 2 s more, for task 0. */
    ck_assert_int_eq(task_run(loop, tasks[1]), 0);
    ck_assert(loop_time(loop) == 1);
    task_start(loop, tasks[2]); /* started, not finished: it must not start twice */
    gather_and_check(3, 3);
    loop_free(loop);
}
END_TEST

START_TEST(only_tasks_done_before_the_gather)
{
    const double seconds[] = {1, 2};

    setup();
    make_tasks(seconds, 2);
    ck_assert_int_eq(task_run(loop, tasks[0]), 0);
    ck_assert_int_eq(task_run(loop, tasks[1]), 0);
    gather_and_check(2, loop_time(loop)); /* no time passes: both were done (at 3 s) */
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 9 exercises");
    TCase *tc = test_case(s, "gather_tasks");

    tcase_add_test(tc, results_in_argument_order);
    tcase_add_test(tc, done_when_the_last_task_is);
    tcase_add_test(tc, no_tasks_is_done_at_once);
    tcase_add_test(tc, one_task);
    tcase_add_test(tc, many_tasks);
    tcase_add_test(tc, a_task_done_before_the_gather);
    tcase_add_test(tc, only_tasks_done_before_the_gather);
    return s;
}
