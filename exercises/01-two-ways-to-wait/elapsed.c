/*
 * elapsed.c: exercise: a plan's time in sequence and concurrently, computed, then measured.
 *
 * Chapter 1. Compare chapters/01-two-ways-to-wait/tasks_sequential.c (5 s) with tasks_loop.c
 * (3 s): the same waits, added up in one, overlapped in the other. Here a task may wait several
 * times, and you check your arithmetic against the loop's clock.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"
#include "task.h"

double elapsed_sequential(const struct task_plan plan[], size_t n)
{
    /* TODO: the seconds all n tasks take when each starts only after the previous one ended. */
    (void)plan;
    (void)n;
    return -1;
}

double elapsed_concurrent(const struct task_plan plan[], size_t n)
{
    /* TODO: the seconds all n tasks take when they run concurrently on the loop. */
    (void)plan;
    (void)n;
    return -1;
}

int run_plan(struct loop *loop, const struct task_plan plan[], size_t n, bool concurrent,
             double *elapsed)
{
    /*
     * TODO: one task per plan entry, whose step function sleeps each of its waits in turn
     * (a for loop around TASK_SLEEP). Run them with task_run, one after the other, or with
     * task_run_all if `concurrent`, and store in *elapsed how far loop_time(loop) moved.
     * n is not bounded: allocate the tasks (and check the allocation), then free them.
     */
    (void)loop;
    (void)plan;
    (void)n;
    (void)concurrent;
    (void)elapsed;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
