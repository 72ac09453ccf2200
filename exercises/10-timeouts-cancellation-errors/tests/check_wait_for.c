/*
 * check_wait_for.c: tests of waiter_init(): asyncio.wait_for built by hand, on a fake clock.
 *
 * Chapter 10, exercise wait_for.c. Each test starts a caller task that starts a waiter and awaits
 * it, and records the loop's time and the child's state at the moment the caller goes on. The
 * children sleep, then return or fail; when cancelled, their cleanup may itself take time. On the
 * fake clock every time is exact: "at the limit" means at the limit, to the nanosecond, and a
 * timer left behind shows as a loop that runs on to it. Compare with TASK_WAIT_FOR (task.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 500 /* the fake clock's reading when a test starts */
#define TOLERANCE 1e-6
#define MAX_CHILDREN 4

/* A child: sleeps `seconds`, then fails with `fail_with`, or returns its own address. */
struct child {
    struct task task;
    double seconds, cleanup_seconds;
    int fail_with;
    bool finished, cleanup_started, cleaned;
};

static enum task_state child_step(struct task *t)
{
    struct child *c = (struct child *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, c->seconds);
    c->finished = true;
    if (c->fail_with != 0)
        TASK_FAIL(t, c->fail_with);
    TASK_RETURN(t, c);

    TASK_CLEANUP(t);
    c->cleanup_started = true;
    TASK_SLEEP(t, c->cleanup_seconds); /* a cleanup may have to wait too (closing a connection) */
    c->cleaned = true;
    TASK_END(t);
}

/* The caller: starts the waiter, awaits it, and notes what it finds when it goes on. */
struct caller {
    struct task task;
    struct waiter *w;
    struct child *c;
    double resumed_at; /* seconds after START_SECONDS */
    bool child_done, child_cleaned;
};

static enum task_state caller_step(struct task *t)
{
    struct caller *k = (struct caller *)t;

    TASK_BEGIN(t);
    task_start(t->loop, &k->w->task);
    TASK_AWAIT(t, &k->w->task.future);
    k->resumed_at = loop_time(t->loop) - START_SECONDS;
    k->child_done = task_done(&k->c->task);
    k->child_cleaned = k->c->cleaned;
    (void)future_error(&k->w->task.future); /* retrieved: the tests read it in w->task.error */
    TASK_END(t);
}

struct run {
    struct fake_clock clock;
    struct loop *loop;
    struct child c[MAX_CHILDREN];
    struct waiter w[MAX_CHILDREN];
    struct caller k[MAX_CHILDREN];
    double ended_at; /* when the loop ran out of things to do */
};

static struct run run;

static void setup(void)
{
    memset(&run, 0, sizeof run);
    run.clock.now_ns = START_SECONDS * NSEC_PER_SEC;
    run.loop = loop_new();
    ck_assert_msg(run.loop != NULL, "loop_new: %s", strerror(errno));
    loop_use_fake_clock(run.loop, &run.clock);
}

/* Child i sleeps `seconds` (cleanup: `cleanup_seconds`), under a waiter with a limit of `limit`. */
static void add(int i, double seconds, double cleanup_seconds, int fail_with, double limit)
{
    run.c[i] = (struct child){
        .seconds = seconds, .cleanup_seconds = cleanup_seconds, .fail_with = fail_with};
    task_init(&run.c[i].task, "child", child_step);
    memset(&run.w[i], 0xA5, sizeof run.w[i]); /* garbage: waiter_init must set what it needs */
    waiter_init(&run.w[i], "waiter", &run.c[i].task, limit);
    run.k[i] = (struct caller){.w = &run.w[i], .c = &run.c[i], .resumed_at = -1};
    task_init(&run.k[i].task, "caller", caller_step);
    task_start(run.loop, &run.k[i].task);
}

static void go(void)
{
    ck_assert_msg(loop_run(run.loop) == 0, "loop_run: %s", strerror(errno));
    run.ended_at = loop_time(run.loop) - START_SECONDS;
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (run.k[i].task.step == NULL)
            continue;
        ck_assert_msg(task_done(&run.k[i].task),
                      "waiter %d: the loop ran out of things to do and its caller never went on: "
                      "the waiter waits for something nobody will finish",
                      i);
    }
}

