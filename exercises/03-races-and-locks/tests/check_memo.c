/*
 * check_memo.c: tests of memo_init, memo_get and memo_destroy: many threads, each value computed
 * once.
 *
 * Chapter 3, exercise memo.c. The tests' threads wait at a barrier, then all ask for the same keys
 * at the same moment. The tests' compute() counts how often each key is computed, and holds the
 * window of a check-then-act open: when it finds the memo's mutex free while it runs (so nothing
 * keeps the other threads out), it waits up to WINDOW_SECONDS for another thread to compute the
 * same key, which ends the wait at once, and the test. A memo_get that never returns (a mutex left
 * locked) fails the test after STUCK_SECONDS without progress. Compare with
 * chapters/03-races-and-locks/counter_mutex.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define MAX_THREADS 16
#define WINDOW_SECONDS 1.0 /* how long compute() waits for a second thread to compute its key */
#define STUCK_SECONDS 2.0  /* no memo_get returned for this long: the test gives up */
#define ROUNDS 3           /* how many times each thread asks for its keys */

/* What compute(key) returns in memo `tag`: different for every key and every memo. */
static long value_of(int tag, int key)
{
    return 1000L * tag + key * 7L + 3;
}

/* What compute() shares with the tests: one per memo. */
struct context {
    struct memo *memo;
    int tag;
    bool hold_window;               /* wait in compute() while the memo's mutex is free */
    atomic_int computed[MEMO_KEYS]; /* how often compute(key) was called */
    pthread_mutex_t lock;           /* for the wait in compute() */
    pthread_cond_t changed;
};

static struct timespec now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts;
}

static struct timespec plus(struct timespec ts, double seconds)
{
    ts.tv_sec += (time_t)seconds;
    ts.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static void cond_init_monotonic(pthread_cond_t *cond)
{
    pthread_condattr_t attr;

    ck_assert_int_eq(pthread_condattr_init(&attr), 0);
    ck_assert_int_eq(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), 0);
    ck_assert_int_eq(pthread_cond_init(cond, &attr), 0);
    pthread_condattr_destroy(&attr);
}

static long compute(int key, void *arg)
{
    struct context *ctx = arg;
    int rc;

    ck_assert_msg(key >= 0 && key < MEMO_KEYS, "compute(%d): not a key", key);
    pthread_mutex_lock(&ctx->lock);
    atomic_fetch_add(&ctx->computed[key], 1);
    pthread_cond_broadcast(&ctx->changed);
    pthread_mutex_unlock(&ctx->lock);
    /*
     * If the caller holds the memo's mutex, trylock fails (it fails for its owner too): nobody can
     * get past the check meanwhile, and there is no window to hold open. If it succeeds, the
     * mutex is free while we compute: give another thread the time to come in for the same key.
     */
    rc = ctx->hold_window ? pthread_mutex_trylock(&ctx->memo->mutex) : EBUSY;
    if (rc == 0) {
        struct timespec deadline = plus(now(), WINDOW_SECONDS);

        pthread_mutex_unlock(&ctx->memo->mutex);
        pthread_mutex_lock(&ctx->lock);
        while (atomic_load(&ctx->computed[key]) < 2 &&
               pthread_cond_timedwait(&ctx->changed, &ctx->lock, &deadline) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&ctx->lock);
    }
    return value_of(ctx->tag, key);
}

static void context_init(struct context *ctx, struct memo *memo, int tag, bool hold_window)
{
    int err;

    memset(ctx, 0, sizeof *ctx);
    ctx->memo = memo;
    ctx->tag = tag;
    ctx->hold_window = hold_window;
    for (int k = 0; k < MEMO_KEYS; k++)
        atomic_init(&ctx->computed[k], 0);
    ck_assert_int_eq(pthread_mutex_init(&ctx->lock, NULL), 0);
    cond_init_monotonic(&ctx->changed);
    err = memo_init(memo, compute, ctx);
    ck_assert_msg(err == 0, "memo_init returned %d (%s), expected 0", err, strerror(err));
}

/* ---- threads that ask, and a watchdog over them -----------------------------------------------
 */

