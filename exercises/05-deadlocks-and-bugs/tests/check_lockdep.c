/*
 * check_lockdep.c: tests of the lock-order checker: lockdep_new, _acquire, _acquire_try, _release.
 *
 * Chapter 5, exercise lockdep.c. Most tests play a scenario one call at a time, as if threads took
 * and released locks in that order, and keep their own record of the orders the checker should
 * have learned: every reported chain is checked against it, link by link. None of these scenarios
 * deadlocks: the point of a lock-order checker is to see the deadlock that another run, with other
 * timing, would have. The last tests call the checker from several threads at once.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define TEXT_MAX 512
#define SHOWN 12 /* locks of a chain shown in a message */

static struct lockdep *ld;
static size_t nlocks, nthreads;
static size_t chain[LOCKDEP_MAX_LOCKS];
/* The test's own record: the orders learned so far, and who holds what. */
static bool learned[LOCKDEP_MAX_LOCKS][LOCKDEP_MAX_LOCKS];
static bool holding[LOCKDEP_MAX_THREADS][LOCKDEP_MAX_LOCKS];

static void start(size_t locks, size_t threads)
{
    lockdep_free(ld); /* the previous scenario's, if any */
    errno = 0;
    ld = lockdep_new(locks, threads);
    ck_assert_msg(ld != NULL, "lockdep_new(%zu, %zu) returned NULL (errno %d: %s)", locks, threads,
                  errno, strerror(errno));
    nlocks = locks;
    nthreads = threads;
    memset(learned, 0, sizeof learned);
    memset(holding, 0, sizeof holding);
}

static const char *show_chain(size_t k)
{
    static char text[TEXT_MAX];
    size_t used = 0;

    text[0] = '\0';
    for (size_t i = 0; i < k && i < SHOWN && used < sizeof text; i++)
        used +=
            (size_t)snprintf(text + used, sizeof text - used, "%s%zu", i ? " -> " : "", chain[i]);
    if (k > SHOWN && used < sizeof text)
        snprintf(text + used, sizeof text - used, " -> ... (%zu locks)", k);
    return text;
}

static const char *show_held(size_t t)
{
    static char text[TEXT_MAX];
    size_t used = 0, shown = 0;

    text[0] = '\0';
    for (size_t l = 0; l < nlocks && used < sizeof text && shown < SHOWN; l++) {
        if (holding[t][l])
            used +=
                (size_t)snprintf(text + used, sizeof text - used, "%s%zu", shown++ ? ", " : "", l);
    }
    return shown ? text : "nothing";
}

/* The reported chain[0 .. k-1] is an inversion for thread t waiting for lock l. */
static void expect_chain(size_t t, size_t l, size_t k)
{
    ck_assert_msg(k <= nlocks, "a chain of %zu locks, with only %zu locks", k, nlocks);
    ck_assert_msg(chain[0] == l,
                  "thread %zu waits for lock %zu: the chain must start there; got %s", t, l,
                  show_chain(k));
    ck_assert_msg(chain[k - 1] < nlocks && holding[t][chain[k - 1]],
                  "thread %zu holds %s: the chain must end at one of those; got %s", t,
                  show_held(t), show_chain(k));
    for (size_t i = 0; i + 1 < k; i++)
        ck_assert_msg(chain[i + 1] < nlocks && learned[chain[i]][chain[i + 1]],
                      "the chain %s goes %zu -> %zu, an order no thread has taken those locks in",
                      show_chain(k), chain[i], chain[i + 1]);
}

/* What thread t taking lock l teaches: every lock it holds comes before l. */
static void note_taken(size_t t, size_t l, bool try)
{
    for (size_t h = 0; h < nlocks && !try; h++) {
        if (holding[t][h] && h != l)
            learned[h][l] = true;
    }
    holding[t][l] = true;
}

/* Thread t waits for lock l, and no order learned so far contradicts it. */
static void take(size_t t, size_t l)
{
    size_t k = lockdep_acquire(ld, t, l, chain);

    ck_assert_msg(k == 0,
                  "thread %zu took lock %zu, holding %s: nothing learned so far contradicts that, "
                  "but lockdep_acquire reported %s",
                  t, l, show_held(t), show_chain(k));
    note_taken(t, l, false);
}

