/*
 * check_programs.c: chapter 1's programs, black box. Each runs with its durations scaled down
 * (-s), and its lines are checked, in order where the order is determined, and so are the times
 * at which they were printed: the concurrent versions take the longest task's time, the
 * sequential ones the sum. The times are the program's own (its -T table, written by say() as
 * each line is printed), measured from its first line: when this test happens to read the pipe,
 * on a busy machine, does not count, and neither does process start-up.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testing.h"

/*
 * Durations are scaled down to a fifth (two fifths under a sanitizer, which slows starting a
 * thread a lot). Events in these programs are at least 1 s apart (before scaling), and what the
 * tests tell apart is a wait overlapped or added: a whole second at least. So a line may be
 * printed up to 0.9 of that second late and still count as on time: only a machine too busy to
 * wake a sleeping thread for most of a second fails it, and a program that added the waits, whose
 * lines come a whole second late, never passes it.
 */
#define SCALE_PLAIN 0.2
#define SCALE_SANITIZED 0.4
#define LATE_MARGIN (0.9 * scale())
#define EARLY_MARGIN 0.005 /* a sleep never ends early; allow for the clock's rounding */
#define TASKSET "/usr/bin/taskset"

static struct proc_result r;
static char scale_arg[16];

/* The -s of this run, as a number; scale_arg holds it as an argument. */
static double scale(void)
{
    double value = test_sanitized(NULL) ? SCALE_SANITIZED : SCALE_PLAIN;

    snprintf(scale_arg, sizeof scale_arg, "%g", value);
    return value;
}
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
}

/* Run a chapter program scaled down, recording when it printed each line. */
static void run_timed(const char *program)
{
    char table[] = "/tmp/ttw-timesXXXXXX";
    int fd = mkstemp(table);

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    scale();
    run_program(&r, program, "-s", scale_arg, "-T", table, NULL);
    read_table(table);
}

/* Line i must have been printed at[i] seconds (unscaled) after line 0: not early, not much late. */
static void expect_times(const double at[], size_t n)
{
    ck_assert_msg(nprinted == r.nlines, "the -T table has %zu lines, stdout %zu", nprinted,
                  r.nlines);
    for (size_t i = 1; i < n && i < nprinted; i++) {
        double took = printed_at[i] - printed_at[0], want = at[i] * scale();

        ck_assert_msg(took >= want - EARLY_MARGIN && took < want + LATE_MARGIN,
                      "'%s' was printed %.3f s after the first line; expected %.3f s", r.lines[i],
                      took, want);
    }
}

/* The two lines at a and b, in either order, are x and y: threads start in no fixed order. */
static void expect_pair(size_t a, size_t b, const char *x, const char *y)
{
    ck_assert_msg((strcmp(r.lines[a], x) == 0 && strcmp(r.lines[b], y) == 0) ||
                      (strcmp(r.lines[a], y) == 0 && strcmp(r.lines[b], x) == 0),
                  "lines %zu and %zu: expected '%s' and '%s' in some order, got '%s' and '%s'",
                  a + 1, b + 1, x, y, r.lines[a], r.lines[b]);
}

/* ---- article 002: say_hello ---- */

START_TEST(hello_sequential_takes_the_sum)
{
    const char *const lines[] = {"Hello", "World", "Hello", "World"};
    const double at[] = {0, 1, 1, 2};

    run_timed("hello_sequential");
    expect_lines(&r, lines, 4);
    expect_times(at, 4);
}
END_TEST

START_TEST(hello_loop_overlaps_the_waits)
{
    const char *const lines[] = {"Hello", "Hello", "World", "World"};
    const double at[] = {0, 0, 1, 1};

    run_timed("hello_loop");
    expect_lines(&r, lines, 4);
    expect_times(at, 4);
}
END_TEST

START_TEST(hello_threads_overlap_the_waits)
{
    const char *const lines[] = {"Hello", "Hello", "World", "World"};
    const double at[] = {0, 0, 1, 1};

    run_timed("hello_threads");
    expect_lines(&r, lines, 4);
    expect_times(at, 4);
}
END_TEST