static void finish(void)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        if (run.k[i].task.step == NULL)
            continue;
        (void)future_error(&run.c[i].task.future); /* the tests read it in c[i].task.error */
        future_release(&run.c[i].task.future, "child");
        future_release(&run.w[i].task.future, "waiter");
        future_release(&run.k[i].task.future, "caller");
    }
    loop_free(run.loop);
}

static bool near(double a, double b)
{
    return a - b < TOLERANCE && b - a < TOLERANCE;
}

/* The child took too long: the waiter cancelled it at `limit` and went on after its cleanup. */
static void expect_timed_out(int i, double limit, double cleanup_seconds)
{
    struct caller *k = &run.k[i];

    ck_assert_msg(task_cancelled(&run.c[i].task),
                  "waiter %d: the child (%g s) was not cancelled, yet the limit was %g s", i,
                  run.c[i].seconds, limit);
    ck_assert_msg(!run.c[i].finished,
                  "waiter %d: the child ran to its end (%g s) past the limit %g s", i,
                  run.c[i].seconds, limit);
    ck_assert_msg(run.w[i].task.error == ETIMEDOUT,
                  "waiter %d: ended with error %d (%s), expected ETIMEDOUT: the caller must be "
                  "able to tell a timeout from a cancellation of its own",
                  i, run.w[i].task.error, strerror(run.w[i].task.error));
    ck_assert_msg(k->child_done && k->child_cleaned,
                  "waiter %d: the caller went on before the child had finished its cleanup "
                  "(child done: %d, cleanup over: %d): wait for the child after cancelling it",
                  i, k->child_done, k->child_cleaned);
    ck_assert_msg(near(k->resumed_at, limit + cleanup_seconds),
                  "waiter %d: the caller went on at %.6f s; the limit is %g s and the child's "
                  "cleanup takes %g s: expected %.6f s",
                  i, k->resumed_at, limit, cleanup_seconds, limit + cleanup_seconds);
}

/* The child finished in time: not cancelled, its outcome passed on, no timer left behind. */
static void expect_in_time(int i)
{
    struct caller *k = &run.k[i];

    ck_assert_msg(!task_cancelled(&run.c[i].task) && run.c[i].finished,
                  "waiter %d: the child (%g s) was cancelled, but the limit was %g s", i,
                  run.c[i].seconds, run.w[i].seconds);
    ck_assert_msg(near(k->resumed_at, run.c[i].seconds),
                  "waiter %d: the caller went on at %.6f s; the child finished at %g s", i,
                  k->resumed_at, run.c[i].seconds);
    ck_assert_msg(run.w[i].task.error == run.c[i].fail_with,
                  "waiter %d: ended with error %d (%s); the child's was %d (%s)", i,
                  run.w[i].task.error, strerror(run.w[i].task.error), run.c[i].fail_with,
                  strerror(run.c[i].fail_with));
    if (run.c[i].fail_with == 0)
        ck_assert_msg(run.w[i].task.result == &run.c[i],
                      "waiter %d: its result is %p, not the child's (%p)", i, run.w[i].task.result,
                      (void *)&run.c[i]);
    else
        ck_assert_msg(run.c[i].task.future.retrieved,
                      "waiter %d: the child's error was passed on without future_error(): it "
                      "would be reported as never retrieved",
                      i);
}

START_TEST(a_slow_child_is_cancelled_exactly_at_the_limit)
{
    setup();
    add(0, 5, 0, 0, 2);
    go();
    expect_timed_out(0, 2, 0);
    ck_assert_msg(near(run.ended_at, 2), "the loop ran on until %.6f s, not 2 s", run.ended_at);
    finish();
}
END_TEST

START_TEST(limits_that_are_not_round_numbers)
{
    setup();
    add(0, 3, 0, 0, 2.999);
    add(1, 1, 0, 0, 0.37);
    add(2, 9, 0, 0, 1.3);
    go();
    expect_timed_out(0, 2.999, 0);
    expect_timed_out(1, 0.37, 0);
    expect_timed_out(2, 1.3, 0);
    finish();
}
END_TEST

