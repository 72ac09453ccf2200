/* wrong: no cleanup section: a cancelled worker keeps its connection and the lock. */
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
    TASK_END(t);
}

void worker_init(struct worker *w, const char *name, struct pool *pool, double connect_seconds,
                 double work_seconds)
{
    *w = (struct worker){
        .pool = pool, .connect_seconds = connect_seconds, .work_seconds = work_seconds};
    task_init(&w->task, name, worker_step);
}
