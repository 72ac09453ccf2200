/*
 * wait_for.c: solution: asyncio.wait_for built from a timer, task_cancel and TASK_AWAIT.
 *
 * Chapter 10. The timer is the limit: when it rings it only cancels the child. The waiter itself
 * always waits for the child's future, so it goes on once the child has finished, cleanup and all,
 * whichever way it ended; then it asks the timer which way that was. Compare with TASK_WAIT_FOR in
 * common/task.c, and with chapters/10-timeouts-cancellation-errors/wait_for_loop.c.
 */
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

    TASK_CLEANUP(t); /* the waiter was cancelled: so is what it waits for */
    loop_cancel_timer(t->loop, &w->timer);
    task_cancel(w->child);
    TASK_END(t);
}

void waiter_init(struct waiter *w, const char *name, struct task *child, double seconds)
{
    *w = (struct waiter){.child = child, .seconds = seconds};
    task_init(&w->task, name, waiter_step);
}