/* ---- article 000: gather of a 2 s and a 1 s task ---- */

START_TEST(gather_sequential_takes_the_sum)
{
    const char *const lines[] = {"Task 1 started", "Task 1 finished", "Task 2 started",
                                 "Task 2 finished"};
    const double at[] = {0, 2, 2, 3};

    run_timed("gather_sequential");
    expect_lines(&r, lines, 4);
    expect_times(at, 4);
}
END_TEST

START_TEST(gather_threads_finish_the_short_task_first)
{
    const char *const any_start[] = {NULL, NULL, "Task 2 finished", "Task 1 finished"};
    const double at[] = {0, 0, 1, 2};

    run_timed("gather_threads");
    expect_lines(&r, any_start, 4);
    expect_pair(0, 1, "Task 1 started", "Task 2 started");
    expect_times(at, 4);
}
END_TEST

START_TEST(gather_loop_finishes_the_short_task_first)
{
    const char *const lines[] = {"Task 1 started", "Task 2 started", "Task 2 finished",
                                 "Task 1 finished"};
    const double at[] = {0, 0, 1, 2};

    run_timed("gather_loop");
    expect_lines(&r, lines, 4);
    expect_times(at, 4);
}
END_TEST

/* ---- article 001: a 1 s and a 2 s task, on the loop and on threads ---- */

static const char *const running[] = {"Task 1 running", "Task 2 running", "Task 1 finished",
                                      "Task 2 finished"};
static const double running_at[] = {0, 0, 1, 2};

START_TEST(running_sequential_takes_the_sum)
{
    const char *const lines[] = {"Task 1 running", "Task 1 finished", "Task 2 running",
                                 "Task 2 finished"};
    const double at[] = {0, 1, 1, 3};

    run_timed("running_sequential");
    expect_lines(&r, lines, 4);
    expect_times(at, 4);
}
END_TEST

START_TEST(running_loop_takes_the_longest)
{
    run_timed("running_loop");
    expect_lines(&r, running, 4);
    expect_times(running_at, 4);
}
END_TEST

START_TEST(running_threads_takes_the_longest)
{
    const char *const any_start[] = {NULL, NULL, "Task 1 finished", "Task 2 finished"};

    run_timed("running_threads");
    expect_lines(&r, any_start, 4);
    expect_pair(0, 1, running[0], running[1]);
    expect_times(running_at, 4);
}
END_TEST

START_TEST(sleeping_threads_need_no_second_core)
{
    char path[512], table[] = "/tmp/ttw-timesXXXXXX";
    char *argv[] = {TASKSET, "-c", "0", path, "-s", scale_arg, "-T", table, NULL};
    int fd;

    if (access(TASKSET, X_OK) != 0) {
        test_skip("sleeping_threads_need_no_second_core: no " TASKSET " to pin with");
        return;
    }
    snprintf(path, sizeof path, "%s/running_threads", PROGRAM_DIR);
    scale(); /* fills scale_arg, the -s of argv */
    ck_assert_msg((fd = mkstemp(table)) >= 0, "mkstemp failed");
    close(fd);
    ck_assert_int_eq(proc_run(argv, TEST_TIMEOUT - 1, true, &r), 0);
    ck_assert_msg(r.exit_code == 0, "taskset failed: %s", r.err);
    ck_assert_int_eq(r.nlines, 4);
    read_table(table);
    /* Pinned to one core, the two sleeps still overlap: sleeping is not running. */
    expect_times(running_at, 4);
}
END_TEST

START_TEST(returning_from_main_ends_the_threads)
{
    int finished = 0, returned;

    if (test_sanitized(NULL)) {
        test_skip("returning_from_main_ends_the_threads: a bug demonstration, not built here");
        return;
    }
    /* At full scale: the process ends at once, and the shortest wait is a whole second, so even a
     * machine too busy to start a process quickly cannot make an early exit look like a join. */
    run_program(&r, "running_threads_nojoin", NULL);
    returned = find_line(&r, "main returns without joining");
    ck_assert_msg(returned >= 0, "main's line is missing: %s", r.nlines ? r.lines[0] : "(none)");
    for (size_t i = 0; i < r.nlines; i++)
        finished += strstr(r.lines[i], "finished") != NULL;
    /* The threads died in their sleep: nothing finished, and the process ended long before. */
    ck_assert_msg(finished == 0, "%d 'finished' lines: the threads outlived main", finished);
    ck_assert_msg(r.elapsed < running_at[2], "the process took %.3f s: it waited for a thread",
                  r.elapsed);
}
END_TEST

