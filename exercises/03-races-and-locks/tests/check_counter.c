/*
 * check_counter.c: tests of count_with_mutex, count_with_atomic and count_per_thread.
 *
 * Chapter 3, exercise counter.c. The events come from the tests' next(), which also watches the
 * threads that call it: it holds each thread's first event until all `nthreads` threads have
 * asked (a start line, so that they really count at the same time, and a version that starts and
 * joins them one by one is caught within STUCK_SECONDS); it reserves a share of the events for each
 * thread (so every thread counts some); and it counts what it handed out. A count that does not
 * match is an update lost. Whether a missing lock loses updates in one run depends on how the
 * threads happened to share the cores: on two free cores, nearly always; on one core, almost never.
 * ThreadSanitizer (SANITIZE=thread) sees the race either way. Compare with
 * chapters/03-races-and-locks/counter_race.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

/* Seconds without progress after which a test gives up: no thread arrived at the start line (they
 * were started one by one), or no event was taken and the count did not return (a mutex left
 * locked). A slow machine makes progress all along, only slowly, and is never cut short. */
#define STUCK_SECONDS 2.0
#define WATCH_SECONDS 0.1 /* how often the watchdog looks for progress */
#define QUOTA 1000        /* events reserved for each thread, when there are enough */
#define MANY 2000000L     /* events in the contention tests (fewer under sanitizers) */
/* ThreadSanitizer makes every atomic and lock call many times slower: fewer events there. */
#define MANY_SANITIZED 100000L

/* ---- the event source ------------------------------------------------------------------------ */

struct source {
    int nthreads; /* how many threads the function under test must start */
    long quota;   /* events reserved for each of them */
    atomic_long
        pool; /* events left for anyone once the quotas are taken (goes below 0 at the end) */
    atomic_long handed;
    atomic_long activity; /* arrivals and events handed out: what the watchdog watches */
    pthread_t caller;     /* the thread that called the function under test */

    pthread_mutex_t lock; /* guards the rest */
    pthread_cond_t all_here;
    int arrived;                  /* threads that have asked for an event so far */
    int extra;                    /* threads that asked when nthreads already had */
    bool caller_asked;            /* the caller's own thread asked */
    bool broken;                  /* the start line timed out: not every thread came */
    int arrived_in_time;          /* how many had come when it did */
    struct timespec last_arrival; /* when the latest thread came */
};

/* What a thread remembers about the source it takes events from. */
static _Thread_local struct {
    struct source *source;
    bool admitted;
    long taken;
} mine;

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

static void source_init(struct source *s, int nthreads, long events)
{
    long per = events / nthreads;

    s->nthreads = nthreads;
    s->quota = per < QUOTA ? per : QUOTA;
    atomic_init(&s->pool, events - s->quota * nthreads);
    atomic_init(&s->handed, 0);
    atomic_init(&s->activity, 0);
    s->caller = pthread_self();
    ck_assert_int_eq(pthread_mutex_init(&s->lock, NULL), 0);
    cond_init_monotonic(&s->all_here);
    s->arrived = s->extra = 0;
    s->caller_asked = s->broken = false;
    s->arrived_in_time = 0;
}

static void source_destroy(struct source *s)
{
    pthread_cond_destroy(&s->all_here);
    pthread_mutex_destroy(&s->lock);
}

