/*
 * chunked_sum.c: exercise: a CPU-heavy loop task that lets timers run between chunks of work.
 *
 * Chapter 6. In chapters/06-cpu-bound/heavy_callback_loop.c one long callback makes every timer
 * late. A task can do better: compute a chunk of items, step aside with TASK_SLEEP(t, 0), and go
 * on, so no timer waits for more than one chunk. Compare with compute_loop.c, which never yields.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

enum task_state chunked_sum_step(struct task *t)
{
    struct chunked_sum *job = (struct chunked_sum *)t;

    TASK_BEGIN(t);
    /*
     * TODO: add item(i, arg) for i = 0 .. n-1 into job->sum, in order, and yield with
     * TASK_SLEEP(t, 0) after every job->per_chunk items, but not after the last. A local loop
     * counter does not survive the TASK_SLEEP (task.h says why): job->next is there for that.
     */
    (void)job;
    TASK_END(t);
}
