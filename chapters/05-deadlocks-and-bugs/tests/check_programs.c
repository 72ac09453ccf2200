/*
 * check_programs.c: chapter 5's programs, black box. Every bug is forced (a barrier, a handshake,
 * a sleep(0) on the loop), so each demonstration prints the same report on every run, and the
 * tests check it line by line: who holds what, the exit status of a deadlock caught by its
 * watchdog, the error numbers, the balances. Timed figures are checked against bounds that hold
 * on a busy machine. Bug demonstrations are not built under sanitizers; their tests say so.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

#define SCALE "0.1"
#define DEADLOCK_STATUS 3 /* what the deadlock demonstrations exit with */
#define ROUNDS 1000       /* rounds of transfer_ordered and transfer_trylock */
#define MSG_MAX 4096

static struct proc_result r;

/* Render the output for a failure message. */
static const char *output(void)
{
    static char buf[MSG_MAX];
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < r.nlines && used < sizeof buf; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "    | %s\n", r.lines[i]);
    return buf;
}

/* Run a program that must end with `status` (a deadlock demonstration), capturing its output.
 * At full scale: the demonstrations end as soon as their deadlock forms, and the watchdog's last
 * resort (2 s without a cycle) stays far from what a busy machine can delay a thread by. */
static void run_expecting(const char *name, int status)
{
    char path[512];
    char *argv[] = {path, NULL};

    snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, name);
    ck_assert_msg(proc_run(argv, TEST_TIMEOUT - 1, true, &r) == 0, "could not run %s", path);
    ck_assert_msg(!r.timed_out, "%s hung: its watchdog did not end it", name);
    ck_assert_msg(r.signal == 0, "%s was killed by signal %d\nstderr:\n%s", name, r.signal, r.err);
    ck_assert_msg(r.exit_code == status, "%s exited with status %d, expected %d\n%sstderr:\n%s",
                  name, r.exit_code, status, output(), r.err);
}

/* The two lines at a and b, in either order, are x and y: threads print in no fixed order. */
static void expect_pair(size_t a, size_t b, const char *x, const char *y)
{
    ck_assert_msg(a < r.nlines && b < r.nlines, "the output stops before line %zu:\n%s", b + 1,
                  output());
    ck_assert_msg((strcmp(r.lines[a], x) == 0 && strcmp(r.lines[b], y) == 0) ||
                      (strcmp(r.lines[a], y) == 0 && strcmp(r.lines[b], x) == 0),
                  "lines %zu and %zu: expected '%s' and '%s' in some order; the output:\n%s", a + 1,
                  b + 1, x, y, output());
}

/* Lines from..n-1 are exactly expected[0..]. */
static void expect_tail(size_t from, const char *const expected[], size_t n)
{
    ck_assert_msg(r.nlines == n, "expected %zu lines, got %zu:\n%s", n, r.nlines, output());
    for (size_t i = from; i < n; i++)
        ck_assert_msg(strcmp(r.lines[i], expected[i - from]) == 0,
                      "line %zu: expected '%s', got '%s'; the output:\n%s", i + 1,
                      expected[i - from], r.lines[i], output());
}

static bool skip_bug_demo(const char *name)
{
    char why[128];

    if (!test_sanitized(NULL))
        return false;
    snprintf(why, sizeof why, "%s is a bug demonstration, not built under sanitizers", name);
    test_skip(why);
    return true;
}

/* ---- the lock-order deadlock and its two fixes ---- */

START_TEST(deadlock_is_reported_by_the_watchdog)
{
    static const char *const report[] = {
        "watchdog: thread 1 holds A and waits for B", "watchdog: thread 2 holds B and waits for A",
        "watchdog: deadlock: thread 1 waits for thread 2, which waits for thread 1",
        "watchdog: ending the process with status 3 instead of hanging"};

    if (skip_bug_demo("transfer_deadlock"))
        return;
    run_expecting("transfer_deadlock", DEADLOCK_STATUS);
    expect_pair(0, 1, "thread 1: locked A", "thread 2: locked B");
    expect_pair(2, 3, "thread 1: asks for B", "thread 2: asks for A");
    expect_tail(4, report, 8);
}
END_TEST

START_TEST(the_same_locks_on_a_lucky_day_finish)
{
    static const char *const lines[] = {"thread 1: moved 10 from A to B, locking A first",
                                        "thread 2: moved 10 from B to A, locking B first",
                                        "A: 100, B: 100: no deadlock this time"};

    if (skip_bug_demo("transfer_lucky"))
        return;
    run_program(&r, "transfer_lucky", NULL);
    expect_lines(&r, lines, 3);
}
END_TEST

