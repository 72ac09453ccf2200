/* wrong: on waking, the task writes started + seconds as `finished`, not the loop's time then. */
/*
 * gather_three-added-up.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. A sleep ends *at least* `seconds` later, not exactly: when a callback keeps the
 * thread busy, the loop wakes the task late, and only loop_time() then says when.
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
    tt->result->finished = tt->result->started + tt->job->seconds;
    TASK_END(t);
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct timed_task tasks[GATHER_JOBS];
    struct task *all[GATHER_JOBS];

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        tasks[i] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[i].task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        all[i] = &tasks[i].task;
    }
    return task_run_all(loop, all, GATHER_JOBS);
}
