/*
 * gather_ordered.c: exercise: gather tasks on the loop; their results in argument order, at the
 * end.
 *
 * Chapter 2. Start from chapters/02-starting-and-finishing/results_loop.c, which gathers three
 * tasks and reads each one's result from task->result, set by TASK_RETURN. Here the number of
 * tasks is not known in advance. Read exercises.h first.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"
#include "task.h"

int gather_ordered(struct loop *loop, const struct fetch jobs[], size_t n, long results[])
{
    /*
     * TODO: one task per job, in a struct that begins with its struct task (allocate n of them,
     * and free them at the end). Each task sleeps its job's seconds with TASK_SLEEP, then
     * finishes with TASK_RETURN(t, pointer to its value), a value that lives in the task's own
     * struct. Run them all with task_run_all; when it returns, and only then, copy task i's
     * result into results[i].
     */
    (void)loop;
    (void)jobs;
    (void)n;
    (void)results;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