/* ---- article 004: task A (2 s) and task B (3 s) ---- */

START_TEST(tasks_sequential_takes_the_sum)
{
    const char *const lines[] = {"Task A started", "Task A completed", "Task B started",
                                 "Task B completed", "All tasks completed"};
    const double at[] = {0, 2, 2, 5, 5};

    run_timed("tasks_sequential");
    expect_lines(&r, lines, 5);
    expect_times(at, 5);
}
END_TEST

START_TEST(tasks_loop_takes_the_longest)
{
    const char *const lines[] = {"Task A started", "Task B started", "Task A completed",
                                 "Task B completed", "All asyncio tasks completed"};
    const double at[] = {0, 0, 2, 3, 3};

    run_timed("tasks_loop");
    expect_lines(&r, lines, 5);
    expect_times(at, 5);
}
END_TEST

START_TEST(tasks_threads_takes_the_longest)
{
    const char *const lines[] = {NULL, NULL, "Task A completed", "Task B completed",
                                 "All threads completed"};
    const double at[] = {0, 0, 2, 3, 3};

    run_timed("tasks_threads");
    expect_lines(&r, lines, 5);
    expect_pair(0, 1, "Task A started", "Task B started");
    expect_times(at, 5);
}
END_TEST

/* ---- the timeline: one thread against several ---- */

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

START_TEST(timeline_shows_one_thread_for_the_loop)
{
    ck_assert_str_eq(timeline_summary("gather_loop"), "2 tasks on 1 thread: they took turns on it");
    ck_assert_str_eq(timeline_summary("tasks_loop"), "3 tasks on 1 thread: they took turns on it");
}
END_TEST

START_TEST(timeline_shows_one_thread_in_turn_for_sequential_calls)
{
    ck_assert_str_eq(timeline_summary("tasks_sequential"),
                     "3 tasks on 1 thread: one after the other");
}
END_TEST

START_TEST(timeline_shows_a_thread_per_task)
{
    ck_assert_str_eq(timeline_summary("hello_threads"),
                     "2 tasks on 2 threads: each waited on its own");
    ck_assert_str_eq(timeline_summary("tasks_threads"),
                     "3 tasks on 3 threads: each waited on its own");
}
END_TEST

START_TEST(timeline_draws_a_picture)
{
    char picture[] = "/tmp/ttw-pictureXXXXXX";
    char head[512] = "";
    int fd = mkstemp(picture);
    FILE *f;

    ck_assert_msg(fd >= 0, "mkstemp failed");
    close(fd);
    /* The name must end in .svg: the table otherwise. */
    ck_assert(strlen(picture) + 4 < sizeof head);
    snprintf(head, sizeof head, "%s.svg", picture);
    unlink(picture);
    run_program(&r, "gather_loop", "-s", "0.05", "-T", head, NULL);
    f = fopen(head, "r");
    ck_assert_msg(f != NULL, "gather_loop -T %s wrote no picture", head);
    ck_assert(fread(picture, 1, sizeof picture - 1, f) > 0);
    fclose(f);
    unlink(head);
    ck_assert_msg(strncmp(picture, "<svg", 4) == 0, "the picture is not SVG");
}
END_TEST

START_TEST(waiting_uses_next_to_no_cpu)
{
    double user = -1, sys = -1;

    if (test_sanitized(NULL)) {
        /* A sanitizer's own start-up costs CPU; the claim is about the program. */
        test_skip("waiting_uses_next_to_no_cpu: a sanitizer's start-up costs CPU");
        return;
    }
    run_program(&r, "running_threads", "-s", "0.5", "-t", NULL);
    for (size_t i = 0; i < r.nlines; i++)
        sscanf(r.lines[i], "CPU time used by the process: %lf s user + %lf s system", &user, &sys);
    ck_assert_msg(user >= 0 && sys >= 0, "no CPU time line in the -t output");
    /* 1 s of waiting: a busy wait would use about 1 s of CPU per thread. */
    ck_assert_msg(user + sys < 0.1, "used %.3f s of CPU while waiting", user + sys);
}
END_TEST

