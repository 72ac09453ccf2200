/*
 * check_parallel_sum.c: tests of sum_thread() and parallel_sum(): an array summed on threads.
 *
 * Chapter 2, exercise parallel_sum.c. Threads are started through the gate of thread_gate.h,
 * which holds every new thread back until all the threads the call needs exist: a solution that
 * joins a thread before starting the next is caught at once, and one that hands every thread
 * the same argument (which it then changes) is caught every time. The numbers are large and of
 * both signs, so a chunk added twice or left out changes the sum.
 * Compare with chapters/02-starting-and-finishing/results_join.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"
#include "thread_gate.h"

#define MAX_N 1000
#define N(array) (sizeof(array) / sizeof((array)[0]))

static long numbers[MAX_N];

/* Fill numbers[] with values from -2^31 to 2^31 (a fixed pseudo-random sequence). */
static void fill_numbers(void)
{
    uint64_t x = 88172645463325252u;

    for (size_t i = 0; i < MAX_N; i++) {
        x ^= x << 13; /* xorshift64: enough to make every number different */
        x ^= x >> 7;
        x ^= x << 17;
        numbers[i] = (long)(x % 4294967295u) - 2147483647L;
    }
}

static long long expected_sum(const long a[], size_t n)
{
    long long sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += a[i];
    return sum;
}

/* Run sum_thread on a thread of its own (no gate: these tests call it directly). */
static void start_sum_thread(pthread_t *thread, struct sum_job *job)
{
    ck_assert_int_eq(pthread_create(thread, NULL, sum_thread, job), 0);
}

/* Join it, and return what the join hands back: the caller frees it. */
static long long *join_sum_thread(pthread_t thread)
{
    void *result = NULL;

    ck_assert_int_eq(pthread_join(thread, &result), 0);
    return result;
}

static void expect_result(const long long *result)
{
    ck_assert_msg(result != NULL, "sum_thread returned NULL: it must return its sum in a malloc'd "
                                  "long long, for the thread that joins it");
}

/* parallel_sum(a, n, nthreads), checked: the sum, the number of threads, and how they ran. */
static void expect_sum(const long a[], size_t n, size_t nthreads)
{
    size_t want_threads = nthreads < n ? nthreads : n;
    long long sum = -1;
    int rc;

    gate_reset(want_threads, 0);
    errno = 0;
    rc = parallel_sum(a, n, nthreads, &sum);
    ck_assert_msg(!gate_timed_out(),
                  "n = %zu, nthreads = %zu: a thread waited at the gate " GATE_TIMEOUT_TEXT
                  " with no new thread started, before all min(nthreads, n) = %zu were: "
                  "parallel_sum waited for one (a join?) before starting them all, or started "
                  "one too many",
                  n, nthreads, want_threads);
    ck_assert_msg(rc == 0, "n = %zu, nthreads = %zu: parallel_sum returned %d (errno %d: %s)", n,
                  nthreads, rc, errno, strerror(errno));
    ck_assert_msg(gate_count(&gate.created) == want_threads,
                  "n = %zu, nthreads = %zu: %zu threads started with create_thread, expected "
                  "min(nthreads, n) = %zu",
                  n, nthreads, gate_count(&gate.created), want_threads);
    ck_assert_msg(gate_count(&gate.finished) == want_threads,
                  "n = %zu, nthreads = %zu: parallel_sum returned while %zu of its threads were "
                  "still running: join them all first",
                  n, nthreads, want_threads - gate_count(&gate.finished));
    ck_assert_msg(sum == expected_sum(a, n), "n = %zu, nthreads = %zu: sum %lld, expected %lld", n,
                  nthreads, sum, expected_sum(a, n));
}

START_TEST(sum_thread_returns_its_sum_to_the_joiner)
{
    struct sum_job job = {.a = numbers, .n = 100}, none = {.a = NULL, .n = 0};
    pthread_t thread;
    long long *sum;

    fill_numbers();
    start_sum_thread(&thread, &job);
    sum = join_sum_thread(thread);
    expect_result(sum);
    ck_assert_msg(*sum == expected_sum(numbers, 100), "sum_thread gave %lld, expected %lld", *sum,
                  expected_sum(numbers, 100));
    free(sum); /* ours now: this is what a malloc'd result means */
    start_sum_thread(&thread, &none);
    sum = join_sum_thread(thread);
    expect_result(sum);
    ck_assert_msg(*sum == 0, "sum_thread of no numbers gave %lld, expected 0", *sum);
    free(sum);
}
END_TEST

