/*
 * check_cancel_cleanup.c: tests of worker_init(): workers that let go of what they hold when
 * cancelled, at every point they can be cancelled at, on a fake clock.
 *
 * Chapter 10, exercise cancel_cleanup.c. A few workers share a pool (a connection count and a
 * lock). The tests run the loop one iteration at a time and cancel a worker (or two) between two
 * iterations: before its first step, during its handshake, while it waits for the lock, just after
 * the lock was handed to it but before it ran again, while it works, after it finished. Then the
 * loop runs to the end, and whatever the point: every other worker must have finished, the lock
 * must be free with no holder, no connection may be left open, and no two workers may have held
 * the lock at once (each works `work` seconds holding it, so no two may finish closer than that).
 * Compare with chapters/10-timeouts-cancellation-errors/cancel_cleanup_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 1000
#define TOLERANCE 1e-6
#define MAX_WORKERS 4
#define MAX_ITERATIONS 200 /* far more than any scenario needs: a loop past it never ends */

static const char *const names[MAX_WORKERS] = {"w0", "w1", "w2", "w3"};

struct scenario {
    size_t n;
    double connect[MAX_WORKERS];
    double work; /* every worker's */
};

static struct fake_clock clock_;
static struct loop *loop;
static struct pool pool;
static struct worker workers[MAX_WORKERS];
static struct future_callback watch[MAX_WORKERS];
static double finished_at[MAX_WORKERS];
static char where[256];

/* A worker is done: note when, if it got through its normal path. */
static void worker_done(struct loop *l, struct future *future, void *arg)
{
    struct worker *w = arg;

    (void)future;
    if (w->finished)
        finished_at[w - workers] = loop_time(l) - START_SECONDS;
}

static void start(const struct scenario *sc)
{
    memset(&pool, 0, sizeof pool);
    memset(finished_at, 0, sizeof finished_at);
    clock_.now_ns = START_SECONDS * NSEC_PER_SEC;
    loop = loop_new();
    ck_assert_msg(loop != NULL, "loop_new: %s", strerror(errno));
    loop_use_fake_clock(loop, &clock_);
    for (size_t i = 0; i < sc->n; i++) {
        memset(&workers[i], 0xA5, sizeof workers[i]); /* garbage: worker_init sets it */
        worker_init(&workers[i], names[i], &pool, sc->connect[i], sc->work);
        future_add_done_callback(&workers[i].task.future, &watch[i], worker_done, &workers[i]);
        task_start(loop, &workers[i].task);
    }
}

/* One iteration, unless nothing is left (then loop_run_once would wait for ever): 1 if more. */
static int step(void)
{
    int rc;

    if (loop_poll_timeout_ns(loop) == -1)
        return 0;
    rc = loop_run_once(loop);
    ck_assert_msg(rc != -1, "loop_run_once: %s", strerror(errno));
    return rc;
}

/* What must hold between any two iterations. */
static void expect_consistent(const struct scenario *sc)
{
    ck_assert_msg(pool.connections >= 0 && pool.connections <= (int)sc->n,
                  "%s: %d connections open, with %zu workers: one was closed twice", where,
                  pool.connections, sc->n);
    ck_assert_msg(async_lock_locked(&pool.lock) == (pool.holder != NULL),
                  "%s: the lock is %s but pool->holder is %s: keep holder right at every "
                  "hand-over",
                  where, async_lock_locked(&pool.lock) ? "held" : "free",
                  pool.holder ? pool.holder->name : "NULL");
}

