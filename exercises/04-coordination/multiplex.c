/*
 * multiplex.c: exercise: let at most `limit` threads in at once, from a mutex and a condition.
 *
 * Chapter 4. A counting semaphore, built by hand, as semaphore_threads.c's sem_t is built for
 * you. exercises.h says what each function must do; README.md says how to check it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>

#include "exercises.h"

int mp_init(struct multiplex *m, unsigned limit)
{
    /* TODO: check the limit, set the counts, initialise the mutex and the condition. */
    (void)m;
    (void)limit;
    return ENOSYS; /* "not implemented", until you implement it */
}

void mp_destroy(struct multiplex *m)
{
    /* TODO: destroy what mp_init initialised. */
    (void)m;
}

int mp_enter(struct multiplex *m)
{
    /* TODO: lock; while `limit` threads are inside, wait on `room`; count yourself in; unlock. */
    (void)m;
    return ENOSYS;
}

int mp_leave(struct multiplex *m)
{
    /* TODO: lock; refuse with EPERM if nobody is inside; count yourself out, and wake one
     * thread waiting on `room`; unlock. */
    (void)m;
    return ENOSYS;
}
