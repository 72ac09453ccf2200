/*
 * check_programs.c: chapter 6's programs, black box. Speed-ups and times are benchmark figures:
 * the programs print them and no test asserts them. What is tested is what must hold on any
 * machine, however busy: the lines and their order where it is fixed, sums identical for every
 * thread count (and equal to the job's sum, computed here), how many threads computed at once
 * (exactly the thread count without a GIL, 1 with it), the ticket lock's strict alternation, and
 * the lower bounds on lateness that a half-second callback forces on the loop's timers.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cpu_work.h"
#include "testing.h"

#define JOB_SCALE "0.02" /* split_threads*: a 100,000-item job, a few milliseconds per run */
#define NCOUNTS 3
#define PRINT_ROUNDING 0.0011 /* two figures printed with 3 decimals, each off by up to 0.0005 */
#define CPU_SLACK 0.003       /* seconds: printing rounds, and CPU time is counted in ticks */
#define GIL_CORES 1.1         /* the GIL's holder, plus waiters briefly awake at each hand-over */
#define TASKSET "/usr/bin/taskset"

static const int thread_counts[NCOUNTS] = {1, 2, 4};
static struct proc_result r;

/* ---- article 002's compute() ---- */

START_TEST(compute_threads_prints_each_threads_lines_in_order)
{
    int computing = 0, done = 0;

    run_program(&r, "compute_threads", NULL);
    ck_assert_msg(r.nlines == 4, "expected 4 lines, got %zu", r.nlines);
    /* Which thread prints first is not fixed, nor whether thread 1 is done before thread 2
     * starts; what is fixed is that each thread's "done" follows its own "Computing...". */
    for (size_t i = 0; i < r.nlines; i++) {
        if (strcmp(r.lines[i], "Computing...") == 0)
            computing++;
        else if (strcmp(r.lines[i], "Computation done") == 0)
            done++;
        else
            ck_abort_msg("unexpected line %zu: '%s'", i + 1, r.lines[i]);
        ck_assert_msg(done <= computing, "line %zu: more 'done' lines than 'Computing...' lines",
                      i + 1);
    }
    ck_assert_int_eq(computing, 2);
}
END_TEST

START_TEST(compute_loop_runs_one_task_after_the_other)
{
    const char *const lines[] = {"Computing...", "Computation done", "Computing...",
                                 "Computation done"};

    /* At any scale: a task that never waits keeps the thread until it ends. */
    run_program(&r, "compute_loop", NULL);
    expect_lines(&r, lines, 4);
    run_program(&r, "compute_loop", "-s", "5", NULL);
    expect_lines(&r, lines, 4);
}
END_TEST

/* Run with -t and return the timeline's summary line: "N tasks on M thread(s): ...". */
static const char *timeline_summary(const char *program)
{
    run_program(&r, program, "-t", NULL);
    for (size_t i = 0; i < r.nlines; i++) {
        if (strstr(r.lines[i], " tasks on ") != NULL)
            return r.lines[i];
    }
    ck_abort_msg("%s -t drew no timeline", program);
    return NULL;
}

START_TEST(compute_timelines_show_one_thread_against_two)
{
    /* What follows the colon depends on whether the two overlapped in time: not checked. */
    char loop[PROC_LINE_MAX];
    const char *threads;

    snprintf(loop, sizeof loop, "%s", timeline_summary("compute_loop"));
    ck_assert_msg(strncmp(loop, "2 tasks on 1 thread:", 20) == 0, "compute_loop -t: '%s'", loop);
    threads = timeline_summary("compute_threads");
    ck_assert_msg(strncmp(threads, "2 tasks on 2 threads:", 21) == 0, "compute_threads -t: '%s'",
                  threads);
}
END_TEST

/* ---- the job split over threads, without and with a GIL ---- */

struct split_output {
    uint64_t items;
    uint64_t sum[NCOUNTS];
    int at_once[NCOUNTS];
    double wall[NCOUNTS], cpu[NCOUNTS];
    long hand_overs[NCOUNTS];
};