START_TEST(ordered_locks_finish_and_conserve_money)
{
    static const char *const lines[] = {
        "thread 1: moved 10 from A to B, 1000 times, locking A first",
        "thread 2: moved 10 from B to A, 1000 times, locking A first",
        "A: 100, B: 100, total 200: nothing lost, nothing made"};

    run_program(&r, "transfer_ordered", NULL);
    expect_tail(0, lines, 3);
}
END_TEST

START_TEST(trylock_backs_off_every_round_and_finishes)
{
    static const char *const balances[] = {"A: 100, B: 100, total 200: nothing lost, nothing made"};
    unsigned one = 0, two = 0, total = 0, n;
    bool got_one = false, got_two = false;
    int rounds = 0;

    run_program(&r, "transfer_trylock", NULL);
    expect_tail(3, balances, 4);
    /* Printed by main after both threads are done: thread 1's line, then thread 2's. */
    if (sscanf(r.lines[0],
               "thread 1: moved 10 from A to B, 1000 times; found B busy and backed off %u",
               &n) == 1)
        one = n, got_one = true;
    if (sscanf(r.lines[1],
               "thread 2: moved 10 from B to A, 1000 times; found A busy and backed off %u",
               &n) == 1)
        two = n, got_two = true;
    ck_assert_msg(got_one && got_two, "a thread's line is missing:\n%s", output());
    ck_assert_msg(sscanf(r.lines[2], "back-offs: %u in %d rounds", &total, &rounds) == 2,
                  "no back-off count:\n%s", output());
    ck_assert_msg(total == one + two, "back-offs: %u in all, but %u + %u by thread", total, one,
                  two);
    /* Whoever tries first in a round finds the other's lock held: at least one per round. */
    ck_assert_msg(rounds == ROUNDS && total >= ROUNDS, "%u back-offs in %d rounds:\n%s", total,
                  rounds, output());
}
END_TEST

/* ---- the error-checking mutex ---- */

START_TEST(errorcheck_mutex_returns_edeadlk_and_eperm)
{
    char relock[160], foreign[160], twice[160], busy[160];
    const char *const lines[] = {"main: pthread_mutex_lock returned 0",   relock, foreign,
                                 "main: pthread_mutex_unlock returned 0", twice,  busy};

    if (skip_bug_demo("misuse_errorcheck"))
        return;
    snprintf(relock, sizeof relock,
             "main: pthread_mutex_lock again returned %d (EDEADLK: %s); errno is still 0", EDEADLK,
             strerror(EDEADLK));
    snprintf(foreign, sizeof foreign,
             "thread 2: pthread_mutex_unlock (main holds it) returned %d (EPERM: %s); errno is "
             "still 0",
             EPERM, strerror(EPERM));
    snprintf(twice, sizeof twice,
             "main: pthread_mutex_unlock again returned %d (EPERM: %s); errno is still 0", EPERM,
             strerror(EPERM));
    snprintf(busy, sizeof busy,
             "main: pthread_mutex_trylock of a default mutex it holds returned %d (EBUSY: %s); "
             "errno is still 0",
             EBUSY, strerror(EBUSY));
    run_program(&r, "misuse_errorcheck", NULL);
    expect_lines(&r, lines, 6);
}
END_TEST

/* ---- OSTEP's atomicity and order violations, forced, and fixed ---- */

START_TEST(atomicity_violation_finds_null_after_the_check)
{
    static const char *const lines[] = {"thread 1: proc_info is set", "thread 2: proc_info = NULL",
                                        "thread 1: fputs(proc_info) gets NULL, and would crash"};

    if (skip_bug_demo("atomicity_violation"))
        return;
    run_program(&r, "atomicity_violation", NULL);
    expect_lines(&r, lines, 3);
}
END_TEST

START_TEST(atomicity_fixed_keeps_thread_2_out)
{
    static const char *const lines[] = {
        "thread 1: proc_info is set", "thread 2: proc_info_lock is taken: waiting",
        "thread 1: fputs(proc_info) prints \"running\"", "thread 2: proc_info = NULL"};

    run_program(&r, "atomicity_fixed", NULL);
    expect_lines(&r, lines, 4);
}
END_TEST

START_TEST(order_violation_reads_before_init)
{
    static const char *const lines[] = {"thread 1: creating thread 2",
                                        "thread 2: mThread is NULL: mThread->State would crash",
                                        "thread 1: mThread is set"};

    if (skip_bug_demo("order_violation"))
        return;
    run_program(&r, "order_violation", NULL);
    expect_lines(&r, lines, 3);
}
END_TEST

