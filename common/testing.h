/*
 * testing.h: what every Check test of the repository shares.
 *
 * A test file defines test_suite(); testing.c provides main(), which runs it with each test in a
 * child process (a crash or a hang fails that test only), writes a TAP file, prints a report per
 * test case (one test case per program or per exercise), and returns non-zero if anything failed.
 * The environment tunes it, and the Makefiles set it; nobody needs to by hand:
 *   TTW_RESULTS  file to append "passed failed label" to, for the repository's total
 *   TTW_LABEL    the label; TTW_SOURCE: the file a learner should look at when a test fails
 *   TTW_TAP      where to write the TAP file (default: the test binary's path plus ".tap")
 *   TTW_EXPECT   "fail": judging an untouched stub, each test case must fail at least one assertion
 */
#ifndef TESTING_H
#define TESTING_H

#include <check.h>

#include "proc.h"

/* Seconds a test case may run before it counts as hung (scaled by CK_TIMEOUT_MULTIPLIER). */
#define TEST_TIMEOUT 10

/* Every test file defines this. */
Suite *test_suite(void);

/* Create a test case called `name` with the TEST_TIMEOUT time limit, and add it to `s`. */
TCase *test_case(Suite *s, const char *name);

/*
 * Run the chapter program `name` (from PROGRAM_DIR, which the chapter Makefile defines) with the
 * NULL-terminated arguments that follow, capturing its output into `r`. Fails the test with the
 * program's stderr if it cannot start, times out, crashes or exits with a non-zero status.
 */
#define run_program(r, ...) run_program_in(PROGRAM_DIR, (r), __VA_ARGS__)
void run_program_in(const char *dir, struct proc_result *r, const char *name, ...);

/*
 * Say on stderr that the running test checks nothing here, and why (a tool is missing, a sanitizer
 * changes what is measured). Check has no "skipped": the test then counts as passed, so it must
 * never be silent about it. The caller returns right after.
 */
void test_skip(const char *why);

/* Index of the first line equal to `text`, or -1. */
int find_line(const struct proc_result *r, const char *text);

/*
 * Fail unless the program printed exactly these n lines, in this order (NULL entries match any
 * line). The message shows the first difference and the whole output.
 */
void expect_lines(const struct proc_result *r, const char *const expected[], size_t n);

#endif
