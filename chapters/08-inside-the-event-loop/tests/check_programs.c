/*
 * check_programs.c: chapter 8's programs, black box.
 *
 * The three steps of the loop print traces of the same scenarios (scenarios.h); every line is
 * checked, and so is the claim that matters most: each step prints exactly what common/'s loop
 * (step 3) prints for the scenarios it has, so the steps the book builds cannot drift from the
 * loop it ships. Then the timers' lateness: on the loop, a timer waits for a long callback; on
 * threads, it does not.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

#define N(array) (sizeof(array) / sizeof((array)[0]))
#define SCALE "0.1" /* scenario 3's times are printed scaled: "100 ms" becomes "10 ms" */
#define SCALE_VALUE 0.1
#define EARLY_MARGIN 0.005 /* a sleep never ends early; allow for the clock's rounding */
#define TASKSET "/usr/bin/taskset"

static struct proc_result r, other;

static const char *const scenario_1_and_2[] = {
    "== scenario 1: callbacks A, B, C, D queued",
    "iteration 1: poll, without waiting",
    "  A, which queues E",
    "  B, which cancels D: done",
    "  C, which queues itself again",
    "iteration 2: poll, without waiting",
    "  E",
    "  C, second time",
    "== scenario 2: X and Y queued, then loop_run",
    "  X, which queues Z and calls loop_stop",
    "  Y",
    "loop_run returned; loop_run again",
    "  Z",
    "loop_run returned: nothing left",
};

/* At SCALE. */
static const char *const scenario_3_and_4[] = {
    "== scenario 3: timers T1 to T5 armed (30, 10, 20, 10, 25 ms), then hello queued",
    "iteration 1: poll, without waiting",
    "  hello at 0 ms, which arms T0 (0 ms)",
    "  T0 at 0 ms",
    "iteration 2: poll, waiting 10 ms",
    "  T2 at 10 ms, which queues a callback",
    "  T4 at 10 ms",
    "iteration 3: poll, without waiting",
    "  the callback queued by T2, at 10 ms",
    "iteration 4: poll, waiting 10 ms",
    "  T3 at 20 ms, which cancels T5 (done) and arms T6 (0 ms)",
    "iteration 5: poll, without waiting",
    "  T6 at 20 ms",
    "iteration 6: poll, waiting 10 ms",
    "  T1 at 30 ms",
    "== scenario 4: timers U1 to U3 armed (30, 10, 20 ms) on the real clock, loop_run",
    "  U2: fired, not early",
    "  U3: fired, not early",
    "  U1: fired, not early",
};

static const char *const scenario_5[] = {
    "== scenario 5: a pipe, its read end watched, then its write end",
    "iteration 1: poll, waiting for as long as it takes",
    "  write end writable: 1 byte written, unwatched; a callback queued",
    "iteration 2: poll, without waiting",
    "  the callback queued by the writer",
    "  read end readable: 1 byte read, unwatched",
};

/* The expected output of a step: the scenarios it has, in order. */
static size_t expected(int step, const char *lines[])
{
    size_t n = 0;

    for (size_t i = 0; i < N(scenario_1_and_2); i++)
        lines[n++] = scenario_1_and_2[i];
    for (size_t i = 0; step >= 2 && i < N(scenario_3_and_4); i++)
        lines[n++] = scenario_3_and_4[i];
    for (size_t i = 0; step >= 3 && i < N(scenario_5); i++)
        lines[n++] = scenario_5[i];
    return n;
}

static void expect_step(int step, const char *program)
{
    const char *lines[PROC_MAX_LINES];
    size_t n = expected(step, lines);

    run_program(&r, program, "-s", SCALE, NULL);
    expect_lines(&r, lines, n);
}

START_TEST(step1_runs_callbacks_in_order_one_snapshot_per_iteration)
{
    expect_step(1, "step1_callbacks");
}
END_TEST

START_TEST(step2_fires_timers_in_deadline_order_ties_in_arming_order)
{
    expect_step(2, "step2_timers");
}
END_TEST

START_TEST(step3_common_loop_adds_descriptors)
{
    expect_step(3, "step3_descriptors");
}
END_TEST

/* Fail unless `step`'s output is, line for line, the start of common/'s (already in `other`). */
static void expect_prefix_of_common(const char *step)
{
    ck_assert_msg(r.nlines > 0 && r.nlines < other.nlines, "%s printed %zu lines, step 3 %zu", step,
                  r.nlines, other.nlines);
    for (size_t i = 0; i < r.nlines; i++)
        ck_assert_msg(strcmp(r.lines[i], other.lines[i]) == 0,
                      "line %zu: %s prints '%s', common/'s loop prints '%s'", i + 1, step,
                      r.lines[i], other.lines[i]);
}

START_TEST(every_step_prints_what_common_loop_prints)
{
    /* Independent of the expected lines above: the steps are compared with step 3 directly, at
     * another scale, so that a change to common/loop.c that changes an order shows here. */
    run_program(&other, "step3_descriptors", "-s", "0.05", NULL);
    run_program(&r, "step1_callbacks", "-s", "0.05", NULL);
    expect_prefix_of_common("step1_callbacks");
    run_program(&r, "step2_timers", "-s", "0.05", NULL);
    expect_prefix_of_common("step2_timers");
    ck_assert_int_eq(other.nlines, r.nlines + N(scenario_5)); /* step 3 adds scenario 5 only */
}
END_TEST

/* Scenario 4 on the real clock: the loop slept until its last timer was due, not less. The times
 * are the program's own (its -T table): times taken as the lines arrive here could shrink, if the
 * first line were read late. */
