/* wrong (caught under SANITIZE=address,undefined): the tasks are allocated and never freed. */
/*
 * gather_three-leak.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. Every result is right; but each call loses the memory of its three tasks. Only
 * LeakSanitizer sees it (make check SANITIZE=address,undefined).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "exercises.h"
#include "task.h"

struct timed_task {
    struct task task;
    struct loop *loop;
    const struct timed_job *job;
    struct job_result *result;
};

static enum task_state timed(struct task *t)
{
    struct timed_task *tt = (struct timed_task *)t;

    TASK_BEGIN(t);
    tt->result->started = loop_time(tt->loop);
    TASK_SLEEP(t, tt->job->seconds);
    tt->result->finished = loop_time(tt->loop);
    TASK_END(t);
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct timed_task *tasks = calloc(GATHER_JOBS, sizeof *tasks);
    struct task *all[GATHER_JOBS];

    if (tasks == NULL)
        return -1;
    for (size_t i = 0; i < GATHER_JOBS; i++) {
        tasks[i] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[i].task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        all[i] = &tasks[i].task;
    }
    return task_run_all(loop, all, GATHER_JOBS); /* and tasks is never freed */
}
