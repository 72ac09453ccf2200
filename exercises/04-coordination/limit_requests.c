/*
 * limit_requests.c: exercise: many requests as tasks on the loop, never more than `limit` at once.
 *
 * Chapter 4. Start from chapters/04-coordination/semaphore_loop.c: a semaphore of `limit` permits
 * around each request's wait. exercises.h says what the function must do; README.md says how to
 * check it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"
#include "sync.h"
#include "task.h"

int limit_requests(struct loop *loop, const struct request requests[], size_t n, unsigned limit,
                   struct request_result results[])
{
    /*
     * TODO: one task per request (allocate them: n is known only now), each holding a permit of
     * one shared semaphore (ASYNC_SEM_INIT(limit)) across its wait: ASYNC_SEM_ACQUIRE, note
     * loop_time() in results[i].started, TASK_SLEEP, note .finished, async_sem_release.
     * Run them all with task_run_all, free what you allocated, and return what it returned.
     */
    (void)loop;
    (void)requests;
    (void)n;
    (void)limit;
    (void)results;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}
