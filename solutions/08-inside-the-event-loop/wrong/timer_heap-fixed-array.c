/* wrong: a fixed array of 1024 timers: "plenty for a loop", until a server arms its 1025th. */
/*
 * timer_heap.c: the solution with items[] a fixed array that never grows.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

#define MAX_TIMERS 1024

static struct heap_timer *storage[MAX_TIMERS];

static bool before(const struct heap_timer *a, const struct heap_timer *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->seq < b->seq;
}

static void put(struct timer_heap *h, size_t i, struct heap_timer *t)
{
    h->items[i] = t;
    t->slot = i + 1;
}

static void sift_up(struct timer_heap *h, size_t i)
{
    struct heap_timer *t = h->items[i];

    while (i > 0 && before(t, h->items[(i - 1) / 2])) {
        put(h, i, h->items[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    put(h, i, t);
}

static void sift_down(struct timer_heap *h, size_t i)
{
    struct heap_timer *t = h->items[i];

    for (;;) {
        size_t child = 2 * i + 1;

        if (child >= h->count)
            break;
        if (child + 1 < h->count && before(h->items[child + 1], h->items[child]))
            child++;
        if (!before(h->items[child], t))
            break;
        put(h, i, h->items[child]);
        i = child;
    }
    put(h, i, t);
}

int heap_push(struct timer_heap *h, struct heap_timer *t, int64_t deadline)
{
    if (t->slot != 0) {
        errno = EBUSY;
        return -1;
    }
    if (h->items == NULL) {
        h->items = storage;
        h->capacity = MAX_TIMERS;
    }
    if (h->count == h->capacity) {
        errno = ENOMEM;
        return -1;
    }
    t->deadline = deadline;
    t->seq = h->next_seq++;
    put(h, h->count++, t);
    sift_up(h, h->count - 1);
    return 0;
}

struct heap_timer *heap_peek(const struct timer_heap *h)
{
    return h->count > 0 ? h->items[0] : NULL;
}

static void take_out(struct timer_heap *h, size_t i)
{
    struct heap_timer *gone = h->items[i];

    h->count--;
    if (i < h->count) {
        put(h, i, h->items[h->count]);
        sift_down(h, i);
        sift_up(h, i);
    }
    gone->slot = 0;
}

struct heap_timer *heap_pop(struct timer_heap *h)
{
    struct heap_timer *first = heap_peek(h);

    if (first != NULL)
        take_out(h, 0);
    return first;
}

bool heap_remove(struct timer_heap *h, struct heap_timer *t)
{
    if (t->slot == 0 || t->slot > h->count || h->items[t->slot - 1] != t)
        return false;
    take_out(h, t->slot - 1);
    return true;
}

void heap_free(struct timer_heap *h)
{
    *h = (struct timer_heap)TIMER_HEAP_INIT;
}
