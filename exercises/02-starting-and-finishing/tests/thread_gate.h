/*
 * thread_gate.h: the tests' create_thread(), for check_parallel_sum.c and check_start_numbered.c.
 *
 * Chapter 2. It is pthread_create, except that each new thread first waits at a gate, and the
 * test decides when the gate opens: once a given number of threads exist, or only when the test
 * says so, after the code under test has returned. A thread that reads its argument late then
 * reads it late every time, so a race that "usually works" fails every run. Code that waits for
 * a thread still behind the gate would wait forever: once no thread has been started for
 * GATE_TIMEOUT, the gate opens by itself, for good, and records that it had to; the test then
 * says what went wrong.
 * The gate can also make one call fail, as pthread_create does when threads run out (EAGAIN).
 */
#ifndef THREAD_GATE_H
#define THREAD_GATE_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "exercises.h"
#include "testing.h"

#define GATE_TIMEOUT_NS 1500000000L /* 1.5 s */
#define GATE_TIMEOUT_TEXT "1.5 s"

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool open;
    bool timed_out;          /* a thread gave up waiting: somebody waited for it behind the gate */
    long long last_start_ns; /* when create_thread was last called (or the gate reset) */
    size_t open_after;       /* open by itself once this many threads exist (0: only gate_open) */
    size_t fail_call; /* this call of create_thread (1, 2, ...) fails with EAGAIN (0: none) */
    size_t calls;     /* calls of create_thread */
    size_t created;   /* threads created */
    size_t finished;  /* threads whose start function has returned */
} gate = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Nanoseconds on the monotonic clock (the clock of gate.changed). Aborts if it cannot be read. */
static inline long long gate_now_ns(void)
{
    struct timespec now;

    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        abort();
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static inline struct timespec gate_timespec(long long ns)
{
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000LL),
                             .tv_nsec = (long)(ns % 1000000000LL)};
}

/*
 * Start afresh, before each call of the code under test, with no thread of the last call still
 * running. The condition variable is made once per test (each test runs in a process of its
 * own): on the monotonic clock, so that its time limits cannot jump with the wall clock.
 */
static inline void gate_reset(size_t open_after, size_t fail_call)
{
    static bool made;

    if (!made) {
        pthread_condattr_t attr;

        ck_assert_int_eq(pthread_condattr_init(&attr), 0);
        ck_assert_int_eq(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), 0);
        ck_assert_int_eq(pthread_cond_init(&gate.changed, &attr), 0);
        ck_assert_int_eq(pthread_condattr_destroy(&attr), 0);
        made = true;
    }
    ck_assert_int_eq(pthread_mutex_lock(&gate.lock), 0);
    gate.open = gate.timed_out = false;
    gate.open_after = open_after;
    gate.fail_call = fail_call;
    gate.calls = gate.created = gate.finished = 0;
    gate.last_start_ns = gate_now_ns();
    ck_assert_int_eq(pthread_mutex_unlock(&gate.lock), 0);
}

/* Open the gate: every thread waiting there goes on, and every later one goes straight through. */
static inline void gate_open(void)
{
    ck_assert_int_eq(pthread_mutex_lock(&gate.lock), 0);
    gate.open = true;
    ck_assert_int_eq(pthread_cond_broadcast(&gate.changed), 0);
    ck_assert_int_eq(pthread_mutex_unlock(&gate.lock), 0);
}

/* Read one of the gate's counters safely. */
static inline size_t gate_count(const size_t *counter)
{
    size_t value;

    ck_assert_int_eq(pthread_mutex_lock(&gate.lock), 0);
    value = *counter;
    ck_assert_int_eq(pthread_mutex_unlock(&gate.lock), 0);
    return value;
}

static inline bool gate_timed_out(void)
{
    bool timed_out;

    ck_assert_int_eq(pthread_mutex_lock(&gate.lock), 0);
    timed_out = gate.timed_out;
    ck_assert_int_eq(pthread_mutex_unlock(&gate.lock), 0);
    return timed_out;
}

/* Wait (at most GATE_TIMEOUT) until every thread created has finished its start function. */
static inline void gate_wait_all_finished(void)
{
    struct timespec deadline = gate_timespec(gate_now_ns() + GATE_TIMEOUT_NS);

    ck_assert_int_eq(pthread_mutex_lock(&gate.lock), 0);
    while (gate.finished < gate.created) {
        if (pthread_cond_timedwait(&gate.changed, &gate.lock, &deadline) == ETIMEDOUT)
            break;
    }
    ck_assert_int_eq(pthread_mutex_unlock(&gate.lock), 0);
}

struct gated_start {
    void *(*start)(void *);
    void *arg;
};

/* What every thread of create_thread runs: the gate, then the function it was given. No Check
 * assertion here: this is not the test's thread. Errors of the gate's own calls abort. */
static void *gated(void *p)
{
    struct gated_start g = *(struct gated_start *)p;
    void *result;

    free(p);
    if (pthread_mutex_lock(&gate.lock) != 0)
        abort();
    while (!gate.open && !gate.timed_out) {
        /* Time out only when no thread has been started for GATE_TIMEOUT: starting a hundred
         * threads under a sanitizer on a busy machine may take longer than that in all. */
        long long give_up = gate.last_start_ns + GATE_TIMEOUT_NS;
        struct timespec deadline = gate_timespec(give_up);

        if (pthread_cond_timedwait(&gate.changed, &gate.lock, &deadline) == ETIMEDOUT &&
            gate_now_ns() >= gate.last_start_ns + GATE_TIMEOUT_NS) {
            gate.timed_out = true; /* and the gate stays open for everyone from now on */
            pthread_cond_broadcast(&gate.changed);
        }
    }
    pthread_mutex_unlock(&gate.lock);
    result = g.start(g.arg);
    if (pthread_mutex_lock(&gate.lock) != 0)
        abort();
    gate.finished++;
    pthread_cond_broadcast(&gate.changed);
    pthread_mutex_unlock(&gate.lock);
    return result;
}

int create_thread(pthread_t *thread, void *(*start)(void *), void *arg)
{
    struct gated_start *g;
    int rc;

    if (pthread_mutex_lock(&gate.lock) != 0)
        abort();
    gate.last_start_ns = gate_now_ns();
    if (++gate.calls == gate.fail_call) {
        /* The threads already started may run now: whoever started them has to join them. */
        gate.open = true;
        pthread_cond_broadcast(&gate.changed);
        pthread_mutex_unlock(&gate.lock);
        return EAGAIN;
    }
    pthread_mutex_unlock(&gate.lock);
    if ((g = malloc(sizeof *g)) == NULL)
        return ENOMEM;
    *g = (struct gated_start){.start = start, .arg = arg};
    if ((rc = pthread_create(thread, NULL, gated, g)) != 0) {
        free(g);
        return rc;
    }
    if (pthread_mutex_lock(&gate.lock) != 0)
        abort();
    gate.last_start_ns = gate_now_ns();
    if (++gate.created == gate.open_after) {
        gate.open = true;
        pthread_cond_broadcast(&gate.changed);
    }
    pthread_mutex_unlock(&gate.lock);
    return 0;
}

#endif
