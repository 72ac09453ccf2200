/*
 * check_tiny_future.c: tests of tiny_future.c: set once; callbacks in the order added, run by the
 * loop on a later turn (never from inside tiny_set or tiny_add), also when added after the value.
 *
 * Chapter 9, exercise tiny_future.c. The tests drive the loop one iteration at a time
 * (loop_run_once) and check, after each, which callbacks have run. Compare with struct future in
 * common/task.h and chapters/09-tasks-and-coroutines/future_timer.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define MANY 1000
#define TRACE_MAX (MANY + 16)

static struct loop *loop;
static struct fake_clock fake;
static const char *trace[TRACE_MAX]; /* who ran, in order */
static long seen[TRACE_MAX];         /* the value each callback saw */
static double seen_at[TRACE_MAX];    /* and the loop's time */
static size_t ntrace;

static void setup(void)
{
    fake.now_ns = 0;
    loop = loop_new();
    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(loop, &fake);
    ntrace = 0;
}

static void record(const char *who, long value)
{
    ck_assert_msg(ntrace < TRACE_MAX, "more callbacks ran than were added");
    seen[ntrace] = value;
    seen_at[ntrace] = loop_time(loop);
    trace[ntrace++] = who;
}

static void note(struct loop *l, struct tiny_future *f, void *arg)
{
    ck_assert_msg(l == loop, "a callback got another loop");
    ck_assert_msg(tiny_done(f), "a callback ran before its future was done");
    record(arg, f->value);
}

/* A loop_call_soon callback, to see where the future's callbacks queue. */
static void plain(struct loop *l, void *arg)
{
    (void)l;
    record(arg, 0);
}

static void expect_trace(const char *const expected[], size_t n, const char *when)
{
    for (size_t i = 0; i < n && i < ntrace; i++)
        ck_assert_msg(strcmp(trace[i], expected[i]) == 0,
                      "%s: callback %zu was '%s', expected '%s'", when, i + 1, trace[i],
                      expected[i]);
    ck_assert_msg(ntrace == n, "%s: %zu callbacks ran, expected %zu", when, ntrace, n);
}

static void set_ok(struct tiny_future *f, long value)
{
    errno = 0;
    ck_assert_msg(tiny_set(f, value) == 0, "tiny_set(%ld) returned -1 (errno %d: %s), expected 0",
                  value, errno, strerror(errno));
}

START_TEST(set_queues_the_callbacks_and_runs_none)
{
    struct tiny_future f = {0};
    struct tiny_callback a = {0}, b = {0};
    const char *const expected[] = {"a", "b"};

    setup();
    tiny_init(&f, loop);
    ck_assert_msg(!tiny_done(&f), "a new future is done already");
    tiny_add(&f, &a, note, "a");
    tiny_add(&f, &b, note, "b");
    set_ok(&f, 7);
    ck_assert_msg(tiny_done(&f), "tiny_done is false after tiny_set");
    ck_assert_msg(ntrace == 0, "%zu callbacks ran inside tiny_set: they belong to the loop",
                  ntrace);
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_trace(expected, 2, "after one iteration");
    ck_assert_msg(seen[0] == 7 && seen[1] == 7, "the callbacks saw %ld and %ld, expected 7",
                  seen[0], seen[1]);
    loop_free(loop);
}
END_TEST

START_TEST(callbacks_run_in_the_order_added)
{
    static struct tiny_future f;
    static struct tiny_callback cbs[MANY];
    static char names[MANY][8];

    setup();
    tiny_init(&f, loop);
    for (int i = 0; i < MANY; i++) {
        snprintf(names[i], sizeof names[i], "%d", i);
        tiny_add(&f, &cbs[i], note, names[i]);
    }
    set_ok(&f, 1);
    ck_assert_int_eq(loop_run_once(loop), 0);
    ck_assert_msg(ntrace == MANY, "%zu of %d callbacks ran", ntrace, MANY);
    for (int i = 0; i < MANY; i++)
        ck_assert_msg(trace[i] == names[i], "callback %d to run was '%s', expected '%s'", i + 1,
                      trace[i], names[i]);
    loop_free(loop);
}
END_TEST

START_TEST(callbacks_queue_behind_what_the_loop_has)
{
    struct tiny_future f = {0};
    struct tiny_callback a = {0};
    struct loop_callback before = {0}, after = {0};
    const char *const expected[] = {"queued before the set", "a", "queued after the set"};

    setup();
    tiny_init(&f, loop);
    tiny_add(&f, &a, note, "a");
    loop_call_soon(loop, &before, plain, "queued before the set");
    set_ok(&f, 3);
    loop_call_soon(loop, &after, plain, "queued after the set");
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_trace(expected, 3, "one iteration");
    loop_free(loop);
}
END_TEST

