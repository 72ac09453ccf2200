/*
 * check_split_sum.c: tests of chunk_bounds() and split_sum(): the same exact sum for any number
 * of threads, every item computed once, by threads that really run at the same time.
 *
 * Chapter 6, exercise split_sum.c. The item function records, for every item, how often it was
 * computed and by which thread, so that a wrong split shows as items missed, computed twice or
 * spread unevenly, whatever the sum says. Compare with chapters/06-cpu-bound/split_threads.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define MAX_ITEMS 20000
#define MAX_IDS 128
#define MEET_SECONDS 1 /* how long the threads may take to be all computing at once */

/* What the item function saw during one split_sum call. */
static struct {
    size_t n;
    pthread_t caller;
    atomic_int calls[MAX_ITEMS]; /* how often each item was computed */
    int owner[MAX_ITEMS];        /* the id of the thread that computed it (the last one) */
    atomic_int next_id;          /* ids given to the threads, in the order they first called */
    atomic_bool out_of_range, by_caller;
    /* The meeting: each thread's first item waits until `meet` threads are computing. */
    pthread_mutex_t lock;
    pthread_cond_t arrived;
    int meet, present;
    bool gave_up; /* set once a wait timed out, so that no other thread waits in vain */
} seen = {.lock = PTHREAD_MUTEX_INITIALIZER, .arrived = PTHREAD_COND_INITIALIZER};

static _Thread_local int my_id = -1;

/* Some value for item i that no shortcut can guess: a step of the splitmix64 hash. */
static uint64_t value_of(size_t i)
{
    uint64_t x = (uint64_t)i + UINT64_C(0x9e3779b97f4a7c15);

    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* Wait (at most MEET_SECONDS) until seen.meet threads have each arrived here once. */
static void meet_the_others(void)
{
    struct timespec until;

    pthread_mutex_lock(&seen.lock);
    if (clock_gettime(CLOCK_REALTIME, &until) != 0)
        seen.gave_up = true; /* cannot happen; if it did, the test would report a failed meeting */
    until.tv_sec += MEET_SECONDS;
    seen.present++;
    pthread_cond_broadcast(&seen.arrived);
    while (seen.present < seen.meet && !seen.gave_up) {
        if (pthread_cond_timedwait(&seen.arrived, &seen.lock, &until) == ETIMEDOUT)
            seen.gave_up = true;
    }
    pthread_mutex_unlock(&seen.lock);
}

static uint64_t item(size_t i, void *arg)
{
    (void)arg;
    if (pthread_equal(pthread_self(), seen.caller))
        atomic_store(&seen.by_caller, true);
    if (i >= seen.n) {
        atomic_store(&seen.out_of_range, true);
        return 0;
    }
    if (my_id < 0) {
        my_id = atomic_fetch_add(&seen.next_id, 1);
        if (seen.meet > 0)
            meet_the_others();
    }
    atomic_fetch_add(&seen.calls[i], 1);
    seen.owner[i] = my_id;
    return value_of(i);
}

static uint64_t expected_sum(size_t n)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += value_of(i);
    return sum;
}

/* Run split_sum(n, nthreads) and check everything but the meeting; `meet` threads must meet. */
static void check_split(size_t n, size_t nthreads, int meet)
{
    size_t m = nthreads < n ? nthreads : n;
    uint64_t sum = 0;
    int rc, ids;
    size_t first[MAX_IDS], last[MAX_IDS], count[MAX_IDS];

    ck_assert(n <= MAX_ITEMS);
    seen.n = n;
    seen.caller = pthread_self();
    for (size_t i = 0; i < n; i++) {
        atomic_store(&seen.calls[i], 0);
        seen.owner[i] = -1;
    }
    atomic_store(&seen.next_id, 0);
    atomic_store(&seen.out_of_range, false);
    atomic_store(&seen.by_caller, false);
    seen.meet = meet;
    seen.present = 0;
    seen.gave_up = false;
    my_id = -1;

    rc = split_sum(n, nthreads, item, NULL, &sum);
    ck_assert_msg(rc == 0, "split_sum(n=%zu, nthreads=%zu) returned %d (%s), expected 0", n,
                  nthreads, rc, strerror(rc));
    ck_assert_msg(!atomic_load(&seen.out_of_range),
                  "n=%zu, nthreads=%zu: item() was called with an i of n or more", n, nthreads);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(atomic_load(&seen.calls[i]) == 1,
                      "n=%zu, nthreads=%zu: item %zu was computed %d times, expected once", n,
                      nthreads, i, atomic_load(&seen.calls[i]));
    ck_assert_msg(sum == expected_sum(n),
                  "n=%zu, nthreads=%zu: the sum is %016llx, expected %016llx (each item once)", n,
                  nthreads, (unsigned long long)sum, (unsigned long long)expected_sum(n));
    ck_assert_msg(!atomic_load(&seen.by_caller),
                  "n=%zu, nthreads=%zu: the calling thread computed items itself", n, nthreads);

    /* Who did what: min(nthreads, n) threads, each one contiguous chunk, sizes within one. */
    ids = atomic_load(&seen.next_id);
    ck_assert_msg((size_t)ids == m && ids <= MAX_IDS,
                  "n=%zu, nthreads=%zu: %d threads computed items, expected %zu", n, nthreads, ids,
                  m);
    for (int id = 0; id < ids; id++)
        first[id] = SIZE_MAX, last[id] = 0, count[id] = 0;
    for (size_t i = 0; i < n; i++) {
        int id = seen.owner[i];

        first[id] = i < first[id] ? i : first[id];
        last[id] = i;
        count[id]++;
    }
    for (int id = 0; id < ids; id++) {
        ck_assert_msg(last[id] - first[id] + 1 == count[id],
                      "n=%zu, nthreads=%zu: one thread computed items %zu to %zu, but only %zu of "
                      "them: a thread's chunk is contiguous",
                      n, nthreads, first[id], last[id], count[id]);
        ck_assert_msg(count[id] == n / m || count[id] == n / m + 1,
                      "n=%zu, nthreads=%zu: a thread computed %zu items; expected %zu or %zu "
                      "(chunks differ by at most one item)",
                      n, nthreads, count[id], n / m, n / m + 1);
    }
}