/* Read the two tables a split_threads* program printed into r; fail unless both are complete. */
static void parse_split(const char *program, bool gil, struct split_output *o)
{
    size_t line;

    /* The last line is a note when the machine was too busy for the figures to mean much. */
    if (r.nlines == 2 * NCOUNTS + 4)
        ck_assert_msg(strncmp(r.lines[r.nlines - 1], "note: one thread alone got ", 27) == 0,
                      "%s's last line: '%s'", program, r.lines[r.nlines - 1]);
    else
        ck_assert_msg(r.nlines == 2 * NCOUNTS + 3, "%s printed %zu lines, expected %d", program,
                      r.nlines, 2 * NCOUNTS + 3);
    ck_assert_msg(sscanf(r.lines[0], "job: %" SCNu64 " items", &o->items) == 1, "line 1: '%s'",
                  r.lines[0]);
    ck_assert_str_eq(r.lines[1], "threads  sum               computing at once");
    for (int c = 0; c < NCOUNTS; c++) {
        int threads = 0;

        line = 2 + (size_t)c;
        ck_assert_msg(
            sscanf(r.lines[line], "%d %" SCNx64 " %d", &threads, &o->sum[c], &o->at_once[c]) == 3 &&
                threads == thread_counts[c],
            "line %zu: '%s'", line + 1, r.lines[line]);
    }
    line = 2 + NCOUNTS + 1;
    for (int c = 0; c < NCOUNTS; c++, line++) {
        int threads = 0, n;
        double cores, speedup;

        n = sscanf(r.lines[line], "%d %lf s %lf s %lf %lfx %ld", &threads, &o->wall[c], &o->cpu[c],
                   &cores, &speedup, &o->hand_overs[c]);
        ck_assert_msg(n == (gil ? 6 : 5) && threads == thread_counts[c] && o->wall[c] > 0 &&
                          o->cpu[c] >= 0 && cores >= 0 && speedup > 0,
                      "line %zu: '%s'", line + 1, r.lines[line]);
    }
}

static void read_split(const char *program, bool gil, struct split_output *o)
{
    run_program(&r, program, "-s", JOB_SCALE, NULL);
    parse_split(program, gil, o);
}

/* Fail if some run used more than `cores` cores: CPU time is at most cores times wall time. */
static void expect_at_most_cores(const char *what, const struct split_output *o, double cores)
{
    for (int c = 0; c < NCOUNTS; c++)
        ck_assert_msg(o->cpu[c] <= cores * o->wall[c] + CPU_SLACK,
                      "%s, %d threads: %.3f s of CPU in %.3f s: more than %.0f core(s) busy", what,
                      thread_counts[c], o->cpu[c], o->wall[c], cores);
}

START_TEST(split_threads_gives_one_sum_for_any_thread_count)
{
    struct split_output o;

    read_split("split_threads", false, &o);
    for (int c = 0; c < NCOUNTS; c++) {
        ck_assert_msg(o.sum[c] == work_range(0, o.items),
                      "%d threads: sum %016" PRIx64 ", expected %016" PRIx64, thread_counts[c],
                      o.sum[c], work_range(0, o.items));
        /* The threads are counted before a barrier that none passes until all are inside. */
        ck_assert_msg(o.at_once[c] == thread_counts[c],
                      "%d threads: %d computing at once, expected all of them", thread_counts[c],
                      o.at_once[c]);
    }
}
END_TEST

START_TEST(split_threads_gil_lets_one_thread_compute_at_a_time)
{
    struct split_output o;

    read_split("split_threads_gil", true, &o);
    for (int c = 0; c < NCOUNTS; c++) {
        ck_assert_msg(o.sum[c] == work_range(0, o.items),
                      "%d threads: sum %016" PRIx64 ", expected %016" PRIx64, thread_counts[c],
                      o.sum[c], work_range(0, o.items));
        ck_assert_msg(o.at_once[c] == 1, "%d threads: %d computing at once under the GIL",
                      thread_counts[c], o.at_once[c]);
    }
    /* Alone, a thread has nobody to hand the GIL to. */
    ck_assert_int_eq(o.hand_overs[0], 0);
}
END_TEST

START_TEST(split_threads_gil_keeps_one_core_busy)
{
    struct split_output o;

    if (test_sanitized(NULL)) {
        /* A sanitizer's own threads use CPU too; the claim is about the program. */
        test_skip("the CPU time of a sanitized program is not the program's alone");
        return;
    }
    read_split("split_threads_gil", true, &o);
    /* One computes at a time, and the others sleep while they wait: one core's worth of CPU
     * time at most, on any machine (a little over, for the hand-overs' wake-ups). */
    expect_at_most_cores("split_threads_gil", &o, GIL_CORES);
}
END_TEST