/* Thread t waits for lock l against what was learned: an inversion must be reported. */
static size_t take_inverted(size_t t, size_t l)
{
    size_t k = lockdep_acquire(ld, t, l, chain);

    ck_assert_msg(k > 0,
                  "thread %zu took lock %zu, holding %s: some thread took these locks the other "
                  "way round, and together they can deadlock; lockdep_acquire returned 0",
                  t, l, show_held(t));
    expect_chain(t, l, k);
    note_taken(t, l, false);
    return k;
}

static void take_try(size_t t, size_t l)
{
    lockdep_acquire_try(ld, t, l);
    note_taken(t, l, true);
}

static void drop(size_t t, size_t l)
{
    lockdep_release(ld, t, l);
    holding[t][l] = false;
}

static void teardown(void)
{
    lockdep_free(ld);
    ld = NULL;
}

/* ---- one call at a time --------------------------------------------------------------------- */

START_TEST(one_order_is_quiet)
{
    start(4, 2);
    take(0, 0), take(0, 1), take(0, 2), drop(0, 2), drop(0, 1), drop(0, 0);
    take(1, 0), take(1, 2), drop(1, 0), drop(1, 2);
    take(1, 1), take(1, 3), take(1, 2), drop(1, 2), drop(1, 3), drop(1, 1);
    take(0, 3), drop(0, 3), take(0, 2), drop(0, 2);
    teardown();
}
END_TEST

START_TEST(two_locks_taken_both_ways)
{
    size_t k;

    /* transfer_deadlock.c's two threads, on a lucky day: one after the other, no deadlock. */
    start(2, 2);
    take(0, 0), take(0, 1), drop(0, 1), drop(0, 0);
    take(1, 1);
    k = take_inverted(1, 0);
    ck_assert_msg(k == 2, "the inversion is 0 -> 1; got %s", show_chain(k));
    drop(1, 0), drop(1, 1);
    /* One thread taking both orders, at different times, is just as wrong. */
    start(2, 1);
    take(0, 1), take(0, 0), drop(0, 0), drop(0, 1);
    take(0, 0);
    k = take_inverted(0, 1);
    ck_assert_msg(k == 2, "the inversion is 1 -> 0; got %s", show_chain(k));
    teardown();
}
END_TEST

START_TEST(an_inversion_through_other_locks)
{
    size_t k;

    /* Three threads, each with two locks in order; a fourth closes the ring. */
    start(6, 4);
    take(0, 0), take(0, 1), drop(0, 1), drop(0, 0);
    take(1, 1), take(1, 2), drop(1, 1), drop(1, 2);
    take(2, 2), take(2, 3), drop(2, 3), drop(2, 2);
    take(3, 3);
    take(3, 5); /* nothing learned about 5 */
    k = take_inverted(3, 0);
    ck_assert_msg(k == 4, "the inversion is 0 -> 1 -> 2 -> 3; got %s", show_chain(k));
    teardown();
}
END_TEST

START_TEST(a_thread_waiting_for_itself)
{
    size_t k;

    start(8, 2);
    take(0, 5);
    k = lockdep_acquire(ld, 0, 5, chain);
    ck_assert_msg(k == 1 && chain[0] == 5,
                  "thread 0 holds lock 5 and waits for it again: the chain is {5}; got %zu "
                  "locks: %s",
                  k, show_chain(k));
    drop(0, 5);
    take(0, 5); /* released: taking it again is fine */
    take(1, 6), drop(1, 6);
    teardown();
}
END_TEST

START_TEST(a_trylock_teaches_no_order)
{
    /* transfer_trylock.c's pattern: each thread locks one account and tries the other. A trylock
     * never waits, so these two can never deadlock. */
    start(3, 2);
    take(0, 0), take_try(0, 1), drop(0, 1), drop(0, 0);
    take(1, 1), take_try(1, 0), drop(1, 0), drop(1, 1);
    take(1, 1), take(1, 0), drop(1, 0), drop(1, 1);
    /* But a lock held through a trylock counts when the thread later waits for another. */
    take_try(0, 1);
    take(0, 2);
    drop(0, 2), drop(0, 1);
    take(1, 2);
    take_inverted(1, 1);
    teardown();
}
END_TEST

