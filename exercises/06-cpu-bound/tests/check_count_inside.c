/*
 * check_count_inside.c: tests of the inside meter and count_inside(): N threads inside at once
 * without a GIL, one with it.
 *
 * Chapter 6, exercise count_inside.c. Nothing here depends on luck in the right direction: the
 * meter is driven by the test's own threads, lined up with a barrier; without a GIL, the work
 * function holds every thread until all are inside; with it, the first thread inside waits for
 * a second one, which a real GIL never lets in. Every wait gives up after a bound, and says so.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define MAX_THREADS 16
#define MEET_SECONDS 1       /* how long threads may take to be all inside at once */
#define INTRUDER_SECONDS 0.5 /* under a GIL: how long the first one inside waits for a second */
#define RETURN_SECONDS 3     /* how long a call may take: longer means a lock never freed */

/* ---- a bounded wait: run fn(arg) on a thread, fail the test if it does not return in time ---- */

struct bounded {
    void (*fn)(void *);
    void *arg;
    pthread_mutex_t lock;
    pthread_cond_t finished_cv;
    bool finished;
};

static void *bounded_thread(void *p)
{
    struct bounded *b = p;

    b->fn(b->arg);
    pthread_mutex_lock(&b->lock);
    b->finished = true;
    pthread_cond_signal(&b->finished_cv);
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

static void deadline_in(struct timespec *ts, double seconds)
{
    ck_assert_int_eq(clock_gettime(CLOCK_REALTIME, ts), 0);
    ts->tv_sec += (time_t)seconds;
    ts->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void run_bounded(void (*fn)(void *), void *arg, const char *what)
{
    struct bounded b = {fn, arg, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    struct timespec until;
    pthread_t t;

    deadline_in(&until, RETURN_SECONDS);
    ck_assert_int_eq(pthread_create(&t, NULL, bounded_thread, &b), 0);
    pthread_mutex_lock(&b.lock);
    while (!b.finished && pthread_cond_timedwait(&b.finished_cv, &b.lock, &until) != ETIMEDOUT)
        ;
    ck_assert_msg(b.finished, "%s did not return within %d s: is a lock never unlocked?", what,
                  RETURN_SECONDS);
    pthread_mutex_unlock(&b.lock);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
}

/* ---- the meter alone ---- */

static struct inside_meter meter;

static void one_after_another(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        meter_enter(&meter);
        meter_leave(&meter);
    }
}

START_TEST(one_at_a_time_is_one)
{
    meter = (struct inside_meter)INSIDE_METER_INIT;
    run_bounded(one_after_another, NULL, "meter_enter, meter_leave three times");
    ck_assert_msg(meter_most(&meter) == 1,
                  "entered and left three times in a row: most is %d, expected 1 (leaving must "
                  "count one fewer inside)",
                  meter_most(&meter));
    ck_assert_msg(meter.now == 0, "everyone left, but now is %d", meter.now);
}
END_TEST

static void nested(void *arg)
{
    (void)arg;
    meter_enter(&meter); /* 1 */
    meter_enter(&meter); /* 2 */
    meter_leave(&meter); /* 1 */
    meter_enter(&meter); /* 2 */
    meter_enter(&meter); /* 3 */
    meter_leave(&meter);
    meter_leave(&meter);
    meter_leave(&meter); /* 0 */
    meter_enter(&meter); /* 1: most stays 3 */
    meter_leave(&meter);
}

START_TEST(most_is_the_peak)
{
    meter = (struct inside_meter)INSIDE_METER_INIT;
    run_bounded(nested, NULL, "a sequence of meter_enter and meter_leave");
    ck_assert_msg(meter_most(&meter) == 3, "in 1 2 1 2 3 2 1 0 1, most is %d, expected 3",
                  meter_most(&meter));
    ck_assert_msg(meter.now == 0, "everyone left, but now is %d", meter.now);
}
END_TEST

/* ---- the meter from threads lined up at a barrier ---- */

static pthread_barrier_t inside_barrier;

static void *enter_wait_leave(void *arg)
{
    (void)arg;
    meter_enter(&meter);
    pthread_barrier_wait(&inside_barrier); /* all are inside before any leaves */
    meter_leave(&meter);
    return NULL;
}

static void enter_from_threads(void *arg)
{
    size_t n = *(const size_t *)arg;
    pthread_t threads[MAX_THREADS];

    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, enter_wait_leave, NULL), 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
}

START_TEST(all_inside_together_counts_all)
{
    static const size_t counts[] = {2, 4, 8};

    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        meter = (struct inside_meter)INSIDE_METER_INIT;
        ck_assert_int_eq(pthread_barrier_init(&inside_barrier, NULL, (unsigned)counts[c]), 0);
        run_bounded(enter_from_threads, (void *)&counts[c], "meter_enter from several threads");
        ck_assert_msg(meter_most(&meter) == (int)counts[c],
                      "%zu threads entered, waited until all were inside, then left: most is %d",
                      counts[c], meter_most(&meter));
        ck_assert_msg(meter.now == 0, "everyone left, but now is %d", meter.now);
        pthread_barrier_destroy(&inside_barrier);
    }
}
END_TEST

