/*
 * wait_for.c: exercise: asyncio.wait_for(child, seconds), built from a timer and task_cancel.
 *
 * Chapter 10. As it stands, the waiter waits for its child with no limit at all, like a bare
 * `await child`. Give it the limit described in exercises.h, without TASK_WAIT_FOR. Compare with
 * chapters/10-timeouts-cancellation-errors/wait_for_loop.c, which uses TASK_WAIT_FOR.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"
#include "loop.h"
#include "task.h"

static enum task_state waiter_step(struct task *t)
{
    struct waiter *w = (struct waiter *)t;
    int error;

    /*
     * TODO: set a timer (loop_call_later, w->timer) whose callback cancels the child when the
     * limit is reached, and remember that it rang (w->timed_out). Keep awaiting the child's future
     * either way: it is done once the child's cleanup is over. If the child finished in time, the
     * timer must not stay on the loop. Then give a cancelled waiter a TASK_CLEANUP section.
     */
    TASK_BEGIN(t);
    task_start(t->loop, w->child);
    TASK_AWAIT(t, &w->child->future);
    error = future_error(&w->child->future); /* read, so nobody reports it as never retrieved */
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
