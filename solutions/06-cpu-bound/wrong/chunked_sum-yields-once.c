/* wrong: it yields after the first chunk only, then computes all the rest in one go. */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

enum task_state chunked_sum_step(struct task *t)
{
    struct chunked_sum *job = (struct chunked_sum *)t;

    TASK_BEGIN(t);
    while (job->next < job->n) {
        job->sum += job->item(job->next, job->arg);
        job->next++;
        if (job->next == job->per_chunk && job->next < job->n)
            TASK_SLEEP(t, 0);
    }
    TASK_END(t);
}
