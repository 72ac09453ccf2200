/*
 * check_pool_fetch.c: tests of pool_fetch(): a pool of N threads over n fetches.
 *
 * Chapter 12, exercise pool_fetch.c. The fetch function counts the calls running at once, and
 * each call waits (up to 2 s, then gives up for good) until that count has once reached the
 * pool's size: a pool that runs fewer threads at once than it should is caught within 2 s, and
 * one that runs more shows a count above the limit: the first wave of calls is held half a
 * second, time for a call too many to come in, and each call notes the thread it runs on. Each call
 * returns a value of its own index, so results[] in the wrong order shows too.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define MAX_ITEMS 64
#define GATE_SECONDS 2
#define HOLD_NS                                                                                    \
    500000000L /* how long the first wave is held, once, to see if a call too many comes */

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int running, most_running, want, calls[MAX_ITEMS];
static bool reached, gave_up, bad_call;
static bool hold;   /* hold the first wave of calls a while: a pool too large shows a call more */
static int entered; /* calls that entered fn */
static pthread_t seen[MAX_ITEMS]; /* the threads fn was called on */
static int nseen;

static int fetch(size_t i, void *arg)
{
    struct timespec deadline;
    int k;

    if (arg != &mutex || i >= MAX_ITEMS) { /* checked by the test's thread, after */
        bad_call = true;
        return -1;
    }
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += GATE_SECONDS;
    pthread_mutex_lock(&mutex);
    calls[i]++;
    for (k = 0; k < nseen && !pthread_equal(seen[k], pthread_self()); k++)
        continue;
    if (k == nseen)
        seen[nseen++] = pthread_self();
    if (++running > most_running)
        most_running = running;
    if (running >= want)
        reached = true;
    pthread_cond_broadcast(&cond);
    while (!reached && !gave_up) {
        if (pthread_cond_timedwait(&cond, &mutex, &deadline) != 0 && !reached)
            gave_up = true; /* report it once the pool returns; never wait 2 s again */
    }
    if (hold && ++entered <= want) {
        /* A right pool has no thread left to call fn while these are held; a pool with more
         * threads than it should sends one more call in. */
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_nsec += HOLD_NS;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        while (running <= want && pthread_cond_timedwait(&cond, &mutex, &deadline) == 0)
            continue;
    }
    running--;
    pthread_mutex_unlock(&mutex);
    return (int)(7 * i + 1);
}

static void run_pool(size_t n, size_t threads, bool hold_first_wave)
{
    int results[MAX_ITEMS];

    running = most_running = 0;
    reached = gave_up = bad_call = false;
    nseen = entered = 0;
    hold = hold_first_wave;
    want = (int)(threads < n ? threads : n);
    memset(calls, 0, sizeof calls);
    memset(results, 0, sizeof results);
    ck_assert_int_eq(pool_fetch(n, threads, fetch, &mutex, results), 0);
    ck_assert_msg(!bad_call, "fn was called with another arg, or an index past n");
    ck_assert_msg(!gave_up, "never %d fetches at once within %d s (at most %d)", want, GATE_SECONDS,
                  most_running);
    ck_assert_msg(nseen <= want, "fn ran on %d threads, with a pool of %zu", nseen, threads);
    ck_assert_msg(most_running <= want, "%d fetches at once, with a pool of %zu", most_running,
                  threads);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(calls[i] == 1, "item %zu fetched %d times", i, calls[i]);
        ck_assert_msg(results[i] == (int)(7 * i + 1), "results[%zu] is %d, not fn(%zu)", i,
                      results[i], i);
    }
    for (size_t i = n; i < MAX_ITEMS; i++)
        ck_assert_msg(calls[i] == 0, "item %zu (of %zu) fetched", i, n);
}

START_TEST(three_threads_for_twelve)
{
    run_pool(12, 3, true);
    ck_assert_int_eq(most_running, 3);
}
END_TEST

START_TEST(one_thread_is_one_at_a_time)
{
    run_pool(5, 1, false);
}
END_TEST

START_TEST(more_threads_than_items)
{
    run_pool(2, 8, true);
    ck_assert_int_eq(most_running, 2);
}
END_TEST

START_TEST(nothing_to_fetch)
{
    run_pool(0, 4, false);
}
END_TEST

START_TEST(many_rounds)
{
    for (int round = 0; round < 20; round++)
        run_pool(MAX_ITEMS, 4, false);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("pool_fetch");
    TCase *tc = test_case(s, "pool_fetch");

    tcase_add_test(tc, three_threads_for_twelve);
    tcase_add_test(tc, one_thread_is_one_at_a_time);
    tcase_add_test(tc, more_threads_than_items);
    tcase_add_test(tc, nothing_to_fetch);
    tcase_add_test(tc, many_rounds);
    return s;
}
