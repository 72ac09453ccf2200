/*
 * tiny_future.c: exercise: a future of your own, whose callbacks always run on the loop.
 *
 * Chapter 9. asyncio.Future's rules, on a future that holds a long: set once, callbacks in the
 * order they were added, never run at once but queued on the loop, also when added after the
 * future is done. Read chapters/09-tasks-and-coroutines/future_timer.c first.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

void tiny_init(struct tiny_future *future, struct loop *loop)
{
    /* TODO: not done, no callbacks, and remember the loop. */
    (void)future;
    (void)loop;
}

int tiny_set(struct tiny_future *future, long value)
{
    /*
     * TODO: refuse a second set (errno EINVAL, return -1). Otherwise keep the value, mark the
     * future done, and queue every waiting callback on the loop with loop_call_soon, in the
     * order they were added. Call none of them here.
     */
    (void)future;
    (void)value;
    errno = ENOSYS; /* "not implemented", until you implement it */
    return -1;
}

void tiny_add(struct tiny_future *future, struct tiny_callback *cb, tiny_fn *fn, void *arg)
{
    /* TODO: fill *cb; at the end of the list if the future is pending, else queue it now. */
    (void)future;
    (void)cb;
    (void)fn;
    (void)arg;
}

bool tiny_done(const struct tiny_future *future)
{
    (void)future;
    return false; /* TODO */
}