START_TEST(sum_threads_return_results_of_their_own)
{
    struct sum_job first = {.a = numbers, .n = 10}, second = {.a = numbers + 10, .n = 20};
    pthread_t one, two;
    long long *a, *b;

    fill_numbers();
    start_sum_thread(&one, &first);
    start_sum_thread(&two, &second);
    a = join_sum_thread(one);
    b = join_sum_thread(two); /* both joined before anything is checked: no thread left over */
    expect_result(a);
    expect_result(b);
    ck_assert_msg(a != b, "two threads returned the same pointer: each result needs memory of "
                          "its own (malloc), not a static or global variable");
    ck_assert_msg(*a == expected_sum(numbers, 10) && *b == expected_sum(numbers + 10, 20),
                  "two threads at once gave %lld and %lld, expected %lld and %lld", *a, *b,
                  expected_sum(numbers, 10), expected_sum(numbers + 10, 20));
    free(a);
    free(b);
}
END_TEST

START_TEST(adds_up_like_a_loop)
{
    fill_numbers();
    expect_sum(numbers, MAX_N, 4);
}
END_TEST

START_TEST(any_number_of_threads)
{
    static const size_t counts[] = {1, 2, 3, 7, 10, 16, 99, 100};

    fill_numbers();
    for (size_t i = 0; i < N(counts); i++)
        expect_sum(numbers, 100, counts[i]);
}
END_TEST

START_TEST(more_threads_than_numbers)
{
    fill_numbers();
    expect_sum(numbers, 5, 6);
    expect_sum(numbers, 5, 100);
    expect_sum(numbers, 1, 3);
    expect_sum(numbers, 1, 1);
}
END_TEST

START_TEST(chunks_that_do_not_divide_evenly)
{
    static const size_t sizes[] = {7, 10, 13, 31}, counts[] = {2, 3, 4, 6};

    fill_numbers();
    for (size_t i = 0; i < N(sizes); i++) {
        for (size_t j = 0; j < N(counts); j++)
            expect_sum(numbers, sizes[i], counts[j]);
    }
}
END_TEST

START_TEST(an_empty_array_sums_to_zero)
{
    expect_sum(NULL, 0, 1);
    expect_sum(NULL, 0, 4);
}
END_TEST

START_TEST(zero_threads_is_an_error)
{
    long long sum = 12345;
    int rc;

    fill_numbers();
    gate_reset(0, 0);
    errno = 0;
    rc = parallel_sum(numbers, 10, 0, &sum);
    ck_assert_msg(rc == -1 && errno == EINVAL,
                  "nthreads = 0: parallel_sum returned %d with errno %d (%s), expected -1 and "
                  "EINVAL",
                  rc, errno, strerror(errno));
    ck_assert_msg(gate_count(&gate.calls) == 0, "nthreads = 0, yet create_thread was called");
}
END_TEST

START_TEST(a_failed_start_joins_the_threads_already_started)
{
    long long sum = 12345;
    int rc;

    fill_numbers();
    gate_reset(0, 4); /* the 4th start fails; the gate opens then, so the first 3 can end */
    errno = 0;
    rc = parallel_sum(numbers, 100, 8, &sum);
    ck_assert_msg(rc == -1 && errno == EAGAIN,
                  "the 4th of 8 threads could not be started: parallel_sum returned %d with "
                  "errno %d (%s), expected -1 and EAGAIN (create_thread's error)",
                  rc, errno, strerror(errno));
    ck_assert_msg(gate_count(&gate.created) == 3,
                  "%zu threads started; after a failed start, start no more",
                  gate_count(&gate.created));
    ck_assert_msg(gate_count(&gate.finished) == 3,
                  "parallel_sum returned while %zu of the 3 threads it had started still ran: "
                  "join them before returning (nobody else can)",
                  3 - gate_count(&gate.finished));
    gate_wait_all_finished(); /* so that an unjoined thread shows up as a leak under TSan */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 2 exercises");
    TCase *tc = test_case(s, "parallel_sum");

    tcase_add_test(tc, sum_thread_returns_its_sum_to_the_joiner);
    tcase_add_test(tc, sum_threads_return_results_of_their_own);
    tcase_add_test(tc, adds_up_like_a_loop);
    tcase_add_test(tc, any_number_of_threads);
    tcase_add_test(tc, more_threads_than_numbers);
    tcase_add_test(tc, chunks_that_do_not_divide_evenly);
    tcase_add_test(tc, an_empty_array_sums_to_zero);
    tcase_add_test(tc, zero_threads_is_an_error);
    tcase_add_test(tc, a_failed_start_joins_the_threads_already_started);
    return s;
}
