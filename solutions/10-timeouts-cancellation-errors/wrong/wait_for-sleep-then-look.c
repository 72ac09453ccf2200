/* wrong: sleeps out the whole limit, then looks: a child done early waits for the limit too. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"
#include "loop.h"
#include "task.h"

/* The limit: cancel the child. The waiter wakes when the child's cleanup is over, not now. */
static void limit_reached(struct loop *loop, void *arg)
{
    struct waiter *w = arg;

    (void)loop;
    w->timed_out = true;
    task_cancel(w->child);
}

static enum task_state waiter_step(struct task *t)
{
    struct waiter *w = (struct waiter *)t;
    int error;

    TASK_BEGIN(t);
    task_start(t->loop, w->child);
    TASK_SLEEP(t, w->seconds);
    if (!task_done(w->child))
        limit_reached(t->loop,
                      w); /* like: await asyncio.sleep(limit); if not child.done(): cancel */
    TASK_AWAIT(t, &w->child->future);
    error = future_error(&w->child->future); /* retrieved: ours to pass on */
    if (w->timed_out)
        TASK_FAIL(t, ETIMEDOUT);
    if (error != 0)
        TASK_FAIL(t, error);
    TASK_RETURN(t, w->child->result);

    TASK_CLEANUP(t); /* the waiter was cancelled: so is what it waits for */
    task_cancel(w->child);
    TASK_END(t);
}

void waiter_init(struct waiter *w, const char *name, struct task *child, double seconds)
{
    *w = (struct waiter){.child = child, .seconds = seconds};
    task_init(&w->task, name, waiter_step);
}
