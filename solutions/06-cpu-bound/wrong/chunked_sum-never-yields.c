/* wrong: the whole sum in one step, never yielding: every other task and timer waits for all of it.
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
    }
    TASK_END(t);
}
