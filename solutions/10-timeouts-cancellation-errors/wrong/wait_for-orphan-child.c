/* wrong: no cleanup: a cancelled waiter leaves its child running and its timer set. */
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
    if (loop_call_later(t->loop, &w->timer, w->seconds, limit_reached, w) == -1) {
        error = errno;
        task_cancel(w->child);
        TASK_FAIL(t, error);
    }
    TASK_AWAIT(t, &w->child->future);
    loop_cancel_timer(t->loop, &w->timer);   /* finished in time: the limit must not ring later */
    error = future_error(&w->child->future); /* retrieved: ours to pass on */
    if (w->timed_out)
        TASK_FAIL(t, ETIMEDOUT);
    if (error != 0)
        TASK_FAIL(t, error);
    TASK_RETURN(t, w->child->result);
    TASK_END(t);
}

void waiter_init(struct waiter *w, const char *name, struct task *child, double seconds)
{
    *w = (struct waiter){.child = child, .seconds = seconds};
    task_init(&w->task, name, waiter_step);
}
