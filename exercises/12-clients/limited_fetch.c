/*
 * limited_fetch.c: exercise: a crawler's job: at most N requests at once, each with a timeout.
 *
 * Chapter 12. As it stands, every job starts its request at once and waits for it as long as it
 * takes: no limit, no timeout. Add both, as exercises.h describes, with the shared semaphore
 * (ASYNC_SEM_ACQUIRE, async_sem_release) and TASK_WAIT_FOR. Compare with
 * chapters/12-clients/crawl_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

static enum task_state job_step(struct task *t)
{
    struct fetch_job *job = (struct fetch_job *)t;

    TASK_BEGIN(t);
    /* TODO: wait for a permit first, limit the request to job->timeout, give the permit back. */
    task_start(t->loop, job->request);
    TASK_AWAIT(t, &job->request->future);
    job->error = future_error(&job->request->future);
    TASK_END(t);
}

void fetch_job_init(struct fetch_job *job, const char *name, struct async_sem *limit,
                    struct task *request, double timeout)
{
    *job = (struct fetch_job){.limit = limit, .request = request, .timeout = timeout};
    task_init(&job->task, name, job_step);
}
