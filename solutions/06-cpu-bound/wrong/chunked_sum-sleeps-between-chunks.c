/* wrong: it sleeps a millisecond between chunks "to let the others run": the job takes longer for
 * nothing. */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"

#define PAUSE_SECONDS 0.001

enum task_state chunked_sum_step(struct task *t)
{
    struct chunked_sum *job = (struct chunked_sum *)t;

    TASK_BEGIN(t);
    while (job->next < job->n) {
        job->sum += job->item(job->next, job->arg);
        job->next++;
        if (job->next % job->per_chunk == 0 && job->next < job->n)
            TASK_SLEEP(t, PAUSE_SECONDS);
    }
    TASK_END(t);
}
