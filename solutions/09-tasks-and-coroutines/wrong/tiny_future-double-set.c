/* wrong: a second tiny_set is accepted and overwrites the value. */
/*
 * tiny_future.c: solution: a future of our own, whose callbacks always run on the loop.
 *
 * Chapter 9, exercise tiny_future. Compare with future_set_result and future_add_done_callback in
 * common/task.c, which do the same for struct future.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

void tiny_init(struct tiny_future *future, struct loop *loop)
{
    *future = (struct tiny_future){.loop = loop};
}

/* The loop runs this on a later turn: call the user's callback. */
static void run_callback(struct loop *loop, void *arg)
{
    struct tiny_callback *cb = arg;

    cb->fn(loop, cb->future, cb->arg);
}

static void queue(struct tiny_future *future, struct tiny_callback *cb)
{
    loop_call_soon(future->loop, &cb->soon, run_callback, cb);
}

int tiny_set(struct tiny_future *future, long value)
{
    struct tiny_callback *cb;

    future->done = true;
    future->value = value;
    while ((cb = future->first) != NULL) { /* first added, first queued */
        future->first = cb->next;
        queue(future, cb);
    }
    future->last = NULL;
    return 0;
}

void tiny_add(struct tiny_future *future, struct tiny_callback *cb, tiny_fn *fn, void *arg)
{
    *cb = (struct tiny_callback){.fn = fn, .arg = arg, .future = future};
    if (future->done) {
        queue(future, cb); /* still on a later turn, never from here */
        return;
    }
    if (future->last != NULL)
        future->last->next = cb;
    else
        future->first = cb;
    future->last = cb;
}

bool tiny_done(const struct tiny_future *future)
{
    return future->done;
}