START_TEST(order_fixed_waits_for_init)
{
    static const char *const lines[] = {"thread 1: creating thread 2",
                                        "thread 2: mThread is not set yet: waiting",
                                        "thread 1: mThread is set", "thread 2: mState = running"};

    run_program(&r, "order_fixed", NULL);
    expect_lines(&r, lines, 4);
}
END_TEST

/* ---- the loop ---- */

START_TEST(loop_deadlock_is_reported_as_edeadlk)
{
    char reported[160];
    const char *const lines[] = {"task 1: asks for A",
                                 "task 1: locked A",
                                 "task 2: asks for B",
                                 "task 2: locked B",
                                 "task 1: asks for B",
                                 "task 2: asks for A",
                                 reported,
                                 "task 1 holds A and waits for B",
                                 "task 2 holds B and waits for A",
                                 "exiting with status 3 instead of hanging"};

    if (skip_bug_demo("transfer_deadlock_loop"))
        return;
    snprintf(reported, sizeof reported,
             "task_run_all: -1, errno EDEADLK (%s): the loop has nothing left to wait for",
             strerror(EDEADLK));
    run_expecting("transfer_deadlock_loop", DEADLOCK_STATUS);
    expect_lines(&r, lines, 10);
}
END_TEST

START_TEST(loop_ordered_locks_finish)
{
    static const char *const lines[] = {"task 1: asks for A",       "task 1: locked A",
                                        "task 2: asks for A",       "task 1: asks for B",
                                        "task 1: locked B",         "task 1: moved 10 from A to B",
                                        "task 2: locked A",         "task 2: asks for B",
                                        "task 2: locked B",         "task 2: moved 10 from B to A",
                                        "A: 100, B: 100, total 200"};

    run_program(&r, "transfer_ordered_loop", NULL);
    expect_lines(&r, lines, 11);
}
END_TEST

START_TEST(loop_reports_tasks_waiting_for_themselves)
{
    char edeadlk[128];
    const char *const lines[] = {"1. a task that gathers itself",
                                 "task S: gathering itself",
                                 edeadlk,
                                 "2. two tasks that gather each other",
                                 "task A: gathering task B",
                                 "task B: gathering task A",
                                 edeadlk,
                                 "3. the same two, with a heartbeat ticking 5 times",
                                 "task A: gathering task B",
                                 "task B: gathering task A",
                                 "heartbeat 1",
                                 "heartbeat 2",
                                 "heartbeat 3",
                                 "heartbeat 4",
                                 "heartbeat 5",
                                 edeadlk};
    double waited;

    if (skip_bug_demo("wait_for_itself_loop"))
        return;
    snprintf(edeadlk, sizeof edeadlk, "task_run: -1, errno EDEADLK (%s)", strerror(EDEADLK));
    run_program(&r, "wait_for_itself_loop", "-s", SCALE, NULL);
    expect_lines(&r, lines, 16);
    /* Case 3 is reported only after the heartbeat's five beats of 0.1 s (scaled by 0.1). */
    waited = r.line_at[15] - r.line_at[7];
    ck_assert_msg(waited >= 5 * 0.1 * 0.1 - 0.005, "case 3 was reported after %.3f s", waited);
}
END_TEST

/* At full scale, as the book tells it: a 0.5 s block, and 0.225 s of margin for a late wake-up
 * (on two cores loaded with ten busy processes the worst seen was 0.028 s). */
#define BLOCKING_SCALE "1"
#define BLOCKING_SCALE_VALUE 1.0

