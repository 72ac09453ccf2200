/*
 * check_programs.c: chapter 4's programs, black box. Each runs with its durations scaled down
 * (-s). On the loop every line and its order are fixed, and checked; on threads the checks are
 * what the primitive guarantees (nobody passes a barrier early, at most 2 hold a permit, every
 * item once) and the order wherever the waits are far apart. The condition-variable pair forces
 * its interleaving, so both of its outputs are fixed, and checked over several runs. Times are
 * the program's own (its -T table, written by say() as each line is printed), counted from its
 * start: when this test happens to read the pipe, on a busy machine, does not count.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

#define SCALE "0.4"
#define SCALE_VALUE 0.4
/*
 * What the timing checks tell apart is waits overlapped or added up, whole seconds (scaled). A
 * line may be printed up to half a second (scaled) late, which a busy machine never comes near,
 * even under a sanitizer, and still count as on time. The order of lines is checked on its own.
 */
#define LATE_MARGIN (0.5 * SCALE_VALUE)
#define EARLY_MARGIN 0.005 /* a sleep never ends early; allow for the clock's rounding */
#define RUNS 10            /* runs of the forced interleavings: the same lines every time */

static struct proc_result r;
static double printed_at[PROC_MAX_LINES]; /* when the program printed each line, by its -T table */
static size_t nprinted;

/* The program's own times, from the table its -T option wrote; the file is removed after. */
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
    ck_assert_msg(nprinted == r.nlines, "the -T table has %zu lines, stdout %zu", nprinted,
                  r.nlines);
}

/* Run a chapter program scaled down, recording when it printed each line. */
static void run_timed(const char *program)
{
    char table[] = "/tmp/ttw-timesXXXXXX";
    int fd = mkstemp(table);

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    run_program(&r, program, "-s", SCALE, "-T", table, NULL);
    read_table(table);
}

/* True if `program` is not built here because the system lacks what it shows (the Makefile). */
static bool lacking_here(const char *program)
{
#if defined(__APPLE__)
    return strcmp(program, "semaphore_threads") == 0 || strcmp(program, "barrier_threads") == 0;
#else
    (void)program;
    return false;
#endif
}

/* The same, and if so the running test is marked skipped. */
static bool missing_here(const char *program)
{
    if (!lacking_here(program))
        return false;
    test_skip("macOS has no unnamed POSIX semaphores (sem_init) and no pthread barriers");
    return true;
}

/*
 * Line i must have been printed at[i] seconds (unscaled) into the run, counted from the program's
 * start by its -T record: not early (its waits never end early), and not much late. A negative
 * at[i] is not checked: a thread's first line, which waits for the thread to be scheduled (slow
 * under ThreadSanitizer), and is not what these programs are about.
 */
static void expect_times(const double at[], size_t n)
{
    for (size_t i = 0; i < n && i < nprinted; i++) {
        double late = printed_at[i] - at[i] * SCALE_VALUE;

        if (at[i] < 0)
            continue;
        ck_assert_msg(printed_at[i] >= at[i] * SCALE_VALUE - EARLY_MARGIN,
                      "'%s' was printed %.3f s into the run; expected %.3f s", r.lines[i],
                      printed_at[i], at[i] * SCALE_VALUE);
        ck_assert_msg(late < LATE_MARGIN, "'%s' was printed %.3f s late", r.lines[i], late);
    }
}

/* Fail unless lines[from .. from + n - 1] are exactly `expected`, in any order. */
static void expect_some_order(size_t from, const char *const expected[], size_t n)
{
    bool used[PROC_MAX_LINES] = {false};

    ck_assert_msg(from + n <= r.nlines, "expected at least %zu lines, got %zu", from + n, r.nlines);
    for (size_t i = 0; i < n; i++) {
        size_t j;

        for (j = from; j < from + n; j++) {
            if (!used[j] && strcmp(r.lines[j], expected[i]) == 0)
                break;
        }
        ck_assert_msg(j < from + n, "'%s' is not among lines %zu to %zu", expected[i], from + 1,
                      from + n);
        used[j] = true;
    }
}

/* ---- condition variables: `if` against `while`, the stolen wake-up forced ---- */

START_TEST(cond_while_waits_again_after_a_stolen_wakeup)
{
    const char *const lines[] = {"consumer 1: the queue is empty, waiting",
                                 "producer: put item 1",
                                 "consumer 2: took item 1 without waiting",
                                 "producer: signal",
                                 "consumer 1: woke up; queue count 0",
                                 "consumer 1: the queue is empty, waiting",
                                 "producer: put item 2",
                                 "consumer 1: woke up; queue count 1",
                                 "consumer 1: took item 2; queue count 0",
                                 "every item was taken once, after it was put"};

    for (int run = 0; run < RUNS; run++) {
        run_program(&r, "cond_while", NULL);
        expect_lines(&r, lines, sizeof lines / sizeof lines[0]);
    }
}
END_TEST

