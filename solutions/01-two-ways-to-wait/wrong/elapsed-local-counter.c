/* wrong: the wait counter is a local variable, set to 0 on every call of the step function. */
/*
 * elapsed-local-counter.c: a plausible wrong elapsed.c, which the tests must catch.
 *
 * Chapter 1. A TASK_SLEEP returns from the step function, and the next call starts it again:
 * the local is 0 again, then counted to 1, so a task with two waits or more sleeps its second
 * wait for ever. (The watchdog of the tests stops it.)
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

struct plan_task {
    struct task task; /* first, so that a struct task * is also a struct plan_task * */
    const struct task_plan *plan;
    size_t next; /* the wait to do next: in the struct, because locals do not survive a wait */
};

static enum task_state waiter(struct task *t)
{
    struct plan_task *pt = (struct plan_task *)t;
    size_t next = 0;

    TASK_BEGIN(t);
    for (; next < pt->plan->nwaits; next++) {
        TASK_SLEEP(t, pt->plan->waits[next]);
    }
    TASK_END(t);
}

int run_plan(struct loop *loop, const struct task_plan plan[], size_t n, bool concurrent,
             double *elapsed)
{
    double start = loop_time(loop);
    struct plan_task *tasks;
    struct task **all;
    int status = 0;

    if (n == 0) { /* nothing to run; and calloc(0, ...) may return NULL without failing */
        *elapsed = 0;
        return 0;
    }
    tasks = calloc(n, sizeof *tasks);
    all = calloc(n, sizeof *all);
    if (tasks == NULL || all == NULL) {
        free(tasks);
        free(all);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        task_init(&tasks[i].task, NULL, waiter);
        tasks[i].plan = &plan[i];
        all[i] = &tasks[i].task;
    }
    if (concurrent) {
        status = task_run_all(loop, all, n);
    } else {
        /* asyncio.run() once per task: each runs the loop until that task is done. */
        for (size_t i = 0; i < n && status == 0; i++)
            status = task_run(loop, all[i]);
    }
    *elapsed = loop_time(loop) - start;
    free(tasks);
    free(all);
    return status;
}
