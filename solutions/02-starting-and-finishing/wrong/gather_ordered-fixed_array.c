/* wrong: room for 64 tasks only, in fixed-size arrays: more jobs than that are refused. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"
#include "task.h"

struct fetch_task {
    struct task task; /* first, so that a struct task * is also a struct fetch_task * */
    const struct fetch *job;
    long value; /* the result, once the task is done: task.result points here */
};

static enum task_state fetch(struct task *t)
{
    struct fetch_task *ft = (struct fetch_task *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, ft->job->seconds);
    ft->value = ft->job->value;
    TASK_RETURN(t, &ft->value);
    TASK_END(t);
}

#define MAX_TASKS 64

int gather_ordered(struct loop *loop, const struct fetch jobs[], size_t n, long results[])
{
    struct fetch_task tasks[MAX_TASKS];
    struct task *all[MAX_TASKS] = {NULL};
    int status;

    if (n > MAX_TASKS) {
        errno = E2BIG;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        task_init(&tasks[i].task, NULL, fetch);
        tasks[i].job = &jobs[i];
        all[i] = &tasks[i].task;
    }
    status = task_run_all(loop, all, n);
    if (status == 0) {
        for (size_t i = 0; i < n; i++)
            results[i] = *(const long *)all[i]->result;
    }
    return status;
}
