/*
 * testing.c: main() for every Check test binary, and the helpers of testing.h. Read that first.
 *
 * Check counts results but does not keep a test's name where the API can reach it, and reports
 * "100%" when a filter (CK_RUN_CASE) matched nothing; so this runner writes Check's TAP file, reads
 * the names back from it, prints its own report, and treats "no test ran" as a failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "testing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 16
#define NAME_MAX_LEN 128
#define MSG_MAX_LEN 2048

TCase *test_case(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_set_timeout(tc, TEST_TIMEOUT);
    suite_add_tcase(s, tc);
    return tc;
}

/* Render the whole captured output, for failure messages. */
static void format_output(const struct proc_result *r, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < r->nlines && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "    %5.2f s | %s\n", r->line_at[i],
                                 r->lines[i]);
}

void run_program_in(const char *dir, struct proc_result *r, const char *name, ...)
{
    char path[512], *argv[MAX_ARGS + 2];
    size_t argc = 0;
    va_list ap;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    argv[argc++] = path;
    va_start(ap, name);
    for (char *arg; argc <= MAX_ARGS && (arg = va_arg(ap, char *)) != NULL;)
        argv[argc++] = arg;
    va_end(ap);
    argv[argc] = NULL;

    ck_assert_msg(proc_run(argv, TEST_TIMEOUT - 1, true, r) == 0, "could not run %s", path);
    ck_assert_msg(!r->timed_out, "%s did not finish within %d s (a deadlock?)", name,
                  TEST_TIMEOUT - 1);
    ck_assert_msg(r->signal == 0, "%s was killed by signal %d\nstderr:\n%s", name, r->signal,
                  r->err);
    ck_assert_msg(r->exit_code == 0, "%s exited with status %d\nstderr:\n%s", name, r->exit_code,
                  r->err);
}

void test_skip(const char *why)
{
    fprintf(stderr, "  (skipped, passes without checking: %s)\n", why);
}

int find_line(const struct proc_result *r, const char *text)
{
    for (size_t i = 0; i < r->nlines; i++) {
        if (strcmp(r->lines[i], text) == 0)
            return (int)i;
    }
    return -1;
}

void expect_lines(const struct proc_result *r, const char *const expected[], size_t n)
{
    char out[MSG_MAX_LEN];

    format_output(r, out, sizeof out);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(i < r->nlines,
                      "expected line %zu to be '%s', but the output stops before it:\n%s", i + 1,
                      expected[i] ? expected[i] : "(any)", out);
        if (expected[i] != NULL)
            ck_assert_msg(strcmp(r->lines[i], expected[i]) == 0,
                          "line %zu: expected '%s', got '%s'; the whole output:\n%s", i + 1,
                          expected[i], r->lines[i], out);
    }
    ck_assert_msg(r->nlines == n, "expected %zu lines, got %zu:\n%s", n, r->nlines, out);
}

/* ---- the runner ------------------------------------------------------------------------- */

/* The test's name from a TAP line "ok 3 - file.c:tcase:name: message" (Check's format). */
static void tap_test_name(const char *line, char *name, size_t size)
{
    const char *p = strstr(line, " - ");
    const char *start, *end;

    snprintf(name, size, "?");
    if (p == NULL || (p = strchr(p + 3, ':')) == NULL || (start = strchr(p + 1, ':')) == NULL)
        return;
    start++;
    end = strchr(start, ':');
    if (end != NULL)
        snprintf(name, size, "%.*s", (int)(end - start), start);
}

/* Read the test names back from the TAP file, in run order. Returns how many were read. */
static int read_tap_names(const char *path, char names[][NAME_MAX_LEN], int max)
{
    FILE *f = fopen(path, "r");
    char line[MSG_MAX_LEN];
    int n = 0;

    if (f == NULL)
        return 0;
    while (n < max && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "ok ", 3) == 0 || strncmp(line, "not ok ", 7) == 0)
            tap_test_name(line, names[n++], NAME_MAX_LEN);
    }
    fclose(f);
    return n;
}

/* One word for what happened, read from Check's own messages for errors. */
static const char *verdict(TestResult *tr)
{
    const char *msg = tr_msg(tr) ? tr_msg(tr) : "";

    if (tr_rtype(tr) == CK_PASS)
        return "ok";
    if (tr_rtype(tr) == CK_FAILURE)
        return "FAIL";
    if (strstr(msg, "timeout") != NULL)
        return "HUNG";
    if (strstr(msg, "signal") != NULL)
        return "CRASH";
    return "ERROR";
}

