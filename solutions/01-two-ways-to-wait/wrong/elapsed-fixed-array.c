/* wrong: the tasks live in a fixed array of 1000, and a bigger plan is refused (E2BIG). */
/*
 * elapsed-fixed-array.c: a plausible wrong elapsed.c, which the tests must catch.
 *
 * Chapter 1. A thousand tasks is the biggest plan the README names, not a limit of the loop:
 * allocate n of them.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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

#define MAX_TASKS 1000 /* the biggest plan of the tests */

struct plan_task {
    struct task task; /* first, so that a struct task * is also a struct plan_task * */
    const struct task_plan *plan;
    size_t next; /* the wait to do next: in the struct, because locals do not survive a wait */
};

static enum task_state waiter(struct task *t)
{
    struct plan_task *pt = (struct plan_task *)t;

    TASK_BEGIN(t);
    for (pt->next = 0; pt->next < pt->plan->nwaits; pt->next++) {
        TASK_SLEEP(t, pt->plan->waits[pt->next]);
    }
    TASK_END(t);
}

int run_plan(struct loop *loop, const struct task_plan plan[], size_t n, bool concurrent,
             double *elapsed)
{
    static struct plan_task tasks[MAX_TASKS];
    static struct task *all[MAX_TASKS];
    double start = loop_time(loop);
    int status = 0;

    if (n > MAX_TASKS) {
        errno = E2BIG;
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
        for (size_t i = 0; i < n && status == 0; i++)
            status = task_run(loop, all[i]);
    }
    *elapsed = loop_time(loop) - start;
    return status;
}
