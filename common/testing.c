/*
 * testing.c: main() for every Check test binary, and the helpers of testing.h. Read that first.
 *
 * Check runs a whole suite and reports at the end. A learner whose exercise loops forever would
 * see nothing for a minute, and a hung test would be reported at the last check that passed. So
 * the runner keeps its own list of tests (tcase_add_test is redirected to test_add) and hands
 * Check one test at a time, each in a suite of its own: it can say which test is running, report
 * each as it ends, name a hung test by its own line, stop a test case after a hang, count skipped
 * tests (the child writes why into a pipe), and tell a sanitizer's exit from a plain exit().
 * It writes the TAP file itself, in Check's format, and treats "no test ran" as a failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "testing.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 16
#define MAX_CASES 64
#define MAX_TESTS 512
#define MSG_MAX_LEN 2048
#define NAME_MAX_LEN 512
#define SKIP_MAX_LEN 256

/* Exit statuses the sanitizers are told to use (config.mk sets them; LeakSanitizer's is its own).
 */
#define EXIT_TSAN 66
#define EXIT_LSAN 23 /* LeakSanitizer alone; under ASan a leak exits with ASan's status */
#define EXIT_ASAN 81
#define EXIT_UBSAN 82

#define MAX_FIXTURES 4

struct case_entry {
    TCase *tc;
    const char *name;
    double timeout; /* seconds, before CK_TIMEOUT_MULTIPLIER */
    SFun setup[MAX_FIXTURES], teardown[MAX_FIXTURES];
    int nfixtures;
};

struct test_entry {
    const TTest *test;
    int tcase; /* index in cases[] */
};

static struct case_entry cases[MAX_CASES];
static int ncases;
static struct test_entry tests[MAX_TESTS];
static int ntests;
static int skip_fd = -1; /* the write end of the running test's skip pipe */

static int case_index(TCase *tc)
{
    for (int i = 0; i < ncases; i++) {
        if (cases[i].tc == tc)
            return i;
    }
    fprintf(stderr, "testing.c: a test case not made by test_case(): the runner cannot run it\n");
    exit(EXIT_FAILURE);
}

TCase *test_case(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);

    if (ncases == MAX_CASES) {
        fprintf(stderr, "testing.c: more than %d test cases\n", MAX_CASES);
        exit(EXIT_FAILURE);
    }
    cases[ncases++] = (struct case_entry){.tc = tc, .name = name, .timeout = TEST_TIMEOUT};
    suite_add_tcase(s, tc);
    return tc;
}

void test_add(TCase *tc, const TTest *test)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "testing.c: more than %d tests\n", MAX_TESTS);
        exit(EXIT_FAILURE);
    }
    tests[ntests++] = (struct test_entry){.test = test, .tcase = case_index(tc)};
}

void test_set_timeout(TCase *tc, double seconds)
{
    cases[case_index(tc)].timeout = seconds;
}

void test_add_fixture(TCase *tc, SFun setup, SFun teardown)
{
    struct case_entry *c = &cases[case_index(tc)];

    if (c->nfixtures == MAX_FIXTURES) {
        fprintf(stderr, "testing.c: more than %d fixtures in test case %s\n", MAX_FIXTURES,
                c->name);
        exit(EXIT_FAILURE);
    }
    c->setup[c->nfixtures] = setup;
    c->teardown[c->nfixtures++] = teardown;
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
    /* The child tells the runner through a pipe the runner made for this test; a test run by
     * hand, outside the runner, says it on stderr. */
    if (skip_fd < 0 || write(skip_fd, why, strlen(why)) < 0)
        fprintf(stderr, "  (skipped: %s)\n", why);
}

