/*
 * cancel_cleanup.c: solution: a worker that lets go of exactly what it holds when cancelled.
 *
 * Chapter 10. The worker writes down where it is (its stage) before each wait, so that its
 * cleanup knows what to give back. The lock needs one more thought: sync.h's release hands the
 * lock to the first waiter, which may be cancelled before it runs again. It then holds the lock
 * without having come back from ASYNC_LOCK, and only pool->holder, set by the releasing worker at
 * the hand-over, says so. (asyncio's Lock had this very bug once: a task cancelled just after
 * being woken left the lock taken for ever.) Compare with
 * chapters/10-timeouts-cancellation-errors/cancel_cleanup_loop.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "exercises.h"
#include "sync.h"
#include "task.h"

enum { STARTED, CONNECTED, DONE };

/* Release the lock, and say who holds it now: the waiter it is handed to, or nobody. */
static void release(struct pool *pool)
{
    pool->holder = task_waitlist_first(&pool->lock.waiters); /* release() hands it to them */
    async_lock_release(&pool->lock);
}

static enum task_state worker_step(struct task *t)
{
    struct worker *w = (struct worker *)t;
    struct pool *pool = w->pool;

    TASK_BEGIN(t);
    pool->connections++;
    w->stage = CONNECTED;
    TASK_SLEEP(t, w->connect_seconds);
    ASYNC_LOCK(t, &pool->lock);
    pool->holder = t;
    TASK_SLEEP(t, w->work_seconds);
    release(pool);
    pool->connections--;
    w->stage = DONE;
    w->finished = true;
    TASK_RETURN(t, NULL);

    TASK_CLEANUP(t);
    if (pool->holder == t) /* held, or handed over while the cancel was on its way */
        release(pool);
    if (w->stage == CONNECTED)
        pool->connections--;
    TASK_END(t);
}

void worker_init(struct worker *w, const char *name, struct pool *pool, double connect_seconds,
                 double work_seconds)
{
    *w = (struct worker){
        .pool = pool, .connect_seconds = connect_seconds, .work_seconds = work_seconds};
    task_init(&w->task, name, worker_step);
}
