/*
 * check_limited_fetch.c: tests of fetch_job_init(): a crawler's limit and timeout, on a fake clock.
 *
 * Chapter 12, exercise limited_fetch.c. The requests are tasks that sleep an exact time on the
 * loop's fake clock, then succeed or fail; each counts how many requests run at once. So every
 * result is exact: seven 1 s requests three at a time end at 3 s, not "about 3 s", and a job
 * that keeps its permit after an error leaves the others parked, which the loop reports by
 * running out of things to do (no test hangs).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>

#include "exercises.h"
#include "testing.h"

#define MAX_JOBS 8
#define START_SECONDS 100
#define TOLERANCE 1e-6

struct request {
    struct task task;
    double seconds;
    int fail_with;
    double started_at, ended_at; /* seconds after START_SECONDS; ended_at < 0 while running */
    bool cancelled;
};

static int running, most_running;
static struct fake_clock clock_;
static struct loop *loop;
static struct async_sem limit;
static struct request requests[MAX_JOBS];
static struct fetch_job jobs[MAX_JOBS];

static double now(void)
{
    return loop_time(loop) - START_SECONDS;
}

static enum task_state request_step(struct task *t)
{
    struct request *r = (struct request *)t;

    TASK_BEGIN(t);
    r->started_at = now();
    r->ended_at = -1;
    if (++running > most_running)
        most_running = running;
    TASK_SLEEP(t, r->seconds);
    running--;
    r->ended_at = now();
    if (r->fail_with != 0)
        TASK_FAIL(t, r->fail_with);
    TASK_RETURN(t, r);
    TASK_CLEANUP(t);
    running--;
    r->ended_at = now();
    r->cancelled = true;
    TASK_END(t);
}

/* Run n jobs with this limit and timeout; request i takes seconds[i] and fails with fail[i]. */
static void run_jobs(size_t n, unsigned permits, double timeout, const double seconds[],
                     const int fail[])
{
    struct task *tasks[MAX_JOBS];
    char name[MAX_JOBS][16];

    running = most_running = 0;
    clock_.now_ns = START_SECONDS * NSEC_PER_SEC;
    loop = loop_new();
    ck_assert_ptr_nonnull(loop);
    loop_use_fake_clock(loop, &clock_);
    limit = (struct async_sem)ASYNC_BOUNDED_SEM_INIT(permits);
    for (size_t i = 0; i < n; i++) {
        requests[i] = (struct request){.seconds = seconds[i], .fail_with = fail ? fail[i] : 0};
        snprintf(name[i], sizeof name[i], "job %zu", i);
        task_init(&requests[i].task, "request", request_step);
        fetch_job_init(&jobs[i], name[i], &limit, &requests[i].task, timeout);
        tasks[i] = &jobs[i].task;
    }
    if (task_run_all(loop, tasks, n) == -1)
        ck_abort_msg("the loop ended with jobs unfinished (%s): a permit never came back?",
                     errno == EDEADLK ? "nothing left to wait for" : "an error");
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(task_done(&jobs[i].task) && task_done(&requests[i].task),
                      "job %zu did not finish", i);
    ck_assert_msg(async_sem_value(&limit) == permits, "%u permits back of %u",
                  async_sem_value(&limit), permits);
}

static void teardown(void)
{
    if (loop != NULL)
        loop_free(loop);
    loop = NULL;
}

START_TEST(seven_requests_three_at_a_time)
{
    const double seconds[] = {1, 1, 1, 1, 1, 1, 1};

    run_jobs(7, 3, 10, seconds, NULL);
    ck_assert_int_eq(most_running, 3);
    ck_assert_double_eq_tol(now(), 3, TOLERANCE); /* 3 + 3 + 1: three rounds */
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(jobs[i].error, 0);
        ck_assert_double_eq_tol(requests[i].started_at, (double)(i / 3), TOLERANCE); /* in order */
    }
}
END_TEST

START_TEST(limit_of_one_is_one_at_a_time)
{
    const double seconds[] = {0.5, 1, 0.25, 2};

    run_jobs(4, 1, 10, seconds, NULL);
    ck_assert_int_eq(most_running, 1);
    ck_assert_double_eq_tol(now(), 3.75, TOLERANCE);
}
END_TEST

