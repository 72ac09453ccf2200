/*
 * check_proc.c: the program runner behind every black-box test (proc.h). If it could miss a hang,
 * a crash or a failing exit status, every chapter test built on it could pass on a broken program.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <string.h>

#include "proc.h"
#include "testing.h"

static struct proc_result r;

static void run_sh(const char *script, double timeout)
{
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};

    ck_assert_int_eq(proc_run(argv, timeout, true, &r), 0);
}

START_TEST(collects_lines_and_exit_status)
{
    run_sh("echo one; echo two >&2; echo three; exit 3", 5);
    ck_assert_int_eq(r.exit_code, 3);
    ck_assert_int_eq(r.signal, 0);
    ck_assert(!r.timed_out);
    ck_assert_int_eq(r.nlines, 2);
    ck_assert_str_eq(r.lines[0], "one");
    ck_assert_str_eq(r.lines[1], "three");
    ck_assert_str_eq(r.err, "two\n");
    ck_assert(r.line_at[0] <= r.line_at[1]);
}
END_TEST

START_TEST(kills_a_program_that_outlives_its_time)
{
    run_sh("exec sleep 30", 0.2);
    ck_assert(r.timed_out);
    ck_assert_int_eq(r.signal, SIGKILL);
    ck_assert_msg(r.elapsed < 5, "took %.2f s to notice the time limit", r.elapsed);
}
END_TEST

START_TEST(reports_a_crash)
{
    run_sh("kill -SEGV $$", 5);
    ck_assert_int_eq(r.signal, SIGSEGV);
    ck_assert_int_eq(r.exit_code, -1);
}
END_TEST

START_TEST(reports_a_program_that_cannot_start)
{
    char *argv[] = {"/nonexistent/program", NULL};

    ck_assert_int_eq(proc_run(argv, 5, true, &r), 0);
    ck_assert_int_eq(r.exit_code, 127);
}
END_TEST

START_TEST(bounds_long_output)
{
    run_sh("i=0; while [ $i -lt 100 ]; do echo line $i; i=$((i+1)); done", 5);
    ck_assert_int_eq(r.nlines, PROC_MAX_LINES);
    ck_assert(r.truncated);
    ck_assert_str_eq(r.lines[PROC_MAX_LINES - 1], "line 63");
}
END_TEST

/* ---- a server: started, waited for by its first line, stopped ---- */

static struct proc_server server;

START_TEST(starts_a_server_at_its_first_line)
{
    char *argv[] = {"/bin/sh", "-c",
                    "trap 'echo bye; exit 7' TERM; echo ready >&2; "
                    "echo 'listening on 127.0.0.1:4321'; while :; do sleep 1; done",
                    NULL};

    ck_assert_int_eq(proc_server_start(argv, 5, &server, &r), 0);
    ck_assert_int_eq(server.port, 4321);
    ck_assert_int_gt(proc_count_fds(server.pid), 2);
    ck_assert_int_eq(proc_count_fds_below(server.pid, 3), 3); /* stdin, stdout, stderr */
    ck_assert_int_eq(proc_count_fds_below(server.pid, 0), 0);
    ck_assert_int_eq(proc_server_stop(&server, SIGTERM, 5, &r), 0);
    ck_assert(!r.timed_out);
    ck_assert_int_eq(r.exit_code, 7);
    ck_assert_int_eq(r.nlines, 1);
    ck_assert_str_eq(r.lines[0], "bye");
    ck_assert_str_eq(r.err, "ready\n");
}
END_TEST

START_TEST(reports_a_server_that_says_something_else)
{
    char *argv[] = {"/bin/sh", "-c", "echo 'cannot bind'; echo oops >&2; exit 3", NULL};

    ck_assert_int_eq(proc_server_start(argv, 5, &server, &r), -1);
    ck_assert_int_eq(r.nlines, 1);
    ck_assert_str_eq(r.lines[0], "cannot bind");
    ck_assert_int_eq(r.exit_code, 3);
    ck_assert_str_eq(r.err, "oops\n");
}
END_TEST

START_TEST(gives_up_on_a_silent_server)
{
    char *argv[] = {"/bin/sh", "-c", "exec sleep 30", NULL};

    ck_assert_int_eq(proc_server_start(argv, 0.2, &server, &r), -1);
    ck_assert(r.timed_out);
    ck_assert_int_eq(r.signal, SIGKILL);
}
END_TEST

START_TEST(kills_a_server_that_will_not_stop)
{
    char *argv[] = {"/bin/sh", "-c", "trap '' TERM; echo 'listening on [::1]:80'; exec sleep 30",
                    NULL};

    ck_assert_int_eq(proc_server_start(argv, 5, &server, &r), 0);
    ck_assert_int_eq(server.port, 80);
    ck_assert_int_eq(proc_server_stop(&server, SIGTERM, 0.2, &r), 0);
    ck_assert(r.timed_out);
    ck_assert_int_eq(r.signal, SIGKILL);
}
END_TEST

/* ---- the runner itself: a checked fixture runs around each test, in its process ---- */

static int fixture_ran;

static void fixture_setup(void)
{
    fixture_ran++;
}

static void fixture_teardown(void)
{
}

START_TEST(checked_fixture_runs_before_each_test)
{
    ck_assert_int_eq(fixture_ran, 1); /* once, in this test's own process */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("proc");
    TCase *tc = test_case(s, "proc");
    TCase *runner = test_case(s, "test runner");

    tcase_add_test(tc, collects_lines_and_exit_status);
    tcase_add_test(tc, kills_a_program_that_outlives_its_time);
    tcase_add_test(tc, reports_a_crash);
    tcase_add_test(tc, reports_a_program_that_cannot_start);
    tcase_add_test(tc, bounds_long_output);
    tcase_add_test(tc, starts_a_server_at_its_first_line);
    tcase_add_test(tc, reports_a_server_that_says_something_else);
    tcase_add_test(tc, gives_up_on_a_silent_server);
    tcase_add_test(tc, kills_a_server_that_will_not_stop);
    tcase_add_checked_fixture(runner, fixture_setup, fixture_teardown);
    tcase_add_test(runner, checked_fixture_runs_before_each_test);
    tcase_add_test(runner, checked_fixture_runs_before_each_test);
    return s;
}