START_TEST(the_caller_goes_on_after_the_childs_cleanup)
{
    setup();
    add(0, 5, 1.5, 0, 2);
    go();
    expect_timed_out(0, 2, 1.5);
    finish();
}
END_TEST

START_TEST(a_child_in_time_is_not_cancelled_and_leaves_no_timer)
{
    setup();
    add(0, 1, 0, 0, 10);
    go();
    expect_in_time(0);
    ck_assert_msg(near(run.ended_at, 1),
                  "the loop ran on until %.6f s after the child finished at 1 s: the limit's "
                  "timer (10 s) was left on the loop",
                  run.ended_at);
    finish();
}
END_TEST

START_TEST(a_child_just_in_time)
{
    setup();
    add(0, 3, 0, 0, 3.5);
    add(1, 2.5, 0, 0, 2.500001);
    go();
    expect_in_time(0);
    expect_in_time(1);
    ck_assert_msg(near(run.ended_at, 3), "the loop ran on until %.6f s, not 3 s", run.ended_at);
    finish();
}
END_TEST

START_TEST(a_childs_error_is_passed_on_and_retrieved)
{
    setup();
    add(0, 1, 0, EIO, 4);
    add(1, 2, 0, ECONNRESET, 4);
    go();
    expect_in_time(0);
    expect_in_time(1);
    ck_assert_msg(near(run.ended_at, 2), "the loop ran on until %.6f s, not 2 s", run.ended_at);
    finish();
}
END_TEST

START_TEST(waiters_side_by_side_keep_their_own_limits)
{
    setup();
    add(0, 4, 0.5, 0, 1);
    add(1, 2, 0, 0, 3);
    add(2, 6, 0, 0, 5);
    add(3, 1, 0, EPIPE, 2);
    go();
    expect_timed_out(0, 1, 0.5);
    expect_in_time(1);
    expect_timed_out(2, 5, 0);
    expect_in_time(3);
    ck_assert_msg(near(run.ended_at, 5), "the loop ran on until %.6f s, not 5 s", run.ended_at);
    finish();
}
END_TEST

/* The test's own timer: cancel the waiter at 1 s. */
static void cancel_waiter(struct loop *loop, void *arg)
{
    (void)loop;
    ck_assert(task_cancel(arg));
}

START_TEST(cancelling_the_waiter_cancels_the_child_and_the_timer)
{
    struct loop_timer timer = {0};

    setup();
    add(0, 5, 0.25, 0, 3);
    ck_assert_int_eq(loop_call_later(run.loop, &timer, 1, cancel_waiter, &run.w[0].task), 0);
    go();
    ck_assert_msg(run.w[0].task.error == ECANCELED,
                  "the cancelled waiter ended with error %d (%s), expected ECANCELED",
                  run.w[0].task.error, strerror(run.w[0].task.error));
    ck_assert_msg(task_cancelled(&run.c[0].task) && run.c[0].cleaned,
                  "the waiter was cancelled at 1 s, but its child was not (it would run on "
                  "with nobody waiting for it)");
    ck_assert_msg(near(run.ended_at, 1.25),
                  "the loop ran on until %.6f s; the child's cleanup ends at 1.25 s: the "
                  "waiter's timer (3 s) was left on the loop",
                  run.ended_at);
    finish();
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 10 exercises");
    TCase *tc = test_case(s, "wait_for");

    tcase_add_test(tc, a_slow_child_is_cancelled_exactly_at_the_limit);
    tcase_add_test(tc, limits_that_are_not_round_numbers);
    tcase_add_test(tc, the_caller_goes_on_after_the_childs_cleanup);
    tcase_add_test(tc, a_child_in_time_is_not_cancelled_and_leaves_no_timer);
    tcase_add_test(tc, a_child_just_in_time);
    tcase_add_test(tc, a_childs_error_is_passed_on_and_retrieved);
    tcase_add_test(tc, waiters_side_by_side_keep_their_own_limits);
    tcase_add_test(tc, cancelling_the_waiter_cancels_the_child_and_the_timer);
    return s;
}