/* ---- count_inside ---- */

/* What the work function saw during one count_inside call. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t nthreads;
    bool gil;
    int calls[MAX_THREADS]; /* per index */
    bool bad_index;
    int inside, most_inside; /* counted by the test itself, independently of the meter */
    int present;             /* threads that have called work so far */
    bool gave_up;            /* without a GIL: a wait for the others timed out */
} seen = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

static void work(size_t index, void *arg)
{
    struct timespec until;

    (void)arg;
    pthread_mutex_lock(&seen.lock);
    if (index < seen.nthreads)
        seen.calls[index]++;
    else
        seen.bad_index = true;
    seen.inside++;
    seen.most_inside = seen.inside > seen.most_inside ? seen.inside : seen.most_inside;
    seen.present++;
    pthread_cond_broadcast(&seen.changed);
    if (!seen.gil) {
        /* Stay inside until every thread is: without a GIL, nothing stops them coming in. */
        deadline_in(&until, MEET_SECONDS);
        while (seen.present < (int)seen.nthreads && !seen.gave_up) {
            if (pthread_cond_timedwait(&seen.changed, &seen.lock, &until) == ETIMEDOUT)
                seen.gave_up = true;
        }
    } else if (seen.present == 1 && seen.nthreads > 1) {
        /* The first one in waits a while for a second: a GIL must keep it out. */
        deadline_in(&until, INTRUDER_SECONDS);
        while (seen.inside == 1 &&
               pthread_cond_timedwait(&seen.changed, &seen.lock, &until) != ETIMEDOUT)
            ;
    }
    seen.inside--;
    pthread_mutex_unlock(&seen.lock);
}

static int most_reported, returned;

static void call_count_inside(void *arg)
{
    (void)arg;
    most_reported = -1;
    returned = count_inside(seen.nthreads, seen.gil, work, NULL, &most_reported);
}

static void check_count(size_t nthreads, bool gil)
{
    seen.nthreads = nthreads;
    seen.gil = gil;
    memset(seen.calls, 0, sizeof seen.calls);
    seen.bad_index = seen.gave_up = false;
    seen.inside = seen.most_inside = seen.present = 0;
    /* Bounded: the waits inside work() are bounded, so only a lock never freed takes longer. */
    run_bounded(call_count_inside, NULL, "count_inside");
    ck_assert_msg(returned == 0, "count_inside(nthreads=%zu, gil=%d) returned %d (%s), expected 0",
                  nthreads, gil, returned, strerror(returned));
    ck_assert_msg(!seen.bad_index, "work() was called with an index of nthreads or more");
    for (size_t k = 0; k < nthreads; k++)
        ck_assert_msg(seen.calls[k] == 1,
                      "%zu threads: work(%zu) was called %d times, expected once", nthreads, k,
                      seen.calls[k]);
    if (gil) {
        ck_assert_msg(seen.most_inside == 1,
                      "nthreads=%zu with a GIL: %d were inside work() at once, expected 1 (is the "
                      "lock one lock, shared by every thread?)",
                      nthreads, seen.most_inside);
        ck_assert_msg(most_reported == 1,
                      "nthreads=%zu with a GIL: count_inside found %d inside at once, expected 1 "
                      "(is the meter entered and left while holding the GIL?)",
                      nthreads, most_reported);
    } else {
        ck_assert_msg(!seen.gave_up,
                      "%zu threads without a GIL were never all inside work() at once (the first "
                      "waited %d s for the others): start them all before joining any",
                      nthreads, MEET_SECONDS);
        ck_assert_msg(most_reported == (int)nthreads,
                      "nthreads=%zu without a GIL, all inside at once: count_inside says %d",
                      nthreads, most_reported);
    }
}

START_TEST(without_a_gil_all_are_inside)
{
    check_count(1, false);
    check_count(2, false);
    check_count(4, false);
    check_count(8, false);
}
END_TEST

START_TEST(with_a_gil_one_is_inside)
{
    check_count(1, true);
    check_count(2, true);
    check_count(4, true);
}
END_TEST

START_TEST(no_threads_is_an_error)
{
    int most = -1, rc = count_inside(0, false, work, NULL, &most);

    ck_assert_msg(rc == EINVAL, "count_inside with nthreads 0 returned %d, expected EINVAL (%d)",
                  rc, EINVAL);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 6 exercises");
    TCase *tc = test_case(s, "count_inside");

    tcase_add_test(tc, one_at_a_time_is_one);
    tcase_add_test(tc, most_is_the_peak);
    tcase_add_test(tc, all_inside_together_counts_all);
    tcase_add_test(tc, without_a_gil_all_are_inside);
    tcase_add_test(tc, with_a_gil_one_is_inside);
    tcase_add_test(tc, no_threads_is_an_error);
    return s;
}
