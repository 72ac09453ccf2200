/*
 * exercises.h: what each exercise of chapter 1 must do. The stubs beside this file and the
 * solutions in solutions/01-two-ways-to-wait/ both implement it, and the same tests judge both.
 *
 * Every function that takes a loop runs its tasks on that loop and leaves it empty, ready for
 * more. The tests give it a fake clock (loop.h), so "3 seconds" pass in no time at all.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

/* ---- gather_three.c ------------------------------------------------------------------------ */

#define GATHER_JOBS 3

/* A job to run as a task: print nothing, just wait `seconds` (0 or more). */
struct timed_job {
    const char *name;
    double seconds;
};

/* What happened to one job: its name, and the loop_time() when it began and ended its wait. */
struct job_result {
    const char *name;
    double started;
    double finished;
};

/*
 * Run the GATHER_JOBS jobs as tasks on `loop`, concurrently (asyncio.gather), and fill results[i]
 * for jobs[i], in argument order. Each task writes its result as it goes, reading loop_time()
 * then: `started` when the loop first runs it, `finished` when it wakes from its wait (the tests
 * look at results[] while the loop runs). The caller owns both arrays. Returns 0, or -1 with errno
 * set.
 */
int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS]);

/* ---- predict_order.c ----------------------------------------------------------------------- */

/* The longest wait choose_sleeps may choose, in seconds. */
#define CHOOSE_MAX_SECONDS 3600.0

/*
 * The scenario of this exercise: n tasks gathered on the loop; task i prints "Task i started",
 * sleeps seconds[i] (0 or more) with TASK_SLEEP, then prints "Task i finished". n may be 0, and
 * has no bound but memory. One printed line is this:
 */
enum line_kind { LINE_STARTED, LINE_FINISHED };

struct order_line {
    size_t task; /* i, the task's index in the arguments */
    enum line_kind kind;
};

/*
 * Predict the scenario without running it: fill lines[0 .. 2n-1] (the caller's array) with the
 * lines in the order the loop prints them, for any waits: the loop counts a wait in whole
 * nanoseconds (task.h says how).
 */
void predict_order(const double seconds[], size_t n, struct order_line lines[]);

/*
 * The other way round: fill seconds[0 .. n-1] (the caller's array, each wait between 0 and
 * CHOOSE_MAX_SECONDS) so that in the scenario task finish_order[0] finishes first, then task
 * finish_order[1], and so on. finish_order holds each of 0 .. n-1 once.
 */
void choose_sleeps(const size_t finish_order[], size_t n, double seconds[]);

/* ---- elapsed.c ----------------------------------------------------------------------------- */

/* One task of a plan: it waits waits[0] seconds, then waits[1], ... (nwaits of them, maybe 0). */
struct task_plan {
    const double *waits;
    size_t nwaits;
};

/* Seconds the n tasks of `plan` take when run one after the other (n may be 0, or thousands). */
double elapsed_sequential(const struct task_plan plan[], size_t n);

/* Seconds the n tasks of `plan` take when run concurrently on the event loop. */
double elapsed_concurrent(const struct task_plan plan[], size_t n);

/*
 * Run `plan` on `loop`, one task per entry that sleeps each of its waits in turn: one task after
 * the other, or all gathered if `concurrent`. Store in *elapsed the seconds that passed on the
 * loop's clock while run_plan ran (read from the clock: something else on the loop may hold it
 * up). Returns 0, or -1 with errno set (*elapsed is then unspecified).
 */
int run_plan(struct loop *loop, const struct task_plan plan[], size_t n, bool concurrent,
             double *elapsed);

#endif