static const char *advice(const char *v)
{
    if (strcmp(v, "HUNG") == 0)
        return " (it did not finish in time: a deadlock, an endless loop, or a wait nobody ends)";
    if (strcmp(v, "CRASH") == 0)
        return " (the code under test crashed: run it under gdb or with "
               "SANITIZE=address,undefined)";
    if (strcmp(v, "ERROR") == 0)
        return " (the code under test ended the process: does it call exit() where it should "
               "return?)";
    return "";
}

static void record(int passed, int failed, const char *label)
{
    const char *path = getenv("TTW_RESULTS");
    FILE *f;

    if (path == NULL || (f = fopen(path, "a")) == NULL)
        return;
    fprintf(f, "%d %d %s\n", passed, failed, label);
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *label = getenv("TTW_LABEL") ? getenv("TTW_LABEL") : argv[0];
    const char *source = getenv("TTW_SOURCE");
    bool expect_fail = getenv("TTW_EXPECT") && strcmp(getenv("TTW_EXPECT"), "fail") == 0;
    bool expect_wrong = getenv("TTW_EXPECT") && strcmp(getenv("TTW_EXPECT"), "wrong") == 0;
    char tap[1024];
    SRunner *sr = srunner_create(test_suite());
    TestResult **results;
    int n, passed = 0, failed = 0;
    char(*names)[NAME_MAX_LEN];

    (void)argc;
    snprintf(tap, sizeof tap, "%s", getenv("TTW_TAP") ? getenv("TTW_TAP") : "");
    if (tap[0] == '\0')
        snprintf(tap, sizeof tap, "%s.tap", argv[0]);
    srunner_set_fork_status(sr, CK_FORK); /* a crash or a hang must fail one test, not the run */
    srunner_set_tap(sr, tap);
    srunner_run_all(sr, CK_SILENT);

    n = srunner_ntests_run(sr);
    results = srunner_results(sr);
    names = calloc((size_t)n + 1, sizeof *names);
    if (names == NULL) {
        perror("calloc");
        return EXIT_FAILURE;
    }
    read_tap_names(tap, names, n);

    for (int i = 0; i < n;) {
        /* One block per test case: its tests are consecutive in the results. */
        const char *tc = tr_tcname(results[i]);
        int j, tc_failed = 0, tc_assert_failed = 0;

        printf("[%s]%s%s\n", tc, source ? " " : "", source ? source : "");
        for (j = i; j < n && strcmp(tr_tcname(results[j]), tc) == 0; j++) {
            const char *v = verdict(results[j]);

            if (tr_rtype(results[j]) == CK_PASS) {
                printf("  ok     %s\n", names[j]);
                continue;
            }
            tc_failed++;
            tc_assert_failed += tr_rtype(results[j]) == CK_FAILURE;
            printf("  %-6s %s: %s%s\n", v, names[j], tr_msg(results[j]), advice(v));
            if (tr_lfile(results[j]) != NULL && !expect_fail && !expect_wrong)
                printf("         (test at %s:%d%s%s)\n", tr_lfile(results[j]), tr_lno(results[j]),
                       source ? "; look at " : "", source ? source : "");
        }
        if (expect_wrong) {
            /* Judging a kept wrong solution: any test that does not pass has caught it. */
            if (tc_failed > 0) {
                printf("  => the wrong solution fails %d of %d tests, as it must\n", tc_failed,
                       j - i);
                passed++;
            } else {
                printf("  => every test passes this wrong solution: the tests must get stronger\n");
                failed++;
            }
        } else if (expect_fail) {
            /* Judging an untouched stub: the test case is right to fail, by assertion. */
            if (tc_assert_failed > 0) {
                printf("  => the untouched stub fails %d of %d tests, as it must\n", tc_failed,
                       j - i);
                passed++;
            } else {
                printf("  => the untouched stub is not caught by an assertion: these tests test "
                       "nothing\n");
                failed++;
            }
        } else {
            printf("  => %d of %d passed\n", j - i - tc_failed, j - i);
            passed += j - i - tc_failed;
            failed += tc_failed;
        }
        i = j;
    }
    if (n == 0) {
        printf("[%s] no test ran (did CK_RUN_CASE or CK_RUN_SUITE match nothing?): that is a "
               "failure\n",
               label);
        failed++;
    }
    record(passed, failed, label);
    free(names);
    free(results); /* the array is ours to free, its results are not */
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
