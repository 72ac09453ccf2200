/*
 * cancel_cleanup.c: exercise: a worker that gives back what it holds when it is cancelled.
 *
 * Chapter 10. As it stands, the worker does its job when nobody interrupts it, but a cancel at any
 * of its waits leaves its connection open, and may leave the lock taken for ever. Give it a
 * TASK_CLEANUP section, and keep pool->holder right, as exercises.h asks. Compare with
 * chapters/10-timeouts-cancellation-errors/cancel_cleanup_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"
#include "sync.h"
#include "task.h"

static enum task_state worker_step(struct task *t)
{
    struct worker *w = (struct worker *)t;
    struct pool *pool = w->pool;

    /*
     * TODO: 1. keep pool->holder right: set it when this worker gets the lock, and at each
     * release set it to whoever the lock is handed to (sync.h: the first task parked on
     * pool->lock.waiters), or NULL. 2. Note in w->stage where the worker is, then add a
     * TASK_CLEANUP section after the normal path that releases the lock if this worker is its
     * holder and closes the connection if it opened one. A lock can be handed to this worker
     * after its cancel was decided: who holds it is pool->holder's to say, not ASYNC_LOCK's.
     */
    TASK_BEGIN(t);
    pool->connections++;
    TASK_SLEEP(t, w->connect_seconds);
    ASYNC_LOCK(t, &pool->lock);
    TASK_SLEEP(t, w->work_seconds);
    async_lock_release(&pool->lock);
    pool->connections--;
    w->finished = true;
    TASK_END(t);
}

void worker_init(struct worker *w, const char *name, struct pool *pool, double connect_seconds,
                 double work_seconds)
{
    *w = (struct worker){
        .pool = pool, .connect_seconds = connect_seconds, .work_seconds = work_seconds};
    task_init(&w->task, name, worker_step);
}
