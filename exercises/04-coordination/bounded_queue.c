/*
 * bounded_queue.c: exercise: queue.Queue(maxsize) for threads, from a mutex and two conditions.
 *
 * Chapter 4. Start from chapters/04-coordination/prodcons_threads.c: its put and get are most of
 * the answer. exercises.h says what each function must do; README.md says how to check it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

int bq_init(struct bounded_queue *q, void **slots, size_t capacity)
{
    /* TODO: check the arguments, fill in the fields, initialise the mutex and both conditions. */
    (void)q;
    (void)slots;
    (void)capacity;
    return ENOSYS; /* "not implemented", until you implement it */
}

void bq_destroy(struct bounded_queue *q)
{
    /* TODO: destroy what bq_init initialised. */
    (void)q;
}

int bq_put(struct bounded_queue *q, void *item)
{
    /* TODO: lock; while the queue is full and open, wait on not_full; if it is closed, EPIPE;
     * else add the item at the end and wake one thread waiting on not_empty; unlock. */
    (void)q;
    (void)item;
    return ENOSYS;
}

int bq_get(struct bounded_queue *q, void **item)
{
    /* TODO: the mirror image of bq_put. Closed and empty: EPIPE. Closed but not empty: an item. */
    (void)q;
    (void)item;
    return ENOSYS;
}

void bq_close(struct bounded_queue *q)
{
    /* TODO: mark the queue closed, and wake every thread waiting in bq_put or bq_get. */
    (void)q;
}
