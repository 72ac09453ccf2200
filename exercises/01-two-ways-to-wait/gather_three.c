/*
 * gather_three.c: exercise: three timed tasks at once on the loop; when did each start and end?
 *
 * Chapter 1. Start from chapters/01-two-ways-to-wait/running_loop.c: one step function, each
 * task's arguments in a struct that begins with its struct task. Compare the result with
 * tasks_sequential.c, where the same waits would add up.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"
#include "task.h"

int gather_three(struct loop *loop, const struct timed_job jobs[GATHER_JOBS],
                 struct job_result results[GATHER_JOBS])
{
    /*
     * TODO: make one task per job. Each task notes loop_time(loop) in its result's `started`,
     * sleeps the job's seconds with TASK_SLEEP, then notes loop_time(loop) in `finished`.
     * Run the three together with task_run_all, and return what it returns.
     * results[i] belongs to jobs[i] (name included), whichever task ends first.
     */
    (void)loop;
    (void)jobs;
    (void)results;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
