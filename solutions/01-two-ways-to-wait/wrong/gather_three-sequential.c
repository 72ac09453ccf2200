/* wrong: the jobs run one after the other (task_run each), not gathered: the waits add up. */
/*
 * gather_three-sequential.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. asyncio.run(job(a)); asyncio.run(job(b)); ... instead of asyncio.gather: each job
 * starts only when the previous one is over, as in tasks_sequential.c.
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
    tt->result->finished = loop_time(tt->loop);
    TASK_END(t);
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct timed_task tasks[GATHER_JOBS];

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        tasks[i] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[i].task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        if (task_run(loop, &tasks[i].task) == -1)
            return -1;
    }
    return 0;
}
