/*
 * check_bounded.c: tests of run_bounded() (exercise bounded.c, chapter 11).
 *
 * The work function counts: how many items run at this moment (the most ever seen must be N),
 * which threads ran items (exactly N distinct ones), how often each item ran (once). Two tests
 * force an interleaving instead of hoping for one: the first N items wait until all N are running
 * (a pool of fewer, or a sequential loop, never gets there: caught by a 2 s timed wait), and one
 * slow item waits until every other item is done (a pool that waits for a batch to finish
 * before starting the next never gets there either).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define WAIT_LIMIT 2 /* seconds a forced interleaving may take before it counts as never */
#define MANY 1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int inside, most, done_items, arrived, threads_seen;
static int runs[MANY];
static bool timed_out;
static _Thread_local bool seen_this_thread;

struct plan {
    int nthreads, nitems;
    int gather;    /* the first `gather` items wait until that many are running */
    int slow_item; /* this item waits until every other is done; -1: none */
};

/* Wait on `changed` until `ready` says so, at most WAIT_LIMIT seconds. Under the lock. */
#define WAIT_UNTIL(ready)                                                                          \
    do {                                                                                           \
        struct timespec until;                                                                     \
        clock_gettime(CLOCK_REALTIME, &until);                                                     \
        until.tv_sec += WAIT_LIMIT;                                                                \
        while (!(ready) && !timed_out)                                                             \
            if (pthread_cond_timedwait(&changed, &lock, &until) == ETIMEDOUT)                      \
                timed_out = true;                                                                  \
    } while (0)

static void work(int item, void *arg)
{
    const struct plan *p = arg;

    pthread_mutex_lock(&lock);
    if (!seen_this_thread) {
        seen_this_thread = true;
        threads_seen++;
    }
    if (item >= 0 && item < MANY)
        runs[item]++;
    if (++inside > most)
        most = inside;
    if (item < p->gather) {
        arrived++;
        pthread_cond_broadcast(&changed);
        WAIT_UNTIL(arrived >= p->gather);
    }
    if (item == p->slow_item)
        WAIT_UNTIL(done_items == p->nitems - 1);
    inside--;
    done_items++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static void run(struct plan p)
{
    inside = most = done_items = arrived = threads_seen = 0;
    timed_out = false;
    for (int i = 0; i < MANY; i++)
        runs[i] = 0;
    ck_assert_int_eq(run_bounded(p.nitems, p.nthreads, work, &p), 0);
    for (int i = 0; i < p.nitems; i++)
        ck_assert_msg(runs[i] == 1, "item %d ran %d times", i, runs[i]);
    ck_assert_int_eq(done_items, p.nitems);
}

START_TEST(every_item_once)
{
    run((struct plan){.nthreads = 4, .nitems = MANY, .slow_item = -1});
    ck_assert_msg(most <= 4, "%d items ran at once with 4 threads", most);
}
END_TEST

START_TEST(exactly_n_at_once)
{
    run((struct plan){.nthreads = 4, .nitems = 12, .gather = 4, .slow_item = -1});
    ck_assert_msg(!timed_out, "the first 4 items never ran at the same time: fewer than 4 workers");
    ck_assert_msg(most == 4, "%d items ran at once with 4 threads", most);
    ck_assert_msg(threads_seen == 4, "%d threads ran items, not 4", threads_seen);
}
END_TEST

START_TEST(fewer_items_than_threads)
{
    run((struct plan){.nthreads = 8, .nitems = 3, .gather = 3, .slow_item = -1});
    ck_assert_msg(!timed_out, "the 3 items never ran at the same time");
    ck_assert_msg(threads_seen == 3, "%d threads for 3 items, not 3", threads_seen);
    run((struct plan){.nthreads = 3, .nitems = 0, .slow_item = -1});
    ck_assert_int_eq(threads_seen, 0);
}
END_TEST

START_TEST(a_slow_item_holds_only_its_worker)
{
    run((struct plan){.nthreads = 2, .nitems = 10, .slow_item = 0});
    ck_assert_msg(!timed_out, "the other items waited for slow item 0: workers sat idle");
    ck_assert_msg(threads_seen == 2, "%d threads ran items, not 2", threads_seen);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("bounded");
    TCase *tc = test_case(s, "bounded");

    tcase_add_test(tc, every_item_once);
    tcase_add_test(tc, exactly_n_at_once);
    tcase_add_test(tc, fewer_items_than_threads);
    tcase_add_test(tc, a_slow_item_holds_only_its_worker);
    return s;
}
