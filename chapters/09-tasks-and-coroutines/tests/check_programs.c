/*
 * check_programs.c: chapter 9's programs, black box. Each runs scaled down (-s); its lines are
 * checked in order (every order here is fixed by the loop), and so are the times it printed them
 * at, read from its own -T table and measured from its first line, as chapter 1's tests do.
 * sleep_zero's lines are compared with those of the asyncio version, sleep_zero.py.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

#define SCALE "0.2"
#define SCALE_VALUE 0.2
/*
 * Events are at least 1 s apart (0.2 s scaled). Each wait starts when the step before it ran, so
 * a late wake-up delays every later line too: a line may be late by half a second (scaled) plus a
 * quarter of its time, which a machine with both cores busy has stayed well inside, and which
 * still tells "3 s, the waits overlapped" from "6 s, one after the other".
 */
#define LATE_MARGIN (0.5 * SCALE_VALUE)
#define LATE_FRACTION 0.25
#define EARLY_MARGIN 0.005 /* a wait never ends early; allow for the clock's rounding */
#define PYTHON "/usr/bin/python3"
#define SOURCE_DIR "chapters/09-tasks-and-coroutines"

static struct proc_result r;
static double printed_at[PROC_MAX_LINES];
static size_t nprinted;

static void read_table(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];

    ck_assert_msg(f != NULL, "the program wrote no -T table at %s", path);
    nprinted = 0;
    while (nprinted < PROC_MAX_LINES && fgets(line, sizeof line, f) != NULL)
        ck_assert_msg(sscanf(line, "%lf", &printed_at[nprinted++]) == 1, "bad -T line: %s", line);
    fclose(f);
    unlink(path);
}

static void run_timed(const char *program)
{
    char table[] = "/tmp/ttw-timesXXXXXX";
    int fd = mkstemp(table);

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    run_program(&r, program, "-s", SCALE, "-T", table, NULL);
    read_table(table);
}

/* Line i must have been printed at[i] seconds (unscaled) after line 0. */
static void expect_times(const double at[], size_t n)
{
    ck_assert_msg(nprinted == r.nlines, "the -T table has %zu lines, stdout %zu", nprinted,
                  r.nlines);
    for (size_t i = 1; i < n && i < nprinted; i++) {
        double took = printed_at[i] - printed_at[0], want = at[i] * SCALE_VALUE;

        ck_assert_msg(took >= want - EARLY_MARGIN &&
                          took < want * (1 + LATE_FRACTION) + LATE_MARGIN,
                      "'%s' was printed %.3f s after the first line; expected %.3f s", r.lines[i],
                      took, want);
    }
}

/* ---- one job, three ways ---- */

static const char *const fetch_lines[] = {"ada: asking for the user id",
                                          "bob: asking for the user id",
                                          "ada: user id 101; asking for the orders",
                                          "bob: user id 102; asking for the orders",
                                          "ada: 3 orders; asking for their total",
                                          "bob: 4 orders; asking for their total",
                                          "ada: the total is 36",
                                          "bob: the total is 48"};
/* Both users at once: 3 s, not the 6 s of one after the other. */
static const double fetch_at[] = {0, 0, 1, 1, 2, 2, 3, 3};

static void expect_the_fetch_job(const char *program)
{
    run_timed(program);
    expect_lines(&r, fetch_lines, 8);
    expect_times(fetch_at, 8);
}

START_TEST(callbacks_do_the_job)
{
    expect_the_fetch_job("fetch_callbacks");
}
END_TEST

START_TEST(the_state_machine_does_the_same)
{
    expect_the_fetch_job("fetch_state_machine");
}
END_TEST

START_TEST(the_task_does_the_same)
{
    expect_the_fetch_job("fetch_task");
}
END_TEST

START_TEST(the_expanded_task_does_the_same)
{
    expect_the_fetch_job("fetch_task_expanded");
}
END_TEST

/* ---- locals across a wait ---- */

static const char *const kept_lines[] = {"round 1 of 3", "round 2 of 3", "round 3 of 3",
                                         "done after 3 rounds"};
static const double rounds_at[] = {0, 1, 2, 3};

START_TEST(a_local_is_lost_at_every_wait)
{
    const char *const lines[] = {
        "round 1 of 3",
        "round 1 of 3",
        "round 1 of 3",
        "round 1 of 3",
        "round 1 of 3",
        "round 1 of 3",
        "BUG: after 6 waits the counter reads 0: the local restarts every step"};
    const double at[] = {0, 1, 2, 3, 4, 5, 6};

    if (test_sanitized(NULL)) {
        test_skip("a_local_is_lost_at_every_wait: a bug demonstration, not built here");
        return;
    }
    run_timed("locals_lost");
    expect_lines(&r, lines, 7);
    expect_times(at, 7);
}
END_TEST

START_TEST(a_field_of_the_struct_survives)
{
    run_timed("locals_kept");
    expect_lines(&r, kept_lines, 4);
    expect_times(rounds_at, 4);
}
END_TEST