START_TEST(cond_if_bug_takes_from_an_empty_queue_every_run)
{
    const char *const lines[] = {
        "consumer 1: the queue is empty, waiting",
        "producer: put item 1",
        "consumer 2: took item 1 without waiting",
        "producer: signal",
        "consumer 1: woke up; queue count 0",
        "consumer 1: took item 2; queue count -1",
        "producer: put item 2",
        "BUG: item 2 was taken from an empty queue, before anybody put it"};

    if (test_sanitized(NULL)) {
        test_skip("cond_if_bug_takes_from_an_empty_queue_every_run: a bug demonstration, not "
                  "built under sanitizers");
        return;
    }
    for (int run = 0; run < RUNS; run++) {
        run_program(&r, "cond_if_bug", NULL);
        expect_lines(&r, lines, sizeof lines / sizeof lines[0]);
    }
}
END_TEST

/* ---- events ---- */

static const char *const event_lines[] = {"runner 1 waits for the start",
                                          "runner 2 waits for the start",
                                          "runner 3 waits for the start",
                                          "starter: go!",
                                          "runner 1 is off",
                                          "runner 2 is off",
                                          "runner 3 is off",
                                          "starter: clear, for the next race",
                                          "runner 4 waits for the start",
                                          "starter: go!",
                                          "runner 4 is off"};
static const double event_at[] = {0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3};
#define EVENT_LINES (sizeof event_lines / sizeof event_lines[0])

START_TEST(event_loop_wakes_every_waiter_in_order)
{
    run_timed("event_loop");
    expect_lines(&r, event_lines, EVENT_LINES);
    expect_times(event_at, EVENT_LINES);
}
END_TEST

START_TEST(event_threads_wakes_every_waiter)
{
    const char *const fixed[] = {NULL,           NULL,           NULL,           event_lines[3],
                                 NULL,           NULL,           NULL,           event_lines[7],
                                 event_lines[8], event_lines[9], event_lines[10]};

    const double at[] = {-1, -1, -1, 1, 1, 1, 1, 2, -1, 3, 3};

    run_timed("event_threads");
    expect_lines(&r, fixed, EVENT_LINES);
    /* Runners 1 to 3 wait, and go, in whatever order the scheduler picks: but all of them go. */
    expect_some_order(0, event_lines, 3);
    expect_some_order(4, event_lines + 4, 3);
    expect_times(at, EVENT_LINES);
}
END_TEST

/* ---- semaphores ---- */

/* The downloads take 1, 1.5, 1, 1 and 1.25 s; two at a time. */
START_TEST(semaphore_loop_admits_two_at_a_time_in_order)
{
    const char *const lines[] = {"download 1 started",
                                 "download 2 started",
                                 "download 1 done",
                                 "download 3 started",
                                 "download 2 done",
                                 "download 4 started",
                                 "download 3 done",
                                 "download 5 started",
                                 "download 4 done",
                                 "download 5 done",
                                 "5 downloads, at most 2 at once"};
    const double at[] = {0, 0, 1, 1, 1.5, 1.5, 2, 2, 2.5, 3.25, 3.25};

    run_timed("semaphore_loop");
    expect_lines(&r, lines, sizeof lines / sizeof lines[0]);
    expect_times(at, sizeof at / sizeof at[0]);
}
END_TEST

START_TEST(semaphore_threads_never_runs_three_at_once)
{
    int running = 0, most = 0, started = 0, done = 0;
    double took;

    if (missing_here("semaphore_threads"))
        return;
    run_timed("semaphore_threads");
    ck_assert_int_eq(r.nlines, 11);
    /* A download prints "done" before it posts its permit, so the lines show who held one. */
    for (size_t i = 0; i < 10; i++) {
        if (strstr(r.lines[i], " started") != NULL) {
            started++;
            if (++running > most)
                most = running;
        } else if (strstr(r.lines[i], " done") != NULL) {
            done++;
            running--;
        }
    }
    ck_assert_msg(started == 5 && done == 5, "%d started, %d done: expected 5 and 5", started,
                  done);
    ck_assert_msg(most == 2, "%d downloads ran at once, by the order of the lines", most);
    ck_assert_str_eq(r.lines[10], "5 downloads, at most 2 at once");
    /* Depending on the order the threads get their permits: 3 to 3.5 s, never less. */
    took = printed_at[10];
    ck_assert_msg(took >= 3 * SCALE_VALUE - EARLY_MARGIN && took < 3.5 * SCALE_VALUE + LATE_MARGIN,
                  "took %.3f s, expected %.3f s to %.3f s", took, 3 * SCALE_VALUE,
                  3.5 * SCALE_VALUE);
}
END_TEST