START_TEST(a_callback_added_after_the_value_runs_on_a_later_turn)
{
    struct tiny_future f = {0};
    struct tiny_callback early = {0}, late = {0};
    const char *const expected[] = {"early", "late"};

    setup();
    tiny_init(&f, loop);
    tiny_add(&f, &early, note, "early");
    set_ok(&f, 11);
    tiny_add(&f, &late, note, "late");
    ck_assert_msg(ntrace == 0, "a callback ran inside tiny_add or tiny_set");
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_trace(expected, 2, "after one iteration");
    ck_assert_msg(seen[1] == 11, "the late callback saw %ld, expected 11", seen[1]);
    /* And once more, with nothing queued before it. */
    tiny_add(&f, &early, note, "again");
    ck_assert_msg(ntrace == 2, "a callback added to a done future ran inside tiny_add");
    ck_assert_int_eq(loop_run_once(loop), 0);
    ck_assert_msg(ntrace == 3, "a callback added to a done future never ran");
    loop_free(loop);
}
END_TEST

/* A callback that adds another to its own, done, future: that one waits for the next turn. */
static struct tiny_callback chained;

static void add_another(struct loop *l, struct tiny_future *f, void *arg)
{
    note(l, f, arg);
    tiny_add(f, &chained, note, "added by a callback");
}

START_TEST(a_callback_added_by_a_callback_waits_a_turn)
{
    struct tiny_future f = {0};
    struct tiny_callback first = {0};
    const char *const expected[] = {"first", "added by a callback"};

    setup();
    tiny_init(&f, loop);
    tiny_add(&f, &first, add_another, "first");
    set_ok(&f, 2);
    ck_assert_int_eq(loop_run_once(loop), 1);
    expect_trace(expected, 1, "after one iteration");
    ck_assert_int_eq(loop_run_once(loop), 0);
    expect_trace(expected, 2, "after two iterations");
    loop_free(loop);
}
END_TEST

START_TEST(a_second_set_is_refused)
{
    struct tiny_future f = {0};
    struct tiny_callback a = {0};

    setup();
    tiny_init(&f, loop);
    tiny_add(&f, &a, note, "a");
    set_ok(&f, 1);
    errno = 0;
    ck_assert_msg(tiny_set(&f, 2) == -1, "a second tiny_set was accepted: a future is set once");
    ck_assert_msg(errno == EINVAL, "a second tiny_set: errno %d, expected EINVAL", errno);
    ck_assert_msg(f.value == 1, "a second tiny_set changed the value to %ld", f.value);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(ntrace == 1 && seen[0] == 1, "%zu callback runs (value %ld), expected 1 (1)",
                  ntrace, ntrace ? seen[0] : 0);
    loop_free(loop);
}
END_TEST

START_TEST(never_set_never_runs)
{
    struct tiny_future f = {0};
    struct tiny_callback a = {0};

    setup();
    tiny_init(&f, loop);
    tiny_add(&f, &a, note, "a");
    ck_assert_msg(ntrace == 0, "a callback ran inside tiny_add of a pending future");
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(ntrace == 0 && !tiny_done(&f), "a callback ran, but nobody set the future");
    /* Then it is set: the test's own check that the rest works. */
    set_ok(&f, 9);
    ck_assert_int_eq(loop_run(loop), 0);
    ck_assert_msg(ntrace == 1, "the callback did not run once set");
    loop_free(loop);
}
END_TEST

static void set_from_timer(struct loop *l, void *arg)
{
    (void)l;
    set_ok(arg, 42);
    record("timer", 0);
}

START_TEST(set_from_a_timer_on_the_fake_clock)
{
    struct tiny_future f = {0};
    struct tiny_callback a = {0}, b = {0};
    struct loop_timer timer = {0};
    const char *const expected[] = {"timer", "a", "b"};

    setup();
    tiny_init(&f, loop);
    tiny_add(&f, &a, note, "a");
    ck_assert_int_eq(loop_call_later(loop, &timer, 2.5, set_from_timer, &f), 0);
    tiny_add(&f, &b, note, "b");
    ck_assert_int_eq(loop_run(loop), 0);
    expect_trace(expected, 3, "at the end");
    ck_assert_msg(seen_at[1] == 2.5 && seen_at[2] == 2.5,
                  "the callbacks ran at %.3f s and %.3f s, expected 2.500 s", seen_at[1],
                  seen_at[2]);
    ck_assert_msg(seen[1] == 42 && seen[2] == 42, "the callbacks saw %ld and %ld, expected 42",
                  seen[1], seen[2]);
    loop_free(loop);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 9 exercises");
    TCase *tc = test_case(s, "tiny_future");

    tcase_add_test(tc, set_queues_the_callbacks_and_runs_none);
    tcase_add_test(tc, callbacks_run_in_the_order_added);
    tcase_add_test(tc, callbacks_queue_behind_what_the_loop_has);
    tcase_add_test(tc, a_callback_added_after_the_value_runs_on_a_later_turn);
    tcase_add_test(tc, a_callback_added_by_a_callback_waits_a_turn);
    tcase_add_test(tc, a_second_set_is_refused);
    tcase_add_test(tc, never_set_never_runs);
    tcase_add_test(tc, set_from_a_timer_on_the_fake_clock);
    return s;
}
