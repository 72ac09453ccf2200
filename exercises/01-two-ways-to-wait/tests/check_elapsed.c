/*
 * check_elapsed.c: tests of elapsed_sequential(), elapsed_concurrent() and run_plan().
 *
 * Chapter 1, exercise elapsed.c. The right answers are not written here: every plan is also run
 * on the loop with a fake clock, by bare timers (loop_call_later, no tasks), and what the clock
 * says is what the functions must say. run_plan is also run on a loop that something else holds
 * up for a while (a callback that keeps the thread, as time.sleep() in a callback would): the
 * waits that come after the hold-up start late, so a run faked with one timer, or a time worked
 * out instead of measured, comes out wrong. Compare with chapters/01-two-ways-to-wait/tasks_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define TOLERANCE 1e-6 /* seconds: the functions work in seconds, the loop in whole nanoseconds */
#define KINDS 7        /* the many tasks of the big plans differ in this many ways */
#define TEXT_MAX 512
#define SHOW_MAX 6         /* tasks shown in a message; a long plan ends in "..." */
#define NOT_WRITTEN (-1.0) /* what *elapsed holds until run_plan writes it */
#define WATCHDOG_SECONDS 2 /* real time: any run_plan of these tests takes milliseconds */
#define STALL_NS (NSEC_PER_SEC * 7 / 10) /* how long a stall keeps the thread: 0.7 s */
#define N(array) (sizeof(array) / sizeof((array)[0]))

/*
 * One task of a plan, from its waits: {WAITS(1, 0.5), WAITS(2)} is a plan of two tasks, and
 * {NULL, 0} a task with no wait. An initializer, so it cannot be parenthesised.
 */
/* clang-format off */
#define WAITS(...) {(const double[]){__VA_ARGS__}, N(((const double[]){__VA_ARGS__}))}
/* clang-format on */

/* Where the fake clock starts: only times read from the loop come out right in all of them. */
static const int64_t starts_ns[] = {100 * NSEC_PER_SEC, INT64_C(12345678901234)};

/* Sizes past every example: a fixed array of 8, or of 1000, overflows. */
static const size_t many_sizes[] = {1001, 4097};

static bool near(double a, double b)
{
    return a - b < TOLERANCE && b - a < TOLERANCE;
}

static double as_seconds(int64_t ns)
{
    return (double)ns / (double)NSEC_PER_SEC;
}

/* ---- what happens on the loop besides the plan: stalls ------------------------------------- */

/*
 * The fake clock stands still while code runs; a stall moves it by hand, as a callback that keeps
 * the thread (time.sleep() in a callback) would move a real one. first_ns: a stall in the loop's
 * first callback, before any task starts; later_ns: a stall at later_at_ns after the call.
 */
struct stalls {
    int64_t first_ns, later_at_ns, later_ns;
};

struct stall {
    struct loop_callback soon;
    struct loop_timer timer;
    struct fake_clock *clock;
    int64_t ns;
};

static const struct stalls quiet = {0, 0, 0};

static void stall_cb(struct loop *loop, void *arg)
{
    struct stall *s = arg;

    (void)loop;
    s->clock->now_ns += s->ns;
}

/* Put the stalls on the loop; `first` and `later` must live until the loop has run them. */
static void add_stalls(struct loop *loop, struct fake_clock *clock, const struct stalls *st,
                       struct stall *first, struct stall *later)
{
    *first = (struct stall){.clock = clock, .ns = st->first_ns};
    *later = (struct stall){.clock = clock, .ns = st->later_ns};
    if (st->first_ns > 0)
        loop_call_soon(loop, &first->soon, stall_cb, first);
    if (st->later_ns > 0) {
        int rc = loop_call_later(loop, &later->timer, as_seconds(st->later_at_ns), stall_cb, later);

        ck_assert_msg(rc == 0, "loop_call_later failed: %s", strerror(errno));
    }
}

/* A loop whose fake clock reads start_ns: only times read from the loop can be right. */
static struct loop *fake_loop(struct fake_clock *clock, int64_t start_ns)
{
    struct loop *loop = loop_new();

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    clock->now_ns = start_ns;
    loop_use_fake_clock(loop, clock);
    return loop;
}

/* ---- the reference: the plan on the loop's clock, one chain of timers per task ------------- */

struct chain {
    struct loop_callback start;
    struct loop_timer timer;
    const struct task_plan *task;
    size_t next; /* the wait to schedule next */
};

