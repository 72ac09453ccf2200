/*
 * check_programs.c: chapter 3's programs, black box. The counters print what they counted and
 * what was lost: the tests check that the figures add up, and that the fixed versions lose
 * nothing. They never assert that the race loses something (on a busy or single core it may not)
 * and never assert on a time, only that the program printed one. The bank programs run on the
 * event loop, so their lines are the same on every run: the tests check every one, in order, and,
 * by the times the programs record themselves (-T), that the lock makes the waits follow one
 * another instead of overlapping.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

/* -s for the counters: 1 million increments per thread; sanitized code is much slower. */
#define COUNTER_SCALE "0.1"
#define COUNTER_SCALE_SANITIZED "0.01"
#define BANK_SCALE "0.2"
#define BANK_SCALE_VALUE 0.2
#define EARLY_MARGIN 0.005 /* a sleep never ends early; allow for the clock's rounding */
#define LATE_MARGIN 0.5    /* of a 1 s wait (unscaled): a loaded machine may wake a timer late */

static struct proc_result r;
static double printed_at[PROC_MAX_LINES]; /* when the program printed each line, by its -T table */
static size_t nprinted;

/* The number after `prefix` on the first line that starts with it; fails if there is none. */
static double figure(const char *prefix)
{
    size_t len = strlen(prefix);

    for (size_t i = 0; i < r.nlines; i++) {
        double value;

        if (strncmp(r.lines[i], prefix, len) == 0 && sscanf(r.lines[i] + len, "%lf", &value) == 1)
            return value;
    }
    ck_abort_msg("no line starting with '%s' in the output", prefix);
    return 0;
}

/* The figures a counter program prints: expected, counted, lost; they must add up. */
struct counted {
    long expected, counter, lost;
};

static struct counted run_counter(const char *program, const char *workers)
{
    const char *scale = test_sanitized(NULL) ? COUNTER_SCALE_SANITIZED : COUNTER_SCALE;
    struct counted c;
    long per_worker, expected;
    char first[PROC_LINE_MAX];

    run_program(&r, program, "-s", scale, NULL);
    ck_assert_msg(r.nlines >= 3, "%s printed %zu lines", program, r.nlines);
    per_worker = test_sanitized(NULL) ? 100000 : 1000000;
    expected = 2 * per_worker;
    snprintf(first, sizeof first, "2 %s x %ld increments", workers, per_worker);
    ck_assert_msg(strncmp(r.lines[0], first, strlen(first)) == 0, "%s's first line is '%s'",
                  program, r.lines[0]);
    c.expected = strstr(r.lines[0], "expected ") ? atol(strstr(r.lines[0], "expected ") + 9) : -1;
    c.counter = (long)figure("counter: ");
    c.lost = (long)figure("lost: ");
    ck_assert_msg(c.expected == expected, "%s expected %ld increments, not %ld", program,
                  c.expected, expected);
    ck_assert_msg(c.counter + c.lost == c.expected, "%s: counter %ld + lost %ld != expected %ld",
                  program, c.counter, c.lost, c.expected);
    ck_assert_msg(c.lost >= 0 && c.counter >= 0, "%s: counter %ld, lost %ld", program, c.counter,
                  c.lost);
    return c;
}

/* The thread counters print what an increment cost; the tests only check that they do. */
static void expect_cost_line(const char *program)
{
    double ns = -1;

    for (size_t i = 0; i < r.nlines; i++) {
        double seconds;

        if (sscanf(r.lines[i], "time: %lf s, %lf ns per increment", &seconds, &ns) == 2)
            break;
    }
    ck_assert_msg(ns >= 0, "%s printed no 'time: ... ns per increment' line", program);
}

/* ---- two threads, one counter ---- */

START_TEST(race_reports_figures_that_add_up)
{
    if (test_sanitized(NULL)) {
        test_skip("race_reports_figures_that_add_up: a bug demonstration, not built here");
        return;
    }
    /* Whatever it lost (maybe nothing, on a busy or single core), the figures add up. */
    run_counter("counter_race", "threads");
    expect_cost_line("counter_race");
}
END_TEST