/* ---- options ---- */

static const char *const programs[] = {
    "hello_sequential",       "hello_loop",       "hello_threads",
    "gather_sequential",      "gather_loop",      "gather_threads",
    "running_sequential",     "running_loop",     "running_threads",
    "running_threads_nojoin", "tasks_sequential", "tasks_loop",
    "tasks_threads"};

/* Run every program with one option; fail unless each exits with `status` and says `words`. */
static void expect_every_program(const char *option, const char *value, int status,
                                 const char *words)
{
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char path[512];
        char *argv[] = {path, (char *)option, (char *)value, NULL};

        snprintf(path, sizeof path, "%s/%s", PROGRAM_DIR, programs[i]);
        if (access(path, X_OK) != 0 && strcmp(programs[i], "running_threads_nojoin") == 0)
            continue; /* a bug demonstration, not built under sanitizers */
        ck_assert_int_eq(proc_run(argv, TEST_TIMEOUT - 1, true, &r), 0);
        ck_assert_msg(r.exit_code == status &&
                          (strstr(r.lines[0], words) != NULL || strstr(r.err, words) != NULL),
                      "%s %s: status %d, first line '%s', stderr '%s'", programs[i], option,
                      r.exit_code, r.lines[0], r.err);
    }
}

START_TEST(every_program_explains_itself_with_h)
{
    expect_every_program("-h", NULL, 0, "usage:");
}
END_TEST

START_TEST(every_program_explains_itself_with_help)
{
    expect_every_program("--help", NULL, 0, "usage:");
}
END_TEST

START_TEST(every_program_refuses_a_bad_scale)
{
    expect_every_program("-s", "nonsense", 2, "-s wants a number");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("chapter 1");
    TCase *hello = test_case(s, "say_hello (article 002)");
    TCase *gather = test_case(s, "gather (article 000)");
    TCase *running = test_case(s, "running (article 001)");
    TCase *tasks = test_case(s, "task(name, duration) (article 004)");
    TCase *timeline = test_case(s, "timeline and options");

    tcase_add_test(hello, hello_sequential_takes_the_sum);
    tcase_add_test(hello, hello_loop_overlaps_the_waits);
    tcase_add_test(hello, hello_threads_overlap_the_waits);
    tcase_add_test(gather, gather_sequential_takes_the_sum);
    tcase_add_test(gather, gather_loop_finishes_the_short_task_first);
    tcase_add_test(gather, gather_threads_finish_the_short_task_first);
    tcase_add_test(running, running_sequential_takes_the_sum);
    tcase_add_test(running, running_loop_takes_the_longest);
    tcase_add_test(running, running_threads_takes_the_longest);
    tcase_add_test(running, sleeping_threads_need_no_second_core);
    tcase_add_test(running, returning_from_main_ends_the_threads);
    tcase_add_test(tasks, tasks_sequential_takes_the_sum);
    tcase_add_test(tasks, tasks_loop_takes_the_longest);
    tcase_add_test(tasks, tasks_threads_takes_the_longest);
    tcase_add_test(timeline, timeline_shows_one_thread_for_the_loop);
    tcase_add_test(timeline, timeline_shows_one_thread_in_turn_for_sequential_calls);
    tcase_add_test(timeline, timeline_shows_a_thread_per_task);
    tcase_add_test(timeline, timeline_draws_a_picture);
    tcase_add_test(timeline, waiting_uses_next_to_no_cpu);
    tcase_add_test(timeline, every_program_explains_itself_with_h);
    tcase_add_test(timeline, every_program_explains_itself_with_help);
    tcase_add_test(timeline, every_program_refuses_a_bad_scale);
    return s;
}
