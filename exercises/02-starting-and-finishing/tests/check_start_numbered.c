/*
 * check_start_numbered.c: tests of start_numbered(): n threads, each with an index of its own.
 *
 * Chapter 2, exercise start_numbered.c. Most tests keep every new thread waiting at the gate of
 * thread_gate.h until start_numbered has returned, and then write over the stack where its local
 * variables were, before they let the threads go: a thread given the address of the loop counter,
 * of a local array, or of one struct shared by all, then reads nonsense every time, not once in a
 * while. Other tests let the threads run at once, and make one start fail.
 * Compare with chapters/02-starting-and-finishing/args_per_thread.c and args_address_of_i.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"
#include "thread_gate.h"

#define MAX_THREADS 64
#define SCRIBBLE_BYTES 65536 /* far more stack than start_numbered could have used */
#define SCRIBBLE 0xA5
#define SLOW_WORK_NS 100000000L /* 0.1 s: the longest the work lasts when a start fails */

/* What the work function saw, written by the threads under `seen.lock`. */
static struct {
    pthread_mutex_t lock;
    size_t calls[MAX_THREADS]; /* calls with each index */
    size_t bad_calls;          /* calls with an index of n or more */
    size_t bad_index;          /* the first such index */
    size_t wrong_shared;       /* calls with a `shared` that is not the caller's */
    size_t on_caller;          /* calls on the thread that called start_numbered */
    pthread_t caller;
    size_t n;
} seen = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int shared_token; /* the caller's `shared`: its address is what must arrive */

static void record(size_t index, void *shared)
{
    if (pthread_mutex_lock(&seen.lock) != 0)
        abort();
    if (index < seen.n) {
        seen.calls[index]++;
    } else if (seen.bad_calls++ == 0) {
        seen.bad_index = index;
    }
    seen.wrong_shared += shared != &shared_token;
    seen.on_caller += pthread_equal(pthread_self(), seen.caller) != 0;
    pthread_mutex_unlock(&seen.lock);
}

/* The work when a start fails: it lasts until the test has looked whether start_numbered joined
 * the threads it had started (or SLOW_WORK_NS at most, for a start_numbered that joins them,
 * which the test waits for), so that a thread nobody joined is still at it when the test looks. */
static pthread_mutex_t look_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t looked_changed;
static bool looked;

static void record_slowly(size_t index, void *shared)
{
    struct timespec until = gate_timespec(gate_now_ns() + SLOW_WORK_NS);

    if (pthread_mutex_lock(&look_lock) != 0)
        abort();
    while (!looked && pthread_cond_timedwait(&looked_changed, &look_lock, &until) != ETIMEDOUT)
        continue;
    pthread_mutex_unlock(&look_lock);
    record(index, shared);
}

/* The test has looked: the slow work may end now. */
static void have_looked(void)
{
    ck_assert_int_eq(pthread_mutex_lock(&look_lock), 0);
    looked = true;
    ck_assert_int_eq(pthread_cond_broadcast(&looked_changed), 0);
    ck_assert_int_eq(pthread_mutex_unlock(&look_lock), 0);
}

static void expect_start(size_t n)
{
    memset(seen.calls, 0, sizeof seen.calls);
    seen.bad_calls = seen.wrong_shared = seen.on_caller = 0;
    seen.caller = pthread_self();
    seen.n = n;
}

/* Write over the stack below the caller's frame, where start_numbered's locals were. Through a
 * volatile pointer, so that the compiler can neither drop the writes nor inline the call. */
static void scribble(void)
{
    volatile unsigned char junk[SCRIBBLE_BYTES];

    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = SCRIBBLE;
}

static void (*volatile scribble_stack)(void) = scribble;

/* Every index 0 .. n-1 was given to exactly one call, with the caller's `shared`, on a thread
 * other than the caller's. */
static void expect_each_index_once(size_t n, const char *when)
{
    ck_assert_msg(seen.bad_calls == 0,
                  "%s: work was called with index %zu, and n is %zu: a thread read its index "
                  "from memory that no longer held it (a loop counter that moved on, or a local "
                  "variable of start_numbered, gone once it returned)",
                  when, seen.bad_index, n);
    for (size_t k = 0; k < n; k++)
        ck_assert_msg(seen.calls[k] == 1,
                      "%s: work was called %zu times with index %zu, expected once: do several "
                      "threads share one argument, which the loop changes?",
                      when, seen.calls[k], k);
    ck_assert_msg(seen.wrong_shared == 0,
                  "%s: %zu calls of work got a `shared` that is not the "
                  "caller's",
                  when, seen.wrong_shared);
    ck_assert_msg(seen.on_caller == 0,
                  "%s: %zu calls of work ran on the thread that called start_numbered, not on "
                  "a thread of their own",
                  when, seen.on_caller);
}