START_TEST(every_held_lock_comes_before)
{
    size_t k;

    /* Thread 0 holds 0 (waited for) and 1 (tried) when it waits for 2: it learns 0 -> 2. */
    start(3, 2);
    take(0, 0), take_try(0, 1), take(0, 2);
    drop(0, 2), drop(0, 1), drop(0, 0);
    take(1, 2);
    k = take_inverted(1, 0);
    ck_assert_msg(k == 2, "the inversion is 0 -> 2 (lock 1 was only tried); got %s", show_chain(k));
    teardown();
}
END_TEST

START_TEST(locks_released_in_any_order)
{
    /* Thread 0 lets go of 0 before it takes 2: it learns 1 -> 2, not 0 -> 2. */
    start(3, 2);
    take(0, 0), take(0, 1), drop(0, 0), take(0, 2);
    drop(0, 1), drop(0, 2);
    take(1, 2);
    take_inverted(1, 1);
    teardown();
}
END_TEST

START_TEST(each_thread_holds_its_own_locks)
{
    /* Thread 1 takes lock 1 while thread 0 holds lock 0: no order between them. */
    start(2, 3);
    take(0, 0);
    take(1, 1);
    drop(1, 1);
    drop(0, 0);
    take(2, 1), take(2, 0), drop(2, 0), drop(2, 1);
    take(1, 0), take(0, 1), drop(0, 1), drop(1, 0);
    teardown();
}
END_TEST

START_TEST(a_long_chain_of_orders)
{
    enum { LOCKS = 1000 };
    size_t k;

    start(LOCKS, 2);
    for (size_t l = 0; l + 1 < LOCKS; l++) {
        take(0, l), take(0, l + 1);
        drop(0, l + 1), drop(0, l);
    }
    take(1, LOCKS - 1);
    k = take_inverted(1, 0);
    ck_assert_msg(k == LOCKS, "the only inversion goes through all %d locks; got %s", LOCKS,
                  show_chain(k));
    teardown();
}
END_TEST

/* ---- threads at once ------------------------------------------------------------------------ */

static pthread_barrier_t both_hold_one;

struct opposite {
    size_t thread, first, second;
    size_t k;
    size_t chain[2];
};

static void *take_two(void *arg)
{
    struct opposite *o = arg;
    size_t scratch[2];

    lockdep_acquire(ld, o->thread, o->first, scratch);
    pthread_barrier_wait(&both_hold_one);
    o->k = lockdep_acquire(ld, o->thread, o->second, o->chain);
    lockdep_release(ld, o->thread, o->second);
    lockdep_release(ld, o->thread, o->first);
    return NULL;
}

