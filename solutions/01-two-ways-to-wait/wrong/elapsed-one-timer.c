/* wrong: run_plan fakes the run: one task sleeps the computed total. */
/*
 * elapsed-one-timer.c: a plausible wrong elapsed.c, which the tests must catch.
 *
 * Chapter 1. The clock moves by the right amount on a quiet loop; but nothing waited for each wait,
 * and when a callback holds the thread up, the waits that follow start late, which one sleep of
 * the total does not.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "exercises.h"
#include "task.h"

/* How long one task waits in all. */
static double task_total(const struct task_plan *task)
{
    double total = 0;

    for (size_t i = 0; i < task->nwaits; i++)
        total += task->waits[i];
    return total;
}

double elapsed_sequential(const struct task_plan plan[], size_t n)
{
    double total = 0;

    for (size_t i = 0; i < n; i++)
        total += task_total(&plan[i]);
    return total;
}

double elapsed_concurrent(const struct task_plan plan[], size_t n)
{
    double longest = 0; /* no task at all takes no time */

    for (size_t i = 0; i < n; i++) {
        double total = task_total(&plan[i]);

        if (total > longest)
            longest = total;
    }
    return longest;
}

struct fake_run {
    struct task task;
    double seconds;
};

static enum task_state sleeper(struct task *t)
{
    struct fake_run *f = (struct fake_run *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, f->seconds);
    TASK_END(t);
}

int run_plan(struct loop *loop, const struct task_plan plan[], size_t n, bool concurrent,
             double *elapsed)
{
    double start = loop_time(loop);
    struct fake_run f = {.seconds = concurrent ? elapsed_concurrent(plan, n)
                                               : elapsed_sequential(plan, n)};
    int status;

    task_init(&f.task, "plan", sleeper);
    status = task_run(loop, &f.task);
    *elapsed = loop_time(loop) - start;
    return status;
}
