/* wrong: a job of 0 s gets no task: gather_three writes its times itself, before the loop runs. */
/*
 * gather_three-zero-shortcut.c: a plausible wrong gather_three.c, which the tests must catch.
 *
 * Chapter 1. asyncio.sleep(0) is still a wait: the task steps aside and the loop goes round once.
 * Skipping it changes when the job starts and ends relative to everything else on the loop.
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
    struct task *all[GATHER_JOBS];
    size_t n = 0;

    for (size_t i = 0; i < GATHER_JOBS; i++) {
        results[i].name = jobs[i].name;
        if (jobs[i].seconds == 0) { /* nothing to wait for: done already */
            results[i].started = results[i].finished = loop_time(loop);
            continue;
        }
        tasks[n] = (struct timed_task){.loop = loop, .job = &jobs[i], .result = &results[i]};
        task_init(&tasks[n].task, jobs[i].name, timed);
        all[n] = &tasks[n].task;
        n++;
    }
    return task_run_all(loop, all, n);
}