bool test_sanitized(const char *which)
{
    const char *s = getenv("TTW_SANITIZE");

    if (s == NULL || s[0] == '\0')
        return false;
    return which == NULL || strstr(s, which) != NULL;
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

enum verdict { V_OK, V_SKIP, V_FAIL, V_HUNG, V_CRASH, V_RACE, V_LEAK, V_MEMORY, V_UB, V_EXIT };

static const char *const verdict_word[] = {"ok",   "skip", "FAIL",   "HUNG", "CRASH",
                                           "RACE", "LEAK", "MEMORY", "UB",   "ERROR"};

static const char *const verdict_advice[] = {
    "",
    "",
    "",
    " (it did not finish in time: a deadlock, an endless loop, or a wait nobody ends)",
    " (the code under test crashed: run it under gdb, or judge it with "
    "SANITIZE=address,undefined)",
    " (ThreadSanitizer saw a data race: its report above names both accesses)",
    " (memory allocated and never freed: LeakSanitizer's report above says where)",
    " (a leak or an invalid memory access: AddressSanitizer's report above says which, and "
    "where)",
    " (undefined behaviour, or a leak with clang: the sanitizer's report above says which)",
    " (the code under test ended the process: does it call exit() where it should return?)"};

struct outcome {
    enum verdict verdict;
    char msg[MSG_MAX_LEN];
    char file[NAME_MAX_LEN]; /* where to look: the failed assertion, or the test itself */
    int line;
    char skipped[SKIP_MAX_LEN]; /* why the test was skipped, or "" */
};

/* What an error (not an assertion) means, from Check's message for it. */
static enum verdict classify_error(const char *msg)
{
    int code;

    if (strstr(msg, "timeout") != NULL)
        return V_HUNG;
    if (strstr(msg, "signal") != NULL)
        return V_CRASH;
    if (sscanf(msg, "Early exit with return value %d", &code) == 1) {
        switch (code) {
        case EXIT_TSAN:
            return V_RACE;
        case EXIT_LSAN:
            return V_LEAK;
        case EXIT_ASAN:
            return V_MEMORY;
        case EXIT_UBSAN:
            return V_UB;
        default:
            break;
        }
    }
    return V_EXIT;
}

/* Run one registered test in a suite of its own, in a child process, and say how it went. */
static void run_one(const struct test_entry *t, struct outcome *out)
{
    const struct case_entry *c = &cases[t->tcase];
    Suite *s = suite_create("test");
    TCase *tc = tcase_create(c->name);
    SRunner *sr;
    TestResult **results;
    int fds[2] = {-1, -1};
    ssize_t n = 0;

    memset(out, 0, sizeof *out);
    if (pipe(fds) == 0) {
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        fcntl(fds[0], F_SETFD, FD_CLOEXEC); /* not inherited by the programs a test runs */
        fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    }
    skip_fd = fds[1];
    (tcase_set_timeout)(tc, c->timeout); /* Check's own: it applies CK_TIMEOUT_MULTIPLIER */
    for (int i = 0; i < c->nfixtures; i++)
        (tcase_add_checked_fixture)(tc, c->setup[i], c->teardown[i]);
    _tcase_add_test(tc, t->test, 0, 0, 0, 1);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_FORK); /* a crash or a hang must fail one test, not the run */
    srunner_run_all(sr, CK_SILENT);
    results = srunner_results(sr);
    snprintf(out->file, sizeof out->file, "%s", t->test->file);
    out->line = t->test->line;
    if (srunner_ntests_run(sr) != 1) {
        out->verdict = V_EXIT;
        snprintf(out->msg, sizeof out->msg, "Check did not run the test");
    } else {
        TestResult *tr = results[0];
        const char *msg = tr_msg(tr) ? tr_msg(tr) : "";

        snprintf(out->msg, sizeof out->msg, "%s", msg);
        if (tr_rtype(tr) == CK_PASS) {
            out->verdict = V_OK;
        } else if (tr_rtype(tr) == CK_FAILURE) {
            out->verdict = V_FAIL;
            if (tr_lfile(tr) !=
                NULL) { /* the assertion that failed: copied, srunner_free frees it */
                snprintf(out->file, sizeof out->file, "%s", tr_lfile(tr));
                out->line = tr_lno(tr);
            }
        } else {
            out->verdict = classify_error(msg);
        }
    }
    skip_fd = -1;
    if (fds[1] >= 0) {
        close(fds[1]);
        n = read(fds[0], out->skipped, sizeof out->skipped - 1);
        out->skipped[n > 0 ? n : 0] = '\0';
        close(fds[0]);
    }
    if (out->verdict == V_OK && out->skipped[0] != '\0')
        out->verdict = V_SKIP;
    free(results); /* the array is ours to free, its results are not */
    srunner_free(sr);
}

static double timeout_of(const struct case_entry *c)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double factor = m != NULL ? atof(m) : 1;

    return c->timeout * (factor > 0 ? factor : 1);
}

static void record(int passed, int failed, int skipped, const char *label)
{
    const char *path = getenv("TTW_RESULTS");
    FILE *f;

    if (path == NULL || (f = fopen(path, "a")) == NULL)
        return;
    fprintf(f, "%d %d %d %s\n", passed, failed, skipped, label);
    fclose(f);
}

/* A TAP line in Check's own format ("ok 3 - file.c:tcase:test: message"); # starts a directive. */
static void tap_line(FILE *tap, int number, bool ok, const struct test_entry *t, const char *msg,
                     const char *directive)
{
    if (tap == NULL)
        return;
    fprintf(tap, "%sok %d - %s:%s:%s: ", ok ? "" : "not ", number, t->test->file,
            cases[t->tcase].name, t->test->name);
    for (const char *p = msg; *p != '\0'; p++)
        fputc(*p == '\n' ? ' ' : *p == '#' ? '_' : *p, tap);
    fprintf(tap, "%s\n", directive);
}

enum mode { JUDGE, EXPECT_FAIL, EXPECT_WRONG };