struct asker {
    pthread_t thread;
    struct memo *memo;
    struct context *ctx;
    const int *keys; /* the keys it asks for, in this order, ROUNDS times */
    int nkeys;
    int wrong_key; /* the first key whose value was wrong, or -1 */
    long wrong_value;
};

static struct {
    pthread_barrier_t start;
    pthread_mutex_t lock;
    pthread_cond_t progress;
    long answered; /* memo_get calls that returned, all threads together */
    int finished;  /* threads done */
} run;

static void *ask(void *arg)
{
    struct asker *a = arg;

    pthread_barrier_wait(&run.start); /* everyone asks at the same moment */
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < a->nkeys; i++) {
            int key = a->keys[i];
            long got = memo_get(a->memo, key);

            if (got != value_of(a->ctx->tag, key) && a->wrong_key < 0) {
                a->wrong_key = key;
                a->wrong_value = got;
            }
            pthread_mutex_lock(&run.lock);
            run.answered++;
            pthread_cond_broadcast(&run.progress);
            pthread_mutex_unlock(&run.lock);
        }
    }
    pthread_mutex_lock(&run.lock);
    run.finished++;
    pthread_cond_broadcast(&run.progress);
    pthread_mutex_unlock(&run.lock);
    return NULL;
}

/*
 * Start n askers (their memo, context and keys filled in) together, and wait for them: fail if no
 * memo_get returns for STUCK_SECONDS. Then check every value they got.
 */
static void ask_all(struct asker askers[], int n)
{
    long seen = 0;
    struct timespec last_change;

    ck_assert_int_le(n, MAX_THREADS);
    ck_assert_int_eq(pthread_barrier_init(&run.start, NULL, (unsigned)n), 0);
    ck_assert_int_eq(pthread_mutex_init(&run.lock, NULL), 0);
    cond_init_monotonic(&run.progress);
    run.answered = 0;
    run.finished = 0;
    for (int i = 0; i < n; i++) {
        askers[i].wrong_key = -1;
        ck_assert_int_eq(pthread_create(&askers[i].thread, NULL, ask, &askers[i]), 0);
    }
    pthread_mutex_lock(&run.lock);
    last_change = now();
    while (run.finished < n) {
        struct timespec deadline = plus(last_change, STUCK_SECONDS);

        if (pthread_cond_timedwait(&run.progress, &run.lock, &deadline) != ETIMEDOUT) {
            if (run.answered != seen) {
                seen = run.answered;
                last_change = now();
            }
            continue;
        }
        if (run.answered == seen && run.finished < n) {
            pthread_mutex_unlock(&run.lock);
            ck_abort_msg("no memo_get returned for %.0f s (%ld answers so far): is the mutex "
                         "left locked on some path?",
                         STUCK_SECONDS, run.answered);
        }
        seen = run.answered;
        last_change = now();
    }
    pthread_mutex_unlock(&run.lock);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(pthread_join(askers[i].thread, NULL), 0);
        ck_assert_msg(askers[i].wrong_key < 0, "memo_get(%d) returned %ld, expected %ld",
                      askers[i].wrong_key, askers[i].wrong_value,
                      value_of(askers[i].ctx->tag, askers[i].wrong_key));
    }
    pthread_barrier_destroy(&run.start);
}

/* Every key in keys[] was computed exactly once; every other key never. */
static void expect_computed_once(struct context *ctx, const int keys[], int nkeys)
{
    for (int k = 0; k < MEMO_KEYS; k++) {
        int wanted = 0, got = atomic_load(&ctx->computed[k]);

        for (int i = 0; i < nkeys; i++)
            wanted |= keys[i] == k;
        ck_assert_msg(
            got == wanted, "key %d was computed %d times, expected %d: %s", k, got, wanted,
            got > wanted ? "it was computed again once known, or two threads both found it "
                           "unknown at the same time (check-then-act)"
                         : "its value never came from compute()");
    }
}

/* The memo's mutex is free again, and it can be destroyed. */
static void expect_unlocked_and_destroy(struct memo *memo, struct context *ctx)
{
    int rc = pthread_mutex_trylock(&memo->mutex);

    ck_assert_msg(rc == 0, "the memo's mutex is still locked after every memo_get returned");
    pthread_mutex_unlock(&memo->mutex);
    memo_destroy(memo);
    pthread_cond_destroy(&ctx->changed);
    pthread_mutex_destroy(&ctx->lock);
}