/* Schedule the chain's next wait; called again by the timer when that wait is over. */
static void chain_step(struct loop *loop, void *arg)
{
    struct chain *c = arg;

    /* No ck_assert on this path: each one costs Check a write, and a big plan takes thousands. */
    if (c->next < c->task->nwaits &&
        loop_call_later(loop, &c->timer, c->task->waits[c->next++], chain_step, c) != 0)
        ck_abort_msg("loop_call_later failed: %s", strerror(errno));
}

/*
 * Nanoseconds the loop's clock moves when the plan runs one task after the other (the loop run
 * until it is empty for each), or all at once, with these stalls. Each chain starts from a
 * callback, as a task does: behind whatever the loop already had queued.
 */
static int64_t measure(const struct task_plan plan[], size_t n, bool concurrent,
                       const struct stalls *st, int64_t start_ns)
{
    struct fake_clock clock;
    struct loop *loop = fake_loop(&clock, start_ns);
    struct chain *chains = calloc(n + 1, sizeof *chains);
    struct stall first, later;
    int64_t moved;

    ck_assert_msg(chains != NULL, "calloc failed");
    add_stalls(loop, &clock, st, &first, &later);
    for (size_t i = 0; i < n; i++) {
        chains[i].task = &plan[i];
        loop_call_soon(loop, &chains[i].start, chain_step, &chains[i]);
        if (!concurrent && loop_run(loop) != 0) /* run this task to its end before the next */
            ck_abort_msg("loop_run failed: %s", strerror(errno));
    }
    ck_assert_msg(loop_run(loop) == 0, "loop_run failed: %s", strerror(errno));
    moved = loop_now_ns(loop) - start_ns;
    loop_free(loop);
    free(chains);
    return moved;
}

/* "{{1, 0.5}, {2}}", or the first SHOW_MAX tasks and "... (n tasks)" */
static void describe_plan(const struct task_plan plan[], size_t n, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "{");

    for (size_t i = 0; i < n && i < SHOW_MAX && used < size; i++) {
        used += (size_t)snprintf(buf + used, size - used, "%s{", i ? ", " : "");
        for (size_t j = 0; j < plan[i].nwaits && used < size; j++)
            used += (size_t)snprintf(buf + used, size - used, "%s%.10g", j ? ", " : "",
                                     plan[i].waits[j]);
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, "}");
    }
    if (n > SHOW_MAX && used < size)
        used += (size_t)snprintf(buf + used, size - used, ", ... (%zu tasks)", n);
    if (used < size)
        snprintf(buf + used, size - used, "}");
}

