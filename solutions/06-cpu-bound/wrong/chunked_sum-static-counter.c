/* wrong: the loop counter is a static variable so that it survives a yield, but every task shares
 * it. */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

enum task_state chunked_sum_step(struct task *t)
{
    struct chunked_sum *job = (struct chunked_sum *)t;
    static size_t i; /* survives TASK_SLEEP, but one for all the tasks, and for every run */

    TASK_BEGIN(t);
    while (i < job->n) {
        job->sum += job->item(i, job->arg);
        i++;
        if (i % job->per_chunk == 0 && i < job->n)
            TASK_SLEEP(t, 0);
    }
    TASK_END(t);
}