static bool before(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/*
 * A thread's first call: line up until all nthreads have come, or until none has come for
 * STUCK_SECONDS (then the start line breaks, everyone stops, and the test fails). Returns true if
 * the thread may count.
 */
static bool arrive(struct source *s)
{
    bool admitted;

    pthread_mutex_lock(&s->lock);
    if (pthread_equal(pthread_self(), s->caller)) {
        s->caller_asked = true;
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    if (s->arrived == s->nthreads) {
        s->extra++;
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    s->arrived++;
    s->last_arrival = now();
    atomic_fetch_add(&s->activity, 1);
    pthread_cond_broadcast(&s->all_here); /* all here, or one more: either way, news */
    while (s->arrived < s->nthreads && !s->broken) {
        struct timespec deadline = plus(s->last_arrival, STUCK_SECONDS);

        if (pthread_cond_timedwait(&s->all_here, &s->lock, &deadline) == ETIMEDOUT &&
            s->arrived < s->nthreads && !before(now(), plus(s->last_arrival, STUCK_SECONDS))) {
            s->broken = true;
            s->arrived_in_time = s->arrived;
            pthread_cond_broadcast(&s->all_here);
        }
    }
    admitted = !s->broken;
    pthread_mutex_unlock(&s->lock);
    return admitted;
}

static bool next_event(void *arg)
{
    struct source *s = arg;

    if (mine.source != s) {
        mine.source = s;
        mine.taken = 0;
        mine.admitted = arrive(s);
    }
    if (!mine.admitted)
        return false;
    if (mine.taken < s->quota || atomic_fetch_sub(&s->pool, 1) > 0) {
        mine.taken++;
        atomic_fetch_add(&s->handed, 1);
        atomic_fetch_add(&s->activity, 1);
        return true;
    }
    return false;
}

/* ---- running the function under test, with a time limit -------------------------------------- */

typedef long count_fn(int nthreads, event_fn *next, void *source);

static const struct way {
    const char *name;
    count_fn *count;
} ways[] = {
    {"count_with_mutex", count_with_mutex},
    {"count_with_atomic", count_with_atomic},
    {"count_per_thread", count_per_thread},
};

struct call {
    const struct way *way;
    struct source source;
    long result;
    bool done;
    pthread_mutex_t lock;
    pthread_cond_t finished;
};

static void *caller(void *arg)
{
    struct call *c = arg;
    long result;

    c->source.caller = pthread_self();
    result = c->way->count(c->source.nthreads, next_event, &c->source);
    pthread_mutex_lock(&c->lock);
    c->result = result;
    c->done = true;
    pthread_cond_signal(&c->finished);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/*
 * Count `events` with `nthreads` threads the way `way` does, from a thread of its own so that a
 * count that stops making progress (a mutex never unlocked) fails the test. Check what
 * the source saw and that the count is exact.
 */
static void expect_exact(const struct way *way, int nthreads, long events)
{
    struct call *c = calloc(1, sizeof *c); /* leaked on purpose if the count never returns */
    pthread_t thread;
    long progress;
    struct timespec last_change;

    ck_assert_ptr_nonnull(c);
    c->way = way;
    source_init(&c->source, nthreads, events);
    ck_assert_int_eq(pthread_mutex_init(&c->lock, NULL), 0);
    cond_init_monotonic(&c->finished);
    ck_assert_int_eq(pthread_create(&thread, NULL, caller, c), 0);
    pthread_mutex_lock(&c->lock);
    progress = atomic_load(&c->source.activity);
    last_change = now();
    while (!c->done) {
        /* Wake up now and then to look at the source: slow is fine, stuck is not. */
        struct timespec deadline = plus(now(), WATCH_SECONDS);
        long seen;

        if (pthread_cond_timedwait(&c->finished, &c->lock, &deadline) != ETIMEDOUT || c->done)
            continue;
        seen = atomic_load(&c->source.activity);
        if (seen != progress) {
            progress = seen;
            last_change = now();
        } else if (!before(now(), plus(last_change, STUCK_SECONDS))) {
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    ck_assert_msg(c->done,
                  "%s(%d, next, source) made no progress for %.0f s and has not returned "
                  "(%ld of %ld events handed out): is a mutex left locked, or a thread never "
                  "joined?",
                  way->name, nthreads, STUCK_SECONDS, atomic_load(&c->source.handed), events);
    ck_assert_int_eq(pthread_join(thread, NULL), 0);

    pthread_mutex_lock(&c->source.lock); /* only to read what the threads wrote under it */
    ck_assert_msg(!c->source.caller_asked,
                  "%s: the calling thread called next() itself: the threads it starts count",
                  way->name);
    ck_assert_msg(!c->source.broken,
                  "%s(%d, ...): %d of the %d threads had asked for an event, and no other came "
                  "for %.0f s: start them all before joining any, so that they count at the same "
                  "time",
                  way->name, nthreads, c->source.arrived_in_time, nthreads, STUCK_SECONDS);
    ck_assert_msg(c->source.arrived == nthreads && c->source.extra == 0,
                  "%s(%d, ...) returned %ld, and %d threads asked for events, expected %d",
                  way->name, nthreads, c->result, c->source.arrived + c->source.extra, nthreads);
    pthread_mutex_unlock(&c->source.lock);
    ck_assert_msg(atomic_load(&c->source.handed) == events, "the source handed out %ld of %ld",
                  atomic_load(&c->source.handed), events);
    ck_assert_msg(c->result == events, "%s(%d threads, %ld events) returned %ld: %ld %s", way->name,
                  nthreads, events, c->result,
                  c->result < events ? events - c->result : c->result - events,
                  c->result < events ? "lost" : "too many");
    pthread_cond_destroy(&c->finished);
    pthread_mutex_destroy(&c->lock);
    source_destroy(&c->source);
    free(c);
}

/* ---- the tests: the same five for each way ------------------------------------------------- */

static void one_thread(const struct way *way)
{
    expect_exact(way, 1, 0);
    expect_exact(way, 1, 1);
    expect_exact(way, 1, 12345);
}

static void few_events(const struct way *way)
{
    expect_exact(way, 2, 0);
    expect_exact(way, 2, 1);
    expect_exact(way, 3, 7);
    expect_exact(way, 5, 3); /* fewer events than threads: some count none */
}

static void many_threads(const struct way *way)
{
    expect_exact(way, 16, 16 * QUOTA + 5);
    expect_exact(way, COUNT_MAX_THREADS, 100 * COUNT_MAX_THREADS);
}

static void two_threads_many_events(const struct way *way)
{
    expect_exact(way, 2, test_sanitized("thread") ? MANY_SANITIZED : MANY);
}

static void four_threads_many_events(const struct way *way)
{
    expect_exact(way, 4, test_sanitized("thread") ? MANY_SANITIZED : MANY);
    expect_exact(way, 4, (test_sanitized("thread") ? MANY_SANITIZED : MANY) + 3);
}

#define MUTEX (&ways[0])
#define ATOMIC (&ways[1])
#define PER_THREAD (&ways[2])

/* clang-format off */
START_TEST(mutex_one_thread) { one_thread(MUTEX); } END_TEST
START_TEST(mutex_few_events) { few_events(MUTEX); } END_TEST
START_TEST(mutex_many_threads) { many_threads(MUTEX); } END_TEST
START_TEST(mutex_two_threads_many_events) { two_threads_many_events(MUTEX); } END_TEST
START_TEST(mutex_four_threads_many_events) { four_threads_many_events(MUTEX); } END_TEST
START_TEST(atomic_one_thread) { one_thread(ATOMIC); } END_TEST
START_TEST(atomic_few_events) { few_events(ATOMIC); } END_TEST
START_TEST(atomic_many_threads) { many_threads(ATOMIC); } END_TEST
START_TEST(atomic_two_threads_many_events) { two_threads_many_events(ATOMIC); } END_TEST
START_TEST(atomic_four_threads_many_events) { four_threads_many_events(ATOMIC); } END_TEST
START_TEST(per_thread_one_thread) { one_thread(PER_THREAD); } END_TEST
START_TEST(per_thread_few_events) { few_events(PER_THREAD); } END_TEST
START_TEST(per_thread_many_threads) { many_threads(PER_THREAD); } END_TEST
START_TEST(per_thread_two_threads_many_events) { two_threads_many_events(PER_THREAD); } END_TEST
START_TEST(per_thread_four_threads_many_events) { four_threads_many_events(PER_THREAD); } END_TEST
/* clang-format on */

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 3 exercises");
    /* One test case for the exercise: a wrong answer in any of the three ways fails it. */
    TCase *tc = test_case(s, "counter");

    tcase_add_test(tc, mutex_one_thread);
    tcase_add_test(tc, mutex_few_events);
    tcase_add_test(tc, mutex_many_threads);
    tcase_add_test(tc, mutex_two_threads_many_events);
    tcase_add_test(tc, mutex_four_threads_many_events);
    tcase_add_test(tc, atomic_one_thread);
    tcase_add_test(tc, atomic_few_events);
    tcase_add_test(tc, atomic_many_threads);
    tcase_add_test(tc, atomic_two_threads_many_events);
    tcase_add_test(tc, atomic_four_threads_many_events);
    tcase_add_test(tc, per_thread_one_thread);
    tcase_add_test(tc, per_thread_few_events);
    tcase_add_test(tc, per_thread_many_threads);
    tcase_add_test(tc, per_thread_two_threads_many_events);
    tcase_add_test(tc, per_thread_four_threads_many_events);
    return s;
}
