/* wrong: `finished` is read once, after task_run_all returns, for every job: the last wake-up. */
/*
 * gather_three-time-after-loop.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. When the loop returns, every task is done, but they did not all finish then: only
 * the task itself knows when it woke.
 */
#define _POSIX_C_SOURCE 200809L
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
    TASK_END(t);
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct timed_task tasks[GATHER_JOBS];
    struct task *all[GATHER_JOBS];
    int rc;

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        tasks[i] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[i].task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        all[i] = &tasks[i].task;
    }
    rc = task_run_all(loop, all, GATHER_JOBS);
    for (size_t i = 0; i < GATHER_JOBS; i++)
        results[i].finished = loop_time(loop);
    return rc;
}
