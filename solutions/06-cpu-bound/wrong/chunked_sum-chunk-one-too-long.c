/* wrong: an off-by-one: it yields once more than per_chunk items are done, so chunks are one too
 * long. */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

enum task_state chunked_sum_step(struct task *t)
{
    struct chunked_sum *job = (struct chunked_sum *)t;

    TASK_BEGIN(t);
    job->next = 0;
    while (job->next < job->n) {
        job->sum += job->item(job->next, job->arg);
        job->next++;
        /* items since the last yield: next modulo (per_chunk + 1), so > per_chunk is one late */
        if (job->next % (job->per_chunk + 1) == 0 && job->next < job->n)
            TASK_SLEEP(t, 0);
    }
    TASK_END(t);
}