START_TEST(plain_race_reports_figures_that_add_up)
{
    if (test_sanitized(NULL)) {
        test_skip("plain_race_reports_figures_that_add_up: a bug demonstration, not built here");
        return;
    }
    run_counter("counter_plain", "threads");
    expect_cost_line("counter_plain");
}
END_TEST

START_TEST(split_atomic_reports_figures_that_add_up)
{
    if (test_sanitized(NULL)) {
        test_skip("split_atomic_reports_figures_that_add_up: a bug demonstration, not built here");
        return;
    }
    run_counter("counter_atomic_split", "threads");
    expect_cost_line("counter_atomic_split");
}
END_TEST

START_TEST(mutex_loses_nothing)
{
    struct counted c = run_counter("counter_mutex", "threads");

    ck_assert_msg(c.lost == 0 && c.counter == c.expected, "counter_mutex lost %ld updates", c.lost);
    expect_cost_line("counter_mutex");
}
END_TEST

START_TEST(atomic_loses_nothing)
{
    struct counted c = run_counter("counter_atomic", "threads");

    ck_assert_msg(c.lost == 0 && c.counter == c.expected, "counter_atomic lost %ld updates",
                  c.lost);
    expect_cost_line("counter_atomic");
}
END_TEST

START_TEST(tasks_lose_nothing_without_a_lock)
{
    struct counted c = run_counter("counter_loop", "tasks");
    long turns = (long)figure("the tasks took turns ");

    ck_assert_msg(c.lost == 0, "counter_loop lost %ld updates", c.lost);
    /* A turn per 1000 increments per task: they really did interleave, 2 * n / 1000 times. */
    ck_assert_msg(turns == c.expected / 1000, "the tasks took turns %ld times, expected %ld", turns,
                  c.expected / 1000);
}
END_TEST

/* ---- the bank on the loop ---- */

#define ROUND1_RACE                                                                                \
    "alice -> bob 50: reads alice 100, bob 100; logs alice 50, bob 150",                           \
        "bob -> carol 50: reads bob 100, carol 100; logs bob 50, carol 150",                       \
        "carol -> alice 50: reads carol 100, alice 100; logs carol 50, alice 150",                 \
        "alice -> bob 50: writes alice 50, bob 150", "bob -> carol 50: writes bob 50, carol 150",  \
        "carol -> alice 50: writes carol 50, alice 150"

static const char *const bank_race_lines[] = {
    "round 1: alice, bob and carol pass 50 around a circle",
    ROUND1_RACE,
    "balances: alice 150, bob 50, carol 50",
    "total: 250, should be 300: 50 lost",
    "round 2: alice sends 80 to bob and 80 to carol",
    "alice -> bob 80: reads alice 100, bob 100; logs alice 20, bob 180",
    "alice -> carol 80: reads alice 100, carol 100; logs alice 20, carol 180",
    "alice -> bob 80: writes alice 20, bob 180",
    "alice -> carol 80: writes alice 20, carol 180",
    "balances: alice 20, bob 180, carol 180",
    "total: 380, should be 300: 80 created",
};

static const char *const bank_lock_lines[] = {
    "round 1: alice, bob and carol pass 50 around a circle",
    "alice -> bob 50: reads alice 100, bob 100; logs alice 50, bob 150",
    "alice -> bob 50: writes alice 50, bob 150",
    "bob -> carol 50: reads bob 150, carol 100; logs bob 100, carol 150",
    "bob -> carol 50: writes bob 100, carol 150",
    "carol -> alice 50: reads carol 150, alice 50; logs carol 100, alice 100",
    "carol -> alice 50: writes carol 100, alice 100",
    "balances: alice 100, bob 100, carol 100",
    "total: 300, should be 300: nothing lost, nothing created",
    "round 2: alice sends 80 to bob and 80 to carol",
    "alice -> bob 80: reads alice 100, bob 100; logs alice 20, bob 180",
    "alice -> bob 80: writes alice 20, bob 180",
    "alice -> carol 80: reads alice 20: not enough, refused",
    "balances: alice 20, bob 180, carol 100",
    "total: 300, should be 300: nothing lost, nothing created",
};

#define NLINES(a) (sizeof(a) / sizeof((a)[0]))

