/*
 * check_limit_requests.c: tests of limit_requests(): at most `limit` requests at once, on the
 * loop's fake clock.
 *
 * Chapter 4, exercise limit_requests.c. The tests work out, for every request, when it must begin
 * and end: in array order, each takes the first of the `limit` places to come free. That is what
 * a first-come, first-served semaphore gives, and it tells every wrong schedule apart: no limit
 * (all begin at once), one at a time, batches that wait for their slowest, a place too many or
 * too few. The clock starts at START_SECONDS, not 0. Compare with semaphore_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 100
#define TOLERANCE 1e-6 /* seconds: the clock counts whole nanoseconds */
#define UNSET (-1.0)
#define MAX_REQUESTS 5000

static struct request_result results[MAX_REQUESTS];
static double want_start[MAX_REQUESTS], want_finish[MAX_REQUESTS];

static bool near(double a, double b)
{
    return a - b < TOLERANCE && b - a < TOLERANCE;
}

/* When each request must begin and end: in order, each takes the place that frees first. */
static double schedule(const struct request requests[], size_t n, unsigned limit)
{
    double *free_at = calloc(limit, sizeof *free_at), end = 0;

    ck_assert_ptr_nonnull(free_at);
    for (size_t i = 0; i < n; i++) {
        unsigned first = 0;

        for (unsigned p = 1; p < limit; p++) {
            if (free_at[p] < free_at[first])
                first = p;
        }
        want_start[i] = free_at[first];
        want_finish[i] = free_at[first] = want_start[i] + requests[i].seconds;
        if (want_finish[i] > end)
            end = want_finish[i];
    }
    free(free_at);
    return end;
}

/* Run limit_requests on a fresh loop whose fake clock reads START_SECONDS: the time it took. */
static double run(const struct request requests[], size_t n, unsigned limit)
{
    struct fake_clock clock = {.now_ns = START_SECONDS * NSEC_PER_SEC};
    struct loop *loop = loop_new();
    double elapsed;
    int rc;

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(loop, &clock);
    for (size_t i = 0; i < n; i++)
        results[i] = (struct request_result){.started = UNSET, .finished = UNSET};
    errno = 0;
    rc = limit_requests(loop, requests, n, limit, results);
    ck_assert_msg(rc == 0, "limit_requests returned %d (errno %d: %s), expected 0", rc, errno,
                  strerror(errno));
    elapsed = loop_time(loop) - START_SECONDS;
    loop_free(loop);
    return elapsed;
}

/* The most requests under way at once, from the results (an end and a start at the same
 * moment do not overlap). */
static int most_at_once(size_t n)
{
    int most = 0;

    for (size_t i = 0; i < n; i++) {
        int now = 0;

        for (size_t j = 0; j < n; j++)
            now += results[j].started <= results[i].started + TOLERANCE &&
                   results[j].finished > results[i].started + TOLERANCE;
        if (now > most)
            most = now;
    }
    return most;
}

/* Fail unless every request began and ended when the schedule says, and the limit held. */
static void expect_schedule(const struct request requests[], size_t n, unsigned limit,
                            double elapsed)
{
    double end = schedule(requests, n, limit);

    if (n <= 200) {
        int most = most_at_once(n);

        ck_assert_msg(most <= (int)limit, "%d requests were under way at once; the limit is %u",
                      most, limit);
    }
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(near(results[i].started, START_SECONDS + want_start[i]),
                      "request %zu (%s, %.2f s) began at %.3f s, expected %.3f s: with a limit of "
                      "%u, each request begins as soon as a place is free, in array order",
                      i, requests[i].name, requests[i].seconds, results[i].started - START_SECONDS,
                      want_start[i], limit);
        ck_assert_msg(near(results[i].finished, START_SECONDS + want_finish[i]),
                      "request %zu (%s) ended at %.3f s, expected %.3f s", i, requests[i].name,
                      results[i].finished - START_SECONDS, want_finish[i]);
    }
    ck_assert_msg(near(elapsed, end), "the loop's clock moved %.3f s, expected %.3f s", elapsed,
                  end);
}

START_TEST(a_limit_of_zero_is_refused)
{
    const struct request one[] = {{"a", 1}};
    struct fake_clock clock = {0};
    struct loop *loop = loop_new();
    int rc;

    ck_assert_ptr_nonnull(loop);
    loop_use_fake_clock(loop, &clock);
    results[0] = (struct request_result){UNSET, UNSET};
    errno = 0;
    rc = limit_requests(loop, one, 1, 0, results);
    ck_assert_msg(rc == -1 && errno == EINVAL,
                  "a limit of 0 returned %d with errno %d, expected -1 and EINVAL", rc, errno);
    ck_assert_msg(results[0].started == UNSET, "a refused call wrote a result");
    loop_free(loop);
}
END_TEST

START_TEST(no_requests_take_no_time)
{
    ck_assert_msg(near(run(NULL, 0, 3), 0), "no requests, yet the clock moved");
}
END_TEST

START_TEST(two_at_a_time_in_array_order)
{
    const struct request five[] = {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 1}};

    expect_schedule(five, 5, 2, run(five, 5, 2));
}
END_TEST

START_TEST(a_free_place_is_taken_at_once)
{
    /* Batches of two would wait for the 3 s request before starting c: 6 s instead of 5. */
    const struct request five[] = {{"a", 3}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 2}};
    const struct request uneven[] = {{"p", 0.5}, {"q", 2.5}, {"r", 0.25}, {"s", 1.75},
                                     {"t", 1},   {"u", 0},   {"v", 3},    {"w", 0.5}};

    expect_schedule(five, 5, 2, run(five, 5, 2));
    expect_schedule(uneven, 8, 3, run(uneven, 8, 3));
}
END_TEST

START_TEST(one_at_a_time_and_all_at_once)
{
    const struct request three[] = {{"x", 2}, {"y", 0.5}, {"z", 1}};

    expect_schedule(three, 3, 1, run(three, 3, 1));     /* the sum: 3.5 s */
    expect_schedule(three, 3, 3, run(three, 3, 3));     /* the longest: 2 s */
    expect_schedule(three, 3, 100, run(three, 3, 100)); /* a limit above n changes nothing */
}
END_TEST

START_TEST(requests_of_no_time)
{
    const struct request instant[] = {{"a", 0}, {"b", 0}, {"c", 0}, {"d", 0.25}, {"e", 0}};

    expect_schedule(instant, 5, 1, run(instant, 5, 1));
    expect_schedule(instant, 5, 2, run(instant, 5, 2));
}
END_TEST

START_TEST(thousands_of_requests)
{
    static struct request many[MAX_REQUESTS];

    for (size_t i = 0; i < MAX_REQUESTS; i++)
        many[i] = (struct request){"many", (double)(i * 7 % 13) / 4}; /* 0 to 3 s, uneven */
    expect_schedule(many, 150, 7, run(many, 150, 7));
    expect_schedule(many, MAX_REQUESTS, 64, run(many, MAX_REQUESTS, 64));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 4 exercises");
    TCase *tc = test_case(s, "limit_requests");

    tcase_add_test(tc, a_limit_of_zero_is_refused);
    tcase_add_test(tc, no_requests_take_no_time);
    tcase_add_test(tc, two_at_a_time_in_array_order);
    tcase_add_test(tc, a_free_place_is_taken_at_once);
    tcase_add_test(tc, one_at_a_time_and_all_at_once);
    tcase_add_test(tc, requests_of_no_time);
    tcase_add_test(tc, thousands_of_requests);
    return s;
}
