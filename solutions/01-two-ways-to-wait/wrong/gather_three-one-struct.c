/* wrong: the task struct is a local of the for loop's body: all three tasks share one struct. */
/*
 * gather_three-one-struct.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. A variable declared inside the loop's body lives only until the end of that pass:
 * every pass reuses the same storage, and after the loop the pointers lead to a dead object.
 * The tasks must live as long as the loop runs them (an array, as the reference has).
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
    struct task *all[GATHER_JOBS];

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        struct timed_task task = {.loop = loop, .job = &jobs[i], .result = &results[i]};

        task_init(&task.task, jobs[i].name, timed);
        results[i].name = jobs[i].name;
        all[i] = &task.task;
    }
    return task_run_all(loop, all, GATHER_JOBS);
}
