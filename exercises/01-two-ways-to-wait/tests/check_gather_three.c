/*
 * check_gather_three.c: tests of gather_three(): three waits at once, on the loop's fake clock.
 *
 * Chapter 1, exercise gather_three.c. The clock starts at START_SECONDS, not 0, so that only
 * times read from the loop are right. Compare with chapters/01-two-ways-to-wait/running_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "exercises.h"
#include "testing.h"

#define START_SECONDS 100
#define TOLERANCE 1e-6 /* seconds: the clock counts whole nanoseconds */
#define UNSET (-1.0)   /* what a result holds until gather_three writes it */

static bool near(double a, double b)
{
    return a - b < TOLERANCE && b - a < TOLERANCE;
}

/* Run gather_three on a new loop whose fake clock reads START_SECONDS; return the time taken. */
static double run(const struct timed_job jobs[GATHER_JOBS], struct job_result results[GATHER_JOBS])
{
    struct fake_clock clock = {.now_ns = START_SECONDS * NSEC_PER_SEC};
    struct loop *loop = loop_new();
    double elapsed;
    int rc;

    ck_assert_msg(loop != NULL, "loop_new failed: %s", strerror(errno));
    loop_use_fake_clock(loop, &clock);
    for (size_t i = 0; i < GATHER_JOBS; i++)
        results[i] = (struct job_result){.name = NULL, .started = UNSET, .finished = UNSET};
    errno = 0;
    rc = gather_three(loop, jobs, results);
    ck_assert_msg(rc == 0, "gather_three returned %d (errno %d: %s), expected 0", rc, errno,
                  strerror(errno));
    elapsed = loop_time(loop) - START_SECONDS;
    loop_free(loop);
    return elapsed;
}

/* Fail unless every job started at START_SECONDS and finished its own wait later. */
static void expect_times(const struct timed_job jobs[GATHER_JOBS],
                         const struct job_result results[GATHER_JOBS])
{
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        double end = START_SECONDS + jobs[i].seconds;

        ck_assert_msg(near(results[i].started, START_SECONDS),
                      "results[%zu] (job %s) started at %.3f s, expected %.3f s: all three start "
                      "together, before any wait ends",
                      i, jobs[i].name, results[i].started, (double)START_SECONDS);
        ck_assert_msg(near(results[i].finished, end),
                      "results[%zu] (job %s, %.3f s) finished at %.3f s, expected %.3f s", i,
                      jobs[i].name, jobs[i].seconds, results[i].finished, end);
    }
}

START_TEST(all_start_together)
{
    const struct timed_job jobs[] = {{"slow", 3}, {"fast", 1}, {"middle", 2}};
    struct job_result results[GATHER_JOBS];

    run(jobs, results);
    for (size_t i = 0; i < GATHER_JOBS; i++)
        ck_assert_msg(near(results[i].started, START_SECONDS),
                      "job %s started at %.3f s, expected %.3f s: all three start together, "
                      "before any wait ends (the clock starts at %d s, not 0)",
                      jobs[i].name, results[i].started, (double)START_SECONDS, START_SECONDS);
}
END_TEST

START_TEST(each_ends_after_its_own_wait)
{
    const struct timed_job jobs[] = {{"slow", 3}, {"fast", 1}, {"middle", 2}};
    struct job_result results[GATHER_JOBS];

    run(jobs, results);
    expect_times(jobs, results);
}
END_TEST

START_TEST(takes_the_longest_wait_not_the_sum)
{
    const struct timed_job jobs[] = {{"slow", 3}, {"fast", 1}, {"middle", 2}};
    struct job_result results[GATHER_JOBS];
    double elapsed = run(jobs, results);

    ck_assert_msg(near(elapsed, 3),
                  "the loop's clock moved %.3f s, expected 3.000 s (the longest wait; "
                  "6 s would mean one task after the other, 0 s that nobody waited)",
                  elapsed);
}
END_TEST

START_TEST(results_in_argument_order)
{
    /* They finish c, b, a: results must still read a, b, c. */
    const struct timed_job jobs[] = {{"a", 2.5}, {"b", 1.5}, {"c", 0.5}};
    struct job_result results[GATHER_JOBS];

    run(jobs, results);
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        ck_assert_msg(results[i].name != NULL && strcmp(results[i].name, jobs[i].name) == 0,
                      "results[%zu].name is %s, expected \"%s\": results follow the arguments, "
                      "not the order the tasks finish in",
                      i, results[i].name ? results[i].name : "NULL", jobs[i].name);
    }
    expect_times(jobs, results);
}
END_TEST

START_TEST(other_waits)
{
    const struct timed_job jobs[] = {{"x", 0.25}, {"y", 4}, {"z", 1.75}};
    struct job_result results[GATHER_JOBS];
    double elapsed = run(jobs, results);

    expect_times(jobs, results);
    ck_assert_msg(near(elapsed, 4), "the loop's clock moved %.3f s, expected 4.000 s", elapsed);
}
END_TEST

START_TEST(equal_and_zero_waits)
{
    const struct timed_job zero[] = {{"p", 0}, {"q", 0}, {"r", 0}};
    const struct timed_job equal[] = {{"p", 2}, {"q", 2}, {"r", 2}};
    struct job_result results[GATHER_JOBS];
    double elapsed;

    elapsed = run(zero, results);
    expect_times(zero, results);
    ck_assert_msg(near(elapsed, 0), "three 0 s waits: the clock moved %.3f s, expected 0", elapsed);
    elapsed = run(equal, results);
    expect_times(equal, results);
    ck_assert_msg(near(elapsed, 2), "three 2 s waits: the clock moved %.3f s, expected 2.000 s",
                  elapsed);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 1 exercises");
    TCase *tc = test_case(s, "gather_three");

    tcase_add_test(tc, all_start_together);
    tcase_add_test(tc, each_ends_after_its_own_wait);
    tcase_add_test(tc, takes_the_longest_wait_not_the_sum);
    tcase_add_test(tc, results_in_argument_order);
    tcase_add_test(tc, other_waits);
    tcase_add_test(tc, equal_and_zero_waits);
    return s;
}