START_TEST(chunk_bounds_cut_exactly)
{
    static const struct {
        size_t n, nchunks, lo[5], hi[5];
    } cases[] = {
        {10, 4, {0, 3, 6, 8}, {3, 6, 8, 10}},
        {12, 4, {0, 3, 6, 9}, {3, 6, 9, 12}},
        {3, 5, {0, 1, 2, 3, 3}, {1, 2, 3, 3, 3}},
        {7, 1, {0}, {7}},
        {0, 3, {0, 0, 0}, {0, 0, 0}},
        {5, 2, {0, 3}, {3, 5}},
    };

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t k = 0; k < cases[c].nchunks; k++) {
            size_t lo = 99, hi = 99;

            chunk_bounds(cases[c].n, cases[c].nchunks, k, &lo, &hi);
            ck_assert_msg(lo == cases[c].lo[k] && hi == cases[c].hi[k],
                          "chunk_bounds(n=%zu, nchunks=%zu, k=%zu) gave [%zu, %zu), expected "
                          "[%zu, %zu)",
                          cases[c].n, cases[c].nchunks, k, lo, hi, cases[c].lo[k], cases[c].hi[k]);
        }
    }
}
END_TEST

START_TEST(chunk_bounds_cover_every_item_once)
{
    for (size_t n = 0; n <= 50; n++) {
        for (size_t m = 1; m <= 12; m++) {
            size_t expect_lo = 0;

            for (size_t k = 0; k < m; k++) {
                size_t lo, hi, size = n / m + (k < n % m);

                chunk_bounds(n, m, k, &lo, &hi);
                ck_assert_msg(lo == expect_lo && hi - lo == size && hi >= lo,
                              "chunk_bounds(n=%zu, nchunks=%zu, k=%zu) gave [%zu, %zu), expected "
                              "[%zu, %zu)",
                              n, m, k, lo, hi, expect_lo, expect_lo + size);
                expect_lo = hi;
            }
            ck_assert_msg(expect_lo == n, "n=%zu, nchunks=%zu: the chunks end at %zu", n, m,
                          expect_lo);
        }
    }
}
END_TEST

START_TEST(same_sum_for_any_thread_count)
{
    static const size_t threads[] = {1, 2, 3, 4, 7, 8};

    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
        check_split(10000, threads[t], 0);
}
END_TEST

START_TEST(remainders_are_not_lost)
{
    check_split(10001, 4, 0); /* chunks of 2501, 2500, 2500, 2500 */
    check_split(10, 4, 0);    /* 3, 3, 2, 2: not 2, 2, 2, 4 */
    check_split(7, 3, 0);
    check_split(99, 8, 0);
}
END_TEST

START_TEST(more_threads_than_items)
{
    check_split(3, 8, 0); /* three threads, one item each */
    check_split(1, 4, 0);
    check_split(5, 64, 0);
}
END_TEST

START_TEST(one_thread_and_no_items)
{
    check_split(1000, 1, 0); /* one thread, and it is not the caller */
    check_split(0, 4, 0);    /* nothing to compute: the sum of nothing is 0 */
    check_split(0, 1, 0);
}
END_TEST

START_TEST(threads_compute_at_the_same_time)
{
    /* Each thread's first item waits until all are computing: started one at a time and joined
     * before the next starts, they never are, and the wait gives up after MEET_SECONDS. */
    check_split(1000, 4, 4);
    ck_assert_msg(!seen.gave_up,
                  "n=1000, nthreads=4: the 4 threads were never all computing at once (the first "
                  "waited %d s for the others): start them all before joining any",
                  MEET_SECONDS);
    check_split(6, 3, 3);
    ck_assert_msg(!seen.gave_up,
                  "n=6, nthreads=3: the 3 threads were never all computing at once (the first "
                  "waited %d s for the others)",
                  MEET_SECONDS);
}
END_TEST

START_TEST(no_threads_is_an_error)
{
    uint64_t sum = 0;
    int rc = split_sum(10, 0, item, NULL, &sum);

    ck_assert_msg(rc == EINVAL, "split_sum with nthreads 0 returned %d, expected EINVAL (%d)", rc,
                  EINVAL);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 6 exercises");
    TCase *tc = test_case(s, "split_sum");

    tcase_add_test(tc, chunk_bounds_cut_exactly);
    tcase_add_test(tc, chunk_bounds_cover_every_item_once);
    tcase_add_test(tc, same_sum_for_any_thread_count);
    tcase_add_test(tc, remainders_are_not_lost);
    tcase_add_test(tc, more_threads_than_items);
    tcase_add_test(tc, one_thread_and_no_items);
    tcase_add_test(tc, threads_compute_at_the_same_time);
    tcase_add_test(tc, no_threads_is_an_error);
    return s;
}
