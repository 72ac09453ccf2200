/* wrong: each task writes started + seconds as `finished` before it waits. */
/*
 * gather_three-computed.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. The times come out right once the loop is done, since nothing delays the wake-up
 * here; but while a task still waits, its `finished` already claims it is over, and a loop that
 * wakes it late (a slow callback) makes the claim false.
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
    tt->result->finished = tt->result->started + tt->job->seconds; /* computed, not observed */
    TASK_SLEEP(t, tt->job->seconds);
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