START_TEST(one_core_gives_no_parallelism)
{
    char path[512];
    char *argv[] = {TASKSET, "-c", "0", path, "-s", JOB_SCALE, NULL};
    struct split_output o;

    if (access(TASKSET, X_OK) != 0) {
        test_skip("one_core_gives_no_parallelism: no " TASKSET " to pin with");
        return;
    }
    snprintf(path, sizeof path, "%s/split_threads", PROGRAM_DIR);
    ck_assert_int_eq(proc_run(argv, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0, "taskset failed: %s", r.err);
    parse_split("taskset -c 0 split_threads", false, &o);
    /* Pinned to one core, the threads are all still inside at once, taking turns ... */
    for (int c = 0; c < NCOUNTS; c++)
        ck_assert_int_eq(o.at_once[c], thread_counts[c]);
    /* ... and together they never get more than that core (nor do a sanitizer's threads). */
    expect_at_most_cores("taskset -c 0 split_threads", &o, 1.0);
}
END_TEST

START_TEST(gil_handover_tickets_alternate_exactly)
{
    char log[41] = "";
    int a = 0, b = 0;

    run_program(&r, "gil_handover", "-s", "0.2", NULL);
    ck_assert_int_eq(r.nlines, 4);
    /* A plain mutex: who gets it next is up to the scheduler; only the totals are fixed. */
    ck_assert_msg(sscanf(r.lines[0], "plain mutex: %40s", log) == 1, "'%s'", r.lines[0]);
    for (const char *p = log; *p; p++) {
        a += *p == 'A';
        b += *p == 'B';
    }
    ck_assert_msg(a == 20 && b == 20, "plain mutex log '%s': each thread runs 20 slices", log);
    ck_assert_msg(strncmp(r.lines[1], "plain mutex: ", 13) == 0 &&
                      strstr(r.lines[1], " in 39 chances, the other thread waited up to ") != NULL,
                  "'%s'", r.lines[1]);
    /* Tickets: both threads are queued before the first slice, so the order is fixed. */
    ck_assert_str_eq(r.lines[2], "ticket lock: ABABABABABABABABABABABABABABABABABABABAB");
    ck_assert_str_eq(r.lines[3],
                     "ticket lock: 39 hand-overs in 39 chances, the other thread waited up to 1 "
                     "slice");
}
END_TEST

/* ---- the loop: a heavy callback ---- */

#define HEAVY_SCALE "1"
#define HEAVY_SCALE_VALUE 1.0
#define TICKS 10

START_TEST(heavy_callback_makes_the_ticks_late_and_is_reported)
{
    int heavy_line = -1, next_tick = 1, reports = 0;
    double done_at = -1, most_late = -1;

    run_program(&r, "heavy_callback_loop", "-s", HEAVY_SCALE, NULL);
    for (size_t i = 0; i < r.nlines; i++) {
        int n;
        double due, late;

        if (sscanf(r.lines[i], "tick %d: due at %lf s, %lf s late", &n, &due, &late) == 3) {
            ck_assert_msg(n == next_tick++, "line %zu: '%s' out of order", i + 1, r.lines[i]);
            /* A tick that ran after the heavy callback returned is late by at least the time
             * from its due time to then: a callback cannot be interrupted. */
            if (heavy_line >= 0 && due < done_at)
                ck_assert_msg(late >= done_at - due - PRINT_ROUNDING,
                              "'%s': the heavy callback ended at %.3f s", r.lines[i], done_at);
            /* And the ticks due while it computed (0.3 to 0.7 s unscaled) all waited for it:
             * they cannot run before it, whose deadline (0.25 s) comes first. */
            if (n >= 3 && n <= 7)
                ck_assert_msg(heavy_line >= 0, "'%s' came before the heavy callback", r.lines[i]);
        } else if (strncmp(r.lines[i], "heavy: computing", 16) == 0) {
            heavy_line = (int)i;
            ck_assert_msg(i + 2 < r.nlines &&
                              sscanf(r.lines[i + 1], "heavy: done at %lf s", &done_at) == 1,
                          "no 'heavy: done' line right after '%s'", r.lines[i]);
            /* 0.25 s + 0.5 s, scaled: a timer is never early, the computation never shorter. */
            ck_assert_msg(done_at >= 0.75 * HEAVY_SCALE_VALUE - PRINT_ROUNDING,
                          "'%s': done too early", r.lines[i + 1]);
            ck_assert_msg(strncmp(r.lines[i + 2], "loop: slow callback heavy took ", 31) == 0,
                          "the slow-callback report does not follow the heavy callback: '%s'",
                          r.lines[i + 2]);
            i += 2;
            reports++;
        } else if (strncmp(r.lines[i], "loop: slow callback", 19) == 0) {
            reports++;
            ck_abort_msg("line %zu: '%s': only the heavy callback is slow", i + 1, r.lines[i]);
        } else {
            ck_assert_msg(sscanf(r.lines[i], "the ticks ran up to %lf s late", &most_late) == 1 &&
                              i + 1 == r.nlines,
                          "unexpected line %zu: '%s'", i + 1, r.lines[i]);
        }
    }
    ck_assert_msg(next_tick == TICKS + 1, "%d ticks, expected %d", next_tick - 1, TICKS);
    ck_assert_msg(heavy_line >= 0 && reports == 1, "the heavy callback ran and was reported once");
    /* Tick 3 was due at 0.3 s and ran after 0.75 s: 0.45 s late, at least (scaled). */
    ck_assert_msg(most_late >= 0.45 * HEAVY_SCALE_VALUE - PRINT_ROUNDING,
                  "the ticks were at most %.3f s late", most_late);
}
END_TEST

/* ---- CPython itself (optional) ---- */

START_TEST(compute_gil_py_runs_the_article_example)
{
    char script[1024];
    char *argv[] = {"/usr/bin/env", "python3", script, NULL};
    int computing = 0, done = 0, python = -1;

    /* PROGRAM_DIR is <top>/build/<variant>/chapters/06-cpu-bound; the script is in the sources. */
    snprintf(script, sizeof script, "%s/../../../../chapters/06-cpu-bound/compute_gil.py",
             PROGRAM_DIR);
    if (system("python3 -c 'pass' >/dev/null 2>&1") != 0) {
        test_skip("compute_gil_py_runs_the_article_example: no python3 here");
        return;
    }
    ck_assert_int_eq(proc_run(argv, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0, "compute_gil.py: status %d\n%s", r.exit_code, r.err);
    /* CPython's print() writes the text and the newline separately, so two threads' lines can
     * come out mixed ("Computation doneComputing..."): count the words, not the lines. */
    for (size_t i = 0; i < r.nlines && python < 0; i++) {
        for (const char *p = r.lines[i]; (p = strstr(p, "Computing...")) != NULL; p++)
            computing++;
        for (const char *p = r.lines[i]; (p = strstr(p, "Computation done")) != NULL; p++)
            done++;
        if (strncmp(r.lines[i], "Python ", 7) == 0)
            python = (int)i;
    }
    ck_assert_msg(computing == 2 && done == 2, "%d 'Computing...' and %d 'Computation done'",
                  computing, done);
    ck_assert_msg(python >= 0 && strstr(r.lines[python], "GIL") != NULL, "no 'Python ...' line");
    ck_assert_msg((size_t)python + 4 == r.nlines &&
                      strncmp(r.lines[python + 3], "speed-up: ", 10) == 0,
                  "the timings do not follow the 'Python' line");
}
END_TEST

/* ---- options ---- */

START_TEST(every_program_explains_itself_and_refuses_bad_options)
{
    static const char *const programs[] = {"compute_threads", "compute_loop",
                                           "split_threads",   "split_threads_gil",
                                           "gil_handover",    "heavy_callback_loop"};

    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
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
    Suite *s = suite_create("chapter 6");
    TCase *compute = test_case(s, "compute() (article 002)");
    TCase *split = test_case(s, "a job split over threads, with and without a GIL");
    TCase *loop = test_case(s, "a heavy callback on the loop");
    TCase *other = test_case(s, "CPython and options");

    tcase_add_test(compute, compute_threads_prints_each_threads_lines_in_order);
    tcase_add_test(compute, compute_loop_runs_one_task_after_the_other);
    tcase_add_test(compute, compute_timelines_show_one_thread_against_two);
    tcase_add_test(split, split_threads_gives_one_sum_for_any_thread_count);
    tcase_add_test(split, split_threads_gil_lets_one_thread_compute_at_a_time);
    tcase_add_test(split, split_threads_gil_keeps_one_core_busy);
    tcase_add_test(split, one_core_gives_no_parallelism);
    tcase_add_test(split, gil_handover_tickets_alternate_exactly);
    tcase_add_test(loop, heavy_callback_makes_the_ticks_late_and_is_reported);
    tcase_add_test(other, compute_gil_py_runs_the_article_example);
    tcase_add_test(other, every_program_explains_itself_and_refuses_bad_options);
    return s;
}
