/*
 * testing.h: what every Check test of the repository shares.
 *
 * A test file defines test_suite(), with test cases made by test_case() and tests added with
 * tcase_add_test() as usual; testing.c provides main(), which runs each test on its own, in a child
 * process (a crash or a hang fails that test only), and reports it at once: a test case (one per
 * program or per exercise) prints its tests as they finish, a terminal shows which test is running
 * and for how long it may, and after a test hangs the rest of its test case is not run (it would
 * only make the learner wait). It writes a TAP file, and returns non-zero if anything failed.
 * The environment tunes it, and the Makefiles set it; nobody needs to by hand:
 *   TTW_RESULTS  file to append "passed failed skipped label" to, for the repository's total
 *   TTW_LABEL    the label; TTW_SOURCE: the file a learner should look at when a test fails
 *   TTW_TAP      where to write the TAP file (default: the test binary's path plus ".tap")
 *   TTW_EXPECT   "fail": judging an untouched stub, each test case must fail at least one
 *                assertion; "wrong": judging a kept wrong solution, at least one test must not pass
 */
#ifndef TESTING_H
#define TESTING_H

#include <check.h>
#include <stdbool.h>

#include "proc.h"

/* Seconds a test case may run before it counts as hung (scaled by CK_TIMEOUT_MULTIPLIER). */
#define TEST_TIMEOUT 10

/* Every test file defines this. */
Suite *test_suite(void);

/*
 * Create a test case called `name` with the TEST_TIMEOUT time limit, and add it to `s`. Every test
 * case of a test file must be made this way: the runner knows its tests through it.
 */
TCase *test_case(Suite *s, const char *name);

/* Check's macros, redirected to the runner, which runs (and times) each test on its own. */
#undef tcase_add_test
#define tcase_add_test(tc, tf) test_add((tc), (tf))
#undef tcase_set_timeout
#define tcase_set_timeout(tc, seconds) test_set_timeout((tc), (seconds))
#undef tcase_add_checked_fixture
#define tcase_add_checked_fixture(tc, setup, teardown) test_add_fixture((tc), (setup), (teardown))
void test_add(TCase *tc, const TTest *test);
void test_set_timeout(TCase *tc, double seconds);
/* A checked fixture: setup and teardown run in the test's own process, around each test. */
void test_add_fixture(TCase *tc, SFun setup, SFun teardown);

/*
 * Run the chapter program `name` (from PROGRAM_DIR, which the chapter Makefile defines) with the
 * NULL-terminated arguments that follow, capturing its output into `r`. Fails the test with the
 * program's stderr if it cannot start, times out, crashes or exits with a non-zero status.
 */
#define run_program(r, ...) run_program_in(PROGRAM_DIR, (r), __VA_ARGS__)
void run_program_in(const char *dir, struct proc_result *r, const char *name, ...);

/*
 * Mark the running test as skipped: it checks nothing here, and `why` says so (a tool is missing, a
 * sanitizer changes what is measured). The report shows it as "skip" with the reason, and the
 * total counts it as skipped, not passed. The caller returns right after.
 */
void test_skip(const char *why);

/*
 * True when the tests run under a sanitizer (make's SANITIZE=..., passed to them as TTW_SANITIZE);
 * with `which` ("thread", "address", ...), only under that one. Sanitizers slow programs down, and
 * ThreadSanitizer holds signals back: tests scale their times or skip what they cannot measure.
 */
bool test_sanitized(const char *which);

/* Index of the first line equal to `text`, or -1. */
int find_line(const struct proc_result *r, const char *text);

/*
 * Fail unless the program printed exactly these n lines, in this order (NULL entries match any
 * line). The message shows the first difference and the whole output.
 */
void expect_lines(const struct proc_result *r, const char *const expected[], size_t n);

#endif
