/* wrong: each task puts its value in the next free slot as it ends: finishing order. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"
#include "task.h"

struct fetch_task {
    struct task task; /* first, so that a struct task * is also a struct fetch_task * */
    const struct fetch *job;
    long *results;
    size_t *done; /* how many results are in */
};

static enum task_state fetch(struct task *t)
{
    struct fetch_task *ft = (struct fetch_task *)t;

    TASK_BEGIN(t);
    TASK_SLEEP(t, ft->job->seconds);
    ft->results[(*ft->done)++] = ft->job->value; /* the next free slot */
    TASK_END(t);
}

int gather_ordered(struct loop *loop, const struct fetch jobs[], size_t n, long results[])
{
    struct fetch_task *tasks;
    struct task **all;
    size_t done = 0;
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
        tasks[i].results = results;
        tasks[i].done = &done;
        all[i] = &tasks[i].task;
    }
    status = task_run_all(loop, all, n);
    err = errno;
    free(tasks);
    free(all);
    errno = err;
    return status;
}
