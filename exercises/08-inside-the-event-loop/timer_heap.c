/*
 * timer_heap.c: exercise: a min-heap of timers, equal deadlines first in, first out.
 *
 * Chapter 8. Read exercises.h for the contract, then chapters/08-inside-the-event-loop/
 * step2_timers.c, whose sorted list this heap replaces: the same order, in O(log n) per timer
 * instead of O(n). common/loop.c has a heap too, with twists for speed: read it afterwards.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

int heap_push(struct timer_heap *h, struct heap_timer *t, int64_t deadline)
{
    /* TODO: grow h->items when it is full, give t its deadline and the next seq, put it at the
     * end, and move it up while it is earlier than its parent. Keep every slot up to date. */
    (void)h;
    (void)t;
    (void)deadline;
    errno = ENOSYS;
    return -1;
}

struct heap_timer *heap_peek(const struct timer_heap *h)
{
    /* TODO: the earliest timer is at the top. */
    (void)h;
    return NULL;
}

struct heap_timer *heap_pop(struct timer_heap *h)
{
    /* TODO: take the top out: the last timer fills its place, then moves down. */
    (void)h;
    return NULL;
}

bool heap_remove(struct timer_heap *h, struct heap_timer *t)
{
    /* TODO: t->slot says where t is. The last timer fills the hole: which way must it move? */
    (void)h;
    (void)t;
    return false;
}

void heap_free(struct timer_heap *h)
{
    /* TODO: free items[] and leave an empty heap. */
    (void)h;
}