static void describe_stalls(const struct stalls *st, char *buf, size_t size)
{
    if (st->first_ns == 0 && st->later_ns == 0)
        snprintf(buf, size, "nothing else on the loop");
    else
        snprintf(buf, size,
                 "a callback kept the thread %.9g s before any task started, another %.9g s "
                 "%.9g s after the call",
                 as_seconds(st->first_ns), as_seconds(st->later_ns), as_seconds(st->later_at_ns));
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
/* Off the quarter-second grid, and sums a microsecond apart. */
static const struct task_plan off_grid[] = {WAITS(0.3, 1.7e-3, 0.3), WAITS(1, 1.000001),
                                            WAITS(2.0000005), WAITS(1.7e-3, 1.7e-3)};
/* The longest task comes after a task with no waits. */
static const struct task_plan empty_first[] = {{NULL, 0}, WAITS(1, 2), {NULL, 0}, WAITS(0.5)};
static const struct task_plan one_task[] = {WAITS(2.5, 0.5)};
static const struct task_plan waits_of_zero[] = {WAITS(0, 0), WAITS(0)};
static const struct task_plan no_waits[] = {{NULL, 0}, {NULL, 0}};

/* The plans every run_plan test runs, in both ways, from every start, with and without stalls. */
struct plan_ref {
    const struct task_plan *plan;
    size_t n;
};

#define PLAN(p)                                                                                    \
    {                                                                                              \
        (p), N(p)                                                                                  \
    }
static const struct plan_ref plans[] = {
    PLAN(many_short_one_long), PLAN(crossed),  PLAN(late_long_wait), PLAN(mixed),    PLAN(off_grid),
    PLAN(empty_first),         PLAN(one_task), PLAN(waits_of_zero),  PLAN(no_waits),
};

/* A plan of n tasks (freed with free_many): 0 to 3 waits each, the longest task the last one. */
static struct task_plan *make_many(size_t n)
{
    static const double waits[KINDS][3] = {{1, 0.5, 0.25}, {0.3}, {2, 0.001, 0},   {0},
                                           {0.75, 0.75},   {0},   {1.7e-3, 1, 0.3}};
    static const size_t counts[KINDS] = {3, 1, 3, 0, 2, 1, 3};
    static const double longest[] = {2, 2.5}; /* 4.5 s: longer than any other task (1.75 s) */
    struct task_plan *plan = calloc(n, sizeof *plan);

    ck_assert_msg(plan != NULL, "calloc failed");
    for (size_t i = 0; i < n; i++)
        plan[i] = (struct task_plan){.waits = waits[i % KINDS], .nwaits = counts[i % KINDS]};
    plan[n - 1] = (struct task_plan){.waits = longest, .nwaits = N(longest)};
    return plan;
}

/* ---- elapsed_sequential and elapsed_concurrent ---------------------------------------------- */

static void expect_calculated(const struct task_plan plan[], size_t n, bool concurrent)
{
    double on_loop = as_seconds(measure(plan, n, concurrent, &quiet, starts_ns[0]));
    double computed = concurrent ? elapsed_concurrent(plan, n) : elapsed_sequential(plan, n);
    char text[TEXT_MAX];

    describe_plan(plan, n, text, sizeof text);
    ck_assert_msg(near(computed, on_loop), "plan %s: %s returned %.9g s, but the loop took %.9g s",
                  text, concurrent ? "elapsed_concurrent" : "elapsed_sequential", computed,
                  on_loop);
}

START_TEST(sequential_adds_every_wait)
{
    expect_calculated(many_short_one_long, N(many_short_one_long), false);
    expect_calculated(crossed, N(crossed), false);
    expect_calculated(mixed, N(mixed), false);
    expect_calculated(off_grid, N(off_grid), false);
}
END_TEST

START_TEST(concurrent_takes_the_longest_task)
{
    expect_calculated(many_short_one_long, N(many_short_one_long), true);
    expect_calculated(crossed, N(crossed), true);
    expect_calculated(late_long_wait, N(late_long_wait), true);
    expect_calculated(mixed, N(mixed), true);
    expect_calculated(off_grid, N(off_grid), true);
}
END_TEST

START_TEST(calculators_on_small_plans)
{
    const struct task_plan *small[] = {one_task, waits_of_zero, no_waits, empty_first, NULL};
    const size_t sizes[] = {N(one_task), N(waits_of_zero), N(no_waits), N(empty_first), 0};

    for (size_t i = 0; i < N(small); i++) { /* the last: no task at all */
        expect_calculated(small[i], sizes[i], false);
        expect_calculated(small[i], sizes[i], true);
    }
}
END_TEST

START_TEST(calculators_on_many_tasks)
{
    for (size_t s = 0; s < N(many_sizes); s++) {
        struct task_plan *many = make_many(many_sizes[s]);

        expect_calculated(many, many_sizes[s], false);
        expect_calculated(many, many_sizes[s], true);
        free(many);
    }
}
END_TEST

/* ---- run_plan ------------------------------------------------------------------------------ */

/*
 * A watchdog for a call that may never return (a task that waits forever, on a fake clock that
 * runs ahead without end): a thread that fails the test with a message once WATCHDOG_SECONDS of
 * real time have passed since it was armed, instead of leaving it to the runner's time limit.
 * Started when first armed; every test that arms it stops it at its end (a thread still running
 * at exit costs a second under ThreadSanitizer, which waits for it).
 */
static struct watchdog {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool armed, quit;
    struct timespec until; /* on CLOCK_REALTIME, the condition variable's clock everywhere */
    char plan[TEXT_MAX];   /* what run_plan is running, for the message */
    bool running;          /* only the test's own thread reads and writes these two */
    pthread_t thread;
} dog = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static bool past(const struct timespec *until)
{
    struct timespec now;

    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        ck_abort_msg("clock_gettime failed: %s", strerror(errno));
    return now.tv_sec > until->tv_sec ||
           (now.tv_sec == until->tv_sec && now.tv_nsec >= until->tv_nsec);
}

/* The watchdog's thread. It calls Check only to fail the test, while the test's thread is stuck in
 * run_plan: Check is not made to be called from two threads at once. */
static void *watch(void *arg)
{
    (void)arg;
    if (pthread_mutex_lock(&dog.lock) != 0)
        ck_abort_msg("the watchdog could not lock its mutex");
    while (!dog.quit) {
        if (dog.armed && past(&dog.until))
            ck_abort_msg("plan %s: run_plan has not returned after %d s (on a fake clock it takes "
                         "no time): does a task wait for ever? A counter kept in a local variable "
                         "starts again after each TASK_SLEEP",
                         dog.plan, WATCHDOG_SECONDS);
        if (dog.armed) /* wakes at `until`, or earlier when disarmed, re-armed or stopped */
            pthread_cond_timedwait(&dog.cond, &dog.lock, &dog.until);
        else
            pthread_cond_wait(&dog.cond, &dog.lock);
    }
    pthread_mutex_unlock(&dog.lock);
    return NULL;
}

/* Arm the watchdog for `plan`, or disarm it (NULL). */
static void watchdog_arm(const char *plan)
{
    if (!dog.running) {
        ck_assert_int_eq(pthread_create(&dog.thread, NULL, watch, NULL), 0);
        dog.running = true;
    }
    /* These cannot fail: a valid mutex that this thread does not hold, a valid clock and
     * condition variable. */
    if (pthread_mutex_lock(&dog.lock) != 0)
        abort();
    dog.armed = plan != NULL;
    if (plan != NULL) {
        if (clock_gettime(CLOCK_REALTIME, &dog.until) != 0)
            abort();
        dog.until.tv_sec += WATCHDOG_SECONDS;
        snprintf(dog.plan, sizeof dog.plan, "%s", plan);
    }
    pthread_cond_signal(&dog.cond);
    pthread_mutex_unlock(&dog.lock);
}

/* Stop the watchdog's thread, if it runs: at the end of every test that arms it. */
static void watchdog_stop(void)
{
    if (!dog.running)
        return;
    if (pthread_mutex_lock(&dog.lock) != 0)
        abort();
    dog.quit = true;
    pthread_cond_signal(&dog.cond);
    pthread_mutex_unlock(&dog.lock);
    ck_assert_int_eq(pthread_join(dog.thread, NULL), 0);
    dog.running = dog.quit = false;
}

/*
 * Run the plan with run_plan on `loop`, with these stalls on it; fail unless it agrees with the
 * clock and the reference (to the nanosecond), and leaves the loop empty.
 */
static void expect_run_on(struct loop *loop, struct fake_clock *clock,
                          const struct task_plan plan[], size_t n, bool concurrent,
                          const struct stalls *st)
{
    const char *how = concurrent ? "concurrently" : "one after the other";
    int64_t before = loop_now_ns(loop), moved, expected;
    double elapsed = NOT_WRITTEN;
    struct stall first, later;
    char text[TEXT_MAX], others[TEXT_MAX];
    int rc, saved;

    describe_plan(plan, n, text, sizeof text);
    describe_stalls(st, others, sizeof others);
    add_stalls(loop, clock, st, &first, &later);
    watchdog_arm(text);
    errno = 0;
    rc = run_plan(loop, plan, n, concurrent, &elapsed);
    saved = errno;
    watchdog_arm(NULL);
    errno = saved;
    ck_assert_msg(rc == 0, "plan %s, %s: run_plan returned %d (errno %d: %s), expected 0", text,
                  how, rc, errno, strerror(errno));
    ck_assert_msg(loop_poll_timeout_ns(loop) == -1,
                  "plan %s, %s: run_plan returned with something still scheduled on the loop "
                  "(it must run the loop until nothing is left on it)",
                  text, how);
    moved = loop_now_ns(loop) - before;
    expected = measure(plan, n, concurrent, st, before);
    ck_assert_msg(moved == expected,
                  "plan %s, %s, %s: the loop's clock moved %.9f s, expected %.9f s", text, how,
                  others, as_seconds(moved), as_seconds(expected));
    ck_assert_msg(near(elapsed, as_seconds(moved)),
                  "plan %s, %s, %s: *elapsed is %.9g s, but the loop's clock moved %.9g s", text,
                  how, others, elapsed, as_seconds(moved));
}

/*
 * The stalls that tell a real run from a fake: 0.5 s before the tasks start, and one at a third
 * of the run (concurrently) or halfway through the first task's first wait (one after the other:
 * a stall later than that would keep the first task_run going, in the reference too). Returns
 * false if the plan is too short to stall in.
 */
static bool stalls_for(const struct task_plan plan[], size_t n, bool concurrent, struct stalls *st)
{
    int64_t first = NSEC_PER_SEC / 2, span;

    if (concurrent)
        span = measure(plan, n, true, &quiet, 0) / 3;
    else
        span = n > 0 && plan[0].nwaits > 0 ? seconds_to_ns(plan[0].waits[0]) / 2 : 0;
    *st = (struct stalls){.first_ns = first, .later_at_ns = first + span, .later_ns = STALL_NS};
    return span > 0;
}

/*
 * Run the plan from every start of the clock, on a quiet loop and with the stalls; `briefly`
 * (for the big plans, which small ones have already tried every way): from one start, quiet and
 * with both stalls.
 */
static void expect_run_all_ways(const struct task_plan plan[], size_t n, bool concurrent,
                                bool briefly)
{
    for (size_t s = briefly ? N(starts_ns) - 1 : 0; s < N(starts_ns); s++) {
        struct fake_clock clock;
        struct loop *loop = fake_loop(&clock, starts_ns[s]);
        struct stalls st;

        expect_run_on(loop, &clock, plan, n, concurrent, &quiet);
        if (stalls_for(plan, n, concurrent, &st)) {
            expect_run_on(loop, &clock, plan, n, concurrent, &st);
            if (!briefly) {
                st.later_ns = 0; /* only the first */
                expect_run_on(loop, &clock, plan, n, concurrent, &st);
                st.first_ns = 0; /* only the later */
                st.later_at_ns -= NSEC_PER_SEC / 2;
                st.later_ns = STALL_NS;
                expect_run_on(loop, &clock, plan, n, concurrent, &st);
            }
        }
        loop_free(loop);
    }
}

START_TEST(run_plan_one_after_the_other)
{
    for (size_t i = 0; i < N(plans); i++)
        expect_run_all_ways(plans[i].plan, plans[i].n, false, false);
    watchdog_stop();
}
END_TEST

START_TEST(run_plan_concurrently)
{
    for (size_t i = 0; i < N(plans); i++)
        expect_run_all_ways(plans[i].plan, plans[i].n, true, false);
    watchdog_stop();
}
END_TEST

START_TEST(run_plan_with_no_task)
{
    struct fake_clock clock;
    struct loop *loop = fake_loop(&clock, starts_ns[1]);

    expect_run_on(loop, &clock, NULL, 0, false, &quiet);
    expect_run_on(loop, &clock, NULL, 0, true, &quiet);
    loop_free(loop);
    watchdog_stop();
}
END_TEST

START_TEST(run_plan_with_many_tasks)
{
    /* Thousands of tasks wait at once, on one thread: a plan has no size limit. */
    for (size_t s = 0; s < N(many_sizes); s++) {
        struct task_plan *many = make_many(many_sizes[s]);

        expect_run_all_ways(many, many_sizes[s], true, true);
        expect_run_all_ways(many, many_sizes[s], false, true);
        free(many);
    }
    watchdog_stop();
}
END_TEST

START_TEST(run_plan_twice_on_one_loop)
{
    /* The second run measures only itself: the loop is left ready for more. */
    struct fake_clock clock;
    struct loop *loop = fake_loop(&clock, starts_ns[0]);

    expect_run_on(loop, &clock, crossed, N(crossed), true, &quiet);
    expect_run_on(loop, &clock, late_long_wait, N(late_long_wait), false, &quiet);
    expect_run_on(loop, &clock, off_grid, N(off_grid), true, &quiet);
    loop_free(loop);
    watchdog_stop();
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 1 exercises");
    TCase *tc = test_case(s, "elapsed");

    tcase_add_test(tc, sequential_adds_every_wait);
    tcase_add_test(tc, concurrent_takes_the_longest_task);
    tcase_add_test(tc, calculators_on_small_plans);
    tcase_add_test(tc, calculators_on_many_tasks);
    tcase_add_test(tc, run_plan_one_after_the_other);
    tcase_add_test(tc, run_plan_concurrently);
    tcase_add_test(tc, run_plan_with_no_task);
    tcase_add_test(tc, run_plan_with_many_tasks);
    tcase_add_test(tc, run_plan_twice_on_one_loop);
    return s;
}