START_TEST(opposite_orders_at_the_same_moment)
{
    enum { ROUNDS = 200 };

    ck_assert_int_eq(pthread_barrier_init(&both_hold_one, NULL, 2), 0);
    for (int round = 0; round < ROUNDS; round++) {
        struct opposite o[2] = {{0, 0, 1, 0, {0}}, {1, 1, 0, 0, {0}}};
        pthread_t threads[2];

        start(2, 2);
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(pthread_create(&threads[i], NULL, take_two, &o[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(threads[i], NULL);
        /* Whichever asks second finds the other's order learned; the first finds nothing. */
        ck_assert_msg((o[0].k == 2) + (o[1].k == 2) == 1 && o[0].k + o[1].k == 2,
                      "round %d: two threads took locks 0 and 1 in opposite orders at once: "
                      "exactly one of them must be told, with a chain of 2; they got %zu and %zu",
                      round, o[0].k, o[1].k);
        for (int i = 0; i < 2; i++)
            ck_assert_msg(o[i].k == 0 ||
                              (o[i].chain[0] == o[i].second && o[i].chain[1] == o[i].first),
                          "round %d: thread %d holds %zu and waits for %zu: the chain is %zu -> "
                          "%zu; got %zu -> %zu",
                          round, i, o[i].first, o[i].second, o[i].second, o[i].first, o[i].chain[0],
                          o[i].chain[1]);
    }
    pthread_barrier_destroy(&both_hold_one);
    teardown();
}
END_TEST

enum { WORKERS = 8, ITERATIONS = 1500, POOL = 24 };

struct worker {
    size_t thread;
    uint64_t rng;
    size_t reports;
    size_t first_chain[POOL];
    size_t first_k;
};

static uint64_t next_random(uint64_t *state) /* xorshift64* */
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * UINT64_C(2685821657736338717);
}

/* Take a random few of the POOL locks, always in increasing order, some of them by trylock;
 * release them in a random order. One order for everybody: nothing to report. */
static void *in_order(void *arg)
{
    struct worker *w = arg;
    size_t chain_here[POOL];

    for (int i = 0; i < ITERATIONS; i++) {
        size_t taken[POOL], n = 0;

        for (size_t l = 0; l < POOL; l++) {
            uint64_t r = next_random(&w->rng);

            if (r % 4 != 0)
                continue;
            if (r % 3 == 0) {
                lockdep_acquire_try(ld, w->thread, l);
            } else {
                size_t k = lockdep_acquire(ld, w->thread, l, chain_here);

                if (k > 0 && w->reports++ == 0) {
                    memcpy(w->first_chain, chain_here, k * sizeof *chain_here);
                    w->first_k = k;
                }
            }
            taken[n++] = l;
        }
        while (n > 0) { /* release in a random order */
            size_t j = next_random(&w->rng) % n;

            lockdep_release(ld, w->thread, taken[j]);
            taken[j] = taken[--n];
        }
    }
    return NULL;
}

START_TEST(many_threads_in_one_order)
{
    struct worker workers[WORKERS];
    pthread_t threads[WORKERS];
    size_t k;

    start(POOL, WORKERS + 1);
    for (size_t i = 0; i < WORKERS; i++) {
        workers[i] = (struct worker){.thread = i, .rng = 0x1234 + i};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, in_order, &workers[i]), 0);
    }
    for (size_t i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    for (size_t i = 0; i < WORKERS; i++)
        ck_assert_msg(workers[i].reports == 0,
                      "%zu threads took locks, always in increasing order: nothing to report; "
                      "thread %zu was told of %zu inversions, the first %zu locks long",
                      (size_t)WORKERS, i, workers[i].reports, workers[i].first_k);
    /* Now the last thread (WORKERS) takes lock POOL - 1, then lock 0: that order is new. */
    k = lockdep_acquire(ld, WORKERS, POOL - 1, chain);
    ck_assert_msg(k == 0, "a thread holding nothing took a lock: reported %zu", k);
    k = lockdep_acquire(ld, WORKERS, 0, chain);
    ck_assert_msg(k >= 2 && chain[0] == 0 && chain[k - 1] == POOL - 1,
                  "after thousands of increasing orders, taking 0 while holding %d is an "
                  "inversion from 0 to %d; got %zu locks: %s",
                  POOL - 1, POOL - 1, k, show_chain(k));
    teardown();
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 5 exercises");
    TCase *tc = test_case(s, "lockdep");

    tcase_add_test(tc, one_order_is_quiet);
    tcase_add_test(tc, two_locks_taken_both_ways);
    tcase_add_test(tc, an_inversion_through_other_locks);
    tcase_add_test(tc, a_thread_waiting_for_itself);
    tcase_add_test(tc, a_trylock_teaches_no_order);
    tcase_add_test(tc, every_held_lock_comes_before);
    tcase_add_test(tc, locks_released_in_any_order);
    tcase_add_test(tc, each_thread_holds_its_own_locks);
    tcase_add_test(tc, a_long_chain_of_orders);
    tcase_add_test(tc, opposite_orders_at_the_same_moment);
    tcase_add_test(tc, many_threads_in_one_order);
    return s;
}
