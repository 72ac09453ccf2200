/*
 * timer_heap.c: solution: a binary min-heap of timers, equal deadlines first in, first out.
 *
 * Chapter 8, exercise timer_heap.c. Each timer knows its index (slot), so that removing one from
 * the middle costs O(log n), not a search. Compare with common/loop.c, whose heap has four
 * children per node and keeps a copy of each deadline in the array, for the caches' sake.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "exercises.h"

#define MIN_CAPACITY 16

static bool before(const struct heap_timer *a, const struct heap_timer *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->seq < b->seq;
}

/* Put t at index i, and tell it so. */
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
    if (h->count == h->capacity) {
        size_t cap = h->capacity ? 2 * h->capacity : MIN_CAPACITY;
        struct heap_timer **items = realloc(h->items, cap * sizeof *items);

        if (items == NULL)
            return -1;
        h->items = items;
        h->capacity = cap;
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

/* Take out the timer at index i: the last one fills the hole, then moves up or down. */
static void take_out(struct timer_heap *h, size_t i)
{
    struct heap_timer *gone = h->items[i];

    h->count--;
    if (i < h->count) {
        put(h, i, h->items[h->count]);
        sift_down(h, i);
        sift_up(h, i); /* the last one may be earlier than the hole's parent */
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
    free(h->items);
    *h = (struct timer_heap)TIMER_HEAP_INIT;
}