static struct memo memo, other;
static struct context ctx, other_ctx;
static int all_keys[MEMO_KEYS];

/* Every key once, in order (filled in by the tests that use it). */
static const int *every_key(void)
{
    for (int k = 0; k < MEMO_KEYS; k++)
        all_keys[k] = k;
    return all_keys;
}

/* ---- the tests ------------------------------------------------------------------------------ */

START_TEST(one_thread_computes_each_key_once)
{
    struct asker a = {.memo = &memo, .ctx = &ctx, .keys = every_key(), .nkeys = MEMO_KEYS};

    context_init(&ctx, &memo, 1, false);
    ask_all(&a, 1);
    expect_computed_once(&ctx, every_key(), MEMO_KEYS);
    expect_unlocked_and_destroy(&memo, &ctx);
}
END_TEST

START_TEST(eight_threads_ask_for_one_key_at_once)
{
    static const int key[] = {5};
    struct asker askers[8];

    context_init(&ctx, &memo, 2, true);
    for (int i = 0; i < 8; i++)
        askers[i] = (struct asker){.memo = &memo, .ctx = &ctx, .keys = key, .nkeys = 1};
    ask_all(askers, 8);
    expect_computed_once(&ctx, key, 1);
    expect_unlocked_and_destroy(&memo, &ctx);
}
END_TEST

START_TEST(threads_ask_for_the_same_keys_in_the_same_order)
{
    static const int keys[] = {0, 1, 2, 63};
    struct asker askers[MAX_THREADS];

    context_init(&ctx, &memo, 3, true);
    for (int i = 0; i < MAX_THREADS; i++)
        askers[i] = (struct asker){.memo = &memo, .ctx = &ctx, .keys = keys, .nkeys = 4};
    ask_all(askers, MAX_THREADS);
    expect_computed_once(&ctx, keys, 4);
    expect_unlocked_and_destroy(&memo, &ctx);
}
END_TEST

START_TEST(threads_ask_for_every_key_in_different_orders)
{
    static int orders[MAX_THREADS][MEMO_KEYS];
    struct asker askers[MAX_THREADS];

    context_init(&ctx, &memo, 4, false);
    for (int i = 0; i < MAX_THREADS; i++) {
        for (int k = 0; k < MEMO_KEYS; k++) /* thread i starts at key 4i, and goes round */
            orders[i][k] = (k + 4 * i) % MEMO_KEYS;
        askers[i] =
            (struct asker){.memo = &memo, .ctx = &ctx, .keys = orders[i], .nkeys = MEMO_KEYS};
    }
    ask_all(askers, MAX_THREADS);
    expect_computed_once(&ctx, every_key(), MEMO_KEYS);
    expect_unlocked_and_destroy(&memo, &ctx);
}
END_TEST

START_TEST(two_memos_keep_their_own_values)
{
    static const int keys[] = {7, 8, 9};
    struct asker askers[4];

    context_init(&ctx, &memo, 5, false);
    context_init(&other_ctx, &other, 6, false);
    for (int i = 0; i < 4; i++)
        askers[i] = (struct asker){.memo = i % 2 ? &other : &memo,
                                   .ctx = i % 2 ? &other_ctx : &ctx,
                                   .keys = keys,
                                   .nkeys = 3};
    ask_all(askers, 4);
    expect_computed_once(&ctx, keys, 3);
    expect_computed_once(&other_ctx, keys, 3);
    expect_unlocked_and_destroy(&memo, &ctx);
    expect_unlocked_and_destroy(&other, &other_ctx);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 3 exercises");
    TCase *tc = test_case(s, "memo");

    tcase_add_test(tc, one_thread_computes_each_key_once);
    tcase_add_test(tc, eight_threads_ask_for_one_key_at_once);
    tcase_add_test(tc, threads_ask_for_the_same_keys_in_the_same_order);
    tcase_add_test(tc, threads_ask_for_every_key_in_different_orders);
    tcase_add_test(tc, two_memos_keep_their_own_values);
    return s;
}
