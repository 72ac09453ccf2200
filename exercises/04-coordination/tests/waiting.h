/*
 * waiting.h: what the tests of the thread exercises share: counts to wait for with a time limit,
 * a start gate, a watchdog that fails a test stuck in a call, and the CPU time the process used.
 *
 * Chapter 4. A wrong solution often hangs (a lost wake-up). These helpers turn a hang into a
 * failure with a clear message within WAKE_LIMIT seconds, instead of the runner's 10 s limit.
 * The only timed waits that can pass are "must not happen" checks (MUST_WAIT): a correct solution
 * always passes them, and a wrong one fails them as soon as it misbehaves.
 */
#ifndef WAITING_H
#define WAITING_H

#include <pthread.h>
#include <time.h>

#include "errors.h"
#include "testing.h"

#define WAKE_LIMIT 2.0 /* s: a thread that should be woken and still waits: a lost wake-up */
#define MUST_WAIT 0.2  /* s: how long a thread that must stay blocked is watched */
#define SETTLE 0.05    /* s: time for a thread just started to reach its wait */

/* A count that threads raise and the test waits for. */
struct count {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int n;
};

/* For a count of static storage; count_init for any other. */
#define COUNT_INIT                                                                                 \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0                                     \
    }

static inline void count_init(struct count *c)
{
    PCHECK(pthread_mutex_init(&c->lock, NULL));
    PCHECK(pthread_cond_init(&c->changed, NULL));
    c->n = 0;
}

static inline void count_destroy(struct count *c)
{
    PCHECK(pthread_cond_destroy(&c->changed));
    PCHECK(pthread_mutex_destroy(&c->lock));
}

static inline void count_up(struct count *c)
{
    PCHECK(pthread_mutex_lock(&c->lock));
    c->n++;
    PCHECK(pthread_cond_broadcast(&c->changed));
    PCHECK(pthread_mutex_unlock(&c->lock));
}

/* Wait until the count reaches `n`, or `seconds` pass: returns the count then. */
static inline int count_wait(struct count *c, int n, double seconds)
{
    struct timespec deadline;
    int err = 0, now;

    clock_gettime(CLOCK_REALTIME, &deadline); /* the clock pthread_cond_timedwait uses */
    deadline.tv_sec += (time_t)seconds;
    deadline.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    PCHECK(pthread_mutex_lock(&c->lock));
    while (c->n < n && err == 0)
        err = pthread_cond_timedwait(&c->changed, &c->lock, &deadline);
    if (err != 0 && err != ETIMEDOUT)
        die_errnum(err, "pthread_cond_timedwait");
    now = c->n;
    PCHECK(pthread_mutex_unlock(&c->lock));
    return now;
}

/* Let `seconds` pass, for a "must not happen" check: nobody raises this count. */
static inline void pause_for(double seconds)
{
    struct count never;

    count_init(&never);
    count_wait(&never, 1, seconds);
    count_destroy(&never);
}

/*
 * The start gate the stress tests start their threads at, a barrier made of two counts: each
 * thread arrives and waits; the test opens the gate once all of them are there, so that they all
 * start at once. (pthread_barrier_t would do, but macOS has none.)
 */
struct gate {
    struct count arrived, opened;
};

static inline void gate_init(struct gate *g)
{
    count_init(&g->arrived);
    count_init(&g->opened);
}

static inline void gate_destroy(struct gate *g)
{
    count_destroy(&g->arrived);
    count_destroy(&g->opened);
}

/* A thread's side: arrive, and wait until the test opens the gate. */
static inline void gate_pass(struct gate *g)
{
    count_up(&g->arrived);
    count_wait(&g->opened, 1, TEST_TIMEOUT);
}

/* The test's side: once `n` threads wait at the gate, open it. Fails the test if they do not all
 * arrive within WAKE_LIMIT seconds. */
static inline void gate_open(struct gate *g, int n)
{
    int arrived = count_wait(&g->arrived, n, WAKE_LIMIT);

    ck_assert_msg(arrived == n, "only %d of %d threads reached the start gate", arrived, n);
    count_up(&g->opened);
}

/* A watchdog: fails the test with `what` unless stopped within `seconds`. */
struct watchdog {
    pthread_t thread;
    struct count stopped;
    double seconds;
    const char *what;
};

static inline void *watchdog_run(void *arg)
{
    struct watchdog *w = arg;

    if (count_wait(&w->stopped, 1, w->seconds) < 1)
        ck_abort_msg("%s", w->what); /* ends the test's process, and the stuck thread with it */
    return NULL;
}

static inline void watchdog_start(struct watchdog *w, double seconds, const char *what)
{
    w->seconds = seconds;
    w->what = what;
    count_init(&w->stopped);
    PCHECK(pthread_create(&w->thread, NULL, watchdog_run, w));
}

static inline void watchdog_stop(struct watchdog *w)
{
    count_up(&w->stopped);
    PCHECK(pthread_join(w->thread, NULL));
    count_destroy(&w->stopped);
}

/* CPU seconds the whole process has used, every thread counted. */
static inline double cpu_seconds(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1)
        die_errno("clock_gettime");
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