/* ---- barriers ---- */

static const char *const phase_1[] = {"worker 1: phase 1 done", "worker 2: phase 1 done",
                                      "worker 3: phase 1 done"};

START_TEST(barrier_loop_lets_nobody_through_early)
{
    const char *const lines[] = {
        phase_1[0],          phase_1[1],
        phase_1[2],          "worker 3: all 3 are here (the last to arrive)",
        "worker 3: phase 2", "worker 1: phase 2",
        "worker 2: phase 2", "no worker began phase 2 before all had finished phase 1"};
    const double at[] = {1, 2, 3, 3, 3, 3, 3, 3};

    run_timed("barrier_loop");
    expect_lines(&r, lines, sizeof lines / sizeof lines[0]);
    expect_times(at, sizeof at / sizeof at[0]);
}
END_TEST

START_TEST(barrier_threads_lets_nobody_through_early)
{
    const char *const fixed[] = {
        phase_1[0], phase_1[1],
        phase_1[2], NULL,
        NULL,       NULL,
        NULL,       "no worker began phase 2 before all had finished phase 1"};
    const char *const phase_2[] = {"worker 1: phase 2", "worker 2: phase 2", "worker 3: phase 2"};
    int serial = 0;

    if (missing_here("barrier_threads"))
        return;
    run_timed("barrier_threads");
    expect_lines(&r, fixed, sizeof fixed / sizeof fixed[0]);
    /* Lines 4 to 7: the three phase 2 lines, and one from the thread that got SERIAL_THREAD. */
    for (size_t i = 3; i < 7; i++) {
        if (strstr(r.lines[i], ": all 3 are here (PTHREAD_BARRIER_SERIAL_THREAD)") != NULL) {
            char name[32];

            serial++;
            /* ... which it printed before its own phase 2 line. */
            snprintf(name, sizeof name, "%.8s: phase 2", r.lines[i]);
            ck_assert_msg(find_line(&r, name) > (int)i, "'%s' came before '%s'", name, r.lines[i]);
        }
    }
    ck_assert_msg(serial == 1, "%d threads got PTHREAD_BARRIER_SERIAL_THREAD, expected 1", serial);
    for (size_t i = 0; i < 3; i++) {
        int at = find_line(&r, phase_2[i]);

        ck_assert_msg(at >= 3 && at < 7, "'%s' missing or before the barrier", phase_2[i]);
        ck_assert_msg(printed_at[at] >= 3 * SCALE_VALUE - EARLY_MARGIN,
                      "'%s' was printed %.3f s into the run: before worker 3 arrived", phase_2[i],
                      printed_at[at]);
    }
}
END_TEST

/* ---- producers and consumers ---- */

static const char *const prodcons_lines[] = {
    "2 producers put 10 items each into a queue of 4; 2 consumers take them",
    "items consumed exactly once: 20 of 20",
    "each producer's items reached each consumer in the order put: yes",
    "most items in the queue at once: 4 (capacity 4)"};

START_TEST(prodcons_loop_consumes_every_item_once)
{
    run_timed("prodcons_loop");
    expect_lines(&r, prodcons_lines, 4);
    /* 20 items, 0.1 s each, 2 consumers: 1 s. */
    ck_assert_msg(printed_at[1] >= SCALE_VALUE - EARLY_MARGIN &&
                      printed_at[1] - printed_at[0] < SCALE_VALUE + LATE_MARGIN,
                  "took %.3f s, expected %.3f s", printed_at[1] - printed_at[0], SCALE_VALUE);
}
END_TEST

START_TEST(prodcons_threads_consumes_every_item_once)
{
    const char *const fixed[] = {prodcons_lines[0], prodcons_lines[1], prodcons_lines[2], NULL};
    size_t most = 0;
    int capacity = 0;

    run_timed("prodcons_threads");
    expect_lines(&r, fixed, 4);
    ck_assert_msg(sscanf(r.lines[3], "most items in the queue at once: %zu (capacity %d)", &most,
                         &capacity) == 2,
                  "line 4 is '%s'", r.lines[3]);
    ck_assert_msg(most >= 1 && most <= 4 && capacity == 4, "most %zu, capacity %d", most, capacity);
    /* Two consumers at 0.1 s per item: at least 1 s, however the scheduler runs them. */
    ck_assert_msg(printed_at[1] - printed_at[0] >= SCALE_VALUE - EARLY_MARGIN,
                  "took %.3f s: 20 items at 0.1 s each on 2 consumers take at least 1 s",
                  printed_at[1] - printed_at[0]);
}
END_TEST

