/* wrong: no limit: the semaphore is never used, every request starts at once. */
/*
 * limited_fetch.c: solution: a permit of a shared semaphore, then TASK_WAIT_FOR on the request.
 *
 * Chapter 12. The asyncio original:
 *     async with limit:
 *         await asyncio.wait_for(request, timeout)
 * The timeout starts after the permit is ours, and wait_for cancels only this job's request.
 * The permit goes back on every path: the request's error is only read after the release.
 * Compare with chapters/12-clients/crawl_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

static enum task_state job_step(struct task *t)
{
    struct fetch_job *job = (struct fetch_job *)t;

    TASK_BEGIN(t);
    TASK_WAIT_FOR(t, job->request, job->timeout);
    /* On every path: a request that failed or timed out gives its permit back too. */
    (void)future_error(&job->request->future); /* read, so nobody reports it as never retrieved */
    job->error = job->request->error;          /* ETIMEDOUT after the timeout */
    TASK_END(t);
}

void fetch_job_init(struct fetch_job *job, const char *name, struct async_sem *limit,
                    struct task *request, double timeout)
{
    *job = (struct fetch_job){.limit = limit, .request = request, .timeout = timeout};
    task_init(&job->task, name, job_step);
}
