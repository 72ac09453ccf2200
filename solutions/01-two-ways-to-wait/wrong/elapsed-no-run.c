/* wrong: run_plan writes the computed time and returns 0 without running anything on the loop. */
/*
 * elapsed-no-run.c: a plausible wrong elapsed.c, which the tests must catch.
 *
 * Chapter 1. run_plan is the check on the arithmetic: the loop's clock has to move.
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

int run_plan(struct loop *loop, const struct task_plan plan[], size_t n, bool concurrent,
             double *elapsed)
{
    (void)loop;
    *elapsed = concurrent ? elapsed_concurrent(plan, n) : elapsed_sequential(plan, n);
    return 0;
}