START_TEST(waiting_threads_use_next_to_no_cpu)
{
    double user = -1, sys = -1;

    if (test_sanitized(NULL)) {
        test_skip("waiting_threads_use_next_to_no_cpu: a sanitizer's start-up costs CPU");
        return;
    }
    if (missing_here("semaphore_threads"))
        return;
    /* 3 s scaled to 1.5 s, in which three downloads wait on the semaphore, then one. */
    run_program(&r, "semaphore_threads", "-s", "0.5", "-t", NULL);
    for (size_t i = 0; i < r.nlines; i++)
        sscanf(r.lines[i], "CPU time used by the process: %lf s user + %lf s system", &user, &sys);
    ck_assert_msg(user >= 0 && sys >= 0, "no CPU time line in the -t output");
    ck_assert_msg(user + sys < 0.1, "used %.3f s of CPU while waiting", user + sys);
}
END_TEST

/* ---- the timeline, and the options ---- */

/* Run with -t and return the timeline's summary line: "N tasks on M thread(s): ...". */
static const char *timeline_summary(const char *program)
{
    run_program(&r, program, "-s", "0.05", "-t", NULL);
    for (size_t i = 0; i < r.nlines; i++) {
        if (strstr(r.lines[i], " on ") != NULL && strstr(r.lines[i], " thread") != NULL &&
            strchr("0123456789", r.lines[i][0]) != NULL)
            return r.lines[i];
    }
    ck_abort_msg("%s -t drew no timeline", program);
    return NULL;
}

START_TEST(timelines_show_one_thread_against_several)
{
    ck_assert_str_eq(timeline_summary("event_loop"), "5 tasks on 1 thread: they took turns on it");
    ck_assert_str_eq(timeline_summary("event_threads"),
                     "5 tasks on 5 threads: each waited on its own");
    ck_assert_str_eq(timeline_summary("semaphore_loop"),
                     "6 tasks on 1 thread: they took turns on it");
    ck_assert_str_eq(timeline_summary("prodcons_loop"), "1 task on 1 thread");
}
END_TEST

START_TEST(every_program_explains_itself_and_refuses_bad_options)
{
    static const char *const programs[] = {
        "cond_if_bug",       "cond_while",     "event_threads",   "event_loop",
        "semaphore_threads", "semaphore_loop", "barrier_threads", "barrier_loop",
        "prodcons_threads",  "prodcons_loop"};

    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char path[512];
        char *help[] = {path, "-h", NULL}, *long_help[] = {path, "--help", NULL};
        char *bad[] = {path, "-s", "nonsense", NULL};

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        if (access(path, X_OK) != 0 &&
            (strcmp(programs[i], "cond_if_bug") == 0 || lacking_here(programs[i])))
            continue; /* a bug demonstration, not built under sanitizers; or not built here */
        ck_assert_int_eq(proc_run(help, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 0 && r.nlines > 2 && strncmp(r.lines[0], "usage:", 6) == 0,
                      "%s -h: status %d, first line '%s'", programs[i], r.exit_code, r.lines[0]);
        ck_assert_int_eq(proc_run(long_help, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 0 && strncmp(r.lines[0], "usage:", 6) == 0,
                      "%s --help: status %d, stderr '%s'", programs[i], r.exit_code, r.err);
        ck_assert_int_eq(proc_run(bad, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == 2 && strstr(r.err, "-s wants a number") != NULL,
                      "%s -s nonsense: status %d, stderr '%s'", programs[i], r.exit_code, r.err);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 4");
    TCase *cond = test_case(s, "condition variables");
    TCase *event = test_case(s, "events");
    TCase *sem = test_case(s, "semaphores");
    TCase *barrier = test_case(s, "barriers");
    TCase *queue = test_case(s, "producers and consumers");
    TCase *other = test_case(s, "timeline and options");

    tcase_add_test(cond, cond_while_waits_again_after_a_stolen_wakeup);
    tcase_add_test(cond, cond_if_bug_takes_from_an_empty_queue_every_run);
    tcase_add_test(event, event_loop_wakes_every_waiter_in_order);
    tcase_add_test(event, event_threads_wakes_every_waiter);
    tcase_add_test(sem, semaphore_loop_admits_two_at_a_time_in_order);
    tcase_add_test(sem, semaphore_threads_never_runs_three_at_once);
    tcase_add_test(sem, waiting_threads_use_next_to_no_cpu);
    tcase_add_test(barrier, barrier_loop_lets_nobody_through_early);
    tcase_add_test(barrier, barrier_threads_lets_nobody_through_early);
    tcase_add_test(queue, prodcons_loop_consumes_every_item_once);
    tcase_add_test(queue, prodcons_threads_consumes_every_item_once);
    tcase_add_test(other, timelines_show_one_thread_against_several);
    tcase_add_test(other, every_program_explains_itself_and_refuses_bad_options);
    return s;
}
