/* wrong: `started` is read in gather_three, before the loop runs, instead of by each task. */
/*
 * gather_three-time-before-loop.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. The same number, as long as nothing runs on the loop before the tasks do; but the
 * tasks start when the loop runs them, and a callback already queued there goes first.
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
    TASK_SLEEP(t, tt->job->seconds);
    tt->result->finished = loop_time(tt->loop);
    TASK_END(t);
}

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    struct timed_task tasks[GATHER_JOBS];
    struct task *all[GATHER_JOBS];
    double now = loop_time(loop);

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        tasks[i] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[i].task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        results[i].started = now; /* they all start now, surely */
        all[i] = &tasks[i].task;
    }
    return task_run_all(loop, all, GATHER_JOBS);
}
