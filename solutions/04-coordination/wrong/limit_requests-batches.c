/* wrong: batches of `limit`, gathered: each batch waits for its slowest request. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"
#include "sync.h"
#include "task.h"

struct fetch {
    struct task task;
    const struct request *request;
    struct request_result *result;
    struct async_sem *sem;
};

static enum task_state fetch(struct task *t)
{
    struct fetch *f = (struct fetch *)t;

    TASK_BEGIN(t);
    ASYNC_SEM_ACQUIRE(t, f->sem);
    f->result->started = loop_time(t->loop);
    TASK_SLEEP(t, f->request->seconds);
    f->result->finished = loop_time(t->loop);
    /* An unbounded semaphore refuses a release only at UINT_MAX permits: never here. */
    (void)async_sem_release(f->sem);
    TASK_END(t);
}

int limit_requests(struct loop *loop, const struct request requests[], size_t n, unsigned limit,
                   struct request_result results[])
{
    struct async_sem sem = ASYNC_SEM_INIT(limit);
    struct fetch *fetches;
    struct task **tasks;
    int rc = -1;

    if (limit == 0) {
        errno = EINVAL;
        return -1;
    }
    if (n == 0)
        return 0;
    fetches = calloc(n, sizeof *fetches);
    tasks = calloc(n, sizeof *tasks);
    if (fetches != NULL && tasks != NULL) {
        for (size_t i = 0; i < n; i++) {
            fetches[i] =
                (struct fetch){.request = &requests[i], .result = &results[i], .sem = &sem};
            task_init(&fetches[i].task, requests[i].name, fetch);
            tasks[i] = &fetches[i].task;
        }
        rc = 0;
        for (size_t first = 0; first < n && rc == 0; first += limit)
            rc = task_run_all(loop, tasks + first, n - first < limit ? n - first : limit);
    } else {
        errno = ENOMEM;
    }
    free(tasks);
    free(fetches);
    return rc;
}