/* start_numbered(n), its threads held back until it has returned and its stack is scribbled on. */
static void expect_late_start(size_t n)
{
    pthread_t threads[MAX_THREADS];
    int rc;

    ck_assert(n <= MAX_THREADS);
    gate_reset(0, 0); /* the gate opens only when this test says so */
    expect_start(n);
    errno = 0;
    rc = start_numbered(threads, n, record, &shared_token);
    /* Checked first: a thread that timed out at the gate may already have been joined. */
    ck_assert_msg(!gate_timed_out(),
                  "n = %zu: start_numbered waited for a thread it had started, and that thread "
                  "could not run until start_numbered returned: start them and return; the "
                  "caller joins them",
                  n);
    ck_assert_msg(rc == 0, "n = %zu: start_numbered returned %d (errno %d: %s), expected 0", n, rc,
                  errno, strerror(errno));
    ck_assert_msg(gate_count(&gate.created) == n,
                  "n = %zu: %zu threads were started with create_thread, expected %zu", n,
                  gate_count(&gate.created), n);
    scribble_stack();
    gate_open();
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(pthread_join(threads[k], NULL), 0);
    expect_each_index_once(n, "threads that began after start_numbered returned");
}

START_TEST(each_thread_gets_its_own_index)
{
    expect_late_start(4);
}
END_TEST

START_TEST(one_thread_and_many)
{
    expect_late_start(1);
    expect_late_start(MAX_THREADS);
}
END_TEST

START_TEST(no_threads_at_all)
{
    pthread_t threads[1];
    int rc;

    gate_reset(0, 0);
    expect_start(0);
    errno = 0;
    rc = start_numbered(threads, 0, record, &shared_token);
    ck_assert_msg(rc == 0, "n = 0: start_numbered returned %d (errno %d: %s), expected 0", rc,
                  errno, strerror(errno));
    ck_assert_msg(gate_count(&gate.calls) == 0, "n = 0, yet create_thread was called");
}
END_TEST

START_TEST(threads_that_run_at_once)
{
    pthread_t threads[MAX_THREADS];
    const size_t n = 16;
    int rc;

    gate_reset(1, 0); /* open from the first thread on: each runs as soon as it is created */
    expect_start(n);
    rc = start_numbered(threads, n, record, &shared_token);
    ck_assert_msg(rc == 0, "start_numbered returned %d (errno %d: %s), expected 0", rc, errno,
                  strerror(errno));
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(pthread_join(threads[k], NULL), 0);
    expect_each_index_once(n, "threads that ran at once");
}
END_TEST

START_TEST(a_failed_start_joins_the_threads_already_started)
{
    pthread_t threads[MAX_THREADS];
    size_t finished;
    int rc;

    pthread_condattr_t attr;

    ck_assert_int_eq(pthread_condattr_init(&attr), 0);
    ck_assert_int_eq(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), 0);
    ck_assert_int_eq(pthread_cond_init(&looked_changed, &attr), 0);
    ck_assert_int_eq(pthread_condattr_destroy(&attr), 0);
    gate_reset(0, 4); /* the 4th start fails; the gate opens then, so the first 3 can run */
    expect_start(8);
    errno = 0;
    rc = start_numbered(threads, 8, record_slowly, &shared_token);
    ck_assert_msg(rc == -1 && errno == EAGAIN,
                  "the 4th of 8 threads could not be started: start_numbered returned %d with "
                  "errno %d (%s), expected -1 and EAGAIN (create_thread's error)",
                  rc, errno, strerror(errno));
    ck_assert_msg(gate_count(&gate.created) == 3,
                  "%zu threads started; after a failed start, start no more",
                  gate_count(&gate.created));
    finished = gate_count(&gate.finished);
    have_looked();
    ck_assert_msg(finished == 3,
                  "start_numbered returned -1 while %zu of the 3 threads it had started still "
                  "ran: join them first (the caller does not know they exist)",
                  3 - finished);
    for (size_t k = 0; k < 3; k++)
        ck_assert_msg(seen.calls[k] == 1, "index %zu: %zu calls of work, expected 1", k,
                      seen.calls[k]);
    gate_wait_all_finished(); /* so that an unjoined thread shows up as a leak under TSan */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 2 exercises");
    TCase *tc = test_case(s, "start_numbered");

    tcase_add_test(tc, each_thread_gets_its_own_index);
    tcase_add_test(tc, one_thread_and_many);
    tcase_add_test(tc, no_threads_at_all);
    tcase_add_test(tc, threads_that_run_at_once);
    tcase_add_test(tc, a_failed_start_joins_the_threads_already_started);
    return s;
}