/* Run to the end, then check what every run must leave behind. */
static void finish(const struct scenario *sc, const bool cancelled[])
{
    double times[MAX_WORKERS];
    size_t nt = 0;

    for (int i = 0; i < MAX_ITERATIONS; i++) {
        int rc = step();

        expect_consistent(sc);
        if (rc == 0)
            break;
    }
    ck_assert_msg(loop_poll_timeout_ns(loop) == -1, "%s: the loop never ran out of work", where);
    for (size_t i = 0; i < sc->n; i++) {
        ck_assert_msg(task_done(&workers[i].task),
                      "%s: %s never finished: it waits for a lock nobody will release (the lock "
                      "is %s, holder %s)",
                      where, names[i], async_lock_locked(&pool.lock) ? "held" : "free",
                      pool.holder ? pool.holder->name : "NULL");
        ck_assert_msg(cancelled[i] || workers[i].finished,
                      "%s: %s was not cancelled, but it "
                      "ended without finishing (error %d)",
                      where, names[i], workers[i].task.error);
        if (workers[i].finished)
            times[nt++] = finished_at[i];
    }
    ck_assert_msg(!async_lock_locked(&pool.lock),
                  "%s: every worker is done, but the lock is still held (holder %s): a cleanup "
                  "did not release it",
                  where, pool.holder ? pool.holder->name : "NULL");
    ck_assert_msg(pool.holder == NULL, "%s: the lock is free, but pool->holder is %s", where,
                  pool.holder ? pool.holder->name : "NULL");
    ck_assert_msg(pool.connections == 0,
                  "%s: every worker is done, but %d connections are still open: a cleanup did "
                  "not close its worker's",
                  where, pool.connections);
    /* Each finisher worked `work` seconds holding the lock: finishing closer means overlapping. */
    for (size_t a = 0; a < nt; a++)
        for (size_t b = a + 1; b < nt; b++) {
            double gap = times[a] > times[b] ? times[a] - times[b] : times[b] - times[a];

            ck_assert_msg(gap >= sc->work - TOLERANCE,
                          "%s: two workers finished %.3f s apart, but each works %g s holding the "
                          "lock: they held it at the same time (a lock released twice?)",
                          where, gap, sc->work);
        }
    for (size_t i = 0; i < sc->n; i++) {
        (void)future_error(&workers[i].task.future); /* seen: ECANCELED, or 0 */
        future_release(&workers[i].task.future, names[i]);
    }
    loop_free(loop);
}

/* Run `sc` with no cancel, and count its iterations: the points to cancel at. */
static int iterations(const struct scenario *sc)
{
    bool none[MAX_WORKERS] = {false};
    int count = 0;

    snprintf(where, sizeof where, "with nobody cancelled");
    start(sc);
    for (int rc = 1; rc == 1 && count < MAX_ITERATIONS; count++) {
        rc = step();
        expect_consistent(sc);
    }
    for (size_t i = 0; i < sc->n; i++)
        ck_assert_msg(workers[i].finished, "with nobody cancelled, %s did not finish", names[i]);
    finish(sc, none);
    return count;
}

/* Cancel workers a and b (the same, for one) after k iterations, at every k, and check. */
static void cancel_everywhere(const struct scenario *sc)
{
    int n = iterations(sc);

    for (size_t a = 0; a < sc->n; a++)
        for (size_t b = a; b < sc->n; b++)
            for (int k = 0; k <= n; k++) {
                bool cancelled[MAX_WORKERS] = {false};

                start(sc);
                for (int i = 0; i < k && step() == 1; i++)
                    expect_consistent(sc);
                snprintf(where, sizeof where,
                         "%s%s%s cancelled after %d iterations, at %.3f s (stages: %d %d %d %d)",
                         names[a], a == b ? "" : " and ", a == b ? "" : names[b], k,
                         loop_time(loop) - START_SECONDS, workers[0].stage, workers[1].stage,
                         sc->n > 2 ? workers[2].stage : -1, sc->n > 3 ? workers[3].stage : -1);
                cancelled[a] = task_cancel(&workers[a].task);
                cancelled[b] = cancelled[b] || task_cancel(&workers[b].task);
                if (k == 0)
                    ck_assert_msg(pool.connections == 0,
                                  "%s: a worker cancelled before its first step opened a "
                                  "connection",
                                  where);
                expect_consistent(sc);
                finish(sc, cancelled);
            }
}

START_TEST(nobody_cancelled)
{
    static const struct scenario sc = {3, {1, 2, 3}, 2};

    (void)iterations(&sc);
}
END_TEST

START_TEST(staggered_arrivals)
{
    static const struct scenario sc = {4, {1, 2, 3, 4}, 2};

    cancel_everywhere(&sc);
}
END_TEST

START_TEST(everybody_at_once)
{
    static const struct scenario sc = {3, {1, 1, 1}, 1};

    cancel_everywhere(&sc);
}
END_TEST

START_TEST(a_queue_behind_a_long_hold)
{
    static const struct scenario sc = {4, {0.5, 1, 1.5, 2}, 3};

    cancel_everywhere(&sc);
}
END_TEST

START_TEST(waits_of_zero)
{
    static const struct scenario sc = {3, {0, 0, 0}, 0.5};

    cancel_everywhere(&sc);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 10 exercises");
    TCase *tc = test_case(s, "cancel_cleanup");

    tcase_add_test(tc, nobody_cancelled);
    tcase_add_test(tc, staggered_arrivals);
    tcase_add_test(tc, everybody_at_once);
    tcase_add_test(tc, a_queue_behind_a_long_hold);
    tcase_add_test(tc, waits_of_zero);
    return s;
}