START_TEST(a_stackful_coroutine_keeps_its_locals)
{
    const char *const lines[] = {
        "A: round 1 of 3",
        "B: round 1 of 3",
        "A: round 2 of 3",
        "B: round 2 of 3",
        "A: round 3 of 3",
        "B: round 3 of 3",
        "A: done after 3 rounds",
        "B: done after 3 rounds",
        "stack per coroutine: 65536 bytes (64 KiB), held for its whole life",
        NULL};
    const double at[] = {0, 0, 1, 1, 2, 2, 3, 3, 3, 3};
    size_t task_bytes = 0;

    run_timed("stackful_ucontext");
    expect_lines(&r, lines, 10);
    expect_times(at, 10);
    ck_assert_msg(
        sscanf(r.lines[9], "a stackless task: sizeof(struct task) = %zu bytes", &task_bytes) == 1,
        "no sizeof(struct task) line: '%s'", r.lines[9]);
    /* The lesson's figure: a task's state is a small fraction of one coroutine's stack. */
    ck_assert_msg(task_bytes > 0 && task_bytes < 65536 / 16, "sizeof(struct task) = %zu",
                  task_bytes);
}
END_TEST

/* ---- futures, sleep(0), gather ---- */

START_TEST(a_future_runs_its_callbacks_on_later_turns)
{
    const char *const lines[] = {"waiter: awaiting the future, which a timer will set",
                                 "timer: setting the future to 42",
                                 "timer: setting it again: refused (Invalid argument)",
                                 "timer: no callback has run yet",
                                 "waiter: the future holds 42",
                                 "callback 1: the future holds 42",
                                 "late callback (added when done): the future holds 42"};
    const double at[] = {0, 1, 1, 1, 1, 1, 1};

    run_timed("future_timer");
    expect_lines(&r, lines, 7);
    expect_times(at, 7);
}
END_TEST

static const char *const sleep_zero_lines[] = {
    "A: first half, in iteration 1", "B: first half, in iteration 1",
    "A: second half, in iteration 2", "B: second half, in iteration 2",
    "iterations between A's two halves: 1"};

START_TEST(sleep_zero_is_one_iteration)
{
    run_program(&r, "sleep_zero", NULL);
    expect_lines(&r, sleep_zero_lines, 5);
}
END_TEST

START_TEST(asyncio_sleep_zero_is_one_iteration_too)
{
    char script[512];
    char *argv[] = {PYTHON, script, NULL};

    if (access(PYTHON, X_OK) != 0) {
        test_skip("asyncio_sleep_zero_is_one_iteration_too: no " PYTHON);
        return;
    }
    /* The tests run from the chapter's folder or the repository's top: find the script. */
    snprintf(script, sizeof script, "sleep_zero.py");
    if (access(script, R_OK) != 0)
        snprintf(script, sizeof script, "%s/sleep_zero.py", SOURCE_DIR);
    ck_assert_msg(access(script, R_OK) == 0, "sleep_zero.py not found");
    ck_assert_int_eq(proc_run(argv, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0, "python3 sleep_zero.py failed: %s", r.err);
    expect_lines(&r, sleep_zero_lines, 5);
}
END_TEST

START_TEST(gathers_keep_argument_order)
{
    const char *const lines[] = {"gather: x, y, z in one gather; p, q, r in another, all at once",
                                 "q finished after 1 s",
                                 "y finished after 1 s",
                                 "p finished after 2 s",
                                 "z finished after 2 s",
                                 "r finished after 3 s",
                                 "x finished after 3 s",
                                 "gather of tasks: x, y, z",
                                 "gather of a task, a future, a task: p, q, r"};
    const double at[] = {0, 1, 1, 2, 2, 3, 3, 3, 3};

    run_timed("gather_results");
    expect_lines(&r, lines, 9);
    expect_times(at, 9);
}
END_TEST

/* ---- options ---- */

START_TEST(every_program_explains_itself_and_refuses_bad_options)
{
    static const char *const programs[] = {
        "fetch_callbacks", "fetch_state_machine", "fetch_task",   "fetch_task_expanded",
        "locals_lost",     "locals_kept",         "future_timer", "sleep_zero",
        "gather_results",  "stackful_ucontext"};

    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char path[512];
        char *help[] = {path, "-h", NULL}, *bad[] = {path, "-s", "nonsense", NULL};

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        if (access(path, X_OK) != 0 && test_sanitized(NULL) &&
            strcmp(programs[i], "locals_lost") == 0)
            continue; /* a bug demonstration, not built under sanitizers */
        ck_assert_int_eq(proc_run(help, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 0 && r.nlines > 2 && strncmp(r.lines[0], "usage:", 6) == 0,
                      "%s -h: status %d, first line '%s'", programs[i], r.exit_code, r.lines[0]);
        ck_assert_int_eq(proc_run(bad, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 2 && strstr(r.err, "-s wants a number") != NULL,
                      "%s -s nonsense: status %d, stderr '%s'", programs[i], r.exit_code, r.err);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 9");
    TCase *job = test_case(s, "one job, three ways");
    TCase *locals = test_case(s, "locals across a wait");
    TCase *futures = test_case(s, "futures, sleep(0), gather");
    TCase *options = test_case(s, "options");

    tcase_add_test(job, callbacks_do_the_job);
    tcase_add_test(job, the_state_machine_does_the_same);
    tcase_add_test(job, the_task_does_the_same);
    tcase_add_test(job, the_expanded_task_does_the_same);
    tcase_add_test(locals, a_local_is_lost_at_every_wait);
    tcase_add_test(locals, a_field_of_the_struct_survives);
    tcase_add_test(locals, a_stackful_coroutine_keeps_its_locals);
    tcase_add_test(futures, a_future_runs_its_callbacks_on_later_turns);
    tcase_add_test(futures, sleep_zero_is_one_iteration);
    tcase_add_test(futures, asyncio_sleep_zero_is_one_iteration_too);
    tcase_add_test(futures, gathers_keep_argument_order);
    tcase_add_test(options, every_program_explains_itself_and_refuses_bad_options);
    return s;
}
