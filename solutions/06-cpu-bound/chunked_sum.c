/*
 * chunked_sum.c: solution: the loop's state in the task's struct, a TASK_SLEEP(t, 0) per chunk.
 *
 * Chapter 6. The counter `next` lives in the struct, so it survives each yield; a local would be
 * gone, and a static one shared by every task. The test `next < n` before yielding keeps the last
 * chunk from a useless trip round the loop.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

enum task_state chunked_sum_step(struct task *t)
{
    struct chunked_sum *job = (struct chunked_sum *)t;

    TASK_BEGIN(t);
    while (job->next < job->n) {
        job->sum += job->item(job->next, job->arg);
        job->next++;
        if (job->next % job->per_chunk == 0 && job->next < job->n)
            TASK_SLEEP(t, 0); /* one trip round the loop: every ready task and due timer runs */
    }
    TASK_END(t);
}