/* Run a bank program scaled down; its -T option records when it printed each line. */
static void run_bank(const char *program)
{
    char table[] = "/tmp/ttw-timesXXXXXX", line[512];
    int fd = mkstemp(table);
    FILE *f;

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    run_program(&r, program, "-s", BANK_SCALE, "-T", table, NULL);
    f = fopen(table, "r");
    ck_assert_msg(f != NULL, "%s wrote no -T table at %s", program, table);
    nprinted = 0;
    while (nprinted < PROC_MAX_LINES && fgets(line, sizeof line, f) != NULL)
        ck_assert_msg(sscanf(line, "%lf", &printed_at[nprinted++]) == 1, "bad -T line: %s", line);
    fclose(f);
    unlink(table);
    ck_assert_msg(nprinted == r.nlines, "the -T table has %zu lines, stdout %zu", nprinted,
                  r.nlines);
}

/* Seconds (unscaled) from the first line to the line equal to `text`, by the program's clock. */
static double seconds_to(const char *text)
{
    int i = find_line(&r, text);

    ck_assert_msg(i >= 0, "no line '%s'", text);
    return (printed_at[i] - printed_at[0]) / BANK_SCALE_VALUE;
}

START_TEST(bank_race_loses_and_creates_money)
{
    double round1;

    if (test_sanitized(NULL)) {
        test_skip("bank_race_loses_and_creates_money: a bug demonstration, not built here");
        return;
    }
    run_bank("bank_race_loop");
    expect_lines(&r, bank_race_lines, NLINES(bank_race_lines));
    /* The three 1 s waits overlap: round 1 takes about 1 s, far from the 3 s of the lock. */
    round1 = seconds_to("balances: alice 150, bob 50, carol 50");
    ck_assert_msg(round1 >= 1 - EARLY_MARGIN / BANK_SCALE_VALUE && round1 < 1 + LATE_MARGIN,
                  "round 1 took %.2f s (unscaled), expected about 1 s: the waits overlap", round1);
}
END_TEST

START_TEST(bank_lock_keeps_every_cent)
{
    double round1;

    run_bank("bank_lock_loop");
    expect_lines(&r, bank_lock_lines, NLINES(bank_lock_lines));
    /* Holding the lock across the wait puts the three 1 s waits one after the other. */
    round1 = seconds_to("balances: alice 100, bob 100, carol 100");
    ck_assert_msg(round1 >= 3 - EARLY_MARGIN / BANK_SCALE_VALUE,
                  "round 1 took %.2f s (unscaled): with the lock held across the waits it "
                  "cannot take less than 3 s",
                  round1);
}
END_TEST

/* ---- options ---- */

START_TEST(every_program_explains_itself_and_refuses_bad_options)
{
    static const char *const programs[] = {"counter_race",  "counter_mutex", "counter_atomic",
                                           "counter_plain", "counter_loop",  "bank_race_loop",
                                           "bank_lock_loop"};
    static const char *const bug_demos[] = {"counter_race", "counter_plain", "bank_race_loop"};

    for (size_t i = 0; i < NLINES(programs); i++) {
        char path[512];
        char *help[] = {path, "-h", NULL}, *bad[] = {path, "-s", "nonsense", NULL};
        bool bug_demo = false;

        for (size_t j = 0; j < NLINES(bug_demos); j++)
            bug_demo = bug_demo || strcmp(programs[i], bug_demos[j]) == 0;
        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        if (bug_demo && test_sanitized(NULL))
            continue; /* not built under sanitizers */
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
    Suite *s = suite_create("chapter 3");
    TCase *counter = test_case(s, "two threads, one counter");
    TCase *bank = test_case(s, "the bank on the loop");
    TCase *options = test_case(s, "options");

    tcase_add_test(counter, race_reports_figures_that_add_up);
    tcase_add_test(counter, plain_race_reports_figures_that_add_up);
    tcase_add_test(counter, split_atomic_reports_figures_that_add_up);
    tcase_add_test(counter, mutex_loses_nothing);
    tcase_add_test(counter, atomic_loses_nothing);
    tcase_add_test(counter, tasks_lose_nothing_without_a_lock);
    tcase_add_test(bank, bank_race_loses_and_creates_money);
    tcase_add_test(bank, bank_lock_keeps_every_cent);
    tcase_add_test(options, every_program_explains_itself_and_refuses_bad_options);
    return s;
}