START_TEST(more_permits_than_jobs)
{
    const double seconds[] = {2, 1, 3};

    run_jobs(3, 5, 10, seconds, NULL);
    ck_assert_int_eq(most_running, 3);
    ck_assert_double_eq_tol(now(), 3, TOLERANCE);
}
END_TEST

/* A failed request gives its permit back: the others still run, and each job reports its own. */
START_TEST(an_error_gives_the_permit_back)
{
    const double seconds[] = {1, 1, 1, 1};
    const int fail[] = {ECONNREFUSED, EPROTO, 0, ECONNRESET};

    run_jobs(4, 1, 10, seconds, fail);
    ck_assert_int_eq(jobs[0].error, ECONNREFUSED);
    ck_assert_int_eq(jobs[1].error, EPROTO);
    ck_assert_int_eq(jobs[2].error, 0);
    ck_assert_int_eq(jobs[3].error, ECONNRESET);
    ck_assert_double_eq_tol(now(), 4, TOLERANCE);
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(jobs[i].task.error, 0); /* the job reports; it does not fail */
}
END_TEST

/* A request that takes too long is cancelled at its limit; the others are not touched. */
START_TEST(a_timeout_cancels_only_its_request)
{
    const double seconds[] = {5, 1, 1.5};

    run_jobs(3, 3, 2, seconds, NULL);
    ck_assert_int_eq(jobs[0].error, ETIMEDOUT);
    ck_assert(requests[0].cancelled);
    ck_assert_double_eq_tol(requests[0].ended_at, 2, TOLERANCE);
    ck_assert_int_eq(jobs[1].error, 0);
    ck_assert_int_eq(jobs[2].error, 0);
    ck_assert(!requests[1].cancelled && !requests[2].cancelled);
    ck_assert_double_eq_tol(requests[2].ended_at, 1.5, TOLERANCE);
    ck_assert_double_eq_tol(now(), 2, TOLERANCE); /* and no timer left behind */
}
END_TEST

/* The timeout counts from the request's start, not from the job's: waiting in line is free. */
START_TEST(the_wait_for_a_permit_does_not_count)
{
    const double seconds[] = {1.5, 1.5, 1.5};

    run_jobs(3, 1, 2, seconds, NULL);
    for (size_t i = 0; i < 3; i++)
        ck_assert_msg(jobs[i].error == 0, "job %zu timed out after waiting its turn", i);
    ck_assert_double_eq_tol(now(), 4.5, TOLERANCE);
}
END_TEST

/* Timeouts and errors mixed, two at a time: the permits all come back, in time. */
START_TEST(timeouts_give_the_permit_back)
{
    const double seconds[] = {3, 3, 1, 1, 1};
    const int fail[] = {0, 0, EPROTO, 0, 0};

    run_jobs(5, 2, 1.5, seconds, fail);
    ck_assert_int_eq(jobs[0].error, ETIMEDOUT);
    ck_assert_int_eq(jobs[1].error, ETIMEDOUT);
    ck_assert_int_eq(jobs[2].error, EPROTO);
    ck_assert_double_eq_tol(requests[2].started_at, 1.5, TOLERANCE);
    ck_assert_double_eq_tol(requests[4].started_at, 2.5, TOLERANCE);
    ck_assert_double_eq_tol(now(), 3.5, TOLERANCE);
    ck_assert_int_eq(most_running, 2);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("limited_fetch");
    TCase *tc = test_case(s, "limited_fetch");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, seven_requests_three_at_a_time);
    tcase_add_test(tc, limit_of_one_is_one_at_a_time);
    tcase_add_test(tc, more_permits_than_jobs);
    tcase_add_test(tc, an_error_gives_the_permit_back);
    tcase_add_test(tc, a_timeout_cancels_only_its_request);
    tcase_add_test(tc, the_wait_for_a_permit_does_not_count);
    tcase_add_test(tc, timeouts_give_the_permit_back);
    return s;
}