int main(int argc, char **argv)
{
    const char *label = getenv("TTW_LABEL") ? getenv("TTW_LABEL") : argv[0];
    const char *source = getenv("TTW_SOURCE");
    const char *expect = getenv("TTW_EXPECT") ? getenv("TTW_EXPECT") : "";
    enum mode mode = strcmp(expect, "fail") == 0    ? EXPECT_FAIL
                     : strcmp(expect, "wrong") == 0 ? EXPECT_WRONG
                                                    : JUDGE;
    bool tty = isatty(STDOUT_FILENO);
    char tap_path[1024];
    SRunner *owner = srunner_create(test_suite()); /* never run: it frees the registered cases */
    FILE *tap;
    int passed = 0, failed = 0, skipped = 0, number = 0;

    (void)argc;
    snprintf(tap_path, sizeof tap_path, "%s", getenv("TTW_TAP") ? getenv("TTW_TAP") : "");
    if (tap_path[0] == '\0')
        snprintf(tap_path, sizeof tap_path, "%s.tap", argv[0]);
    tap = fopen(tap_path, "w");
    setvbuf(stdout, NULL, _IOLBF, 0); /* each verdict shows as it comes, even through a pipe */

    for (int c = 0; c < ncases; c++) {
        int ran = 0, bad = 0, asserted = 0, not_run = 0, sk = 0;
        const char *stopped = NULL; /* why the rest of this test case is not run */

        printf("[%s]%s%s\n", cases[c].name, source ? " " : "", source ? source : "");
        for (int i = 0; i < ntests; i++) {
            const struct test_entry *t = &tests[i];
            struct outcome o;

            if (t->tcase != c)
                continue;
            number++;
            if (stopped != NULL) {
                printf("  -      %s: not run: %s\n", t->test->name, stopped);
                tap_line(tap, number, false, t, "not run: ", stopped);
                not_run++;
                continue;
            }
            if (tty) {
                printf("  ..     %s (running; stopped if it takes over %.0f s)\r", t->test->name,
                       timeout_of(&cases[c]));
                fflush(stdout);
            }
            run_one(t, &o);
            if (tty)
                printf("\r\033[K");
            ran++;
            if (o.verdict == V_OK) {
                printf("  ok     %s\n", t->test->name);
                tap_line(tap, number, true, t, "Passed", "");
                continue;
            }
            if (o.verdict == V_SKIP) {
                printf("  skip   %s: %s\n", t->test->name, o.skipped);
                tap_line(tap, number, true, t, "", " # SKIP checks nothing here");
                sk++;
                continue;
            }
            bad++;
            asserted += o.verdict == V_FAIL;
            /* A sanitizer's exit says more in words than Check's "Early exit with ..." does. */
            printf("  %-6s %s: %s%s\n", verdict_word[o.verdict], t->test->name,
                   o.verdict >= V_RACE && o.verdict <= V_UB ? "a sanitizer stopped the test"
                                                            : o.msg,
                   verdict_advice[o.verdict]);
            if (mode == JUDGE)
                printf("         (%s at %s:%d%s%s)\n",
                       o.verdict == V_FAIL ? "the check that failed is" : "the test is", o.file,
                       o.line, source ? "; look at " : "", source ? source : "");
            tap_line(tap, number, false, t, o.msg, "");
            if (o.verdict == V_HUNG)
                stopped = "an earlier test of this case hung; judging the rest would only wait";
            else if (mode == EXPECT_WRONG || (mode == EXPECT_FAIL && o.verdict == V_FAIL))
                stopped = "one failure is all this check needs";
        }
        if (mode == EXPECT_WRONG) {
            /* A kept wrong solution: any test that does not pass has caught it. */
            if (bad > 0) {
                printf("  => the wrong solution fails its tests, as it must\n");
                passed++;
            } else {
                printf("  => every test passes this wrong solution: the tests must get stronger\n");
                failed++;
            }
        } else if (mode == EXPECT_FAIL) {
            /* An untouched stub: the test case is right to fail, by assertion. */
            if (asserted > 0) {
                printf("  => the untouched stub fails a test by assertion, as it must\n");
                passed++;
            } else {
                printf("  => the untouched stub is not caught by an assertion: these tests test "
                       "nothing\n");
                failed++;
            }
        } else {
            int total = ran + not_run;

            printf("  => %d of %d passed", ran - bad - sk, total);
            if (sk > 0)
                printf(", %d skipped (they check nothing here)", sk);
            printf("\n");
            passed += ran - bad - sk;
            failed += bad + not_run;
            skipped += sk;
        }
    }
    if (ntests == 0) {
        printf("[%s] no test ran: that is a failure\n", label);
        failed++;
    }
    if (tap != NULL) {
        fprintf(tap, "1..%d\n", number);
        fclose(tap);
    }
    record(passed, failed, skipped, label);
    srunner_free(owner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
