/* wrong: runs the tasks one after the other, a task_run each, so their waits add up. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

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

int gather_ordered(struct loop *loop, const struct fetch jobs[], size_t n, long results[])
{
    struct fetch_task *tasks;
    struct task **all;
    int status, err;

    if (n == 0) /* nothing to gather; and calloc(0, ...) may return NULL without failing */
        return 0;
    tasks = calloc(n, sizeof *tasks);
    all = calloc(n, sizeof *all);
    if (tasks == NULL || all == NULL) {
        free(tasks);
        free(all);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        task_init(&tasks[i].task, NULL, fetch);
        tasks[i].job = &jobs[i];
        all[i] = &tasks[i].task;
    }
    status = 0;
    for (size_t i = 0; i < n && status == 0; i++) /* one after the other */
        status = task_run(loop, all[i]);
    err = errno;
    if (status == 0) {
        for (size_t i = 0; i < n; i++) /* every task is done: now, and only now, the list */
            results[i] = *(const long *)all[i]->result;
    }
    free(tasks);
    free(all);
    errno = err;
    return status;
}
