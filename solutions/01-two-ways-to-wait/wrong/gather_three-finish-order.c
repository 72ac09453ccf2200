/* wrong: each task writes the next free result when it finishes: results in finish order. */
/*
 * gather_three-finish-order.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. Right whenever the jobs happen to finish in argument order; asyncio.gather (and
 * this exercise) gives the results in argument order, whatever order the tasks end in.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"
#include "task.h"

struct timed_task {
    struct task task;
    struct loop *loop;
    const struct timed_job *job;
    struct job_result *results; /* all of them */
    size_t *done;               /* how many have finished so far */
    double started;
};

static enum task_state timed(struct task *t)
{
    struct timed_task *tt = (struct timed_task *)t;
    struct job_result *r;

    TASK_BEGIN(t);
    tt->started = loop_time(tt->loop);
    TASK_SLEEP(t, tt->job->seconds);
    r = &tt->results[(*tt->done)++];
    *r = (struct job_result){
        .name = tt->job->name, .started = tt->started, .finished = loop_time(tt->loop)};
    TASK_END(t);
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct timed_task tasks[GATHER_JOBS];
    struct task *all[GATHER_JOBS];
    size_t done = 0;

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        tasks[i] =
            (struct timed_task){.loop = loop, .job = &jobs[i], .results = results, .done = &done};
        task_init(&tasks[i].task, jobs[i].name, timed);
        all[i] = &tasks[i].task;
    }
    return task_run_all(loop, all, GATHER_JOBS);
}