static void expect_real_sleep(const char *program)
{
    char table[] = "/tmp/ttw-timesXXXXXX", line[512];
    double printed_at[PROC_MAX_LINES];
    size_t nprinted = 0;
    int first, last, fd = mkstemp(table);
    FILE *f;

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    run_program(&r, program, "-s", SCALE, "-T", table, NULL);
    f = fopen(table, "r");
    ck_assert_msg(f != NULL, "%s wrote no -T table", program);
    while (nprinted < PROC_MAX_LINES && fgets(line, sizeof line, f) != NULL)
        ck_assert_msg(sscanf(line, "%lf", &printed_at[nprinted++]) == 1, "bad -T line: %s", line);
    fclose(f);
    unlink(table);
    ck_assert_msg(nprinted == r.nlines, "the -T table has %zu lines, stdout %zu", nprinted,
                  r.nlines);
    first = find_line(&r, scenario_3_and_4[15]);
    last = find_line(&r, "  U1: fired, not early");
    ck_assert_msg(first >= 0 && last > first, "%s: scenario 4 is missing", program);
    ck_assert_msg(printed_at[last] - printed_at[first] >= 0.3 * SCALE_VALUE - EARLY_MARGIN,
                  "%s: the last timer of scenario 4 fired %.3f s after the scenario began, "
                  "before its %.3f s",
                  program, printed_at[last] - printed_at[first], 0.3 * SCALE_VALUE);
}

START_TEST(real_clock_timers_wait_their_time)
{
    expect_real_sleep("step2_timers");
    expect_real_sleep("step3_descriptors");
}
END_TEST

/* ---- lateness: the loop cannot preempt, the kernel can ---- */

/* The seconds the timer line says it was late, or fail. */
static double lateness(void)
{
    double due = -1, late = -1;

    for (size_t i = 0; i < r.nlines; i++)
        sscanf(r.lines[i], "timer: due at %lf s, fired %lf s late", &due, &late);
    ck_assert_msg(late >= 0, "no 'timer: ... fired ... late' line");
    return late;
}

START_TEST(loop_timer_waits_for_the_long_callback)
{
    const char *const lines[] = {"callback: computing for 0.3 s", "callback: done", NULL};
    double late;

    run_program(&r, "timer_late_loop", "-s", "0.3", NULL);
    expect_lines(&r, lines, N(lines));
    late = lateness();
    /* Due at 0.06 s, the callback computes until 0.3 s: at least 0.24 s late, on any machine. */
    ck_assert_msg(late >= 0.24 - EARLY_MARGIN, "fired only %.3f s late: the loop preempted?", late);
}
END_TEST

/* The thread's timer fires while main still computes, and long before the loop's would. */
static void expect_thread_on_time(void)
{
    const char *const lines[] = {"main: computing for 1 s", NULL, "main: done"};
    double late;

    expect_lines(&r, lines, N(lines));
    ck_assert_msg(strncmp(r.lines[1], "timer: ", 7) == 0, "the timer fired after main's work");
    late = lateness();
    /* The loop's would be 0.8 s late; a woken thread waits for a core, on a busy machine some
     * tens of ms. Half of the loop's lateness leaves a wide margin. */
    ck_assert_msg(late < 0.4, "the sleeping thread woke %.3f s late", late);
}

START_TEST(thread_timer_fires_while_another_thread_computes)
{
    run_program(&r, "timer_late_threads", "-s", "1", NULL);
    expect_thread_on_time();
}
END_TEST

START_TEST(thread_timer_fires_on_time_even_on_one_core)
{
    char path[512];
    char *argv[] = {TASKSET, "-c", "0", path, "-s", "1", NULL};

    if (access(TASKSET, X_OK) != 0) {
        test_skip("thread_timer_fires_on_time_even_on_one_core: no " TASKSET " to pin with");
        return;
    }
    snprintf(path, sizeof path, "%s/timer_late_threads", PROGRAM_DIR);
    ck_assert_int_eq(proc_run(argv, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0, "taskset failed: %s", r.err);
    /* One core for both threads: the kernel takes it from the computation for the timer. */
    expect_thread_on_time();
}
END_TEST

/* ---- options ---- */

START_TEST(every_program_explains_itself_and_refuses_bad_options)
{
    static const char *const programs[] = {"step1_callbacks", "step2_timers", "step3_descriptors",
                                           "timer_late_loop", "timer_late_threads"};

    for (size_t i = 0; i < N(programs); i++) {
        char path[512];
        char *help[] = {path, "-h", NULL}, *bad[] = {path, "-s", "nonsense", NULL};

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
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
    Suite *s = suite_create("chapter 8");
    TCase *steps = test_case(s, "the loop, step by step");
    TCase *late = test_case(s, "timers and long callbacks");
    TCase *options = test_case(s, "options");

    tcase_add_test(steps, step1_runs_callbacks_in_order_one_snapshot_per_iteration);
    tcase_add_test(steps, step2_fires_timers_in_deadline_order_ties_in_arming_order);
    tcase_add_test(steps, step3_common_loop_adds_descriptors);
    tcase_add_test(steps, every_step_prints_what_common_loop_prints);
    tcase_add_test(steps, real_clock_timers_wait_their_time);
    tcase_add_test(late, loop_timer_waits_for_the_long_callback);
    tcase_add_test(late, thread_timer_fires_while_another_thread_computes);
    tcase_add_test(late, thread_timer_fires_on_time_even_on_one_core);
    tcase_add_test(options, every_program_explains_itself_and_refuses_bad_options);
    return s;
}
