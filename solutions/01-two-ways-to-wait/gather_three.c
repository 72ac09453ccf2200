/*
 * gather_three.c: solution: three timed tasks gathered; each notes when it started and ended.
 *
 * Chapter 1. The three tasks start together and each ends after its own wait, so the whole run
 * takes the longest wait, not the sum. Compare with chapters/01-two-ways-to-wait/running_loop.c,
 * which this follows: one step function, each task's arguments in its own struct.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"
#include "task.h"

struct timed_task {
    struct task task; /* first, so that a struct task * is also a struct timed_task * */
    struct loop *loop;
    const struct timed_job *job;
    struct job_result *result; /* the caller's, written as the task goes */
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
    struct task *all[GATHER_JOBS];

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        /* Task i writes results[i]: argument order, whatever order the tasks end in. */
        tasks[i] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[i].task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        all[i] = &tasks[i].task;
    }
    return task_run_all(loop, all, GATHER_JOBS);
}