START_TEST(blocking_call_makes_the_ticker_late)
{
    const double k = BLOCKING_SCALE_VALUE;
    double block = -1, period = -1, blocked = -1, awaited = -1, slow = -1, again = -1;
    int second_run = -1, slow_at = -1;

    run_program(&r, "blocking_call_loop", "-s", BLOCKING_SCALE, NULL); /* about 2 s in all */
    for (size_t i = 0; i < r.nlines; i++) {
        double x;

        if (sscanf(r.lines[i], "the blocker calls sleep_seconds(%lf)", &x) == 1)
            block = x;
        else if (sscanf(r.lines[i], "the blocker awaits TASK_SLEEP(%lf)", &x) == 1)
            again = x, second_run = (int)i;
        else if (sscanf(r.lines[i], "  slow callback: a step of the blocker took %lf s", &x) == 1)
            slow = x, slow_at = (int)i;
        else if (sscanf(r.lines[i], "  worst lateness of the %lf s ticker: %lf s", &period, &x) ==
                 2)
            *(blocked < 0 ? &blocked : &awaited) = x;
    }
    ck_assert_msg(block == 0.5 * k && again == 0.5 * k && period == 0.1 * k && blocked >= 0 &&
                      awaited >= 0,
                  "lines are missing:\n%s", output());
    /* The loop reported the blocking step, as asyncio's debug mode would, during the first run: it
     * took the whole block (a sleep never ends early). (On a busy machine another step may be
     * reported too, if the process was kept off the CPU in the middle of it.) */
    ck_assert_msg(slow_at >= 0 && slow_at < second_run && slow >= 0.5 * k - 0.001,
                  "no report of the blocker's %.1f s step in the first run:\n%s", 0.5 * k,
                  output());
    /* The block starts 0.25 in and lasts 0.5 (times k); the tick due at 0.3 waits until 0.75. */
    ck_assert_msg(blocked >= 0.45 * k - 0.001,
                  "with the blocking call the ticker was at most %.3f s late; it cannot run "
                  "before %.2f s late",
                  blocked, 0.45 * k);
    ck_assert_msg(awaited < blocked / 2, "with TASK_SLEEP the ticker was still %.3f s late",
                  awaited);
}
END_TEST

/* ---- options ---- */

/* Each program says what it shows with -h, and refuses a bad option with status 2. */
static void expect_options(const char *const programs[], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char path[512];
        char *help[] = {path, "-h", NULL}, *bad[] = {path, "-s", "nonsense", NULL};

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        if (test_sanitized(NULL) && access(path, X_OK) != 0)
            continue; /* a bug demonstration, not built under sanitizers */
        ck_assert_int_eq(proc_run(help, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 0 && r.nlines > 2 && strncmp(r.lines[0], "usage:", 6) == 0,
                      "%s -h: status %d, first line '%s'", programs[i], r.exit_code, r.lines[0]);
        ck_assert_int_eq(proc_run(bad, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 2 && strstr(r.err, "-s wants a number") != NULL,
                      "%s -s nonsense: status %d, stderr '%s'", programs[i], r.exit_code, r.err);
    }
}

START_TEST(the_thread_programs_explain_themselves)
{
    static const char *const programs[] = {
        "transfer_deadlock", "transfer_lucky",    "transfer_ordered",
        "transfer_trylock",  "misuse_errorcheck", "atomicity_violation",
        "atomicity_fixed",   "order_violation",   "order_fixed"};

    expect_options(programs, sizeof programs / sizeof programs[0]);
}
END_TEST

START_TEST(the_loop_programs_explain_themselves)
{
    static const char *const programs[] = {"transfer_deadlock_loop", "transfer_ordered_loop",
                                           "wait_for_itself_loop", "blocking_call_loop"};

    expect_options(programs, sizeof programs / sizeof programs[0]);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 5");
    TCase *deadlock = test_case(s, "lock-order deadlock and its fixes (threads)");
    TCase *misuse = test_case(s, "error-checking mutex");
    TCase *violations = test_case(s, "atomicity and order violations (OSTEP)");
    TCase *loop = test_case(s, "deadlocks and blocking on the loop");
    TCase *options = test_case(s, "options");

    tcase_add_test(deadlock, deadlock_is_reported_by_the_watchdog);
    tcase_add_test(deadlock, the_same_locks_on_a_lucky_day_finish);
    tcase_add_test(deadlock, ordered_locks_finish_and_conserve_money);
    tcase_add_test(deadlock, trylock_backs_off_every_round_and_finishes);
    tcase_add_test(misuse, errorcheck_mutex_returns_edeadlk_and_eperm);
    tcase_add_test(violations, atomicity_violation_finds_null_after_the_check);
    tcase_add_test(violations, atomicity_fixed_keeps_thread_2_out);
    tcase_add_test(violations, order_violation_reads_before_init);
    tcase_add_test(violations, order_fixed_waits_for_init);
    tcase_add_test(loop, loop_deadlock_is_reported_as_edeadlk);
    tcase_add_test(loop, loop_ordered_locks_finish);
    tcase_add_test(loop, loop_reports_tasks_waiting_for_themselves);
    tcase_add_test(loop, blocking_call_makes_the_ticker_late);
    tcase_add_test(options, the_thread_programs_explain_themselves);
    tcase_add_test(options, the_loop_programs_explain_themselves);
    return s;
}
